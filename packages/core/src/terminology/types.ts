/** How strongly a rule objects to a wording. */
export type TerminologySeverity = 'block' | 'warn';

/**
 * One terminology rule (规范表述 / 敏感词). A tenant sees the merged list of its own rules
 * and those of its ancestors; the caller does the merging.
 */
export interface TerminologyRule {
  id: string;
  tenantId: string;
  /** A literal wording, or an ECMAScript regex source (compiled with flags 'giu'). */
  pattern: string;
  kind: 'literal' | 'regex';
  /** The correct wording. For regex rules it may use $1, $<name>, $& and $$. */
  replacement: string | null;
  severity: TerminologySeverity;
  note: string;
}

/** One place where a rule matched. */
export interface Finding {
  ruleId: string;
  severity: TerminologySeverity;
  /** The matched text exactly as written (original case). */
  match: string;
  /** The suggested wording for this match (regex group references already expanded). */
  replacement: string | null;
  note: string;
  /** Which block of the story body; -1 for title, subtitle and summary. */
  blockIndex: number;
  /** e.g. 'title', 'summary', 'body.text', 'body.caption', 'body.items[2]'. */
  field: string;
  /** UTF-16 code unit offsets within that field's text, end exclusive. */
  start: number;
  end: number;
}

/** One piece of text to check. */
export interface TextUnit {
  field: string;
  blockIndex: number;
  text: string;
}

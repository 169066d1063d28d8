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

// ── what the checker reads of a story ─────────────────────────────────────────

/** The story shape the checker reads; blocks stay unknown because they come from JSON. */
export interface CheckableStory {
  /** texts outside the body by field name (title, subtitle, summary … as the newsroom declares them), in reading order */
  [field: string]: string | null | undefined | readonly unknown[];
  blocks: readonly unknown[];
}

/** Text-bearing fields of each known block type, in reading order. */
const BLOCK_TEXT_FIELDS = new Map<string, readonly string[]>(
  Object.entries({
    paragraph: ['text'],
    heading: ['text'],
    quote: ['text', 'cite'],
    list: ['items'],
    image: ['caption', 'alt'],
    video: ['caption'],
    embed: ['caption'],
  }),
);

/** Keys of an unknown block type that are never prose. */
const NON_TEXT_KEYS = new Set(['type', 'id', 'url', 'assetId', 'level', 'ordered']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pushField(out: TextUnit[], blockIndex: number, key: string, value: unknown): void {
  if (typeof value === 'string') {
    if (value.length > 0) out.push({ field: `body.${key}`, blockIndex, text: value });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item === 'string' && item.length > 0) out.push({ field: `body.${key}[${i}]`, blockIndex, text: item });
    });
  }
}

/**
 * Every text of a story: the texts outside the body (blockIndex -1), then each block's
 * text-bearing fields. A block type this code does not know yet is checked on all its
 * string fields, so a new block type cannot slip wording past the checker.
 */
export function storyTexts(story: CheckableStory): TextUnit[] {
  const out: TextUnit[] = [];
  for (const [field, text] of Object.entries(story)) {
    if (field !== 'blocks' && typeof text === 'string' && text.length > 0) out.push({ field, blockIndex: -1, text });
  }
  story.blocks.forEach((block, blockIndex) => {
    if (!isRecord(block)) return;
    const known = typeof block.type === 'string' ? BLOCK_TEXT_FIELDS.get(block.type) : undefined;
    const keys = known ?? Object.keys(block).filter((k) => !NON_TEXT_KEYS.has(k));
    for (const key of keys) pushField(out, blockIndex, key, block[key]);
  });
  return out;
}

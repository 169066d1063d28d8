import { AhoCorasick } from './aho-corasick.js';
import { TerminologyRuleError, isTerminologyRuleError } from './errors.js';
import {
  compileRegexRule,
  expandReplacement,
  forEachRegexMatch,
  MAX_PATTERN_LENGTH,
  validateRegexPattern,
} from './regex.js';
import { storyTexts, type CheckableStory, type Finding, type TerminologyRule, type TextUnit } from './model.js';

/** Throws TerminologyRuleError when a rule could not be used; call it before saving a rule. */
export function validateRule(rule: TerminologyRule): void {
  if (rule.kind === 'regex') return validateRegexPattern(rule.pattern, rule.id);
  if (rule.pattern.length === 0) throw new TerminologyRuleError('empty', rule.id);
  if (rule.pattern.length > MAX_PATTERN_LENGTH) throw new TerminologyRuleError('too_long', rule.id);
}

export function hasBlocking(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'block');
}

export interface CheckerOptions {
  /**
   * 'throw' (default) rejects the whole rule set on one bad rule. 'skip' leaves it out
   * and lists it in `skipped`, so a stored rule that a stricter validator now refuses
   * cannot stop every tenant from checking.
   */
  invalidRules?: 'throw' | 'skip';
}

interface RegexRule {
  rule: TerminologyRule;
  re: RegExp;
  order: number;
}

interface Hit {
  finding: Finding;
  textIndex: number;
  order: number;
}

/**
 * Checks texts against a merged rule set (province first, then city, then county).
 * Build once per rule set and reuse: all literal rules share one Aho–Corasick
 * automaton; regex rules run one by one with a bounded loop.
 */
export class TerminologyChecker {
  readonly skipped: { rule: TerminologyRule; error: TerminologyRuleError }[] = [];
  /** Literal rules by automaton pattern index, with their position in the input. */
  private readonly literals: { rule: TerminologyRule; order: number }[] = [];
  private readonly regexes: RegexRule[] = [];
  private readonly automaton: AhoCorasick | null;

  constructor(rules: readonly TerminologyRule[], options: CheckerOptions = {}) {
    const seen = new Set<string>();
    rules.forEach((rule, order) => {
      // the same rule reached twice through the tenant tree is one rule
      if (seen.has(rule.id)) return;
      seen.add(rule.id);
      try {
        if (rule.kind === 'regex') {
          this.regexes.push({ rule, re: compileRegexRule(rule.pattern, rule.id), order });
        } else {
          validateRule(rule);
          this.literals.push({ rule, order });
        }
      } catch (err) {
        if (options.invalidRules !== 'skip' || !isTerminologyRuleError(err)) throw err;
        this.skipped.push({ rule, error: err });
      }
    });
    this.automaton = this.literals.length > 0 ? new AhoCorasick(this.literals.map((l) => l.rule.pattern)) : null;
  }

  get literalAutomaton(): AhoCorasick | null {
    return this.automaton;
  }

  get ruleCount(): { literal: number; regex: number } {
    return { literal: this.literals.length, regex: this.regexes.length };
  }

  /**
   * All findings, overlapping ones included (two rules on one span give two findings).
   * Sorted by blockIndex, then the order of `texts` (fields of one block have separate
   * offsets, so start alone would interleave them), then start, longest first, rule order.
   */
  check(texts: readonly TextUnit[]): Finding[] {
    const hits: Hit[] = [];
    texts.forEach((unit, textIndex) => {
      const { text, field, blockIndex } = unit;
      this.automaton?.forEachMatch(text, (p, start, end) => {
        const { rule, order } = this.literals[p]!;
        const finding: Finding = {
          ruleId: rule.id,
          severity: rule.severity,
          match: text.slice(start, end),
          replacement: rule.replacement,
          note: rule.note,
          blockIndex,
          field,
          start,
          end,
        };
        hits.push({ finding, textIndex, order });
      });
      for (const { rule, re, order } of this.regexes) {
        forEachRegexMatch(re, text, (m) => {
          const finding: Finding = {
            ruleId: rule.id,
            severity: rule.severity,
            match: m[0],
            replacement: rule.replacement === null ? null : expandReplacement(rule.replacement, m),
            note: rule.note,
            blockIndex,
            field,
            start: m.index,
            end: m.index + m[0].length,
          };
          hits.push({ finding, textIndex, order });
        });
      }
    });
    hits.sort(
      (a, b) =>
        a.finding.blockIndex - b.finding.blockIndex ||
        a.textIndex - b.textIndex ||
        a.finding.start - b.finding.start ||
        b.finding.end - a.finding.end ||
        a.order - b.order,
    );
    return hits.map((h) => h.finding);
  }

  /** Checks the texts outside the body and every text-bearing field of the body blocks. */
  checkStory(story: CheckableStory): Finding[] {
    return this.check(storyTexts(story));
  }
}

// ── corrections ───────────────────────────────────────────────────────────────

/** The findings that belong to one text, for applyCorrections. */
export function findingsFor(findings: readonly Finding[], field: string, blockIndex: number): Finding[] {
  return findings.filter((f) => f.field === field && f.blockIndex === blockIndex);
}

/**
 * Applies the replacements of 'warn' findings to one text, leftmost-longest and
 * without overlaps: at each position the longest match wins, and on an identical span
 * the finding listed first (the checker lists earlier rules first). 'block' findings
 * are never auto-corrected: they need an editor. A finding whose span no longer holds
 * its match (stale, or from another field) is ignored rather than corrupting the text.
 */
export function applyCorrections(text: string, findings: readonly Finding[]): string {
  const candidates = findings
    .map((f, order) => ({ f, order }))
    .filter(
      ({ f }) =>
        f.severity === 'warn' && f.replacement !== null && f.end > f.start && text.slice(f.start, f.end) === f.match,
    )
    .sort((a, b) => a.f.start - b.f.start || b.f.end - a.f.end || a.order - b.order);
  let out = '';
  let pos = 0;
  for (const { f } of candidates) {
    if (f.start < pos) continue;
    out += text.slice(pos, f.start) + f.replacement;
    pos = f.end;
  }
  return out + text.slice(pos);
}

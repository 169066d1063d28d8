import type { Finding } from './types.js';

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
    .filter(({ f }) => f.severity === 'warn' && f.replacement !== null && f.end > f.start && text.slice(f.start, f.end) === f.match)
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

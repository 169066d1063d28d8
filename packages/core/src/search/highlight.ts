import type { Highlighted } from './query.js';

/**
 * Highlights are computed here, not with ts_headline (which knows nothing of
 * bigrams): plain text parts with a flag. The renderer escapes the text and
 * wraps flagged parts in <mark>, so stored text never becomes markup.
 */
export interface HighlightPart {
  text: string;
  hit: boolean;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const isWordChar = (ch: string | undefined): boolean => ch !== undefined && WORD_CHAR.test(ch) && !CJK.test(ch);

interface Folded {
  text: string;
  /** for each UTF-16 unit of `text`, where its code point starts in the original */
  origin: number[];
}

// The same folding as indexing (NFKC, lower case), one code point at a time so offsets map back.
function fold(text: string): Folded {
  let out = '';
  const origin: number[] = [];
  let i = 0;
  for (const cp of text) {
    const f = cp.normalize('NFKC').toLowerCase();
    out += f;
    for (let k = 0; k < f.length; k++) origin.push(i);
    i += cp.length;
  }
  return { text: out, origin };
}

/** Ranges [start, end) of the original text that match any term, merged and sorted. */
export function matchRanges(text: string, terms: readonly Highlighted[]): [number, number][] {
  const f = fold(text);
  const ranges: [number, number][] = [];
  for (const term of terms) {
    const needle = fold(term.text).text;
    if (!needle) continue;
    for (let at = f.text.indexOf(needle); at >= 0; at = f.text.indexOf(needle, at + 1)) {
      const end = at + needle.length;
      if (term.word && (isWordChar(f.text[at - 1]) || isWordChar(f.text[end]))) continue;
      const lastStart = f.origin[end - 1]!;
      ranges.push([f.origin[at]!, lastStart + String.fromCodePoint(text.codePointAt(lastStart)!).length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const prev = merged[merged.length - 1];
    if (prev && r[0] <= prev[1]) prev[1] = Math.max(prev[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function partsOf(text: string, ranges: readonly [number, number][]): HighlightPart[] {
  const parts: HighlightPart[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) parts.push({ text: text.slice(at, s), hit: false });
    parts.push({ text: text.slice(s, e), hit: true });
    at = e;
  }
  if (at < text.length) parts.push({ text: text.slice(at), hit: false });
  return parts;
}

export function highlight(text: string, terms: readonly Highlighted[]): HighlightPart[] {
  return partsOf(text, matchRanges(text, terms));
}

/** Moves an offset back to the start of a code point, so a window never splits a surrogate pair. */
function boundary(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return i > 0 && c >= 0xdc00 && c <= 0xdfff ? i - 1 : i;
}

/**
 * A window of about `max` characters of `text` around its first match (its
 * start when nothing matches), with "…" where it was cut.
 */
export function snippet(text: string, terms: readonly Highlighted[], max = 120): HighlightPart[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const ranges = matchRanges(flat, terms);
  const lead = Math.floor(max / 4);
  let start = ranges.length ? boundary(flat, Math.max(0, ranges[0]![0] - lead)) : 0;
  let end = boundary(flat, Math.min(flat.length, start + max));
  if (end === flat.length) start = boundary(flat, Math.max(0, end - max));
  // never cut a highlighted run in half
  for (const [s, e] of ranges) {
    if (s < start && e > start) start = s;
    if (s < end && e > end) end = e;
  }
  const inside = ranges
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]): [number, number] => [s - start, e - start]);
  const parts = partsOf(flat.slice(start, end), inside);
  if (start > 0) parts.unshift({ text: '…', hit: false });
  if (end < flat.length) parts.push({ text: '…', hit: false });
  return parts;
}

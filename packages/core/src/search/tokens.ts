/**
 * Tokenisers for search. PostgreSQL's text-search parsers do not segment
 * Chinese, so documents and queries are tokenised here and handed to
 * PostgreSQL as ready-made lexemes (a tsvector / tsquery literal).
 *
 * The chosen scheme is character bigrams: inside a run of CJK characters every
 * character yields one token, itself followed by its successor ("汝阳县" →
 * 汝阳 阳县 县). Any substring of two or more characters is then a phrase of
 * bigrams, and a single character is a prefix query; nothing depends on a
 * dictionary knowing the place or person. Runs of other letters and digits are
 * whole lower-cased words. The ICU word segmenter is kept for comparison
 * (test/bench/search.bench.ts) and for nothing else.
 */

export type RunKind = 'cjk' | 'word';

export interface Run {
  kind: RunKind;
  text: string;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}\p{M}]/u;
/** tsvector positions stop at 16383; tokens past it are not indexed */
export const MAX_POSITION = 16_383;
/** a Latin word longer than this is cut (lexemes have a size limit; nobody searches such words) */
const MAX_WORD = 64;

/** Full-width letters and digits become ASCII, compatibility ideographs unified, case folded. */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Runs of CJK characters and of other letters/digits; everything else separates. */
export function runsOf(text: string): Run[] {
  const runs: Run[] = [];
  let kind: RunKind | null = null;
  let chars: string[] = [];
  const flush = (): void => {
    if (kind && chars.length) runs.push({ kind, text: (kind === 'word' ? chars.slice(0, MAX_WORD) : chars).join('') });
    kind = null;
    chars = [];
  };
  for (const ch of normalise(text)) {
    const k: RunKind | null = CJK.test(ch) ? 'cjk' : WORD.test(ch) ? 'word' : null;
    if (k !== kind) flush();
    kind = k;
    if (k) chars.push(ch);
  }
  flush();
  return runs;
}

/** The tokens of one CJK run: each character with its successor, the last one alone. */
export function runTokens(run: Run): string[] {
  if (run.kind === 'word') return [run.text];
  const chars = Array.from(run.text);
  return chars.map((c, i) => (i + 1 < chars.length ? c + chars[i + 1] : c));
}

export function bigramTokens(text: string): string[] {
  return runsOf(text).flatMap(runTokens);
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** ICU's dictionary segmentation (the compared alternative): word-like segments, lower-cased. */
export function segmentTokens(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text.normalize('NFKC')))
    if (s.isWordLike) out.push(s.segment.toLowerCase().slice(0, MAX_WORD));
  return out;
}

export type Weight = 'A' | 'B' | 'C' | 'D';

export interface WeightedText {
  text: string;
  weight: Weight;
}

/** A lexeme quoted for tsvector / tsquery input. */
export function lexeme(token: string): string {
  return `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * A tsvector literal of weighted fields. Positions run on across fields with a
 * gap between them, so a phrase never matches across the end of a title.
 */
export function tsvectorLiteral(
  fields: readonly WeightedText[],
  tokenize: (text: string) => string[] = bigramTokens,
): string {
  const positions = new Map<string, string[]>();
  let pos = 0;
  for (const field of fields) {
    for (const token of tokenize(field.text)) {
      if (++pos > MAX_POSITION) break;
      const list = positions.get(token);
      if (list) list.push(`${pos}${field.weight}`);
      else positions.set(token, [`${pos}${field.weight}`]);
    }
    pos++;
  }
  return [...positions].map(([token, list]) => `${lexeme(token)}:${list.join(',')}`).join(' ');
}

import { lexeme, runsOf, runTokens, type Run } from './tokens.js';

/** Longer queries are cut (in characters, after trimming): search boxes are not for pasting stories. */
export const MAX_QUERY_CHARS = 100;
const MAX_TERMS = 10;
/** CJK terms this long (or longer) may also match in pieces: "汝阳杜康" finds 汝阳…杜康 */
const PIECES_FROM = 4;

export interface SearchQuery {
  /** the query as searched: trimmed, cut to MAX_QUERY_CHARS */
  text: string;
  truncated: boolean;
  /**
   * What a document must match, every term: its bigrams (a CJK term of four
   * or more characters: pieces of at least two characters) anywhere. No phrase
   * operator and no weights, so the GIN index answers it without reading the
   * documents.
   */
  match: string;
  /** every term as a contiguous phrase (substring semantics): such documents rank first */
  exact: string;
  /** `exact` restricted to title lexemes (weight A), for the title boost */
  title: string;
  /**
   * Every term is one character: each is a prefix of thousands of lexemes, so the
   * search counts fewer matches (SHORT_QUERY_COUNT_CAP) before it says "约 …+".
   */
  short: boolean;
  /** strings to mark in results */
  highlights: Highlighted[];
}

/** A string to mark in results; words (Latin, digits) only at word boundaries. */
export interface Highlighted {
  text: string;
  word: boolean;
}

type Suffix = '' | 'A';

// Lexemes of a term, in order, as they sit in a document's position list.
function termLexemes(runs: readonly Run[], w: Suffix): string[] {
  const weight = w ? `:${w}` : '';
  const parts: string[] = [];
  runs.forEach((run, i) => {
    const last = i === runs.length - 1;
    const tokens = runTokens(run);
    // a final single character: the document holds it as the first half of a bigram, or alone at a run's end
    if (run.kind === 'cjk' && tokens.length === 1 && last) parts.push(`${lexeme(tokens[0]!)}:*${w}`);
    // the run's last token (the lone character) pins the run's end, which only an inner run may claim
    else parts.push(...(last && tokens.length > 1 ? tokens.slice(0, -1) : tokens).map((t) => `${lexeme(t)}${weight}`));
  });
  return parts;
}

const group = (parts: readonly string[], op: string): string =>
  parts.length === 1 ? parts[0]! : `(${parts.join(op)})`;

const isLong = (runs: readonly Run[]): boolean =>
  runs.length === 1 && runs[0]!.kind === 'cjk' && Array.from(runs[0]!.text).length >= PIECES_FROM;

/**
 * The pieces form of a long CJK term: its text can be cut into pieces of two or
 * more characters that each occur in the document, i.e. every character is
 * covered by one of its bigrams that occurs. As a formula: the first and last
 * bigrams, and of every two neighbouring bigrams at least one.
 */
function pieces(bigrams: readonly string[]): string {
  const clauses = [bigrams[0]!, bigrams[bigrams.length - 1]!];
  // pairs that include the first or last bigram are already satisfied
  for (let j = 2; j < bigrams.length - 1; j++) clauses.push(`(${bigrams[j - 1]} | ${bigrams[j]})`);
  return group([...new Set(clauses)], ' & ');
}

function termMatch(runs: readonly Run[]): string {
  const lexemes = termLexemes(runs, '');
  return isLong(runs) ? pieces(lexemes) : group([...new Set(lexemes)], ' & ');
}

// anything but letters and digits separates terms: "汝阳，县城" is 汝阳 AND 县城
const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/u;

// A CJK run of three or more characters is marked by its bigrams: merged where they
// are contiguous they mark the phrase, and they also mark the pieces a match may hold.
function highlightsOf(runs: readonly Run[]): Highlighted[] {
  return runs.flatMap((r): Highlighted[] => {
    if (r.kind === 'word') return [{ text: r.text, word: true }];
    const tokens = runTokens(r);
    return tokens.length < 3
      ? [{ text: r.text, word: false }]
      : tokens.slice(0, -1).map((text) => ({ text, word: false }));
  });
}

/**
 * Parses a visitor's query. Blanks and punctuation separate terms (all
 * required). Returns null when nothing searchable remains (empty, blanks,
 * punctuation only).
 */
export function parseQuery(raw: string): SearchQuery | null {
  const chars = Array.from(raw.trim());
  const truncated = chars.length > MAX_QUERY_CHARS;
  const text = chars.slice(0, MAX_QUERY_CHARS).join('').trim();
  const terms = text
    .split(SEPARATORS)
    .map(runsOf)
    .filter((runs) => runs.length > 0)
    .slice(0, MAX_TERMS);
  if (!terms.length) return null;
  return {
    text,
    truncated,
    match: terms.map(termMatch).join(' & '),
    exact: terms.map((runs) => group(termLexemes(runs, ''), ' <-> ')).join(' & '),
    title: terms.map((runs) => group(termLexemes(runs, 'A'), ' <-> ')).join(' & '),
    highlights: terms.flatMap(highlightsOf),
    short: terms.every((runs) => runs.length === 1 && Array.from(runs[0]!.text).length === 1),
  };
}

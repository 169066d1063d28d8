import type { StoryRevision } from '@yiduan/db';
import { bodyText, STORY_TEXT_FIELDS, type Block, type StoryTextColumn } from '../newsroom/index.js';
import type { HighlightPart } from './highlight.js';
import { tsvectorLiteral } from './tokens.js';

/** Text past this is neither indexed nor shown in snippets (a county story is 1–3 thousand characters). */
export const MAX_INDEXED_CHARS = 15_000;

/** A revision's declared texts (a column not read counts as empty), tags and body. */
export type RevisionText = Partial<Pick<StoryRevision, StoryTextColumn>> &
  Pick<StoryRevision, 'title' | 'tags' | 'body'>;

export interface SearchDocument {
  title: string;
  summary: string;
  bodyText: string;
  tsv: string;
}

const weighted = (rev: RevisionText, w: 'A' | 'B'): string =>
  STORY_TEXT_FIELDS.filter((f) => f.search === w)
    .map((f) => rev[f.column])
    .filter(Boolean)
    .join('\n');

/** The title weighs most (A), then the other declared texts and tags (B), then the body (C). */
export function searchDocument(rev: RevisionText): SearchDocument {
  // the B texts are the stored summary the result page shows under the headline
  const summary = weighted(rev, 'B');
  const body = bodyText(rev.body as Block[]).slice(0, MAX_INDEXED_CHARS);
  const tsv = tsvectorLiteral([
    { text: weighted(rev, 'A'), weight: 'A' },
    { text: summary, weight: 'B' },
    { text: rev.tags.join(' '), weight: 'B' },
    { text: body, weight: 'C' },
  ]);
  return { title: rev.title, summary, bodyText: body, tsv };
}

export const SEARCH_PER_PAGE = 10;
export const MAX_PER_PAGE = 50;
/** 50 pages of 10 list every ranked match (RANKED_MATCHES): OFFSET never passes 500 rows; nobody reads page 51 of a search */
export const MAX_SEARCH_PAGE = 50;

export interface SearchHit {
  storyId: string;
  /** the face's headline (its override, or the origin's) */
  title: string;
  titleParts: HighlightPart[];
  snippet: HighlightPart[];
  publishedAt: Date;
  origin: { tenantId: string; slug: string; name: string };
  /** the face's own story (not placed from another tenant) */
  own: boolean;
  /** every term found as written (else some long term only in pieces); these rank first */
  exact: boolean;
}

export interface SearchResult {
  /** the query as searched (trimmed, cut to 100 characters) */
  query: string;
  truncated: boolean;
  /** false when nothing searchable was given (empty, blanks, punctuation): no search ran */
  searched: boolean;
  /** the matches, counted up to `countCap`: exact unless `totalIsCapped` */
  total: number;
  /** more than `total` matches exist (counting stopped at the cap): show "约 10,000+" */
  totalIsCapped: boolean;
  /** how many of the matches are ranked and listed across the pages (the newest ones) */
  listed: number;
  page: number;
  perPage: number;
  pages: number;
  hits: SearchHit[];
}

export interface SearchOptions {
  page?: number;
  perPage?: number;
  /** count at most this many matches (default SEARCH_COUNT_CAP); also the scan window of a capped query */
  countCap?: number;
}

/** Only the newest this many matches are ranked and listed. */
export const RANKED_MATCHES = 500;
/**
 * Matches are counted up to this many (then reported as "10,000+"), so counting
 * reads at most cap + 1 documents; a query with more matches (one character, a
 * very common word) is served from the face's newest this many stories.
 */
export const SEARCH_COUNT_CAP = 10_000;
/**
 * A query of one-character terms ("县", "阳") matches a large share of a province's
 * stories, each found through a prefix of thousands of bigrams: it is counted up
 * to this many ("约 1,000+") and, past it, served from the face's newest this many.
 */
export const SHORT_QUERY_COUNT_CAP = 1_000;

import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '@yiduan/db';
import { isUuid } from '../tenancy/index.js';
import { highlight, snippet, type HighlightPart } from './highlight.js';
import { parseQuery, type Highlighted, type SearchQuery } from './query.js';

export const SEARCH_PER_PAGE = 10;
const MAX_PER_PAGE = 50;
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

const tsq = (literal: string): RawBuilder<unknown> => sql`${literal}::tsquery`;

interface Row {
  /** matches counted up to cap + 1 */
  total: number;
  /** bigint: a number through this pool's parser, a string through a plain one */
  listed: number | string;
  story_id: string | null;
  title: string;
  summary: string;
  body_text: string;
  local_title: string | null;
  published_at: Date;
  origin_id: string;
  origin_slug: string;
  origin_name: string;
  exact: boolean;
}

/**
 * Score: cover density of the match (length-normalised, in [0, 1)), plus 1 when
 * every term occurs as written, plus 0.5 when the title holds them as written;
 * times a recency factor falling from 1 to ½ (a month-old story counts ¾).
 */
function score(q: SearchQuery): RawBuilder<number> {
  return sql<number>`(ts_rank_cd(d.tsv, ${tsq(q.match)}, 33) + CASE WHEN d.tsv @@ ${tsq(q.exact)} THEN 1 ELSE 0 END + CASE WHEN d.tsv @@ ${tsq(q.title)} THEN 0.5 ELSE 0 END)
    * (0.5 + 0.5 / (1 + greatest(0, extract(epoch FROM now() - n.published_at)) / 2592000))`;
}

/**
 * One round trip: at most cap + 1 of the face's live matches
 * (`search_face_first`, GIN index on (faces, tsv)), counted. At most `cap`:
 * they are every match, and the newest RANKED_MATCHES of them are ranked;
 * more: the newest RANKED_MATCHES matches among the face's newest `cap`
 * stories are (`search_face_newest`, walking its placements newest first).
 * Either way at most about 2 × cap documents are read, whatever the number
 * of matches. The ranked ones are read by primary key, one each; one page of
 * them. The gated branch that does not apply never runs (a one-time filter).
 */
async function run(ex: Executor, tenantId: string, q: SearchQuery, cap: number, limit: number, offset: number): Promise<Row[]> {
  const found = await sql<Row>`
    WITH upto AS MATERIALIZED (
      SELECT * FROM search_face_first(${tenantId}::uuid, ${tsq(q.match)}, ${cap}::int)
    ), c AS MATERIALIZED (
      SELECT count(*)::int AS total FROM upto
    ), newest AS MATERIALIZED (
      SELECT * FROM search_face_newest(${tenantId}::uuid, ${tsq(q.match)}, ${RANKED_MATCHES}::int, ${cap}::int)
       WHERE (SELECT total FROM c) > ${cap}
      UNION ALL
      SELECT * FROM (SELECT * FROM upto ORDER BY published_at DESC LIMIT ${RANKED_MATCHES}) m
       WHERE (SELECT total FROM c) <= ${cap}
    )
    SELECT c.total, (SELECT count(*) FROM newest) AS listed, page.* FROM c
    LEFT JOIN LATERAL (
      SELECT n.story_id, d.title, d.summary, d.body_text, n.local_title, n.published_at,
        o.id AS origin_id, o.slug AS origin_slug, o.name AS origin_name, d.tsv @@ ${tsq(q.exact)} AS exact
      FROM newest n
      -- fenced: one primary-key lookup per listed match, never a scan of every document under row-level security
      JOIN LATERAL (SELECT * FROM story_search d WHERE d.tenant_id = n.tenant_id AND d.story_id = n.story_id OFFSET 0) d ON true
      JOIN tenants o ON o.id = n.tenant_id
      ORDER BY ${score(q)} DESC, n.published_at DESC, n.story_id
      LIMIT ${limit} OFFSET ${offset}
    ) page ON true`.execute(ex);
  return found.rows;
}

function toHit(tenantId: string, r: Row & { story_id: string }, terms: readonly Highlighted[]): SearchHit {
  const title = r.local_title ?? r.title;
  // the summary when it shows a match, else the body's first match, else whichever has text
  const fromSummary = snippet(r.summary, terms);
  const hasHit = (parts: HighlightPart[]): boolean => parts.some((p) => p.hit);
  const fromBody = hasHit(fromSummary) ? fromSummary : snippet(r.body_text, terms);
  const shown = hasHit(fromBody) || !r.summary ? fromBody : fromSummary;
  return {
    storyId: r.story_id,
    title,
    titleParts: highlight(title, terms),
    snippet: shown,
    publishedAt: r.published_at,
    origin: { tenantId: r.origin_id, slug: r.origin_slug, name: r.origin_name },
    own: r.origin_id === tenantId,
    exact: r.exact,
  };
}

function clampInt(v: number | undefined, min: number, max: number, fallback: number): number {
  return v !== undefined && Number.isInteger(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

/**
 * Searches everything a face carries (its own and placed stories, live only).
 * An empty query finds nothing; a query over 100 characters is cut (`truncated`).
 * Stories where every term occurs as written rank first; long CJK terms also
 * find stories that hold them in pieces ("汝阳杜康": 汝阳 … 杜康).
 */
export async function searchFace(ex: Executor, tenantId: string, raw: string, opts: SearchOptions = {}): Promise<SearchResult> {
  const perPage = clampInt(opts.perPage, 1, MAX_PER_PAGE, SEARCH_PER_PAGE);
  const page = clampInt(opts.page, 1, MAX_SEARCH_PAGE, 1);
  const q = isUuid(tenantId) ? parseQuery(raw) : null;
  const cap = clampInt(opts.countCap, 1, SEARCH_COUNT_CAP, SEARCH_COUNT_CAP);
  const base = { query: q?.text ?? '', truncated: q?.truncated ?? false, page, perPage };
  if (!q) return { ...base, searched: false, total: 0, totalIsCapped: false, listed: 0, pages: 1, hits: [] };
  const rows = await run(ex, tenantId, q, cap, perPage, (page - 1) * perPage);
  const counted = Number(rows[0]?.total ?? 0);
  const listed = Number(rows[0]?.listed ?? 0);
  return {
    ...base,
    searched: true,
    total: Math.min(counted, cap),
    totalIsCapped: counted > cap,
    listed,
    pages: Math.min(MAX_SEARCH_PAGE, Math.max(1, Math.ceil(listed / perPage))),
    hits: rows.filter((r): r is Row & { story_id: string } => r.story_id !== null).map((r) => toHit(tenantId, r, q.highlights)),
  };
}

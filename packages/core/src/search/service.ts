import type { Executor } from '@yiduan/db';
import { isUuid } from '../tenancy/index.js';
import { highlight, snippet, type HighlightPart } from './highlight.js';
import {
  MAX_PER_PAGE,
  MAX_SEARCH_PAGE,
  SEARCH_COUNT_CAP,
  SHORT_QUERY_COUNT_CAP,
  SEARCH_PER_PAGE,
  type SearchHit,
  type SearchOptions,
  type SearchResult,
} from './model.js';
import { parseQuery, type Highlighted } from './query.js';
import {
  deleteDocument,
  deleteStaleDocuments,
  lockedPublicState,
  publicStoriesAfter,
  publicStory,
  searchRows,
  upsertDocuments,
  type SearchRow,
} from './repo.js';

const publishedAt = (r: { published_at: Date | null; first_published_at: Date | null }): Date =>
  r.published_at ?? r.first_published_at ?? new Date();

/**
 * (Re)builds a story's search document from its published revision, or removes
 * it when the story is not public (draft, unpublished, retracted). Idempotent;
 * call it in the transaction that changes what is public, under the story's
 * tenant or platform scope. The story row is share-locked, so a concurrent
 * publication waits and the document always ends up describing the last commit.
 */
export async function indexStory(ex: Executor, tenantId: string, storyId: string): Promise<'indexed' | 'removed'> {
  if (!isUuid(tenantId) || !isUuid(storyId)) return 'removed';
  const story = await lockedPublicState(ex, tenantId, storyId);
  const row =
    story && story.published_revision !== null && !story.retracted_at
      ? await publicStory(ex, tenantId, storyId)
      : undefined;
  if (!row) {
    await deleteDocument(ex, tenantId, storyId);
    return 'removed';
  }
  await upsertDocuments(ex, [{ ...row, published_at: publishedAt(row) }]);
  return 'indexed';
}

export interface ReindexCursor {
  tenantId: string;
  storyId: string;
}

/** One chunk of a backfill, for a worker that commits per chunk: returns where to go on, or null at the end. */
export async function reindexBatch(
  ex: Executor,
  after: ReindexCursor | null,
  size = 200,
): Promise<{ indexed: number; next: ReindexCursor | null }> {
  const rows = await publicStoriesAfter(ex, after, size);
  await upsertDocuments(
    ex,
    rows.map((r) => ({ ...r, published_at: publishedAt(r) })),
  );
  const last = rows[rows.length - 1];
  return {
    indexed: rows.length,
    next: last && rows.length === size ? { tenantId: last.tenant_id, storyId: last.story_id } : null,
  };
}

/**
 * Backfill under platform scope: indexes every public story and removes the
 * documents of stories that are no longer public. Safe to run at any time.
 */
export async function reindexAll(ex: Executor, size = 200): Promise<{ indexed: number; removed: number }> {
  let indexed = 0;
  let cursor: ReindexCursor | null = null;
  do {
    const step = await reindexBatch(ex, cursor, size);
    indexed += step.indexed;
    cursor = step.next;
  } while (cursor);
  return { indexed, removed: await deleteStaleDocuments(ex) };
}

function toHit(tenantId: string, r: SearchRow & { story_id: string }, terms: readonly Highlighted[]): SearchHit {
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
export async function searchFace(
  ex: Executor,
  tenantId: string,
  raw: string,
  opts: SearchOptions = {},
): Promise<SearchResult> {
  const perPage = clampInt(opts.perPage, 1, MAX_PER_PAGE, SEARCH_PER_PAGE);
  const page = clampInt(opts.page, 1, MAX_SEARCH_PAGE, 1);
  const q = isUuid(tenantId) ? parseQuery(raw) : null;
  const most = q?.short ? SHORT_QUERY_COUNT_CAP : SEARCH_COUNT_CAP;
  const cap = clampInt(opts.countCap, 1, most, most);
  const base = { query: q?.text ?? '', truncated: q?.truncated ?? false, page, perPage };
  if (!q) return { ...base, searched: false, total: 0, totalIsCapped: false, listed: 0, pages: 1, hits: [] };
  const rows = await searchRows(ex, tenantId, q, cap, perPage, (page - 1) * perPage);
  const counted = Number(rows[0]?.total ?? 0);
  const listed = Number(rows[0]?.listed ?? 0);
  return {
    ...base,
    searched: true,
    total: Math.min(counted, cap),
    totalIsCapped: counted > cap,
    listed,
    pages: Math.min(MAX_SEARCH_PAGE, Math.max(1, Math.ceil(listed / perPage))),
    hits: rows
      .filter((r): r is SearchRow & { story_id: string } => r.story_id !== null)
      .map((r) => toHit(tenantId, r, q.highlights)),
  };
}

import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '@yiduan/db';
import { STORY_TEXT_FIELDS } from '../newsroom/index.js';
import { RANKED_MATCHES, searchDocument, type RevisionText } from './model.js';
import type { SearchQuery } from './query.js';

export interface Indexable extends RevisionText {
  tenant_id: string;
  story_id: string;
  revision: number;
  published_at: Date;
}

/** Writes search documents, replacing a story's previous one. */
export async function upsertDocuments(ex: Executor, rows: readonly Indexable[]): Promise<void> {
  if (!rows.length) return;
  const now = new Date();
  await ex
    .insertInto('story_search')
    .values(
      rows.map((r) => {
        const doc = searchDocument(r);
        return {
          tenant_id: r.tenant_id,
          story_id: r.story_id,
          revision: r.revision,
          title: doc.title,
          summary: doc.summary,
          body_text: doc.bodyText,
          tsv: sql<string>`${doc.tsv}::tsvector`,
          // placements change later through their trigger; this fills the first value
          faces: sql<string[]>`story_faces(${r.tenant_id}::uuid, ${r.story_id}::uuid)`,
          published_at: r.published_at,
          indexed_at: now,
        };
      }),
    )
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'story_id']).doUpdateSet((eb) => ({
        revision: eb.ref('excluded.revision'),
        title: eb.ref('excluded.title'),
        summary: eb.ref('excluded.summary'),
        body_text: eb.ref('excluded.body_text'),
        tsv: eb.ref('excluded.tsv'),
        faces: eb.ref('excluded.faces'),
        published_at: eb.ref('excluded.published_at'),
        indexed_at: eb.ref('excluded.indexed_at'),
      })),
    )
    .execute();
}

// Public stories with their published revision's text.
export function publicStories(ex: Executor) {
  return ex
    .selectFrom('stories as s')
    .innerJoin('story_revisions as r', (j) =>
      j
        .onRef('r.tenant_id', '=', 's.tenant_id')
        .onRef('r.story_id', '=', 's.id')
        .onRef('r.number', '=', 's.published_revision'),
    )
    .where('s.retracted_at', 'is', null)
    .select([
      's.tenant_id',
      's.id as story_id',
      'r.number as revision',
      's.published_at',
      's.first_published_at',
      ...STORY_TEXT_FIELDS.map((f) => `r.${f.column}` as const),
      'r.tags',
      'r.body',
    ]);
}

/** A story's visibility, share-locked: a concurrent publication waits for this transaction. */
export async function lockedPublicState(ex: Executor, tenantId: string, storyId: string) {
  return ex
    .selectFrom('stories')
    .select(['published_revision', 'retracted_at'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', storyId)
    .forShare()
    .executeTakeFirst();
}

export async function publicStory(ex: Executor, tenantId: string, storyId: string) {
  return publicStories(ex).where('s.tenant_id', '=', tenantId).where('s.id', '=', storyId).executeTakeFirst();
}

/** Public stories after a (tenant, story) cursor, in key order. */
export async function publicStoriesAfter(
  ex: Executor,
  after: { tenantId: string; storyId: string } | null,
  size: number,
) {
  let q = publicStories(ex);
  if (after) q = q.where(sql<boolean>`(s.tenant_id, s.id) > (${after.tenantId}::uuid, ${after.storyId}::uuid)`);
  return q.orderBy('s.tenant_id').orderBy('s.id').limit(size).execute();
}

export async function deleteDocument(ex: Executor, tenantId: string, storyId: string): Promise<void> {
  await ex.deleteFrom('story_search').where('tenant_id', '=', tenantId).where('story_id', '=', storyId).execute();
}

/** Removes the documents of stories that are no longer public (or whose published revision changed). */
export async function deleteStaleDocuments(ex: Executor): Promise<number> {
  const gone = await ex
    .deleteFrom('story_search as d')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('stories as s')
            .select(sql`1`.as('x'))
            .whereRef('s.tenant_id', '=', 'd.tenant_id')
            .whereRef('s.id', '=', 'd.story_id')
            .whereRef('s.published_revision', '=', 'd.revision')
            .where('s.retracted_at', 'is', null),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(gone.numDeletedRows);
}

const tsq = (literal: string): RawBuilder<unknown> => sql`${literal}::tsquery`;

export interface SearchRow {
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
export async function searchRows(
  ex: Executor,
  tenantId: string,
  q: SearchQuery,
  cap: number,
  limit: number,
  offset: number,
): Promise<SearchRow[]> {
  const found = await sql<SearchRow>`
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

import { sql } from 'kysely';
import type { Executor, StoryRevision } from '@yiduan/db';
import { bodyText, type Block } from '../newsroom/index.js';
import { isUuid } from '../tenancy/index.js';
import { tsvectorLiteral } from './tokens.js';

/** Text past this is neither indexed nor shown in snippets (a county story is 1–3 thousand characters). */
export const MAX_INDEXED_CHARS = 15_000;

type RevisionText = Pick<StoryRevision, 'title' | 'subtitle' | 'summary' | 'tags' | 'body'>;

export interface SearchDocument {
  title: string;
  summary: string;
  bodyText: string;
  tsv: string;
}

/** Title weighs most (A), then subtitle, summary and tags (B), then the body (C). */
export function searchDocument(rev: RevisionText): SearchDocument {
  const summary = [rev.subtitle, rev.summary].filter(Boolean).join('\n');
  const body = bodyText(rev.body as Block[]).slice(0, MAX_INDEXED_CHARS);
  const tsv = tsvectorLiteral([
    { text: rev.title, weight: 'A' },
    { text: summary, weight: 'B' },
    { text: rev.tags.join(' '), weight: 'B' },
    { text: body, weight: 'C' },
  ]);
  return { title: rev.title, summary, bodyText: body, tsv };
}

interface Indexable extends RevisionText {
  tenant_id: string;
  story_id: string;
  revision: number;
  published_at: Date;
}

async function upsert(ex: Executor, rows: readonly Indexable[]): Promise<void> {
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
function publicStories(ex: Executor) {
  return ex
    .selectFrom('stories as s')
    .innerJoin('story_revisions as r', (j) => j.onRef('r.tenant_id', '=', 's.tenant_id').onRef('r.story_id', '=', 's.id').onRef('r.number', '=', 's.published_revision'))
    .where('s.retracted_at', 'is', null)
    .select(['s.tenant_id', 's.id as story_id', 'r.number as revision', 's.published_at', 's.first_published_at', 'r.title', 'r.subtitle', 'r.summary', 'r.tags', 'r.body']);
}

const publishedAt = (r: { published_at: Date | null; first_published_at: Date | null }): Date => r.published_at ?? r.first_published_at ?? new Date();

/**
 * (Re)builds a story's search document from its published revision, or removes
 * it when the story is not public (draft, unpublished, retracted). Idempotent;
 * call it in the transaction that changes what is public, under the story's
 * tenant or platform scope. The story row is share-locked, so a concurrent
 * publication waits and the document always ends up describing the last commit.
 */
export async function indexStory(ex: Executor, tenantId: string, storyId: string): Promise<'indexed' | 'removed'> {
  if (!isUuid(tenantId) || !isUuid(storyId)) return 'removed';
  const story = await ex.selectFrom('stories').select(['published_revision', 'retracted_at']).where('tenant_id', '=', tenantId).where('id', '=', storyId).forShare().executeTakeFirst();
  const row = story && story.published_revision !== null && !story.retracted_at ? await publicStories(ex).where('s.tenant_id', '=', tenantId).where('s.id', '=', storyId).executeTakeFirst() : undefined;
  if (!row) {
    await ex.deleteFrom('story_search').where('tenant_id', '=', tenantId).where('story_id', '=', storyId).execute();
    return 'removed';
  }
  await upsert(ex, [{ ...row, published_at: publishedAt(row) }]);
  return 'indexed';
}

export interface ReindexCursor {
  tenantId: string;
  storyId: string;
}

/** One chunk of a backfill, for a worker that commits per chunk: returns where to go on, or null at the end. */
export async function reindexBatch(ex: Executor, after: ReindexCursor | null, size = 200): Promise<{ indexed: number; next: ReindexCursor | null }> {
  let q = publicStories(ex);
  if (after) q = q.where(sql<boolean>`(s.tenant_id, s.id) > (${after.tenantId}::uuid, ${after.storyId}::uuid)`);
  const rows = await q.orderBy('s.tenant_id').orderBy('s.id').limit(size).execute();
  await upsert(ex, rows.map((r) => ({ ...r, published_at: publishedAt(r) })));
  const last = rows[rows.length - 1];
  return { indexed: rows.length, next: last && rows.length === size ? { tenantId: last.tenant_id, storyId: last.story_id } : null };
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
  return { indexed, removed: Number(gone.numDeletedRows) };
}

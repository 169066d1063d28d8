import { sql } from 'kysely';
import type { Asset, Executor, Story, StoryCorrection, StoryKind, StoryRevision } from '@yiduan/db';
import { isUuid } from '../../tenancy/index.js';
import { revisionTextColumns, type CleanContent, type StoryFilter } from '../model.js';

export type StoryValues = Partial<Omit<Story, 'id' | 'tenant_id' | 'state'>>;

export async function insertStory(
  ex: Executor,
  values: {
    tenant_id: string;
    kind: StoryKind;
    section_id: string | null;
    unit_id: string | null;
    created_by: string | null;
  },
): Promise<Story> {
  return ex.insertInto('stories').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function insertRevision(
  ex: Executor,
  tenantId: string,
  storyId: string,
  number: number,
  c: CleanContent,
  createdBy: string | null,
): Promise<StoryRevision> {
  return ex
    .insertInto('story_revisions')
    .values({
      tenant_id: tenantId,
      story_id: storyId,
      number,
      ...revisionTextColumns(c),
      cover_asset_id: c.coverAssetId,
      tags: c.tags,
      link_url: c.linkUrl,
      body: JSON.stringify(c.body),
      created_by: createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A story of a tenant by id, locked for update when asked. */
export async function storyRow(
  ex: Executor,
  tenantId: string,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<Story | undefined> {
  let q = ex.selectFrom('stories').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (opts.lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Changes a story row (and its updated_at) and returns it. */
export async function updateStory(
  ex: Executor,
  story: Pick<Story, 'tenant_id' | 'id'>,
  values: StoryValues,
): Promise<Story> {
  return ex
    .updateTable('stories')
    .set({ ...values, updated_at: new Date() })
    .where('tenant_id', '=', story.tenant_id)
    .where('id', '=', story.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Which of these assets the caller may see (own or shared: row-level security decides). */
export async function visibleAssetIds(ex: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const found = await ex.selectFrom('assets').select('id').where('id', 'in', ids).execute();
  return new Set(found.map((r) => r.id));
}

/** The videos among ids the caller may use: its own, or shared in the tree (RLS decides). */
export async function visibleVideoIds(ex: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const found = await ex.selectFrom('videos').select('id').where('id', 'in', ids).execute();
  return new Set(found.map((r) => r.id));
}

/** The database's clock decides whether a scheduled time has come (as it did when releasing the event). */
export async function isDue(ex: Executor, at: Date): Promise<boolean> {
  const due = await sql<{ due: boolean }>`SELECT ${at} <= now() + interval '1 second' AS due`.execute(ex);
  return due.rows[0]?.due === true;
}

export async function revisionOf(
  ex: Executor,
  tenantId: string,
  storyId: string,
  number: number,
): Promise<StoryRevision | undefined> {
  if (!isUuid(storyId)) return undefined;
  return ex
    .selectFrom('story_revisions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('story_id', '=', storyId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export async function revisionsOf(ex: Executor, tenantId: string, storyId: string): Promise<StoryRevision[]> {
  return ex
    .selectFrom('story_revisions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('story_id', '=', storyId)
    .orderBy('number', 'desc')
    .execute();
}

/** Batch lookup of (story, revision) pairs, for loaders. */
export async function revisionsByKeys(
  ex: Executor,
  keys: readonly { storyId: string; number: number; tenant_id?: string }[],
): Promise<StoryRevision[]> {
  const valid = keys.filter((k) => isUuid(k.storyId));
  if (!valid.length) return [];
  // with the tenant, each key is a primary-key lookup; without it every key scans the whole
  // primary-key index (tenant_id leads it): 35 ms → 0.3 ms for 20 keys at 10,000 stories (test/bench/RESULTS.md)
  return ex
    .selectFrom('story_revisions')
    .selectAll()
    .where((eb) =>
      eb.or(
        valid.map((k) =>
          eb.and([
            ...(k.tenant_id ? [eb('tenant_id', '=', k.tenant_id)] : []),
            eb('story_id', '=', k.storyId),
            eb('number', '=', k.number),
          ]),
        ),
      ),
    )
    .execute();
}

/** An asset's columns, as the reads that join a cover select them. */
export const ASSET_COLUMNS = [
  'tenant_id',
  'id',
  'kind',
  'mime',
  'bytes',
  'width',
  'height',
  'storage_key',
  'original_name',
  'alt',
  'shared',
  'created_by',
  'created_at',
] as const;

/**
 * Revisions by full primary key with their cover image joined in, in the revision's tenant
 * scope: the same rows (and the same visibility of assets: own or shared) as
 * revisionsByKeys followed by a cover lookup, in one statement instead of two.
 */
export async function revisionsWithCovers(
  ex: Executor,
  keys: readonly { tenant_id: string; storyId: string; number: number }[],
): Promise<{ revision: StoryRevision; cover: Asset | null }[]> {
  const valid = keys.filter((k) => isUuid(k.storyId));
  if (!valid.length) return [];
  const rows = await ex
    .selectFrom('story_revisions as r')
    .leftJoin('assets as a', 'a.id', 'r.cover_asset_id')
    .selectAll('r')
    .select(ASSET_COLUMNS.map((c) => `a.${c} as cover__${c}` as const))
    // full primary keys as three arrays: one index probe each, and three parameters to compile, not 3 × n
    .where(
      sql<boolean>`(r.tenant_id, r.story_id, r.number) IN (SELECT * FROM unnest(${valid.map((k) => k.tenant_id)}::uuid[], ${valid.map((k) => k.storyId)}::uuid[], ${valid.map((k) => k.number)}::int[]))`,
    )
    .execute();
  return rows.map((row) => {
    const revision: Record<string, unknown> = {};
    const cover: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (k.startsWith('cover__')) cover[k.slice(7)] = v;
      else revision[k] = v;
    }
    return { revision: revision as unknown as StoryRevision, cover: cover.id ? (cover as unknown as Asset) : null };
  });
}

/** The unit a story belongs to (null: the centre's), or undefined when there is no such story. */
export async function storyUnitId(ex: Executor, tenantId: string, storyId: string): Promise<string | null | undefined> {
  if (!isUuid(storyId)) return undefined;
  const row = await ex
    .selectFrom('stories')
    .select('unit_id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', storyId)
    .executeTakeFirst();
  return row ? row.unit_id : undefined;
}

export async function insertCorrection(
  ex: Executor,
  values: { tenant_id: string; story_id: string; revision: number; note: string; created_by: string | null },
): Promise<void> {
  await ex.insertInto('story_corrections').values(values).execute();
}

/** Corrections of several stories of one tenant, oldest first (loaders). */
export async function correctionsOfStories(
  ex: Executor,
  tenantId: string,
  storyIds: readonly string[],
): Promise<StoryCorrection[]> {
  if (!storyIds.length) return [];
  return ex
    .selectFrom('story_corrections')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('story_id', 'in', storyIds)
    .orderBy('created_at')
    .execute();
}

/**
 * One page of the newsroom's story list, newest change first, plus one row to tell
 * whether more follow; `unitScope` null means the whole tenant. Each row carries
 * `cursor_at`, its updated_at as PostgreSQL's text (a JS Date would round the
 * microseconds away and skip rows).
 */
export async function storyListRows(
  ex: Executor,
  tenantId: string,
  unitScope: readonly string[] | null,
  filter: StoryFilter,
  after: readonly [string, string] | null,
  limit: number,
): Promise<(Story & { cursor_at: string })[]> {
  let q = ex
    .selectFrom('stories as s')
    .selectAll('s')
    .select(sql<string>`s.updated_at::text`.as('cursor_at'))
    .where('s.tenant_id', '=', tenantId);
  if (unitScope) q = unitScope.length ? q.where('s.unit_id', 'in', unitScope) : q.where(sql<boolean>`false`);
  if (filter.status) q = q.where('s.state', '=', filter.status);
  if (filter.sectionId) q = q.where('s.section_id', '=', filter.sectionId);
  if (filter.unitId) q = q.where('s.unit_id', '=', filter.unitId);
  if (filter.createdBy) q = q.where('s.created_by', '=', filter.createdBy);
  if (filter.query?.trim()) {
    const like = `%${filter.query.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('story_revisions as r')
          .select(sql`1`.as('x'))
          .whereRef('r.tenant_id', '=', 's.tenant_id')
          .whereRef('r.story_id', '=', 's.id')
          .whereRef('r.number', '=', 's.current_revision')
          .where('r.title', 'ilike', like),
      ),
    );
  }
  if (after) q = q.where(sql<boolean>`(s.updated_at, s.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  return q
    .orderBy('s.updated_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit + 1)
    .execute();
}

import { sql } from 'kysely';
import { assetsByIds, isUuid, revisionsByKeys, sectionsByIds, staffByIds, storyActionsOf, unitsByIds, type StoryActions } from '@yiduan/core';
import { withPlatform, withTenant, type Asset, type DB, type Story, type StoryRevision, type Tenant, type Trx } from '@yiduan/db';
import type { GraphQLContext } from '../context.js';
import { selects, type BatchLoaders, type LoaderQuery } from './batch.js';

type Q<T> = { obj: T; params: Record<string, unknown> }[];

/** Runs one batched query per tenant present in the batch (RLS needs the tenant set). */
async function perTenant<T extends { tenant_id: string }, R>(db: DB, items: T[], load: (trx: Trx, items: T[]) => Promise<R[]>): Promise<R[]> {
  const groups = new Map<string, T[]>();
  for (const it of items) groups.set(it.tenant_id, [...(groups.get(it.tenant_id) ?? []), it]);
  const out: R[] = [];
  for (const [tenantId, group] of groups) out.push(...(await withTenant(db, tenantId, (trx) => load(trx, group))));
  return out;
}

const key = (storyId: string, n: number): string => `${storyId}#${n}`;

type RevisionKey = { tenant_id: string; storyId: string; number: number };

// revisions loaded together with their cover (by row object: a row is never shared between requests)
const coverOf = new WeakMap<StoryRevision, Asset | null>();

const ASSET_COLUMNS = ['tenant_id', 'id', 'kind', 'mime', 'bytes', 'width', 'height', 'storage_key', 'original_name', 'alt', 'shared', 'created_by', 'created_at'] as const;

/**
 * Revisions by full primary key with their cover image joined in, in the revision's tenant
 * scope: the same rows (and the same visibility of assets: own or shared) as
 * revisionsByKeys followed by the cover loader, in one statement instead of two transactions.
 */
async function revisionsWithCovers(trx: Trx, keys: readonly RevisionKey[]): Promise<StoryRevision[]> {
  const valid = keys.filter((k) => isUuid(k.storyId));
  if (!valid.length) return [];
  const rows = await trx
    .selectFrom('story_revisions as r')
    .leftJoin('assets as a', 'a.id', 'r.cover_asset_id')
    .selectAll('r')
    .select(ASSET_COLUMNS.map((c) => `a.${c} as cover__${c}` as const))
    // full primary keys as three arrays: one index probe each, and three parameters to compile, not 3 × n
    .where(sql<boolean>`(r.tenant_id, r.story_id, r.number) IN (SELECT * FROM unnest(${valid.map((k) => k.tenant_id)}::uuid[], ${valid.map((k) => k.storyId)}::uuid[], ${valid.map((k) => k.number)}::int[]))`)
    .execute();
  return rows.map((row) => {
    const revision: Record<string, unknown> = {};
    const cover: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (k.startsWith('cover__')) cover[k.slice(7)] = v;
      else revision[k] = v;
    }
    const r = revision as unknown as StoryRevision;
    coverOf.set(r, cover.id ? (cover as unknown as Asset) : null);
    return r;
  });
}

async function revisions(ctx: GraphQLContext, queries: LoaderQuery<Story>[], numberOf: (s: Story) => number | null): Promise<(StoryRevision | null)[]> {
  const stories = queries.map((q) => ({ story: q.obj, number: numberOf(q.obj) }));
  const wanted = stories.filter((s) => s.number !== null).map((s) => ({ tenant_id: s.story.tenant_id, storyId: s.story.id, number: s.number! }));
  // the cover comes in the same statement when the query asks for it (a feed of cards does)
  const places = new Map(queries.map((q) => [q.info.fieldNodes, q.info]));
  const withCovers = [...places.values()].some((info) => selects(info, 'cover'));
  const rows = await perTenant(ctx.db, wanted, (trx, group) => (withCovers ? revisionsWithCovers(trx, group) : revisionsByKeys(trx, group)));
  const byKey = new Map(rows.map((r) => [key(r.story_id, r.number), r]));
  return stories.map((s) => (s.number === null ? null : (byKey.get(key(s.story.id, s.number)) ?? null)));
}

/** Child fields of the newsroom types, one query per field and tenant, not per item. */
export const newsroomLoaders: BatchLoaders = {
  Story: {
    /** What the viewer may do, per story: one access check and one review-round query per tenant in the batch. */
    async viewerCan(queries: Q<Story>, ctx: GraphQLContext): Promise<StoryActions[]> {
      const byTenant = new Map<string, Story[]>();
      for (const q of queries) byTenant.set(q.obj.tenant_id, [...(byTenant.get(q.obj.tenant_id) ?? []), q.obj]);
      const answers = new Map<Story, StoryActions>();
      for (const [tenantId, stories] of byTenant) {
        const actions = await ctx.inTenant(tenantId, (trx, access, actor) => storyActionsOf(trx, access, actor, stories));
        stories.forEach((s, i) => answers.set(s, actions[i]!));
      }
      return queries.map((q) => answers.get(q.obj)!);
    },
    async currentRevision(queries: LoaderQuery<Story>[], ctx: GraphQLContext) {
      return revisions(ctx, queries, (s) => s.current_revision);
    },
    async publishedRevision(queries: LoaderQuery<Story>[], ctx: GraphQLContext) {
      return revisions(ctx, queries, (s) => s.published_revision);
    },
    async section(queries: Q<Story>, ctx: GraphQLContext) {
      const rows = await sectionsByIds(ctx.db, queries.map((q) => q.obj.section_id).filter((v): v is string => !!v));
      const byId = new Map(rows.map((r) => [r.id, r]));
      return queries.map((q) => (q.obj.section_id ? (byId.get(q.obj.section_id) ?? null) : null));
    },
    async unit(queries: Q<Story>, ctx: GraphQLContext) {
      const rows = await unitsByIds(ctx.db, queries.map((q) => q.obj.unit_id).filter((v): v is string => !!v));
      const byId = new Map(rows.map((r) => [r.id, r]));
      return queries.map((q) => (q.obj.unit_id ? (byId.get(q.obj.unit_id) ?? null) : null));
    },
    async createdBy(queries: Q<Story>, ctx: GraphQLContext) {
      const rows = await withPlatform(ctx.db, (trx) => staffByIds(trx, queries.map((q) => q.obj.created_by).filter((v): v is string => !!v)));
      const byId = new Map(rows.map((r) => [r.id, r]));
      return queries.map((q) => (q.obj.created_by ? (byId.get(q.obj.created_by) ?? null) : null));
    },
    async tenant(queries: Q<Story>, ctx: GraphQLContext) {
      // the tenant the request entered was read with the viewer's access (auth.ts)
      const known = ctx.memo?.tenants;
      const ids = [...new Set(queries.map((q) => q.obj.tenant_id))].filter((id) => !known?.has(id));
      const rows = ids.length ? await ctx.db.selectFrom('tenants').selectAll().where('id', 'in', ids).execute() : [];
      const byId = new Map([...(known ?? []), ...rows.map((r) => [r.id, r] as const)]);
      return queries.map((q) => byId.get(q.obj.tenant_id) ?? null);
    },
    async events(queries: Q<Story>, ctx: GraphQLContext) {
      const rows = await perTenant(ctx.db, queries.map((q) => q.obj), (trx, group) =>
        trx.selectFrom('review_events').selectAll().where('tenant_id', '=', group[0]!.tenant_id).where('story_id', 'in', group.map((s) => s.id)).orderBy('id').execute(),
      );
      return queries.map((q) => rows.filter((r) => r.story_id === q.obj.id));
    },
    async corrections(queries: Q<Story>, ctx: GraphQLContext) {
      const rows = await perTenant(ctx.db, queries.map((q) => q.obj), (trx, group) =>
        trx.selectFrom('story_corrections').selectAll().where('tenant_id', '=', group[0]!.tenant_id).where('story_id', 'in', group.map((s) => s.id)).orderBy('created_at').execute(),
      );
      return queries.map((q) => rows.filter((r) => r.story_id === q.obj.id));
    },
  },
  Revision: {
    async cover(queries: Q<StoryRevision>, ctx: GraphQLContext) {
      const wanted = queries.filter((q) => q.obj.cover_asset_id && !coverOf.has(q.obj)).map((q) => ({ tenant_id: q.obj.tenant_id, id: q.obj.cover_asset_id! }));
      const rows = wanted.length ? await perTenant(ctx.db, wanted, (trx, group) => assetsByIds(trx, group.map((g) => g.id))) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return queries.map((q) => (coverOf.has(q.obj) ? coverOf.get(q.obj) : q.obj.cover_asset_id ? (byId.get(q.obj.cover_asset_id) ?? null) : null));
    },
    async createdBy(queries: Q<StoryRevision>, ctx: GraphQLContext) {
      const rows = await withPlatform(ctx.db, (trx) => staffByIds(trx, queries.map((q) => q.obj.created_by).filter((v): v is string => !!v)));
      const byId = new Map(rows.map((r) => [r.id, r]));
      return queries.map((q) => (q.obj.created_by ? (byId.get(q.obj.created_by) ?? null) : null));
    },
  },
  Tenant: {
    async sections(queries: Q<Tenant>, ctx: GraphQLContext) {
      const rows = await ctx.db.selectFrom('sections').selectAll().where('tenant_id', 'in', queries.map((q) => q.obj.id)).orderBy('position').execute();
      return queries.map((q) => rows.filter((r) => r.tenant_id === q.obj.id));
    },
    async units(queries: Q<Tenant>, ctx: GraphQLContext) {
      const rows = await ctx.db.selectFrom('units').selectAll().where('tenant_id', 'in', queries.map((q) => q.obj.id)).where('status', '<>', 'closed').orderBy('name').execute();
      return queries.map((q) => rows.filter((r) => r.tenant_id === q.obj.id));
    },
  },
};

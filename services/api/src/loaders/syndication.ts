import type { GraphQLResolveInfo } from 'graphql';
import { placedStoriesByIds, placementCards, sectionsByIds, tenantsByIds, type PlacementCard } from '@yiduan/core';
import type { Placement, Tenant, Trx } from '@yiduan/db';
import type { SyndicatedStoryModel } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';
import { selects, type BatchLoaders } from './batch.js';

type Q<T> = { obj: T; params: Record<string, unknown> }[];

// what a face's page already read of each placement (prefetchPlacementCards), by row object:
// a row is never shared between requests
const cardOf = new WeakMap<object, PlacementCard>();
const originOf = new WeakMap<SyndicatedStoryModel, Tenant | null>();

/**
 * A face's page of placements: their stories as the public sees them, origins and sections in
 * one statement of the page's own transaction (placementCards), so the loaders below answer
 * from memory and the feed opens no second transaction.
 */
export async function prefetchPlacementCards(
  trx: Trx,
  placements: readonly Pick<Placement, 'story_id' | 'origin_tenant_id' | 'section_id'>[],
  info: GraphQLResolveInfo,
): Promise<void> {
  if (!placements.length || !(selects(info, 'story') || selects(info, 'section'))) return;
  const cards = await placementCards(trx, placements);
  placements.forEach((p, i) => cardOf.set(p, cards[i]!));
}

function storyModel(
  p: Placement,
  r:
    | { title: string | null; summary: string | null; published_at: Date | null; retracted_at: Date | null }
    | null
    | undefined,
): SyndicatedStoryModel {
  return {
    id: p.story_id,
    originTenantId: p.origin_tenant_id,
    title: r?.title ?? p.story_title ?? '（已撤回或不可见）',
    summary: r?.summary ?? '',
    publishedAt: r?.published_at ?? null,
    retracted: !r || r.retracted_at !== null,
  };
}

/** A placement's story is read as the public sees it: its published revision and origin. */
export const syndicationLoaders: BatchLoaders = {
  Placement: {
    async story(queries: Q<Placement>, ctx: GraphQLContext): Promise<SyndicatedStoryModel[]> {
      const unknown = queries.filter((q) => !cardOf.has(q.obj));
      const rows = unknown.length
        ? await placedStoriesByIds(
            ctx.db,
            unknown.map((q) => q.obj.story_id),
          )
        : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return queries.map((q) => {
        const card = cardOf.get(q.obj);
        if (!card) return storyModel(q.obj, byId.get(q.obj.story_id));
        const model = storyModel(q.obj, card.story);
        originOf.set(model, card.origin);
        return model;
      });
    },
    async tenant(queries: Q<Placement>, ctx: GraphQLContext) {
      // the face the request entered was read with the viewer's access (auth.ts)
      const known = ctx.memo?.tenants;
      const ids = [...new Set(queries.map((q) => q.obj.tenant_id))].filter((id) => !known?.has(id));
      const byId = new Map([
        ...(known ?? []),
        ...(ids.length ? await tenantsByIds(ctx.db, ids) : []).map((t) => [t.id, t] as const),
      ]);
      return queries.map((q) => byId.get(q.obj.tenant_id) ?? null);
    },
    async section(queries: Q<Placement>, ctx: GraphQLContext) {
      const ids = queries
        .filter((q) => !cardOf.has(q.obj))
        .map((q) => q.obj.section_id)
        .filter((v): v is string => !!v);
      const byId = new Map((ids.length ? await sectionsByIds(ctx.db, ids) : []).map((s) => [s.id, s]));
      return queries.map((q) =>
        cardOf.has(q.obj) ? cardOf.get(q.obj)!.section : q.obj.section_id ? (byId.get(q.obj.section_id) ?? null) : null,
      );
    },
  },
  SyndicatedStory: {
    async origin(queries: Q<SyndicatedStoryModel>, ctx: GraphQLContext) {
      const ids = [...new Set(queries.filter((q) => !originOf.has(q.obj)).map((q) => q.obj.originTenantId))];
      const byId = new Map((ids.length ? await tenantsByIds(ctx.db, ids) : []).map((t) => [t.id, t]));
      return queries.map((q) =>
        originOf.has(q.obj) ? originOf.get(q.obj)! : (byId.get(q.obj.originTenantId) ?? null),
      );
    },
  },
  SyndicationRule: {},
};

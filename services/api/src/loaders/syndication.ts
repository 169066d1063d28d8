import type { BatchLoaders } from './batch.js';
import { placedStoriesByIds, sectionsByIds, tenantsByIds } from '@yiduan/core';
import type { Placement } from '@yiduan/db';
import type { SyndicatedStoryModel } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';

type Q<T> = { obj: T; params: Record<string, unknown> }[];

/** A placement's story is read as the public sees it: its published revision and origin. */
export const syndicationLoaders: BatchLoaders = {
  Placement: {
    async story(queries: Q<Placement>, ctx: GraphQLContext): Promise<SyndicatedStoryModel[]> {
      const rows = await placedStoriesByIds(ctx.db, queries.map((q) => q.obj.story_id));
      const byId = new Map(rows.map((r) => [r.id, r]));
      return queries.map((q) => {
        const r = byId.get(q.obj.story_id);
        return { id: q.obj.story_id, originTenantId: q.obj.origin_tenant_id, title: r?.title ?? q.obj.story_title ?? '（已撤回或不可见）', summary: r?.summary ?? '', publishedAt: r?.published_at ?? null, retracted: !r || r.retracted_at !== null };
      });
    },
    async tenant(queries: Q<Placement>, ctx: GraphQLContext) {
      const byId = new Map((await tenantsByIds(ctx.db, [...new Set(queries.map((q) => q.obj.tenant_id))])).map((t) => [t.id, t]));
      return queries.map((q) => byId.get(q.obj.tenant_id) ?? null);
    },
    async section(queries: Q<Placement>, ctx: GraphQLContext) {
      const byId = new Map((await sectionsByIds(ctx.db, queries.map((q) => q.obj.section_id).filter((v): v is string => !!v))).map((s) => [s.id, s]));
      return queries.map((q) => (q.obj.section_id ? (byId.get(q.obj.section_id) ?? null) : null));
    },
  },
  SyndicatedStory: {
    async origin(queries: Q<SyndicatedStoryModel>, ctx: GraphQLContext) {
      const byId = new Map((await tenantsByIds(ctx.db, [...new Set(queries.map((q) => q.obj.originTenantId))])).map((t) => [t.id, t]));
      return queries.map((q) => byId.get(q.obj.originTenantId) ?? null);
    },
  },
  SyndicationRule: {},
};

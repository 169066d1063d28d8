import { assignmentsOfTopics, historyOfAssignments, pitchesOfTopics, tenantsByIds } from '@yiduan/core';
import type { CoverageChange } from '@yiduan/core';
import type { AssignmentModel, PitchModel, TopicModel } from '@yiduan/schema';
import type { CampaignView, CreditedStory } from '@yiduan/core';
import type { GraphQLContext } from '../context.js';
import type { BatchLoaders } from './batch.js';
import { withAssignmentActions, withPitchActions } from '../resolvers/planning.js';

type Q<T> = { obj: T; params: Record<string, unknown> }[];

/** Tenants are public rows: one query per field and request. */
async function tenantsOf<P>(queries: Q<P>, ctx: GraphQLContext, idOf: (p: P) => string | null) {
  const ids = [...new Set(queries.map((q) => idOf(q.obj)).filter((v): v is string => !!v))];
  const byId = new Map((ids.length ? await tenantsByIds(ctx.db, ids) : []).map((t) => [t.id, t]));
  return queries.map((q) => {
    const id = idOf(q.obj);
    return id ? (byId.get(id) ?? null) : null;
  });
}

/** Topics grouped by the tenant they were read from: their children are read in that scope, with that access. */
function byViewer(queries: Q<TopicModel>): Map<string, TopicModel[]> {
  const out = new Map<string, TopicModel[]>();
  for (const q of queries) out.set(q.obj.viewedFrom, [...(out.get(q.obj.viewedFrom) ?? []), q.obj]);
  return out;
}

/**
 * Child fields of the planning types, batched per request: a topic list's assignments and pitches
 * are two queries per viewing tenant, not two per topic.
 */
export const planningLoaders: BatchLoaders = {
  Campaign: {
    tenant: (queries: Q<CampaignView>, ctx: GraphQLContext) => tenantsOf(queries, ctx, (c) => c.tenantId),
    /** the share list's tenants (public rows), in the list's order */
    async shareTenants(queries: Q<CampaignView>, ctx: GraphQLContext) {
      const ids = [...new Set(queries.flatMap((q) => q.obj.shareTenantIds))];
      const byId = new Map((ids.length ? await tenantsByIds(ctx.db, ids) : []).map((t) => [t.id, t]));
      return queries.map((q) => q.obj.shareTenantIds.flatMap((id) => byId.get(id) ?? []));
    },
  },
  Topic: {
    tenant: (queries: Q<TopicModel>, ctx: GraphQLContext) => tenantsOf(queries, ctx, (t) => t.tenantId),
    upstreamTenant: (queries: Q<TopicModel>, ctx: GraphQLContext) => tenantsOf(queries, ctx, (t) => t.upstreamTenantId),
    async assignments(queries: Q<TopicModel>, ctx: GraphQLContext): Promise<AssignmentModel[][]> {
      const found = new Map<TopicModel, AssignmentModel[]>();
      for (const [tenantId, topics] of byViewer(queries)) {
        await ctx.inTenant(tenantId, async (trx, access) => {
          const lists = await assignmentsOfTopics(
            trx,
            topics.map((t) => ({ tenantId: t.tenantId, topicId: t.id })),
          );
          for (const t of topics)
            found.set(
              t,
              (lists.get(t.id) ?? []).map((a) => withAssignmentActions(access, a)),
            );
        });
      }
      return queries.map((q) => found.get(q.obj) ?? []);
    },
    async pitches(queries: Q<TopicModel>, ctx: GraphQLContext): Promise<PitchModel[][]> {
      const found = new Map<TopicModel, PitchModel[]>();
      for (const [tenantId, topics] of byViewer(queries)) {
        await ctx.inTenant(tenantId, async (trx, access) => {
          const lists = await pitchesOfTopics(
            trx,
            topics.map((t) => ({ tenantId: t.tenantId, topicId: t.id })),
          );
          for (const t of topics)
            found.set(
              t,
              (lists.get(t.id) ?? []).map((p) => withPitchActions(access, p)),
            );
        });
      }
      return queries.map((q) => found.get(q.obj) ?? []);
    },
  },
  Assignment: {
    tenant: (queries: Q<AssignmentModel>, ctx: GraphQLContext) => tenantsOf(queries, ctx, (a) => a.tenantId),
    assigneeTenant: (queries: Q<AssignmentModel>, ctx: GraphQLContext) =>
      tenantsOf(queries, ctx, (a) => a.assigneeTenantId),
    /** the recorded changes, read per viewing tenant in its scope */
    async history(queries: Q<AssignmentModel>, ctx: GraphQLContext): Promise<CoverageChange[][]> {
      const groups = new Map<string, AssignmentModel[]>();
      for (const q of queries) groups.set(q.obj.viewedFrom, [...(groups.get(q.obj.viewedFrom) ?? []), q.obj]);
      const found = new Map<string, CoverageChange[]>();
      for (const [tenantId, list] of groups) {
        await ctx.inTenant(tenantId, async (trx) => {
          const byId = await historyOfAssignments(
            trx,
            list.map((a) => ({ tenantId: a.tenantId, assignmentId: a.id })),
          );
          for (const a of list) found.set(`${tenantId}:${a.id}`, byId.get(a.id) ?? []);
        });
      }
      return queries.map((q) => found.get(`${q.obj.viewedFrom}:${q.obj.id}`) ?? []);
    },
  },
  CreditedStory: {
    tenant: (queries: Q<CreditedStory>, ctx: GraphQLContext) => tenantsOf(queries, ctx, (s) => s.tenantId),
  },
  Pitch: {
    tenant: (queries: Q<PitchModel>, ctx: GraphQLContext) => tenantsOf(queries, ctx, (p) => p.tenantId),
    toTenant: (queries: Q<PitchModel>, ctx: GraphQLContext) => tenantsOf(queries, ctx, (p) => p.toTenantId),
  },
};

import { perTenant, type BatchLoaders } from './batch.js';
import {
  commentStoryTitles,
  eventsOfMessages,
  reportCountsOf,
  staffByIds,
  tenantsByIds,
  unitsByIds,
  type MemberRow,
  type OverdueMessage,
} from '@yiduan/core';
import { withPlatform, type CitizenMessage, type CitizenMessageEvent } from '@yiduan/db';
import type { AudienceCountsModel, CommentModel } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';

type Q<T> = { obj: T; params: Record<string, unknown> }[];

async function units(ctx: GraphQLContext, ids: (string | null)[]) {
  const byId = new Map(
    (await unitsByIds(ctx.db, [...new Set(ids.filter((v): v is string => !!v))])).map((u) => [u.id, u]),
  );
  return ids.map((id) => (id ? (byId.get(id) ?? null) : null));
}

async function staff(ctx: GraphQLContext, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((v): v is string => !!v))];
  const byId = new Map(
    (wanted.length ? await withPlatform(ctx.db, (trx) => staffByIds(trx, wanted)) : []).map((s) => [s.id, s]),
  );
  return ids.map((id) => (id ? (byId.get(id) ?? null) : null));
}

async function tenants(ctx: GraphQLContext, ids: string[]) {
  const byId = new Map((await tenantsByIds(ctx.db, [...new Set(ids)])).map((t) => [t.id, t]));
  return ids.map((id) => byId.get(id) ?? null);
}

/**
 * Child fields of the audience types, one query per field (and tenant), not per
 * row. Parents were authorised by the query that returned them.
 */
export const audienceLoaders: BatchLoaders = {
  Member: {
    async unit(queries: Q<MemberRow>, ctx: GraphQLContext) {
      return units(
        ctx,
        queries.map((q) => q.obj.unitId),
      );
    },
  },
  CitizenMessage: {
    async unit(queries: Q<CitizenMessage>, ctx: GraphQLContext) {
      return units(
        ctx,
        queries.map((q) => q.obj.unit_id),
      );
    },
    async assignee(queries: Q<CitizenMessage>, ctx: GraphQLContext) {
      return staff(
        ctx,
        queries.map((q) => q.obj.assignee_id),
      );
    },
    async events(queries: Q<CitizenMessage>, ctx: GraphQLContext) {
      const rows = await perTenant(
        ctx.db,
        queries.map((q) => q.obj),
        (trx, tenantId, group) =>
          eventsOfMessages(
            trx,
            tenantId,
            group.map((m) => m.id),
          ),
      );
      return queries.map((q) => rows.filter((r) => r.message_id === q.obj.id));
    },
  },
  MessageEvent: {
    async staff(queries: Q<CitizenMessageEvent>, ctx: GraphQLContext) {
      return staff(
        ctx,
        queries.map((q) => q.obj.staff_id),
      );
    },
  },
  OverdueMessage: {
    async tenant(queries: Q<OverdueMessage>, ctx: GraphQLContext) {
      return tenants(
        ctx,
        queries.map((q) => q.obj.tenantId),
      );
    },
    async unit(queries: Q<OverdueMessage>, ctx: GraphQLContext) {
      return units(
        ctx,
        queries.map((q) => q.obj.unitId),
      );
    },
  },
  AudienceCounts: {
    async tenant(queries: Q<AudienceCountsModel>, ctx: GraphQLContext) {
      return tenants(
        ctx,
        queries.map((q) => q.obj.tenantId),
      );
    },
  },
  Comment: {
    /** Precomputed by the moderation queue; counted here for comments a mutation returns. */
    async reports(queries: Q<CommentModel>, ctx: GraphQLContext) {
      const missing = queries.filter((q) => q.obj.reports === undefined).map((q) => q.obj);
      const counts = await perTenant(ctx.db, missing, async (trx, tenantId, group) => [
        ...(await reportCountsOf(
          trx,
          tenantId,
          group.map((c) => c.id),
        )),
      ]);
      const byId = new Map(counts);
      return queries.map((q) => q.obj.reports ?? byId.get(q.obj.id) ?? 0);
    },
    /** The story as the public reads it: its published title, or null once it is gone. */
    async story(queries: Q<CommentModel>, ctx: GraphQLContext) {
      const missing = [...new Set(queries.filter((q) => q.obj.storyTitle === undefined).map((q) => q.obj.story_id))];
      const byId = await commentStoryTitles(ctx.db, missing);
      return queries.map((q) => ({
        id: q.obj.story_id,
        title: q.obj.storyTitle !== undefined ? q.obj.storyTitle : (byId.get(q.obj.story_id) ?? null),
      }));
    },
  },
};

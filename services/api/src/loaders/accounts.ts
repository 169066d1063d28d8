import { organisationsByIds, tenantsByIds, type GovAccountView, type GovThresholdSetting } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import type { GraphQLContext } from '../context.js';
import type { BatchLoaders } from './batch.js';

type Q<T> = { obj: T; params: Record<string, unknown> }[];

async function tenantsOf<P>(queries: Q<P>, ctx: GraphQLContext, idOf: (p: P) => string) {
  const byId = new Map(
    (await tenantsByIds(ctx.db, [...new Set(queries.map((q) => idOf(q.obj)))])).map((t) => [t.id, t]),
  );
  return queries.map((q) => byId.get(idOf(q.obj)) ?? null);
}

/**
 * Child fields of the registry, batched per request. Tenants are public rows; operator
 * organisations are platform records (read in platform scope), named by accounts the viewer
 * was already allowed to read.
 */
export const accountLoaders: BatchLoaders = {
  GovAccount: {
    tenant: (queries: Q<GovAccountView>, ctx: GraphQLContext) => tenantsOf(queries, ctx, (a) => a.tenantId),
    async operator(queries: Q<GovAccountView>, ctx: GraphQLContext) {
      const ids = [...new Set(queries.map((q) => q.obj.operatorOrgId).filter((v): v is string => !!v))];
      const rows = ids.length ? await withPlatform(ctx.db, (trx) => organisationsByIds(trx, ids)) : [];
      const byId = new Map(rows.map((o) => [o.id, o]));
      return queries.map((q) => (q.obj.operatorOrgId ? (byId.get(q.obj.operatorOrgId) ?? null) : null));
    },
  },
  GovThresholdSetting: {
    tenant: (queries: Q<GovThresholdSetting>, ctx: GraphQLContext) => tenantsOf(queries, ctx, (s) => s.tenantId),
  },
};

import type { BatchLoaders } from './batch.js';
import type { Tenant, TenantDomain } from '@yiduan/db';
import {
  childrenOfTenants,
  domainsByTenantIds,
  faceHost,
  facesByTenantIds,
  tenantsByIds,
  type StoredFace,
} from '@yiduan/core';
import type { GraphQLContext } from '../context.js';

type Q<T> = { obj: T; params: Record<string, unknown> }[];

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** Child fields of Tenant, batched per request: one query per field, not per tenant. */
export const tenancyLoaders: BatchLoaders = {
  Tenant: {
    async parent(queries: Q<Tenant>, ctx: GraphQLContext) {
      const ids = [...new Set(queries.map((q) => q.obj.parent_id).filter((v): v is string => v !== null))];
      const byId = new Map((await tenantsByIds(ctx.db, ids)).map((t) => [t.id, t]));
      return queries.map((q) => (q.obj.parent_id ? (byId.get(q.obj.parent_id) ?? null) : null));
    },
    async children(queries: Q<Tenant>, ctx: GraphQLContext) {
      const rows = await childrenOfTenants(
        ctx.db,
        queries.map((q) => q.obj.id),
      );
      const byParent = groupBy(rows, (r) => r.parent_id ?? '');
      return queries.map((q) => byParent.get(q.obj.id) ?? []);
    },
    async domains(queries: Q<Tenant>, ctx: GraphQLContext) {
      const byTenant = groupBy(
        await domainsByTenantIds(
          ctx.db,
          queries.map((q) => q.obj.id),
        ),
        (d) => d.tenant_id,
      );
      return queries.map((q) => byTenant.get(q.obj.id) ?? []);
    },
    async host(queries: Q<Tenant>, ctx: GraphQLContext) {
      const byTenant = groupBy(
        await domainsByTenantIds(
          ctx.db,
          queries.map((q) => q.obj.id),
        ),
        (d) => d.tenant_id,
      );
      return queries.map((q) => faceHost(q.obj, byTenant.get(q.obj.id) ?? [], ctx.config.publicBaseDomain));
    },
    async face(queries: Q<Tenant>, ctx: GraphQLContext) {
      const byTenant = new Map<string, StoredFace>(
        (
          await facesByTenantIds(
            ctx.db,
            queries.map((q) => q.obj.id),
          )
        ).map((f) => [f.tenantId, f]),
      );
      return queries.map((q) => byTenant.get(q.obj.id) ?? null);
    },
  },
  Domain: {
    async tenant(queries: Q<TenantDomain>, ctx: GraphQLContext) {
      const byId = new Map(
        (await tenantsByIds(ctx.db, [...new Set(queries.map((q) => q.obj.tenant_id))])).map((t) => [t.id, t]),
      );
      return queries.map((q) => byId.get(q.obj.tenant_id) ?? null);
    },
  },
};

import { organisationsByIds, staffByIds, unitsByIds } from '@yiduan/core';
import { withPlatform, type Grant, type Staff, type Trx } from '@yiduan/db';
import type { GraphQLContext } from '../context.js';
import type { BatchLoaders } from './batch.js';

type Q<T> = { obj: T; params: Record<string, unknown> }[];

/** Loads the rows of the distinct non-null ids, in one platform transaction, and answers each call by its id. */
async function byId<P, R extends { id: string }>(
  queries: Q<P>,
  ctx: GraphQLContext,
  idOf: (p: P) => string | null,
  load: (trx: Trx, ids: readonly string[]) => Promise<R[]>,
): Promise<(R | null)[]> {
  const ids = [...new Set(queries.map((q) => idOf(q.obj)).filter((v): v is string => !!v))];
  const rows = ids.length ? await withPlatform(ctx.db, (trx) => load(trx, ids)) : [];
  const found = new Map(rows.map((r) => [r.id, r]));
  return queries.map((q) => {
    const id = idOf(q.obj);
    return id ? (found.get(id) ?? null) : null;
  });
}

/**
 * Child fields of grants and staff, batched per request: a tenant's grant list asks one query
 * per field, not one transaction per row. Staff and organisations are platform records; the
 * grants themselves were read in the tenant's scope (Query.grants), so only their own
 * parties are looked up here.
 */
export const identityLoaders: BatchLoaders = {
  Grant: {
    staff: (queries: Q<Grant>, ctx: GraphQLContext) => byId(queries, ctx, (g) => g.staff_id, staffByIds),
    organisation: (queries: Q<Grant>, ctx: GraphQLContext) => byId(queries, ctx, (g) => g.org_id, organisationsByIds),
    unit: (queries: Q<Grant>, ctx: GraphQLContext) => byId(queries, ctx, (g) => g.unit_id, unitsByIds),
  },
  Staff: {
    organisation: (queries: Q<Staff>, ctx: GraphQLContext) => byId(queries, ctx, (s) => s.org_id, organisationsByIds),
  },
};

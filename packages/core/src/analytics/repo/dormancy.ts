import { sql, type Insertable } from 'kysely';
import type { Database, Executor, TenantLevel } from '@yiduan/db';
import type { Subject } from '../model.js';

/** Every active tenant and unit with its last first publication and its province (platform scope). */
export async function subjects(ex: Executor): Promise<Subject[]> {
  const r = await sql<{
    tenant_id: string;
    unit_id: string | null;
    name: string;
    level: string;
    notify: string | null;
    last: Date | null;
    since: Date;
    root_id: string;
  }>`
    WITH roots AS (
      SELECT tt.descendant_id AS tenant_id, tt.ancestor_id AS root_id FROM tenant_tree tt JOIN tenants r ON r.id = tt.ancestor_id WHERE r.parent_id IS NULL
    )
    SELECT t.id AS tenant_id, NULL::uuid AS unit_id, t.name, t.level::text AS level, coalesce(t.parent_id, t.id) AS notify,
           (SELECT max(s.first_published_at) FROM stories s WHERE s.tenant_id = t.id) AS last, t.created_at AS since, roots.root_id
      FROM tenants t JOIN roots ON roots.tenant_id = t.id WHERE t.status = 'active'
    UNION ALL
    SELECT u.tenant_id, u.id, u.name, 'unit', u.tenant_id,
           (SELECT max(s.first_published_at) FROM stories s WHERE s.tenant_id = u.tenant_id AND s.unit_id = u.id), u.created_at, roots.root_id
      FROM units u JOIN tenants t ON t.id = u.tenant_id AND t.status = 'active' JOIN roots ON roots.tenant_id = u.tenant_id
     WHERE u.status = 'active'`.execute(ex);
  return r.rows.map((x) => ({
    tenantId: x.tenant_id,
    unitId: x.unit_id,
    name: x.name,
    level: x.level,
    notifyTenantId: x.notify,
    lastPublishedAt: x.last,
    since: x.since,
    rootId: x.root_id,
  }));
}

export async function tenantLevel(ex: Executor, tenantId: string): Promise<TenantLevel | undefined> {
  return (await ex.selectFrom('tenants').select(['level']).where('id', '=', tenantId).executeTakeFirst())?.level;
}

export async function upsertSettings(
  ex: Executor,
  provinceId: string,
  values: { sleeping_days: number; dormant_days: number; ranking_weights?: string; updated_by: string | null },
): Promise<void> {
  const { ranking_weights: weights, ...rest } = values;
  await ex
    .insertInto('analytics_settings')
    .values({ tenant_id: provinceId, ...rest, ranking_weights: weights ?? '{}' })
    .onConflict((oc) =>
      oc
        .column('tenant_id')
        .doUpdateSet({ ...rest, updated_at: new Date(), ...(weights ? { ranking_weights: weights } : {}) }),
    )
    .execute();
}

export async function openWarnings(ex: Executor) {
  return ex
    .selectFrom('dormancy_warnings')
    .select(['tenant_id', 'unit_id', 'state', 'warned_at'])
    .where('resumed_at', 'is', null)
    .execute();
}

/** Closes the open warnings of a tenant (unitId null) or one unit; returns how many. */
export async function resumeWarnings(ex: Executor, tenantId: string, unitId: string | null, at: Date): Promise<number> {
  const q = ex
    .updateTable('dormancy_warnings')
    .set({ resumed_at: at })
    .where('tenant_id', '=', tenantId)
    .where('resumed_at', 'is', null);
  const r = await (unitId ? q.where('unit_id', '=', unitId) : q.where('unit_id', 'is', null)).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function insertWarning(ex: Executor, values: Insertable<Database['dormancy_warnings']>): Promise<void> {
  await ex.insertInto('dormancy_warnings').values(values).execute();
}

/**
 * Stories first published per CST week from `firstWeek` through `asOf`, per tenant (g = 1) and
 * per unit (g = 0), for the given tenants, in one statement.
 */
export async function weeklyPublications(ex: Executor, tenantIds: string[], firstWeek: string, asOf: string) {
  const r = await sql<{ tenant_id: string; unit_id: string | null; g: number; wk: string; n: number }>`
    SELECT tenant_id, unit_id, GROUPING(unit_id)::int AS g, to_char(date_trunc('week', (first_published_at AT TIME ZONE 'Asia/Shanghai'))::date, 'YYYY-MM-DD') AS wk, count(*)::int AS n
      FROM stories WHERE tenant_id = ANY(${tenantIds}::uuid[]) AND first_published_at >= (${firstWeek}::date::timestamp AT TIME ZONE 'Asia/Shanghai')
       AND first_published_at < ((${asOf}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
     GROUP BY GROUPING SETS ((tenant_id, wk), (tenant_id, unit_id, wk))`.execute(ex);
  return r.rows;
}

import { sql } from 'kysely';
import type { Executor } from '@yiduan/db';
import { toFigures, type Figures, type Period, type SumRow } from '../model.js';
import type { RankingGroup } from '../ranking.js';

/** The figures of every peer of a ranking group over a period (platform scope: peers are other tenants). */
export async function peerFigures(
  ex: Executor,
  group: RankingGroup,
  period: Period,
  rootId: string,
): Promise<{ id: string; name: string; tenantId: string; figures: Figures }[]> {
  const sums = sql`
    coalesce(sum(d.views), 0)::int AS views, coalesce(sum(d.uniques), 0)::int AS uniques, coalesce(sum(d.completions), 0)::int AS completions,
    coalesce(sum(d.shares), 0)::int AS shares, coalesce(sum(d.stories_published), 0)::int AS stories_published,
    coalesce(sum(d.followers_gained), 0)::int AS followers_gained, coalesce(sum(d.followers_lost), 0)::int AS followers_lost,
    coalesce(sum(d.messages_due), 0)::int AS messages_due, coalesce(sum(d.messages_on_time), 0)::int AS messages_on_time`;
  type Row = SumRow & { id: string; name: string; tenant_id: string };
  let rows: Row[];
  if (group.kind === 'level') {
    rows = (
      await sql<Row>`
        SELECT t.id, t.name, t.id AS tenant_id, ${sums}, coalesce(sum(d.reach_views), 0)::int AS reach_views,
               coalesce(sum(d.syndicated_views), 0)::int AS syndicated_views, coalesce(sum(d.comments), 0)::int AS comments
          FROM tenant_tree tt JOIN tenants t ON t.id = tt.descendant_id
          LEFT JOIN analytics_tenant_daily d ON d.tenant_id = t.id AND d.scope = 'own' AND d.day BETWEEN ${period.from}::date AND ${period.to}::date
         WHERE tt.ancestor_id = ${rootId} AND t.level = ${group.level}::tenant_level AND t.status = 'active'
         GROUP BY t.id, t.name`.execute(ex)
    ).rows;
  } else {
    rows = (
      await sql<Row>`
        SELECT u.id, u.name, u.tenant_id, ${sums}, coalesce(sum(d.views), 0)::int AS reach_views, 0 AS syndicated_views, 0 AS comments
          FROM units u LEFT JOIN analytics_unit_daily d ON d.tenant_id = u.tenant_id AND d.unit_id = u.id AND d.day BETWEEN ${period.from}::date AND ${period.to}::date
         WHERE u.tenant_id = ${group.tenantId} AND u.status = 'active'
         GROUP BY u.id, u.name, u.tenant_id`.execute(ex)
    ).rows;
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    tenantId: r.tenant_id,
    figures: toFigures(r),
  }));
}

/** The province (tree root) above a tenant; the tenant itself when it has no root row. */
export async function rootOf(ex: Executor, tenantId: string): Promise<string> {
  const root = await ex
    .selectFrom('tenant_tree as tt')
    .innerJoin('tenants as t', 't.id', 'tt.ancestor_id')
    .select('t.id')
    .where('tt.descendant_id', '=', tenantId)
    .where('t.parent_id', 'is', null)
    .executeTakeFirst();
  return root?.id ?? tenantId;
}

/** The province's analytics settings row (thresholds and ranking weights), when it has one. */
export async function settingsRow(ex: Executor, rootId: string) {
  return ex
    .selectFrom('analytics_settings')
    .select(['sleeping_days', 'dormant_days', 'ranking_weights'])
    .where('tenant_id', '=', rootId)
    .executeTakeFirst();
}

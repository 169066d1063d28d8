import { sql } from 'kysely';
import type { AnalyticsScope, Executor } from '@yiduan/db';
import type { Tenant } from '@yiduan/db';
import {
  toFigures,
  ZERO,
  type DailyFigures,
  type Figures,
  type Period,
  type StoryFigures,
  type SumRow,
  type UnitFigures,
} from '../model.js';

const SUMS = sql`
  coalesce(sum(views), 0)::int AS views, coalesce(sum(uniques), 0)::int AS uniques, coalesce(sum(completions), 0)::int AS completions,
  coalesce(sum(shares), 0)::int AS shares, coalesce(sum(reach_views), 0)::int AS reach_views, coalesce(sum(syndicated_views), 0)::int AS syndicated_views,
  coalesce(sum(stories_published), 0)::int AS stories_published, coalesce(sum(followers_gained), 0)::int AS followers_gained,
  coalesce(sum(followers_lost), 0)::int AS followers_lost, coalesce(sum(comments), 0)::int AS comments,
  coalesce(sum(messages_due), 0)::int AS messages_due, coalesce(sum(messages_on_time), 0)::int AS messages_on_time`;

// ---------------------------------------------------------------- visibility

/** A tenant sees its own figures and its descendants'; never a sibling's or an ancestor's. */
export async function canSeeTenant(ex: Executor, viewerTenantId: string, targetTenantId: string): Promise<boolean> {
  const r = await ex
    .selectFrom('tenant_tree')
    .select('depth')
    .where('ancestor_id', '=', viewerTenantId)
    .where('descendant_id', '=', targetTenantId)
    .executeTakeFirst();
  return r !== undefined;
}

/** The tenants whose figures a viewer may read (itself and every descendant). */
export async function visibleTenantIds(ex: Executor, viewerTenantId: string): Promise<Set<string>> {
  const rows = await ex
    .selectFrom('tenant_tree')
    .select('descendant_id')
    .where('ancestor_id', '=', viewerTenantId)
    .execute();
  return new Set(rows.map((r) => r.descendant_id));
}

// ---------------------------------------------------------------- reads (run them in the viewer's tenant scope: RLS applies too)

export async function tenantSeries(
  ex: Executor,
  tenantId: string,
  scope: AnalyticsScope,
  period: Period,
): Promise<DailyFigures[]> {
  const r = await sql<SumRow & { day: string }>`
    SELECT day::text AS day, ${SUMS} FROM analytics_tenant_daily
     WHERE tenant_id = ${tenantId} AND scope = ${scope} AND day BETWEEN ${period.from}::date AND ${period.to}::date
     GROUP BY day ORDER BY day`.execute(ex);
  return r.rows.map((row) => ({ day: row.day, ...toFigures(row) }));
}

export async function tenantTotals(
  ex: Executor,
  tenantIds: string[],
  scope: AnalyticsScope,
  period: Period,
): Promise<Map<string, Figures>> {
  const out = new Map<string, Figures>();
  if (tenantIds.length === 0) return out;
  const r = await sql<SumRow & { tenant_id: string }>`
    SELECT tenant_id, ${SUMS} FROM analytics_tenant_daily
     WHERE tenant_id = ANY(${tenantIds}::uuid[]) AND scope = ${scope} AND day BETWEEN ${period.from}::date AND ${period.to}::date
     GROUP BY tenant_id`.execute(ex);
  for (const id of tenantIds) out.set(id, { ...ZERO });
  for (const row of r.rows) out.set(row.tenant_id, toFigures(row));
  return out;
}

export async function unitTotals(ex: Executor, tenantId: string, period: Period): Promise<UnitFigures[]> {
  const r = await sql<SumRow & { unit_id: string; name: string }>`
    SELECT u.id AS unit_id, u.name, coalesce(sum(views), 0)::int AS views, coalesce(sum(uniques), 0)::int AS uniques,
           coalesce(sum(completions), 0)::int AS completions, coalesce(sum(shares), 0)::int AS shares,
           coalesce(sum(stories_published), 0)::int AS stories_published, coalesce(sum(followers_gained), 0)::int AS followers_gained,
           coalesce(sum(followers_lost), 0)::int AS followers_lost, coalesce(sum(messages_due), 0)::int AS messages_due,
           coalesce(sum(messages_on_time), 0)::int AS messages_on_time, 0 AS reach_views, 0 AS syndicated_views, 0 AS comments
      FROM units u LEFT JOIN analytics_unit_daily d ON d.tenant_id = u.tenant_id AND d.unit_id = u.id
       AND d.day BETWEEN ${period.from}::date AND ${period.to}::date
     WHERE u.tenant_id = ${tenantId}
     GROUP BY u.id, u.name ORDER BY u.name`.execute(ex);
  return r.rows.map((row) => ({ unitId: row.unit_id, name: row.name, ...toFigures(row), reachViews: row.views ?? 0 }));
}

/** The tenant's stories with most reads in the period, each with the faces that carried it. */
export async function topStories(ex: Executor, tenantId: string, period: Period, limit = 20): Promise<StoryFigures[]> {
  const r = await sql<{
    story_id: string;
    face_tenant_id: string;
    views: number;
    uniques: number;
    completions: number;
    shares: number;
    title: string | null;
  }>`
    WITH top AS (
      SELECT story_id, sum(views) AS v FROM analytics_story_daily
       WHERE tenant_id = ${tenantId} AND day BETWEEN ${period.from}::date AND ${period.to}::date
       GROUP BY story_id ORDER BY v DESC, story_id LIMIT ${Math.max(1, Math.min(limit, 200))}
    )
    SELECT d.story_id, d.face_tenant_id, sum(d.views)::int AS views, sum(d.uniques)::int AS uniques,
           sum(d.completions)::int AS completions, sum(d.shares)::int AS shares,
           (SELECT title FROM story_revisions rv JOIN stories s ON s.tenant_id = rv.tenant_id AND s.id = rv.story_id
             WHERE s.tenant_id = ${tenantId} AND s.id = d.story_id AND rv.number = coalesce(s.published_revision, s.current_revision)) AS title
      FROM analytics_story_daily d JOIN top ON top.story_id = d.story_id
     WHERE d.tenant_id = ${tenantId} AND d.day BETWEEN ${period.from}::date AND ${period.to}::date
     GROUP BY d.story_id, d.face_tenant_id, top.v
     ORDER BY top.v DESC, d.story_id, views DESC`.execute(ex);
  const out = new Map<string, StoryFigures>();
  for (const row of r.rows) {
    let s = out.get(row.story_id);
    if (!s) {
      s = {
        storyId: row.story_id,
        tenantId,
        title: row.title ?? '',
        views: 0,
        uniques: 0,
        completions: 0,
        shares: 0,
        faces: [],
      };
      out.set(row.story_id, s);
    }
    s.views += row.views;
    s.uniques += row.uniques;
    s.completions += row.completions;
    s.shares += row.shares;
    s.faces.push({
      faceTenantId: row.face_tenant_id,
      views: row.views,
      uniques: row.uniques,
      completions: row.completions,
      shares: row.shares,
    });
  }
  return [...out.values()];
}

/** A tenant's children by name: the rows of the "children" figures. */
export async function childTenants(ex: Executor, parentId: string): Promise<Tenant[]> {
  return ex.selectFrom('tenants').selectAll().where('parent_id', '=', parentId).orderBy('name').execute();
}

/** Dormancy warnings of a tenant's subtree, newest first, with the check's day as text. */
export async function dormancyWarningRows(
  ex: Executor,
  ancestorId: string,
  opts: { openOnly: boolean; limit: number },
) {
  let q = ex
    .selectFrom('dormancy_warnings as w')
    .innerJoin('tenant_tree as tt', 'tt.descendant_id', 'w.tenant_id')
    .selectAll('w')
    .select((eb) => eb.fn<string>('to_char', ['w.as_of', eb.val('YYYY-MM-DD')]).as('as_of_text'))
    .where('tt.ancestor_id', '=', ancestorId)
    .orderBy('w.warned_at', 'desc')
    .limit(opts.limit);
  if (opts.openOnly) q = q.where('w.resumed_at', 'is', null);
  return q.execute();
}

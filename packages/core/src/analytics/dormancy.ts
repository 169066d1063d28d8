import { sql } from 'kysely';
import type { DormancyState, Executor } from '@yiduan/db';
import { DomainError } from '../errors.js';
import { enqueue } from '../events/index.js';
import { addDays, dayOf, daysBetween, weekStart } from './days.js';

/**
 * Dormant accounts (僵尸号 / 睡眠号): a tenant or a unit with no first publication for
 * `sleeping_days` is sleeping, for `dormant_days` dormant. The thresholds are the province's
 * (analytics_settings of the tree root; 14 and 60 by default). Days silent = the check's day
 * minus the day of the last publication (or of the account's creation when it never published):
 * with 14, a tenant that last published on day D is flagged on D+14, not on D+13.
 */
export const DORMANCY_TOPIC = 'analytics.dormancy_warned';
export const DEFAULT_THRESHOLDS = { sleepingDays: 14, dormantDays: 60 } as const;

export interface Thresholds {
  sleepingDays: number;
  dormantDays: number;
}

export function stateFor(daysSilent: number, t: Thresholds): DormancyState | null {
  if (daysSilent >= t.dormantDays) return 'dormant';
  if (daysSilent >= t.sleepingDays) return 'sleeping';
  return null;
}

export async function thresholdsFor(ex: Executor, rootId: string): Promise<Thresholds> {
  const s = await ex.selectFrom('analytics_settings').select(['sleeping_days', 'dormant_days']).where('tenant_id', '=', rootId).executeTakeFirst();
  return s ? { sleepingDays: s.sleeping_days, dormantDays: s.dormant_days } : { ...DEFAULT_THRESHOLDS };
}

/** The province sets thresholds and ranking weights for its tree (tenant scope of the province). */
export async function saveAnalyticsSettings(
  ex: Executor,
  provinceId: string,
  input: { sleepingDays?: number; dormantDays?: number; rankingWeights?: Record<string, number> },
  by: string | null,
): Promise<void> {
  const t = await ex.selectFrom('tenants').select(['level']).where('id', '=', provinceId).executeTakeFirst();
  if (!t) throw new DomainError('TENANT_NOT_FOUND');
  if (t.level !== 'province') throw new DomainError('FORBIDDEN', '只有省级租户可以设置统计阈值和排行权重');
  const current = await thresholdsFor(ex, provinceId);
  const sleeping = input.sleepingDays ?? current.sleepingDays;
  const dormant = input.dormantDays ?? current.dormantDays;
  if (!Number.isInteger(sleeping) || !Number.isInteger(dormant) || sleeping < 1 || dormant > 730 || sleeping >= dormant) {
    throw new DomainError('BAD_USER_INPUT', '睡眠天数应为正整数且小于僵尸天数（最多 730 天）');
  }
  const weights = input.rankingWeights ? JSON.stringify(input.rankingWeights) : undefined;
  await ex
    .insertInto('analytics_settings')
    .values({ tenant_id: provinceId, sleeping_days: sleeping, dormant_days: dormant, ranking_weights: weights ?? '{}', updated_by: by })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({ sleeping_days: sleeping, dormant_days: dormant, updated_by: by, updated_at: new Date(), ...(weights ? { ranking_weights: weights } : {}) }),
    )
    .execute();
}

export interface Subject {
  tenantId: string;
  unitId: string | null;
  name: string;
  level: string;
  /** the tenant told about it: the parent for a tenant, the hosting tenant for a unit */
  notifyTenantId: string | null;
  lastPublishedAt: Date | null;
  since: Date;
  rootId: string;
}

async function subjects(ex: Executor): Promise<Subject[]> {
  const r = await sql<{ tenant_id: string; unit_id: string | null; name: string; level: string; notify: string | null; last: Date | null; since: Date; root_id: string }>`
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
    tenantId: x.tenant_id, unitId: x.unit_id, name: x.name, level: x.level, notifyTenantId: x.notify,
    lastPublishedAt: x.last, since: x.since, rootId: x.root_id,
  }));
}

export interface DormancyCheckResult {
  checked: number;
  warned: number;
  resumed: number;
}

/**
 * The daily check (platform scope), for the CST day `asOf`: opens a warning (and an outbox
 * event to the tenant to notify) when a subject crosses a threshold, closes open warnings
 * with the time activity resumed. Running it twice on a day changes nothing the second time.
 */
export async function checkDormancy(ex: Executor, asOf: string): Promise<DormancyCheckResult> {
  const all = await subjects(ex);
  const thresholds = new Map<string, Thresholds>();
  const open = await ex.selectFrom('dormancy_warnings').select(['tenant_id', 'unit_id', 'state', 'warned_at']).where('resumed_at', 'is', null).execute();
  const openKey = (t: string, u: string | null, s: string) => `${t}/${u ?? ''}/${s}`;
  const openSet = new Set(open.map((w) => openKey(w.tenant_id, w.unit_id, w.state)));
  let warned = 0;
  let resumed = 0;
  for (const s of all) {
    let th = thresholds.get(s.rootId);
    if (!th) thresholds.set(s.rootId, (th = await thresholdsFor(ex, s.rootId)));
    const ref = s.lastPublishedAt ?? s.since;
    const daysSilent = daysBetween(dayOf(ref), asOf);
    const state = stateFor(daysSilent, th);
    const hasOpen = openSet.has(openKey(s.tenantId, s.unitId, 'sleeping')) || openSet.has(openKey(s.tenantId, s.unitId, 'dormant'));
    if (state === null) {
      if (hasOpen && s.lastPublishedAt) {
        const q = ex.updateTable('dormancy_warnings').set({ resumed_at: s.lastPublishedAt }).where('tenant_id', '=', s.tenantId).where('resumed_at', 'is', null);
        const r = await (s.unitId ? q.where('unit_id', '=', s.unitId) : q.where('unit_id', 'is', null)).executeTakeFirst();
        resumed += Number(r.numUpdatedRows);
      }
      continue;
    }
    if (openSet.has(openKey(s.tenantId, s.unitId, state))) continue;
    await ex
      .insertInto('dormancy_warnings')
      .values({
        tenant_id: s.tenantId,
        unit_id: s.unitId,
        state,
        threshold_days: state === 'dormant' ? th.dormantDays : th.sleepingDays,
        days_silent: daysSilent,
        last_published_at: s.lastPublishedAt,
        notified_tenant_id: s.notifyTenantId,
        as_of: asOf,
      })
      .execute();
    await enqueue(ex, {
      tenantId: s.notifyTenantId,
      topic: DORMANCY_TOPIC,
      payload: {
        subjectTenantId: s.tenantId,
        unitId: s.unitId,
        name: s.name,
        state,
        daysSilent,
        lastPublishedAt: s.lastPublishedAt?.toISOString() ?? null,
        asOf,
      },
    });
    warned += 1;
  }
  return { checked: all.length, warned, resumed };
}

export interface DormantAccount {
  tenantId: string;
  unitId: string | null;
  name: string;
  level: string;
  state: DormancyState | null;
  daysSilent: number;
  lastPublishedAt: Date | null;
  /** stories first published per week, oldest first, the last `weeks` CST weeks up to asOf */
  trend: number[];
}

/**
 * The accounts a viewer may see (itself, its units, its descendants and theirs) with their
 * silence and publication trend; only those past the sleeping threshold unless `all`.
 */
export async function dormantAccounts(ex: Executor, viewerTenantId: string, asOf: string, opts: { all?: boolean; weeks?: number } = {}): Promise<DormantAccount[]> {
  const weeks = Math.max(1, Math.min(opts.weeks ?? 8, 52));
  const visible = new Set((await ex.selectFrom('tenant_tree').select('descendant_id').where('ancestor_id', '=', viewerTenantId).execute()).map((r) => r.descendant_id));
  const list = (await subjects(ex)).filter((s) => visible.has(s.tenantId));
  if (list.length === 0) return [];
  const th = await thresholdsFor(ex, list[0]!.rootId);
  const firstWeek = addDays(weekStart(asOf), -7 * (weeks - 1));
  const trendRows = await sql<{ tenant_id: string; unit_id: string | null; g: number; wk: string; n: number }>`
    SELECT tenant_id, unit_id, GROUPING(unit_id)::int AS g, to_char(date_trunc('week', (first_published_at AT TIME ZONE 'Asia/Shanghai'))::date, 'YYYY-MM-DD') AS wk, count(*)::int AS n
      FROM stories WHERE tenant_id = ANY(${[...visible]}::uuid[]) AND first_published_at >= (${firstWeek}::date::timestamp AT TIME ZONE 'Asia/Shanghai')
       AND first_published_at < ((${asOf}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
     GROUP BY GROUPING SETS ((tenant_id, wk), (tenant_id, unit_id, wk))`.execute(ex);
  const trend = new Map<string, number>();
  for (const r of trendRows.rows) {
    // g = 1: the tenant's total; g = 0: one unit's (stories without a unit are in the total only)
    if (r.g === 1) trend.set(`${r.tenant_id}//${r.wk}`, r.n);
    else if (r.unit_id !== null) trend.set(`${r.tenant_id}/${r.unit_id}/${r.wk}`, r.n);
  }
  const out: DormantAccount[] = [];
  for (const s of list) {
    const daysSilent = daysBetween(dayOf(s.lastPublishedAt ?? s.since), asOf);
    const state = stateFor(daysSilent, th);
    if (!opts.all && state === null) continue;
    const series: number[] = [];
    for (let i = 0; i < weeks; i += 1) series.push(trend.get(`${s.tenantId}/${s.unitId ?? ''}/${addDays(firstWeek, 7 * i)}`) ?? 0);
    out.push({ tenantId: s.tenantId, unitId: s.unitId, name: s.name, level: s.level, state, daysSilent, lastPublishedAt: s.lastPublishedAt, trend: series });
  }
  out.sort((a, b) => b.daysSilent - a.daysSilent || a.name.localeCompare(b.name, 'zh'));
  return out;
}

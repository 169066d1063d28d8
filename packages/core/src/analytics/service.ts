import type { Executor, Tenant } from '@yiduan/db';
import { DomainError } from '../errors.js';
import { enqueue } from '../events/index.js';
import { tenantsByIds } from '../tenancy/index.js';
import { addDays, dayOf, daysBetween, weekStart } from './days.js';
import { ANALYTICS_TOPICS, type DormancyWarnedPayload } from './events.js';
import {
  checkPeriod,
  DEFAULT_THRESHOLDS,
  nextDailyRun,
  PARTITIONS_AHEAD,
  retentionHorizon,
  stateFor,
  type DailyResult,
  type DormancyCheckResult,
  type DormancyWarningView,
  type DormantAccount,
  type Pair,
  type Period,
  type Thresholds,
} from './model.js';
import {
  mergeWeights,
  score,
  type RankingEntry,
  type RankingGroup,
  type RankingWeights,
  type VisibleRankingEntry,
} from './ranking.js';
import {
  canSeeTenant,
  dormancyRepo,
  dormancyWarningRows,
  dropPartitionsBefore,
  ensurePartitions,
  rankingRepo,
  rollupPairs,
  takeDirtyPairs,
  tenantIdsForSweep,
  visibleTenantIds,
} from './repo/index.js';

// ---------------------------------------------------------------- visibility

export async function assertCanSeeTenant(ex: Executor, viewerTenantId: string, targetTenantId: string): Promise<void> {
  if (!(await canSeeTenant(ex, viewerTenantId, targetTenantId))) throw new DomainError('FORBIDDEN');
}

/** Tenants by id, for the rows of analytics answers (one statement; none for no ids). */
export async function tenantMap(ex: Executor, ids: string[]): Promise<Map<string, Tenant>> {
  if (ids.length === 0) return new Map();
  return new Map((await tenantsByIds(ex, [...new Set(ids)])).map((t) => [t.id, t]));
}

// ---------------------------------------------------------------- ranking

/** The province (tree root) above a tenant, and its weights. */
export async function rankingWeightsFor(
  ex: Executor,
  tenantId: string,
): Promise<{ rootId: string; weights: RankingWeights }> {
  const rootId = await rankingRepo.rootOf(ex, tenantId);
  const s = await rankingRepo.settingsRow(ex, rootId);
  return { rootId, weights: mergeWeights(s?.ranking_weights) };
}

/**
 * Ranks a group over a period. It reads every peer's figures, so it runs in platform scope;
 * the caller hides the figures of peers the viewer may not see (index and rank only).
 */
export async function computeRanking(
  ex: Executor,
  group: RankingGroup,
  period: Period,
  anchorTenantId: string,
): Promise<RankingEntry[]> {
  checkPeriod(period);
  const { rootId, weights } = await rankingWeightsFor(ex, anchorTenantId);
  const len = daysBetween(period.from, period.to) + 1;
  const previous = { from: addDays(period.from, -len), to: addDays(period.from, -1) };
  const [now, before] = await Promise.all([
    rankingRepo.peerFigures(ex, group, period, rootId),
    rankingRepo.peerFigures(ex, group, previous, rootId),
  ]);
  const current = score(
    now.map((p) => ({ id: p.id, figures: p.figures })),
    weights,
  );
  const beforeHadData = before.some((p) => Object.values(p.figures).some((v) => v !== 0));
  const prevRank = new Map(
    beforeHadData
      ? score(
          before.map((p) => ({ id: p.id, figures: p.figures })),
          weights,
        ).map((s) => [s.id, s.rank])
      : [],
  );
  const byId = new Map(now.map((p) => [p.id, p]));
  return current.map((s) => {
    const p = byId.get(s.id)!;
    const was = prevRank.get(s.id);
    return {
      id: s.id,
      name: p.name,
      tenantId: p.tenantId,
      index: s.index,
      rank: s.rank,
      movement: was === undefined ? null : was - s.rank,
      figures: p.figures,
    };
  });
}

/**
 * The ranking as a viewer may see it: computed over every peer (platform scope), then each
 * peer's figures are kept only when the viewer is that tenant or one of its ancestors.
 */
export async function rankingForViewer(
  platformEx: Executor,
  viewerTenantId: string,
  group: RankingGroup,
  period: Period,
): Promise<VisibleRankingEntry[]> {
  const visible = await visibleTenantIds(platformEx, viewerTenantId);
  if (group.kind === 'units' && !visible.has(group.tenantId)) throw new DomainError('FORBIDDEN');
  const entries = await computeRanking(
    platformEx,
    group,
    period,
    group.kind === 'units' ? group.tenantId : viewerTenantId,
  );
  return entries.map((e) => ({ ...e, figures: visible.has(e.tenantId) ? e.figures : null }));
}

// ---------------------------------------------------------------- settings and dormancy

export async function thresholdsFor(ex: Executor, rootId: string): Promise<Thresholds> {
  const s = await rankingRepo.settingsRow(ex, rootId);
  return s ? { sleepingDays: s.sleeping_days, dormantDays: s.dormant_days } : { ...DEFAULT_THRESHOLDS };
}

/** The province sets thresholds and ranking weights for its tree (tenant scope of the province). */
export async function saveAnalyticsSettings(
  ex: Executor,
  provinceId: string,
  input: { sleepingDays?: number; dormantDays?: number; rankingWeights?: Record<string, number> },
  by: string | null,
): Promise<void> {
  const level = await dormancyRepo.tenantLevel(ex, provinceId);
  if (!level) throw new DomainError('TENANT_NOT_FOUND');
  if (level !== 'province') throw new DomainError('FORBIDDEN', '只有省级租户可以设置统计阈值和排行权重');
  const current = await thresholdsFor(ex, provinceId);
  const sleeping = input.sleepingDays ?? current.sleepingDays;
  const dormant = input.dormantDays ?? current.dormantDays;
  if (
    !Number.isInteger(sleeping) ||
    !Number.isInteger(dormant) ||
    sleeping < 1 ||
    dormant > 730 ||
    sleeping >= dormant
  ) {
    throw new DomainError('BAD_USER_INPUT', '睡眠天数应为正整数且小于僵尸天数（最多 730 天）');
  }
  const weights = input.rankingWeights ? JSON.stringify(input.rankingWeights) : undefined;
  await dormancyRepo.upsertSettings(ex, provinceId, {
    sleeping_days: sleeping,
    dormant_days: dormant,
    ...(weights ? { ranking_weights: weights } : {}),
    updated_by: by,
  });
}

/**
 * The daily check (platform scope), for the CST day `asOf`: opens a warning (and an outbox
 * event to the tenant to notify) when a subject crosses a threshold, closes open warnings
 * with the time activity resumed. Running it twice on a day changes nothing the second time.
 */
export async function checkDormancy(ex: Executor, asOf: string): Promise<DormancyCheckResult> {
  const all = await dormancyRepo.subjects(ex);
  const thresholds = new Map<string, Thresholds>();
  const open = await dormancyRepo.openWarnings(ex);
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
    const hasOpen =
      openSet.has(openKey(s.tenantId, s.unitId, 'sleeping')) || openSet.has(openKey(s.tenantId, s.unitId, 'dormant'));
    if (state === null) {
      if (hasOpen && s.lastPublishedAt)
        resumed += await dormancyRepo.resumeWarnings(ex, s.tenantId, s.unitId, s.lastPublishedAt);
      continue;
    }
    if (openSet.has(openKey(s.tenantId, s.unitId, state))) continue;
    await dormancyRepo.insertWarning(ex, {
      tenant_id: s.tenantId,
      unit_id: s.unitId,
      state,
      threshold_days: state === 'dormant' ? th.dormantDays : th.sleepingDays,
      days_silent: daysSilent,
      last_published_at: s.lastPublishedAt,
      notified_tenant_id: s.notifyTenantId,
      as_of: asOf,
    });
    const payload: DormancyWarnedPayload = {
      subjectTenantId: s.tenantId,
      unitId: s.unitId,
      name: s.name,
      state,
      daysSilent,
      lastPublishedAt: s.lastPublishedAt?.toISOString() ?? null,
      asOf,
    };
    await enqueue(ex, { tenantId: s.notifyTenantId, topic: ANALYTICS_TOPICS.dormancyWarned, payload: { ...payload } });
    warned += 1;
  }
  return { checked: all.length, warned, resumed };
}

/**
 * The accounts a viewer may see (itself, its units, its descendants and theirs) with their
 * silence and publication trend; only those past the sleeping threshold unless `all`.
 */
export async function dormantAccounts(
  ex: Executor,
  viewerTenantId: string,
  asOf: string,
  opts: { all?: boolean; weeks?: number } = {},
): Promise<DormantAccount[]> {
  const weeks = Math.max(1, Math.min(opts.weeks ?? 8, 52));
  const visible = await visibleTenantIds(ex, viewerTenantId);
  const list = (await dormancyRepo.subjects(ex)).filter((s) => visible.has(s.tenantId));
  if (list.length === 0) return [];
  const th = await thresholdsFor(ex, list[0]!.rootId);
  const firstWeek = addDays(weekStart(asOf), -7 * (weeks - 1));
  const trendRows = await dormancyRepo.weeklyPublications(ex, [...visible], firstWeek, asOf);
  const trend = new Map<string, number>();
  for (const r of trendRows) {
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
    for (let i = 0; i < weeks; i += 1)
      series.push(trend.get(`${s.tenantId}/${s.unitId ?? ''}/${addDays(firstWeek, 7 * i)}`) ?? 0);
    out.push({
      tenantId: s.tenantId,
      unitId: s.unitId,
      name: s.name,
      level: s.level,
      state,
      daysSilent,
      lastPublishedAt: s.lastPublishedAt,
      trend: series,
    });
  }
  out.sort((a, b) => b.daysSilent - a.daysSilent || a.name.localeCompare(b.name, 'zh'));
  return out;
}

/** Dormancy warnings of a tenant's subtree, newest first (run in that tenant's scope or an ancestor's). */
export async function dormancyWarnings(
  ex: Executor,
  tenantId: string,
  opts: { openOnly?: boolean; first?: number } = {},
): Promise<DormancyWarningView[]> {
  const rows = await dormancyWarningRows(ex, tenantId, {
    openOnly: opts.openOnly ?? false,
    limit: Math.max(1, Math.min(opts.first ?? 50, 500)),
  });
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    unitId: r.unit_id,
    state: r.state,
    thresholdDays: r.threshold_days,
    daysSilent: r.days_silent,
    lastPublishedAt: r.last_published_at,
    notifiedTenantId: r.notified_tenant_id,
    asOf: r.as_of_text,
    warnedAt: r.warned_at,
    resumedAt: r.resumed_at,
  }));
}

// ---------------------------------------------------------------- the daily job

/**
 * The daily job, carried by the outbox: an `analytics.daily` event runs the partition upkeep,
 * a roll-up sweep and the dormancy check, and enqueues the next one for 00:30 CST tomorrow in
 * the same transaction (the worker's receipt makes the chain exactly one link per day).
 * Platform scope. `now` decides "today" (tests pass a fixed instant).
 */
export async function runDaily(trx: Executor, opts: { retentionDays: number; now: number }): Promise<DailyResult> {
  const today = dayOf(opts.now);
  const horizon = retentionHorizon(opts.now, opts.retentionDays);
  const partitionsCreated = await ensurePartitions(trx, addDays(today, -1), addDays(today, PARTITIONS_AHEAD));
  const partitionsDropped = await dropPartitionsBefore(trx, horizon);
  // yesterday is final now: recompute it (and today so far) for every tenant, with what is marked
  const pairs: Pair[] = await takeDirtyPairs(trx);
  for (const id of await tenantIdsForSweep(trx, { includeClosed: false }))
    for (const day of [addDays(today, -1), today]) pairs.push({ tenantId: id, day });
  const rollup = await rollupPairs(trx, pairs, { horizon });
  const dormancy = await checkDormancy(trx, today);
  return { day: today, partitionsCreated, partitionsDropped, rollup, dormancy };
}

export async function scheduleNextDaily(ex: Executor, now: number): Promise<void> {
  await enqueue(ex, { tenantId: null, topic: ANALYTICS_TOPICS.daily, payload: {}, availableAt: nextDailyRun(now) });
}

import { sql } from 'kysely';
import type { Executor, TenantLevel } from '@yiduan/db';
import { DomainError } from '../errors.js';
import { addDays, daysBetween } from './days.js';
import { checkPeriod, type Figures, type Period } from './figures.js';

/**
 * The reach index (传播力指数). For each peer in the group, every metric is divided by the
 * group's highest value of that metric (so each lies in 0..1, "normalised per level": counties
 * are compared with counties, cities with cities, units with the units of the same tenant);
 * the index is 100 × Σ weight·normalised / Σ weight, rounded to one decimal. Ties share a rank.
 * Movement compares with the rank in the period of the same length just before.
 */
export const RANKING_METRICS = ['reach', 'uniques', 'completions', 'shares', 'published', 'followers', 'comments', 'service'] as const;
export type RankingMetric = (typeof RANKING_METRICS)[number];
export type RankingWeights = Record<RankingMetric, number>;

/** Defaults, documented in docs/data-layer-analytics.md; the province may override any of them. */
export const DEFAULT_WEIGHTS: RankingWeights = {
  reach: 0.3,
  uniques: 0.15,
  completions: 0.15,
  shares: 0.1,
  published: 0.1,
  followers: 0.1,
  comments: 0.05,
  service: 0.05,
};

export function checkWeights(input: Partial<Record<string, number>>): Partial<RankingWeights> {
  const out: Partial<RankingWeights> = {};
  for (const [k, v] of Object.entries(input)) {
    if (!(RANKING_METRICS as readonly string[]).includes(k)) throw new DomainError('BAD_USER_INPUT', `未知的排行指标：${k}`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) throw new DomainError('BAD_USER_INPUT', `指标 ${k} 的权重应在 0 到 100 之间`);
    out[k as RankingMetric] = v;
  }
  return out;
}

export function mergeWeights(override: Partial<Record<string, number>> | null | undefined): RankingWeights {
  const w = { ...DEFAULT_WEIGHTS };
  for (const m of RANKING_METRICS) {
    const v = override?.[m];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) w[m] = v;
  }
  return w;
}

/** The metric values of one peer, from its figures over the period. */
export function metricValues(f: Figures): Record<RankingMetric, number> {
  return {
    reach: f.reachViews,
    uniques: f.uniques,
    completions: f.completions,
    shares: f.shares,
    published: f.storiesPublished,
    followers: Math.max(0, f.followersGained - f.followersLost),
    comments: f.comments,
    // share of messages answered on time; a peer with no message due is not penalised
    service: f.messagesDue > 0 ? f.messagesOnTime / f.messagesDue : 1,
  };
}

export interface Scored {
  id: string;
  index: number;
  rank: number;
}

/** Pure scoring: exported for tests and the benchmark. */
export function score(peers: { id: string; figures: Figures }[], weights: RankingWeights): Scored[] {
  const values = peers.map((p) => ({ id: p.id, v: metricValues(p.figures) }));
  const max = {} as Record<RankingMetric, number>;
  for (const m of RANKING_METRICS) max[m] = Math.max(0, ...values.map((x) => x.v[m]));
  const totalWeight = RANKING_METRICS.reduce((s, m) => s + weights[m], 0) || 1;
  const scored = values.map(({ id, v }) => {
    let s = 0;
    for (const m of RANKING_METRICS) if (max[m] > 0) s += weights[m] * (v[m] / max[m]);
    return { id, index: Math.round((1000 * s) / totalWeight) / 10 };
  });
  scored.sort((a, b) => b.index - a.index || a.id.localeCompare(b.id));
  const out: Scored[] = [];
  scored.forEach((x, i) => {
    const prev = out[i - 1];
    out.push({ ...x, rank: prev && prev.index === x.index ? prev.rank : i + 1 });
  });
  return out;
}

export type RankingGroup = { kind: 'level'; level: Exclude<TenantLevel, 'province'> } | { kind: 'units'; tenantId: string };

export interface RankingEntry {
  id: string;
  name: string;
  /** for tenants: the tenant; for units: the hosting tenant */
  tenantId: string;
  index: number;
  rank: number;
  /** positive: climbed that many places since the previous period; null: not ranked then */
  movement: number | null;
  figures: Figures;
}

async function peerFigures(ex: Executor, group: RankingGroup, period: Period, rootId: string): Promise<{ id: string; name: string; tenantId: string; figures: Figures }[]> {
  const sums = sql`
    coalesce(sum(d.views), 0)::int AS views, coalesce(sum(d.uniques), 0)::int AS uniques, coalesce(sum(d.completions), 0)::int AS completions,
    coalesce(sum(d.shares), 0)::int AS shares, coalesce(sum(d.stories_published), 0)::int AS stories_published,
    coalesce(sum(d.followers_gained), 0)::int AS followers_gained, coalesce(sum(d.followers_lost), 0)::int AS followers_lost,
    coalesce(sum(d.messages_due), 0)::int AS messages_due, coalesce(sum(d.messages_on_time), 0)::int AS messages_on_time`;
  type Row = { id: string; name: string; tenant_id: string; views: number; uniques: number; completions: number; shares: number; reach_views: number; syndicated_views: number; stories_published: number; followers_gained: number; followers_lost: number; comments: number; messages_due: number; messages_on_time: number };
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
    figures: {
      views: r.views, uniques: r.uniques, completions: r.completions, shares: r.shares, reachViews: r.reach_views,
      syndicatedViews: r.syndicated_views, storiesPublished: r.stories_published, followersGained: r.followers_gained,
      followersLost: r.followers_lost, comments: r.comments, messagesDue: r.messages_due, messagesOnTime: r.messages_on_time,
    },
  }));
}

/** The province (tree root) above a tenant, and its weights. */
export async function rankingWeightsFor(ex: Executor, tenantId: string): Promise<{ rootId: string; weights: RankingWeights }> {
  const root = await ex
    .selectFrom('tenant_tree as tt')
    .innerJoin('tenants as t', 't.id', 'tt.ancestor_id')
    .select('t.id')
    .where('tt.descendant_id', '=', tenantId)
    .where('t.parent_id', 'is', null)
    .executeTakeFirst();
  const rootId = root?.id ?? tenantId;
  const s = await ex.selectFrom('analytics_settings').select('ranking_weights').where('tenant_id', '=', rootId).executeTakeFirst();
  return { rootId, weights: mergeWeights(s?.ranking_weights) };
}

/**
 * Ranks a group over a period. It reads every peer's figures, so it runs in platform scope;
 * the caller hides the figures of peers the viewer may not see (index and rank only).
 */
export async function computeRanking(ex: Executor, group: RankingGroup, period: Period, anchorTenantId: string): Promise<RankingEntry[]> {
  checkPeriod(period);
  const { rootId, weights } = await rankingWeightsFor(ex, anchorTenantId);
  const len = daysBetween(period.from, period.to) + 1;
  const previous = { from: addDays(period.from, -len), to: addDays(period.from, -1) };
  const [now, before] = await Promise.all([peerFigures(ex, group, period, rootId), peerFigures(ex, group, previous, rootId)]);
  const current = score(now.map((p) => ({ id: p.id, figures: p.figures })), weights);
  const beforeHadData = before.some((p) => Object.values(p.figures).some((v) => v !== 0));
  const prevRank = new Map(beforeHadData ? score(before.map((p) => ({ id: p.id, figures: p.figures })), weights).map((s) => [s.id, s.rank]) : []);
  const byId = new Map(now.map((p) => [p.id, p]));
  return current.map((s) => {
    const p = byId.get(s.id)!;
    const was = prevRank.get(s.id);
    return { id: s.id, name: p.name, tenantId: p.tenantId, index: s.index, rank: s.rank, movement: was === undefined ? null : was - s.rank, figures: p.figures };
  });
}

export interface VisibleRankingEntry extends Omit<RankingEntry, 'figures'> {
  /** null for a peer the viewer may not see: peers show their index and rank only */
  figures: Figures | null;
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
  const visible = new Set(
    (await platformEx.selectFrom('tenant_tree').select('descendant_id').where('ancestor_id', '=', viewerTenantId).execute()).map((r) => r.descendant_id),
  );
  if (group.kind === 'units' && !visible.has(group.tenantId)) throw new DomainError('FORBIDDEN');
  const entries = await computeRanking(platformEx, group, period, group.kind === 'units' ? group.tenantId : viewerTenantId);
  return entries.map((e) => ({ ...e, figures: visible.has(e.tenantId) ? e.figures : null }));
}

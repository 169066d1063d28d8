import type { TenantLevel } from '@yiduan/db';
import { DomainError } from '../errors.js';
import type { Figures } from './model.js';

/**
 * The reach index (传播力指数). For each peer in the group, every metric is divided by the
 * group's highest value of that metric (so each lies in 0..1, "normalised per level": counties
 * are compared with counties, cities with cities, units with the units of the same tenant);
 * the index is 100 × Σ weight·normalised / Σ weight, rounded to one decimal. Ties share a rank.
 * Movement compares with the rank in the period of the same length just before.
 */
export const RANKING_METRICS = [
  'reach',
  'uniques',
  'completions',
  'shares',
  'published',
  'followers',
  'comments',
  'service',
] as const;
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
    if (!(RANKING_METRICS as readonly string[]).includes(k))
      throw new DomainError('BAD_USER_INPUT', `未知的排行指标：${k}`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100)
      throw new DomainError('BAD_USER_INPUT', `指标 ${k} 的权重应在 0 到 100 之间`);
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

export type RankingGroup =
  { kind: 'level'; level: Exclude<TenantLevel, 'province'> } | { kind: 'units'; tenantId: string };

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

export interface VisibleRankingEntry extends Omit<RankingEntry, 'figures'> {
  /** null for a peer the viewer may not see: peers show their index and rank only */
  figures: Figures | null;
}

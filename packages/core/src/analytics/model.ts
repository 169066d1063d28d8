import type { DormancyState } from '@yiduan/db';
import { DomainError } from '../errors.js';
import { addDays, dayOf, dayStart, daysBetween, isDay } from './days.js';

/** What the analytics context owns: figures over days and periods, roll-up units, dormancy. */

/** Figures of one tenant (or unit) over a day or a period. Uniques over a period are visitor-days. */
export interface Figures {
  views: number;
  uniques: number;
  completions: number;
  shares: number;
  reachViews: number;
  syndicatedViews: number;
  storiesPublished: number;
  followersGained: number;
  followersLost: number;
  comments: number;
  messagesDue: number;
  messagesOnTime: number;
}

export interface DailyFigures extends Figures {
  day: string;
}

export interface Period {
  from: string;
  to: string;
}

export const MAX_PERIOD_DAYS = 800;

/** A valid period: two CST days, from ≤ to, at most MAX_PERIOD_DAYS long. */
export function checkPeriod(p: Period): Period {
  if (!isDay(p.from) || !isDay(p.to))
    throw new DomainError('BAD_USER_INPUT', undefined, [{ path: 'from', message: '日期格式应为 YYYY-MM-DD' }]);
  const len = daysBetween(p.from, p.to) + 1;
  if (len < 1)
    throw new DomainError('BAD_USER_INPUT', undefined, [{ path: 'to', message: '结束日期不能早于开始日期' }]);
  if (len > MAX_PERIOD_DAYS)
    throw new DomainError('BAD_USER_INPUT', undefined, [
      { path: 'to', message: `统计区间不能超过 ${MAX_PERIOD_DAYS} 天` },
    ]);
  return p;
}

export const ZERO: Figures = {
  views: 0,
  uniques: 0,
  completions: 0,
  shares: 0,
  reachViews: 0,
  syndicatedViews: 0,
  storiesPublished: 0,
  followersGained: 0,
  followersLost: 0,
  comments: 0,
  messagesDue: 0,
  messagesOnTime: 0,
};

/** The summed columns of a roll-up row, as the reads select them. */
export interface SumRow {
  views: number;
  uniques: number;
  completions: number;
  shares: number;
  reach_views: number;
  syndicated_views: number;
  stories_published: number;
  followers_gained: number;
  followers_lost: number;
  comments: number;
  messages_due: number;
  messages_on_time: number;
}

export function toFigures(r: Partial<SumRow> | undefined): Figures {
  if (!r) return { ...ZERO };
  return {
    views: r.views ?? 0,
    uniques: r.uniques ?? 0,
    completions: r.completions ?? 0,
    shares: r.shares ?? 0,
    reachViews: r.reach_views ?? 0,
    syndicatedViews: r.syndicated_views ?? 0,
    storiesPublished: r.stories_published ?? 0,
    followersGained: r.followers_gained ?? 0,
    followersLost: r.followers_lost ?? 0,
    comments: r.comments ?? 0,
    messagesDue: r.messages_due ?? 0,
    messagesOnTime: r.messages_on_time ?? 0,
  };
}

export interface UnitFigures extends Figures {
  unitId: string;
  name: string;
}

export interface StoryFaceFigures {
  faceTenantId: string;
  views: number;
  uniques: number;
  completions: number;
  shares: number;
}

export interface StoryFigures {
  storyId: string;
  tenantId: string;
  title: string;
  views: number;
  uniques: number;
  completions: number;
  shares: number;
  /** where it was read: its own face and every face that carried it */
  faces: StoryFaceFigures[];
}

/** Plays of a video on one face over a period. */
export interface VideoFaceFigures {
  faceTenantId: string;
  plays: number;
  /** visitor-days that played it on the face */
  viewers: number;
  watchMs: number;
  /** the sum over viewers of the furthest fraction reached: ÷ viewers is the average completion */
  completionSum: number;
  /** plays that reached the end (95 %) */
  completed: number;
}

/** Plays of a video on a face or a subtree over a period, with the faces it was played on. */
export interface VideoFigures extends Omit<VideoFaceFigures, 'faceTenantId'> {
  videoId: string;
  /** the video's owner: a province video plays on the counties by reference */
  videoTenantId: string;
  faces: VideoFaceFigures[];
}

/** Average completion 0–1 (two decimals kept by the caller): 0 when nobody played. */
export const averageCompletion = (f: { viewers: number; completionSum: number }): number =>
  f.viewers > 0 ? Math.min(1, f.completionSum / f.viewers) : 0;

/** A story a face shows, with the reads it had on that face over a period. */
export interface MostRead {
  storyId: string;
  /** the face's own headline where it overrides the origin's */
  title: string;
  views: number;
}

// ---------------------------------------------------------------- roll-ups

/**
 * The unit of roll-up work: a (tenant, day) pair. The writer marks the pairs its events touched
 * (the face's and the story origin's); every run also revisits today and yesterday.
 */
export interface Pair {
  tenantId: string;
  day: string;
}

export interface RollupResult {
  pairs: number;
  treePairs: number;
  ms: number;
  /** milliseconds per step, for the benchmark and slow-run logs */
  steps: Record<string, number>;
}

export interface RollupOptions {
  retentionDays: number;
  now?: number;
  /** also revisit today and yesterday for every tenant (default true) */
  sweepRecent?: boolean;
}

/** The first day whose raw events are still kept. */
export function retentionHorizon(now: number, retentionDays: number): string {
  return addDays(dayOf(now), -retentionDays + 1);
}

// ---------------------------------------------------------------- dormancy

/**
 * Dormant accounts (僵尸号 / 睡眠号): a tenant or a unit with no first publication for
 * `sleeping_days` is sleeping, for `dormant_days` dormant. The thresholds are the province's
 * (analytics_settings of the tree root; 14 and 60 by default). Days silent = the check's day
 * minus the day of the last publication (or of the account's creation when it never published):
 * with 14, a tenant that last published on day D is flagged on D+14, not on D+13.
 */
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

export interface DormancyCheckResult {
  checked: number;
  warned: number;
  resumed: number;
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

/** A warning as the analytics pages list it (the day as text: see docs/data-layer.md, dates). */
export interface DormancyWarningView {
  id: string;
  tenantId: string;
  unitId: string | null;
  state: DormancyState;
  thresholdDays: number;
  daysSilent: number;
  lastPublishedAt: Date | null;
  notifiedTenantId: string | null;
  asOf: string;
  warnedAt: Date;
  resumedAt: Date | null;
}

// ---------------------------------------------------------------- the daily job

export const PARTITIONS_AHEAD = 7;

export interface DailyResult {
  day: string;
  partitionsCreated: number;
  partitionsDropped: number;
  rollup: RollupResult;
  dormancy: DormancyCheckResult;
}

/** 00:30 CST of the day after `now`. */
export function nextDailyRun(now: number): Date {
  return new Date(dayStart(addDays(dayOf(now), 1)).getTime() + 30 * 60_000);
}

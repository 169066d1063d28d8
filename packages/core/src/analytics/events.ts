import type { DormancyState } from '@yiduan/db';

/** Outbox topics of the analytics context, with their payloads. */
export const ANALYTICS_TOPICS = {
  /** the daily job (partitions, roll-up sweep, dormancy check); each run enqueues the next, due 00:30 CST */
  daily: 'analytics.daily',
  /** a tenant or unit crossed a dormancy threshold; sent to the tenant to tell (its parent or host) */
  dormancyWarned: 'analytics.dormancy_warned',
} as const;

export type AnalyticsTopic = (typeof ANALYTICS_TOPICS)[keyof typeof ANALYTICS_TOPICS];

/** The names the worker and tests have used since the daily job existed. */
export const DAILY_TOPIC = ANALYTICS_TOPICS.daily;
export const DORMANCY_TOPIC = ANALYTICS_TOPICS.dormancyWarned;

/** `analytics.daily` carries nothing: "today" is the time it runs. */
export type DailyPayload = Record<string, never>;

export type DormancyWarnedPayload = {
  subjectTenantId: string;
  unitId: string | null;
  name: string;
  state: DormancyState;
  daysSilent: number;
  /** ISO 8601 instant, or null when the subject never published */
  lastPublishedAt: string | null;
  /** the CST day of the check, YYYY-MM-DD */
  asOf: string;
};

export interface AnalyticsPayloads {
  'analytics.daily': DailyPayload;
  'analytics.dormancy_warned': DormancyWarnedPayload;
}

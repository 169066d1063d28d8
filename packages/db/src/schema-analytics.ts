import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json } from './schema.js';

/** Row types of the data layer (migration 2026_11_27_1900_analytics). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** a `date` column: read and written as 'YYYY-MM-DD' (the pg type parser is set by the analytics module) */
type Day = ColumnType<string, string, string>;
type Counter = ColumnType<number, number | undefined, number>;

/** reading events, then the video player's (migration 2026_12_08_0100_video_plays) */
export type AnalyticsEventKind = 'view' | 'read' | 'share' | 'play' | 'watch' | 'end';
export type AnalyticsScope = 'own' | 'tree';
export type DormancyState = 'sleeping' | 'dormant';

export interface AnalyticsEventsTable {
  /** the face the event was read on */
  tenant_id: string;
  day: Day;
  event_id: string;
  at: Timestamp;
  kind: AnalyticsEventKind;
  story_id: string | null;
  /** the story's origin */
  story_tenant_id: string | null;
  unit_id: string | null;
  visitor: ColumnType<number, number | string, number | string>;
  path: ColumnType<string, string | undefined, string>;
  referrer: string | null;
  channel: string | null;
  /** video events: the video, its owner, ms watched since the previous event, furthest fraction reached */
  video_id: ColumnType<string | null, string | null | undefined, string | null>;
  video_tenant_id: ColumnType<string | null, string | null | undefined, string | null>;
  watch_ms: ColumnType<number | null, number | null | undefined, number | null>;
  fraction: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface AnalyticsDirtyTable {
  tenant_id: string;
  day: Day;
  marked_at: Timestamp;
}

export interface AnalyticsStoryDailyTable {
  tenant_id: string;
  story_id: string;
  day: Day;
  face_tenant_id: string;
  views: Counter;
  uniques: Counter;
  completions: Counter;
  shares: Counter;
}

export interface AnalyticsTenantDailyTable {
  tenant_id: string;
  scope: AnalyticsScope;
  day: Day;
  views: Counter;
  uniques: Counter;
  completions: Counter;
  shares: Counter;
  reach_views: Counter;
  syndicated_views: Counter;
  stories_published: Counter;
  followers_gained: Counter;
  followers_lost: Counter;
  comments: Counter;
  messages_due: Counter;
  messages_on_time: Counter;
  updated_at: Timestamp;
}

export interface AnalyticsUnitDailyTable {
  tenant_id: string;
  unit_id: string;
  day: Day;
  views: Counter;
  uniques: Counter;
  completions: Counter;
  shares: Counter;
  stories_published: Counter;
  followers_gained: Counter;
  followers_lost: Counter;
  messages_due: Counter;
  messages_on_time: Counter;
  updated_at: Timestamp;
}

/** Plays of a video per face ('own') or subtree ('tree') and CST day (migration 2026_12_08_0100_video_plays). */
export interface AnalyticsVideoDailyTable {
  tenant_id: string;
  scope: AnalyticsScope;
  day: Day;
  video_id: string;
  video_tenant_id: string;
  plays: Counter;
  viewers: Counter;
  watch_ms: ColumnType<number, number | string | undefined, number | string>;
  completion_sum: Counter;
  completed: Counter;
  updated_at: Timestamp;
}

export interface AnalyticsSettingsTable {
  tenant_id: string;
  sleeping_days: Counter;
  dormant_days: Counter;
  ranking_weights: Json<Record<string, number>>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface DormancyWarningsTable {
  tenant_id: string;
  id: Generated<string>;
  unit_id: string | null;
  state: DormancyState;
  threshold_days: number;
  days_silent: number;
  last_published_at: Date | null;
  notified_tenant_id: string | null;
  as_of: Day;
  warned_at: Timestamp;
  resumed_at: Date | null;
}

declare module './schema.js' {
  interface Database {
    analytics_events: AnalyticsEventsTable;
    analytics_dirty: AnalyticsDirtyTable;
    analytics_story_daily: AnalyticsStoryDailyTable;
    analytics_tenant_daily: AnalyticsTenantDailyTable;
    analytics_unit_daily: AnalyticsUnitDailyTable;
    analytics_video_daily: AnalyticsVideoDailyTable;
    analytics_settings: AnalyticsSettingsTable;
    dormancy_warnings: DormancyWarningsTable;
  }
}

export type TenantDailyRow = Selectable<AnalyticsTenantDailyTable>;
export type UnitDailyRow = Selectable<AnalyticsUnitDailyTable>;
export type StoryDailyRow = Selectable<AnalyticsStoryDailyTable>;
export type DormancyWarningRow = Selectable<DormancyWarningsTable>;

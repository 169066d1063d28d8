import type { ColumnType, Generated, Selectable } from 'kysely';
import type { GovPlatform } from './schema-accounts.js';

/** Inspection round tables (migration 2026_12_07_1510_account_rounds). Kept by hand next to the migration. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** a `date` column, read as text by the queries that select it (`::text`) */
type Day = ColumnType<string, string, string>;

export type GovRoundStatus = 'open' | 'closed';
/** 优秀 (above 80), 合格 (60 to 80), 不合格 (below 60), 单项否决 (a veto item) */
export type GovRoundVerdict = 'excellent' | 'pass' | 'fail' | 'veto';
export type GovFindingKind = 'veto' | 'deduction';
export type GovFixOrderStatus = 'open' | 'closed';

export interface GovRoundsTable {
  tenant_id: string;
  id: Generated<string>;
  title: string;
  seed: string;
  /** numeric: arrives from pg as a string */
  share: ColumnType<string, number | string, number | string>;
  check_day: Day;
  status: ColumnType<GovRoundStatus, GovRoundStatus | undefined, GovRoundStatus>;
  sampled: ColumnType<number, number | undefined, number>;
  opened_by: string | null;
  created_at: Generated<Date>;
  closed_at: NullableTimestamp;
}

export interface GovRoundSamplesTable {
  tenant_id: string;
  account_id: string;
  round_tenant_id: string;
  round_id: string;
  platform: GovPlatform;
  account_name: string;
  silent_days: number | null;
  score: ColumnType<number, number | undefined, number>;
  verdict: ColumnType<GovRoundVerdict, GovRoundVerdict | undefined, GovRoundVerdict>;
  updated_at: Timestamp;
}

export interface GovRoundFindingsTable {
  tenant_id: string;
  id: Generated<string>;
  account_id: string;
  round_tenant_id: string;
  round_id: string;
  item: string;
  kind: GovFindingKind;
  points: number;
  note: ColumnType<string, string | undefined, string>;
  links: ColumnType<string[], string[] | undefined, string[]>;
  asset_ids: ColumnType<string[], string[] | undefined, string[]>;
  wording: ColumnType<unknown, string | null | undefined, string | null>;
  recorded_by: string | null;
  recorded_by_name: ColumnType<string, string | undefined, string>;
  created_at: Generated<Date>;
}

export interface GovFixOrdersTable {
  tenant_id: string;
  id: Generated<string>;
  account_id: string;
  round_tenant_id: string;
  round_id: string;
  items: string[];
  requirement: string;
  issued_on: Day;
  due_on: Day;
  status: ColumnType<GovFixOrderStatus, GovFixOrderStatus | undefined, GovFixOrderStatus>;
  recheck_note: ColumnType<string, string | undefined, string>;
  rechecks: ColumnType<number, number | undefined, number>;
  rechecked_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  issued_by: string | null;
  created_at: Generated<Date>;
}

declare module './schema.js' {
  interface Database {
    gov_rounds: GovRoundsTable;
    gov_round_samples: GovRoundSamplesTable;
    gov_round_findings: GovRoundFindingsTable;
    gov_fix_orders: GovFixOrdersTable;
  }
}

export type GovRoundRow = Selectable<GovRoundsTable>;
export type GovRoundSampleRow = Selectable<GovRoundSamplesTable>;
export type GovRoundFindingRow = Selectable<GovRoundFindingsTable>;
export type GovFixOrderRow = Selectable<GovFixOrdersTable>;

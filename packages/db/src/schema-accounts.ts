import type { ColumnType, Generated, Selectable } from 'kysely';

/** Government new-media account tables (migration 2026_12_07_0615_gov_accounts). Kept by hand next to the migration. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** a `date` column: written as 'YYYY-MM-DD', read as text by the queries that select it (`::text`) */
type Day = ColumnType<string | null, string | null | undefined, string | null>;
/** bigint arrives from pg as a string; written as a number */
type Count = ColumnType<string | null, number | string | null | undefined, number | string | null>;

export type GovPlatform =
  'wechat' | 'weibo' | 'douyin' | 'kuaishou' | 'toutiao' | 'bilibili' | 'app' | 'website' | 'other';
export type GovAccountStatus = 'active' | 'closing' | 'closed' | 'merged';
export type GovOperation = 'self' | 'operator';
export type GovActivitySource = 'manual' | 'import' | 'feed';

export interface GovAccountsTable {
  tenant_id: string;
  id: Generated<string>;
  unit_id: string | null;
  platform: GovPlatform;
  name: string;
  handle: string;
  handle_key: string;
  verified_subject: ColumnType<string, string | undefined, string>;
  sponsor: ColumnType<string, string | undefined, string>;
  supervisor: ColumnType<string, string | undefined, string>;
  filing_no: ColumnType<string, string | undefined, string>;
  operation: ColumnType<GovOperation, GovOperation | undefined, GovOperation>;
  operator_org_id: string | null;
  contract_start: Day;
  contract_end: Day;
  reviewers: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<GovAccountStatus, GovAccountStatus | undefined, GovAccountStatus>;
  last_updated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  followers: Count;
  posts: Count;
  reads: Count;
  figures_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  activity_source: ColumnType<GovActivitySource | null, GovActivitySource | null | undefined, GovActivitySource | null>;
  feed_url: ColumnType<string | null, string | null | undefined, string | null>;
  feed_checked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  feed_error: ColumnType<string | null, string | null | undefined, string | null>;
  note: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface GovAccountThresholdsTable {
  tenant_id: string;
  warn_days: number | null;
  fail_days: number | null;
  zombie_days: number | null;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** The yearly cost of one account, set by a province or city for its subtree (migration 2026_12_07_1630). */
export interface GovAccountCostsTable {
  tenant_id: string;
  yuan_per_year: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

declare module './schema.js' {
  interface Database {
    gov_accounts: GovAccountsTable;
    gov_account_thresholds: GovAccountThresholdsTable;
    gov_account_costs: GovAccountCostsTable;
  }
}

export type GovAccountRow = Selectable<GovAccountsTable>;
export type GovAccountThresholdRow = Selectable<GovAccountThresholdsTable>;

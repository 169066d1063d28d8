import type { ColumnType, Generated, Selectable } from 'kysely';

/** Closures of government new-media accounts (migration 2026_12_07_1520_account_closures). Kept by hand next to the migration. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type MaybeTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** a `date` column, read as text by the queries that select it (`::text`) */
type Day = ColumnType<string | null, string | null | undefined, string | null>;

export type GovClosureKind = 'close' | 'merge';
export type GovClosureStatus =
  'proposed' | 'approved' | 'declined' | 'withdrawn' | 'noticed' | 'deregistered' | 'filed';

export interface GovAccountClosuresTable {
  tenant_id: string;
  id: Generated<string>;
  account_id: string;
  kind: GovClosureKind;
  successor_account_id: string | null;
  section_id: string | null;
  reason: string;
  status: ColumnType<GovClosureStatus, GovClosureStatus | undefined, GovClosureStatus>;
  proposed_by: string | null;
  proposed_by_name: string;
  proposed_at: Timestamp;
  decided_by: ColumnType<string | null, string | null | undefined, string | null>;
  decided_by_name: ColumnType<string | null, string | null | undefined, string | null>;
  decider_tenant_id: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: MaybeTime;
  decision_note: ColumnType<string, string | undefined, string>;
  notice_story_id: ColumnType<string | null, string | null | undefined, string | null>;
  notice_drafted_at: MaybeTime;
  notice_published_at: MaybeTime;
  deregistered_at: MaybeTime;
  deregistered_by_name: ColumnType<string | null, string | null | undefined, string | null>;
  filing_due: Day;
  filed_at: MaybeTime;
  filing_ref: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Timestamp;
}

export interface GovAccountClosureItemsTable {
  tenant_id: string;
  id: Generated<string>;
  closure_id: string;
  story_id: string;
  original_url: string;
  original_at: Date;
  title: string;
  published_at: MaybeTime;
  created_at: Generated<Date>;
}

export interface ContentRedirectsTable {
  tenant_id: string;
  path: string;
  story_id: string;
  closure_id: string | null;
  created_at: Generated<Date>;
}

declare module './schema.js' {
  interface Database {
    gov_account_closures: GovAccountClosuresTable;
    gov_account_closure_items: GovAccountClosureItemsTable;
    content_redirects: ContentRedirectsTable;
  }
}

export type GovAccountClosureRow = Selectable<GovAccountClosuresTable>;
export type GovAccountClosureItemRow = Selectable<GovAccountClosureItemsTable>;

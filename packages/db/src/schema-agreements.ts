import type { ColumnType, Generated, Selectable } from 'kysely';

/** Agreement tables (migration 2026_12_07_0310_agreements). Kept by hand next to the migration. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Identity = ColumnType<string, never, never>;

export type AgreementKind = 'terms' | 'privacy';
export type AgreementStatus = 'draft' | 'published';

export interface AgreementsTable {
  tenant_id: string;
  kind: AgreementKind;
  version: number;
  title: string;
  body: string;
  status: AgreementStatus;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  published_at: Date | null;
}

export interface AgreementAcceptancesTable {
  citizen_id: string;
  id: Identity;
  tenant_id: string | null;
  kind: AgreementKind;
  version: number;
  accepted_at: Generated<Date>;
}

declare module './schema.js' {
  interface Database {
    agreements: AgreementsTable;
    agreement_acceptances: AgreementAcceptancesTable;
  }
}

export type AgreementRow = Selectable<AgreementsTable>;
export type AgreementAcceptance = Selectable<AgreementAcceptancesTable>;

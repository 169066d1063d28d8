import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** The database as the application sees it. Kept by hand next to the migrations. */

export type TenantLevel = 'province' | 'city' | 'county';
export type TenantStatus = 'active' | 'suspended' | 'closed';
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: written as a JSON string or value, read as parsed JSON */
export type Json<T> = ColumnType<T, T | string, T | string>;

export interface TenantsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  level: TenantLevel;
  parent_id: string | null;
  status: ColumnType<TenantStatus, TenantStatus | undefined, TenantStatus>;
  settings: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TenantTreeTable {
  ancestor_id: string;
  descendant_id: string;
  depth: number;
}

export interface TenantDomainsTable {
  host: string;
  tenant_id: string;
  is_primary: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface FacesTable {
  tenant_id: string;
  site_name: string;
  tagline: ColumnType<string, string | undefined, string>;
  logo_url: string | null;
  favicon_url: string | null;
  theme: Json<Record<string, unknown>>;
  navigation: Json<unknown[]>;
  home_layout: Json<unknown[]>;
  footer: Json<Record<string, unknown>>;
  version: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export type OutboxStatus = 'pending' | 'done' | 'dead';

export interface OutboxTable {
  id: ColumnType<number, never, never>;
  tenant_id: string | null;
  topic: string;
  payload: Json<Record<string, unknown>>;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  available_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  processed_at: Date | null;
}

export interface OutboxReceiptsTable {
  consumer: string;
  event_id: number;
  processed_at: Timestamp;
}

export interface AuditLogTable {
  id: ColumnType<number, never, never>;
  tenant_id: string | null;
  at: Timestamp;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  revision: number | null;
  detail: Json<Record<string, unknown>>;
}

export interface Database {
  tenants: TenantsTable;
  tenant_tree: TenantTreeTable;
  tenant_domains: TenantDomainsTable;
  faces: FacesTable;
  outbox: OutboxTable;
  outbox_receipts: OutboxReceiptsTable;
  audit_log: AuditLogTable;
}

export type Tenant = Selectable<TenantsTable>;
export type NewTenant = Insertable<TenantsTable>;
export type TenantUpdate = Updateable<TenantsTable>;
export type TenantDomain = Selectable<TenantDomainsTable>;
export type FaceRow = Selectable<FacesTable>;
export type OutboxEvent = Selectable<OutboxTable>;
export type AuditEntry = Selectable<AuditLogTable>;

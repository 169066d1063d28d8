import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely';

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
  /** set by the database: the tenant's previous row's hash and this row's */
  prev_hash: ColumnType<string | null, never, never>;
  hash: ColumnType<string | null, never, never>;
}

// ---- newsroom

export type StaffRole = 'reporter' | 'editor' | 'reviewer' | 'chief_editor' | 'tenant_admin';
export type ReviewRole = 'editor' | 'reviewer' | 'chief_editor';
export type StoryKind = 'article' | 'video' | 'gallery' | 'link';
export type StoryStatus = 'draft' | 'in_review' | 'approved' | 'scheduled' | 'published';
/** The story's state derived from the facts (stories.state, a generated column): the status, or unpublished / retracted. */
export type StoryState = StoryStatus | 'unpublished' | 'retracted';
export type ReviewAction =
  'submit' | 'approve' | 'reject' | 'withdraw' | 'schedule' | 'publish' | 'unpublish' | 'correct' | 'retract';
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface OrganisationsTable {
  id: Generated<string>;
  name: string;
  licence_no: string;
  valid_until: ColumnType<string, string, string>;
  status: Defaulted<'active' | 'suspended'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StaffTable {
  id: Generated<string>;
  login: string;
  display_name: string;
  password_hash: string;
  is_operator: Defaulted<boolean>;
  org_id: string | null;
  status: Defaulted<'active' | 'disabled'>;
  created_at: Timestamp;
  last_login_at: Date | null;
}

export interface StaffSessionsTable {
  id: string;
  staff_id: string;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date, Date>;
  last_seen_at: Timestamp;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export interface UnitsTable {
  tenant_id: string;
  id: Generated<string>;
  slug: string;
  name: string;
  kind: 'bureau' | 'township' | 'institution' | 'enterprise' | 'other';
  status: Defaulted<'active' | 'suspended' | 'closed'>;
  created_at: Timestamp;
}

export interface GrantsTable {
  id: Generated<string>;
  tenant_id: string;
  staff_id: string | null;
  org_id: string | null;
  role: StaffRole;
  unit_id: string | null;
  granted_by: string | null;
  created_at: Timestamp;
  revoked_at: Date | null;
}

export interface ReviewChainsTable {
  tenant_id: string;
  steps: ReviewRole[];
  updated_at: Timestamp;
}

export interface SectionsTable {
  tenant_id: string;
  id: Generated<string>;
  slug: string;
  name: string;
  position: Defaulted<number>;
  review_steps: ReviewRole[] | null;
  created_at: Timestamp;
}

export interface AssetsTable {
  tenant_id: string;
  id: Generated<string>;
  kind: Defaulted<'image'>;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  storage_key: string;
  original_name: Defaulted<string>;
  alt: Defaulted<string>;
  shared: Defaulted<boolean>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface StoriesTable {
  tenant_id: string;
  id: Generated<string>;
  kind: StoryKind;
  status: Defaulted<StoryStatus>;
  section_id: string | null;
  unit_id: string | null;
  current_revision: Defaulted<number>;
  review_revision: number | null;
  review_step: number | null;
  review_steps: ReviewRole[] | null;
  published_revision: number | null;
  scheduled_at: Date | null;
  first_published_at: Date | null;
  published_at: Date | null;
  retracted_at: Date | null;
  retraction_reason: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  share_policy: Defaulted<SharePolicy>;
  origin_tenant_id: string | null;
  origin_story_id: string | null;
  state: GeneratedAlways<StoryState>;
}

export interface StoryRevisionsTable {
  tenant_id: string;
  story_id: string;
  number: number;
  /** 引题: the line above the headline */
  kicker: Defaulted<string>;
  title: string;
  subtitle: Defaulted<string>;
  summary: Defaulted<string>;
  cover_asset_id: string | null;
  tags: Defaulted<string[]>;
  author_line: Defaulted<string>;
  link_url: string | null;
  body: Json<unknown[]>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface ReviewEventsTable {
  tenant_id: string;
  id: ColumnType<number, never, never>;
  story_id: string;
  revision: number;
  step: number | null;
  action: ReviewAction;
  actor_id: string | null;
  actor_name: string;
  comment: Defaulted<string>;
  at: Timestamp;
}

export interface StoryCorrectionsTable {
  tenant_id: string;
  id: Generated<string>;
  story_id: string;
  revision: number;
  note: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface TerminologyRulesTable {
  tenant_id: string;
  id: Generated<string>;
  pattern: string;
  kind: 'literal' | 'regex';
  replacement: string | null;
  severity: 'block' | 'warn';
  note: Defaulted<string>;
  enabled: Defaulted<boolean>;
  created_by: string | null;
  created_at: Timestamp;
}

// ---- syndication

export type SharePolicy = 'none' | 'up' | 'down' | 'tree';
export type PlacementMode = 'own' | 'pulled' | 'pushed' | 'offered' | 'rule';
export type PlacementStatus = 'active' | 'pending' | 'declined' | 'removed' | 'detached';

export interface PlacementsTable {
  tenant_id: string;
  id: Generated<string>;
  story_id: string;
  origin_tenant_id: string;
  mode: PlacementMode;
  mandatory: Defaulted<boolean>;
  status: Defaulted<PlacementStatus>;
  /** never null once written: a trigger fills the face's section when none is given */
  section_id: ColumnType<string, string | null | undefined, string | null>;
  pinned: Defaulted<boolean>;
  position: Defaulted<number>;
  local_title: string | null;
  decline_reason: string | null;
  detached_story_id: string | null;
  placed_by: string | null;
  job_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  placed_at: Timestamp;
  /** the story's publication time at its origin, kept current by triggers: orders the feeds */
  story_published_at: Generated<Date>;
  /** the story's last published headline, kept by triggers: still shown to the face after 撤稿 */
  story_title: Generated<string | null>;
}

export interface SyndicationJobsTable {
  tenant_id: string;
  id: Generated<string>;
  story_id: string;
  kind: 'push' | 'withdraw';
  mandatory: Defaulted<boolean>;
  targets: string[];
  section_slug: string | null;
  total: number;
  done: Defaulted<number>;
  status: Defaulted<'running' | 'finished' | 'failed'>;
  created_by: string | null;
  created_at: Timestamp;
  finished_at: Date | null;
}

export interface SyndicationRulesTable {
  tenant_id: string;
  id: Generated<string>;
  kind: 'offer_down' | 'push_down' | 'take_up';
  source_section_id: string | null;
  tag: string | null;
  target_section_slug: string | null;
  target_level: 'city' | 'county' | null;
  enabled: Defaulted<boolean>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface Database {
  tenants: TenantsTable;
  tenant_tree: TenantTreeTable;
  tenant_domains: TenantDomainsTable;
  faces: FacesTable;
  outbox: OutboxTable;
  outbox_receipts: OutboxReceiptsTable;
  audit_log: AuditLogTable;
  organisations: OrganisationsTable;
  staff: StaffTable;
  staff_sessions: StaffSessionsTable;
  units: UnitsTable;
  grants: GrantsTable;
  review_chains: ReviewChainsTable;
  sections: SectionsTable;
  assets: AssetsTable;
  stories: StoriesTable;
  story_revisions: StoryRevisionsTable;
  review_events: ReviewEventsTable;
  story_corrections: StoryCorrectionsTable;
  terminology_rules: TerminologyRulesTable;
  placements: PlacementsTable;
  syndication_jobs: SyndicationJobsTable;
  syndication_rules: SyndicationRulesTable;
}

export type Tenant = Selectable<TenantsTable>;
export type NewTenant = Insertable<TenantsTable>;
export type TenantUpdate = Updateable<TenantsTable>;
export type TenantDomain = Selectable<TenantDomainsTable>;
export type FaceRow = Selectable<FacesTable>;
export type OutboxEvent = Selectable<OutboxTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type Staff = Selectable<StaffTable>;
export type Organisation = Selectable<OrganisationsTable>;
export type Grant = Selectable<GrantsTable>;
export type Unit = Selectable<UnitsTable>;
export type Section = Selectable<SectionsTable>;
export type Asset = Selectable<AssetsTable>;
export type Story = Selectable<StoriesTable>;
export type StoryRevision = Selectable<StoryRevisionsTable>;
export type ReviewEvent = Selectable<ReviewEventsTable>;
export type StoryCorrection = Selectable<StoryCorrectionsTable>;
export type TerminologyRuleRow = Selectable<TerminologyRulesTable>;
export type Placement = Selectable<PlacementsTable>;
export type SyndicationJob = Selectable<SyndicationJobsTable>;
export type SyndicationRule = Selectable<SyndicationRulesTable>;

// ---- search

/** One searchable document per public story: its published revision's text as bigram lexemes. */
export interface StorySearchTable {
  /** the origin tenant */
  tenant_id: string;
  story_id: string;
  revision: number;
  title: string;
  summary: Defaulted<string>;
  body_text: Defaulted<string>;
  /** written as a tsvector literal (cast in SQL), never read back by the application */
  tsv: string;
  /** faces with an active placement, kept current by a trigger on placements */
  faces: Defaulted<string[]>;
  published_at: Timestamp;
  indexed_at: Timestamp;
}

export interface Database {
  story_search: StorySearchTable;
}

export type StorySearchRow = Selectable<StorySearchTable>;

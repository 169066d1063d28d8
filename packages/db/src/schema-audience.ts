import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json } from './schema.js';

/** Audience tables (migration 2026_11_27_1800_audience). Kept by hand next to the migration. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Identity = ColumnType<number, never, never>;

export type CitizenStatus = 'active' | 'deleted';
export type ConsentPurpose = 'news' | 'contact' | 'share_parent';
export type CommentStatus = 'pending' | 'approved' | 'rejected' | 'hidden';
export type MessageCategory = 'consultation' | 'complaint' | 'suggestion' | 'help';
export type MessageStatus = 'received' | 'assigned' | 'replied' | 'closed';

export interface CitizensTable {
  id: Generated<string>;
  phone: string | null;
  email: string | null;
  password_hash: string | null;
  display_name: string;
  status: Defaulted<CitizenStatus>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Date | null;
}

export interface CitizenSessionsTable {
  /** sha-256 of the token */
  id: string;
  citizen_id: string;
  kind: 'central' | 'face';
  central_id: string | null;
  host: string;
  created_at: Timestamp;
  expires_at: Date;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export interface CitizenCodesTable {
  id: Generated<string>;
  destination: string;
  code_hash: string;
  created_at: Timestamp;
  expires_at: Date;
  attempts: Defaulted<number>;
  consumed_at: Date | null;
}

export interface SsoCodesTable {
  code_hash: string;
  citizen_id: string;
  central_id: string;
  client_host: string;
  redirect_uri: string;
  code_challenge: string;
  created_at: Timestamp;
  expires_at: Date;
  used_at: Date | null;
}

export interface AudienceSettingsTable {
  tenant_id: string;
  comments_premoderated: Defaulted<boolean>;
  comments_enabled: Defaulted<boolean>;
  message_due_days: Defaulted<number>;
  updated_at: Timestamp;
}

export interface MembershipsTable {
  tenant_id: string;
  id: Generated<string>;
  citizen_id: string;
  unit_id: string | null;
  created_at: Timestamp;
  ended_at: Date | null;
}

export interface MembershipConsentsTable {
  tenant_id: string;
  id: Identity;
  membership_id: string;
  purpose: ConsentPurpose;
  granted: boolean;
  at: Timestamp;
}

export interface CommentsTable {
  tenant_id: string;
  id: Generated<string>;
  story_tenant_id: string;
  story_id: string;
  parent_id: string | null;
  citizen_id: string | null;
  staff_id: string | null;
  author_name: string;
  body: string;
  official: Defaulted<boolean>;
  status: CommentStatus;
  held_reason: string | null;
  findings: Json<unknown[]>;
  moderated_by: string | null;
  moderated_at: Date | null;
  moderation_note: string | null;
  created_at: Timestamp;
}

export interface CommentReportsTable {
  tenant_id: string;
  comment_id: string;
  citizen_id: string;
  reason: string;
  created_at: Timestamp;
}

export interface CitizenMessagesTable {
  tenant_id: string;
  id: Generated<string>;
  serial: string;
  unit_id: string | null;
  citizen_id: string | null;
  category: MessageCategory;
  title: string;
  body: string;
  photos: Defaulted<string[]>;
  contact_name: string | null;
  contact_phone: string | null;
  allow_public: Defaulted<boolean>;
  status: Defaulted<MessageStatus>;
  assignee_id: string | null;
  due_at: Date;
  reply: string | null;
  reply_public: Defaulted<boolean>;
  replied_by: string | null;
  replied_at: Date | null;
  rating: number | null;
  rated_at: Date | null;
  closed_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CitizenMessageEventsTable {
  tenant_id: string;
  id: Identity;
  message_id: string;
  from_status: MessageStatus | null;
  to_status: MessageStatus;
  staff_id: string | null;
  by_citizen: Defaulted<boolean>;
  note: string | null;
  at: Timestamp;
}

declare module './schema.js' {
  interface Database {
    citizens: CitizensTable;
    citizen_sessions: CitizenSessionsTable;
    citizen_codes: CitizenCodesTable;
    sso_codes: SsoCodesTable;
    audience_settings: AudienceSettingsTable;
    memberships: MembershipsTable;
    membership_consents: MembershipConsentsTable;
    comments: CommentsTable;
    comment_reports: CommentReportsTable;
    citizen_messages: CitizenMessagesTable;
    citizen_message_events: CitizenMessageEventsTable;
  }
}

export type Citizen = Selectable<CitizensTable>;
export type Membership = Selectable<MembershipsTable>;
export type CommentRow = Selectable<CommentsTable>;
export type CitizenMessage = Selectable<CitizenMessagesTable>;
export type CitizenMessageEvent = Selectable<CitizenMessageEventsTable>;

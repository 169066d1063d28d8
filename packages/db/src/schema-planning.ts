import type { ColumnType, Generated, Selectable } from 'kysely';

/** Planning tables (migration 2026_12_07_0800_planning). Kept by hand next to the migration. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type MaybeTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** a `date` column: written as 'YYYY-MM-DD', read as text by the queries that select it (`::text`) */
type Day = ColumnType<string | null, string | null | undefined, string | null>;
type Text = ColumnType<string, string | undefined, string>;
type MaybeText = ColumnType<string | null, string | null | undefined, string | null>;

/** own; subtree: every descendant; level: the descendants at reach_level; list: those of campaign_shares (migration 2026_12_08_0100). */
export type CampaignReach = 'own' | 'subtree' | 'level' | 'list';
export type CampaignReachLevel = 'city' | 'county';
export type CampaignStatus = 'open' | 'closed';
export type TopicStatus = 'proposed' | 'planned' | 'declined' | 'done' | 'dropped';
export type TopicOrigin = 'desk' | 'proposal' | 'assignment';
export type AssignmentTask = 'write' | 'photo' | 'video' | 'live' | 'design' | 'other';
export type AssignmentStatus = 'assigned' | 'accepted' | 'declined' | 'cancelled';
/** The coverage state (migration 2026_12_07_1600): the status refined by the story's progress. */
export type CoverageState =
  'assigned' | 'accepted' | 'in_progress' | 'submitted' | 'completed' | 'declined' | 'cancelled';
export type PitchStatus = 'pending' | 'accepted' | 'declined' | 'withdrawn';

export interface CampaignsTable {
  tenant_id: string;
  id: Generated<string>;
  title: string;
  brief: Text;
  starts_on: Day;
  ends_on: Day;
  reach: ColumnType<CampaignReach, CampaignReach | undefined, CampaignReach>;
  reach_level: ColumnType<CampaignReachLevel | null, CampaignReachLevel | null | undefined, CampaignReachLevel | null>;
  status: ColumnType<CampaignStatus, CampaignStatus | undefined, CampaignStatus>;
  created_by: string | null;
  created_by_name: Text;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface TopicsTable {
  tenant_id: string;
  id: Generated<string>;
  title: string;
  brief: Text;
  campaign_tenant_id: string | null;
  campaign_id: string | null;
  due_at: MaybeTime;
  status: TopicStatus;
  origin: TopicOrigin;
  proposed_by: string | null;
  proposed_by_name: Text;
  decided_by_name: MaybeText;
  decided_at: MaybeTime;
  decision_note: MaybeText;
  closed_note: MaybeText;
  upstream_tenant_id: string | null;
  upstream_assignment_id: string | null;
  created_by: string | null;
  created_by_name: Text;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface AssignmentsTable {
  tenant_id: string;
  id: Generated<string>;
  topic_id: string;
  assignee_tenant_id: string;
  assignee_staff_id: string | null;
  assignee_name: string;
  task: AssignmentTask;
  title: string;
  campaign_tenant_id: string | null;
  campaign_id: string | null;
  instructions: Text;
  due_at: MaybeTime;
  status: ColumnType<AssignmentStatus, AssignmentStatus | undefined, AssignmentStatus>;
  state: ColumnType<CoverageState, CoverageState | undefined, CoverageState>;
  completed_at: MaybeTime;
  answered_at: MaybeTime;
  answered_by_name: MaybeText;
  decline_reason: MaybeText;
  cancelled_at: MaybeTime;
  cancel_reason: MaybeText;
  story_id: string | null;
  story_title: MaybeText;
  filed_at: MaybeTime;
  filed_by_name: MaybeText;
  assigned_by: string | null;
  assigned_by_name: Text;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface PitchesTable {
  tenant_id: string;
  id: Generated<string>;
  topic_id: string;
  to_tenant_id: string;
  campaign_id: string | null;
  note: Text;
  status: ColumnType<PitchStatus, PitchStatus | undefined, PitchStatus>;
  pitched_by: string | null;
  pitched_by_name: Text;
  decided_at: MaybeTime;
  decided_by_name: MaybeText;
  decision_note: MaybeText;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface AssignmentHistoryTable {
  tenant_id: string;
  id: Generated<string>;
  assignment_id: string;
  at: Generated<Date>;
  actor_tenant_id: string | null;
  actor_name: string;
  from_state: CoverageState | null;
  to_state: CoverageState;
  reason: MaybeText;
  story_id: string | null;
}

export type PlanningNoticeKind =
  | 'assigned'
  | 'accepted'
  | 'declined'
  | 'cancelled'
  | 'submitted'
  | 'completed'
  | 'pitched'
  | 'pitch_accepted'
  | 'pitch_declined'
  | 'overdue'
  | 'reassigned';

/** The descendants a campaign of reach 'list' is shared with. */
export interface CampaignSharesTable {
  tenant_id: string;
  campaign_id: string;
  share_tenant_id: string;
  created_at: Generated<Date>;
}

export interface PlanningNoticesTable {
  tenant_id: string;
  id: Generated<string>;
  staff_id: string | null;
  kind: PlanningNoticeKind;
  text: string;
  assignment_tenant_id: string | null;
  assignment_id: string | null;
  pitch_id: string | null;
  event_id: number;
  created_at: Generated<Date>;
  read_at: MaybeTime;
}

declare module './schema.js' {
  interface Database {
    planning_notices: PlanningNoticesTable;
    assignment_history: AssignmentHistoryTable;
    campaigns: CampaignsTable;
    campaign_shares: CampaignSharesTable;
    topics: TopicsTable;
    assignments: AssignmentsTable;
    pitches: PitchesTable;
  }
}

export type CampaignRow = Selectable<CampaignsTable>;
export type TopicRow = Selectable<TopicsTable>;
export type AssignmentRow = Selectable<AssignmentsTable>;
export type PitchRow = Selectable<PitchesTable>;
export type AssignmentHistoryRow = Selectable<AssignmentHistoryTable>;
export type PlanningNoticeRow = Selectable<PlanningNoticesTable>;

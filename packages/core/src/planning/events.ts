/**
 * Outbox topics the planning context emits (no consumer yet: reminders and live inboxes will
 * follow them). An event is written in the acting tenant's scope; when the act concerns another
 * tenant (a desk assignment, a pitch, their answers) the payload names it.
 */
export const PLANNING_TOPICS = {
  /** payload: PlanningChanged with kind 'campaign' */
  campaignChanged: 'planning.campaign_changed',
  /** payload: PlanningChanged with kind 'topic' */
  topicChanged: 'planning.topic_changed',
  /** payload: PlanningChanged with kind 'assignment' */
  assignmentChanged: 'planning.assignment_changed',
  /** payload: PlanningChanged with kind 'pitch' */
  pitchChanged: 'planning.pitch_changed',
  /** payload: PlanningChanged with kind 'assignment', action 'due'; available at the coverage's due time (the worker's overdue reminder) */
  coverageDue: 'planning.coverage_due',
} as const;

/** Cache channel the worker publishes planning changes on; the API turns them into planningChanged. */
export const PLANNING_CHANNEL = 'planning-changes';
/** What travels on PLANNING_CHANNEL: the tenants that hear it (the parties and their ancestors). */
export interface PlanningChannelMessage {
  tenantIds: string[];
  kind: PlanningChanged['kind'];
  id: string;
  action: string;
}

export type PlanningAction =
  | 'create'
  | 'update'
  | 'close'
  | 'propose'
  | 'approve'
  | 'decline'
  | 'done'
  | 'drop'
  | 'assign'
  | 'accept'
  | 'cancel'
  | 'file'
  | 'pitch'
  | 'withdraw'
  /** the story moved the coverage (written by the trigger on stories) */
  | 'progress'
  /** the due time came (the worker's reminder) */
  | 'due'
  /** the coverage went to another assignee before content was linked (改派) */
  | 'reassign';

export interface PlanningChanged {
  kind: 'campaign' | 'topic' | 'assignment' | 'pitch';
  id: string;
  action: PlanningAction;
  /** the row's own tenant (the assigner, the pitcher) when it is not the acting tenant */
  ownerTenantId?: string;
  /** the other party: the assignee tenant (and person) of an assignment, the receiver of a pitch */
  otherTenantId?: string;
  staffId?: string;
  /** a re-assignment: the assignee (tenant, and person) it was taken from */
  previousTenantId?: string;
  previousStaffId?: string;
}

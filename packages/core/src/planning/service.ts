import {
  isCheckViolation,
  isUniqueViolation,
  type AssignmentRow,
  type CoverageState,
  type Executor,
  type StoryKind,
  type StoryState,
  type TopicRow,
} from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { enqueue } from '../events/index.js';
import { appendAudit } from '../governance/index.js';
import type { Access } from '../identity/index.js';
import { createStory } from '../newsroom/index.js';
import { isAncestor, isUuid, tenantById } from '../tenancy/index.js';
import { PlanningError } from './errors.js';
import { PLANNING_TOPICS, type PlanningAction, type PlanningChanged, type PlanningChannelMessage } from './events.js';
import {
  checkAssign,
  checkCampaign,
  checkDayPeriod,
  checkTopic,
  COVERAGE_KIND_NAMES,
  coverageStateOfStory,
  isOverdue,
  OPEN_COVERAGE,
  noteOf,
  progressOf,
  reasonOf,
  type AssignablePerson,
  type AssignInput,
  type CampaignReach,
  type CampaignReachLevel,
  type DayPeriod,
  type AssignmentFilter,
  type AssignmentView,
  type Board,
  type CampaignInput,
  type CoverageChange,
  type OverdueCoverage,
  type PlanningCredit,
  type PlanningNotice,
  type Workload,
  type CampaignPatch,
  type CampaignView,
  type PitchFilter,
  type PitchInput,
  type PitchView,
  type PlanningCounts,
  type TopicFilter,
  type TopicInput,
  type TopicView,
} from './model.js';
import * as repo from './repo.js';

/**
 * Who may do what on the planning desk, by the tenant-wide roles held in the tenant (a member
 * limited to a unit has no planning desk). Kept here, like GOV_ACCOUNT_ROLES, until identity's
 * CAPABILITY_ROLES takes the contexts' families.
 */
export const PLANNING_ROLES = {
  /** the desk's topics, campaigns, one's own assignments, the inboxes: any tenant-wide role */
  read: ['reporter', 'editor', 'reviewer', 'chief_editor', 'tenant_admin'],
  /** proposeTopic (报题): the people who write */
  propose: ['reporter', 'editor', 'chief_editor'],
  /**
   * the desk: createTopic, updateTopic, decideTopic, closeTopic, assignTopic, cancelAssignment,
   * answering a desk assignment from an ancestor, pitchTopic, withdrawPitch, decidePitch
   */
  plan: ['editor', 'chief_editor'],
  /** createCampaign, updateCampaign (专题 are the chief editor's) */
  campaigns: ['chief_editor'],
} as const;

export interface PlanningCapabilities {
  read: boolean;
  propose: boolean;
  plan: boolean;
  campaigns: boolean;
}

export function planningCapabilities(access: Access): PlanningCapabilities {
  return {
    read: access.hasAny(PLANNING_ROLES.read),
    propose: access.hasAny(PLANNING_ROLES.propose),
    plan: access.hasAny(PLANNING_ROLES.plan),
    campaigns: access.hasAny(PLANNING_ROLES.campaigns),
  };
}

const staffIdOf = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.id : null);
const nameOf = (actor: Actor): string => actor.name.slice(0, 100);

async function changed(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  event: PlanningChanged,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const topic = {
    campaign: PLANNING_TOPICS.campaignChanged,
    topic: PLANNING_TOPICS.topicChanged,
    assignment: PLANNING_TOPICS.assignmentChanged,
    pitch: PLANNING_TOPICS.pitchChanged,
  }[event.kind];
  await appendAudit(ex, actor, {
    tenantId,
    action: `${event.kind}.${event.action}`,
    targetKind: event.kind,
    targetId: event.id,
    detail,
  });
  await enqueue(ex, { tenantId, topic, payload: { ...event } });
}

/** Records a coverage's change of state (who, when, from, to, why) in its history. */
async function record(
  ex: Executor,
  access: Access,
  actor: Actor,
  row: Pick<AssignmentRow, 'tenant_id' | 'id'>,
  from: CoverageState | null,
  to: CoverageState,
  more: { reason?: string | null; storyId?: string | null } = {},
): Promise<void> {
  await repo.insertHistory(ex, [
    {
      tenant_id: row.tenant_id,
      assignment_id: row.id,
      actor_tenant_id: access.tenantId,
      actor_name: nameOf(actor),
      from_state: from,
      to_state: to,
      reason: more.reason ?? null,
      story_id: more.storyId ?? null,
    },
  ]);
}

const event = (
  kind: PlanningChanged['kind'],
  id: string,
  action: PlanningAction,
  more: Omit<PlanningChanged, 'kind' | 'id' | 'action'> = {},
): PlanningChanged => ({ kind, id, action, ...more });

// ---------------------------------------------------------------- views

function toCampaign(r: repo.ListedCampaignRow): CampaignView {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    title: r.title,
    brief: r.brief,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    reach: r.reach,
    reachLevel: r.reach_level,
    shareTenantIds: r.share_tenant_ids,
    status: r.status,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    topicCount: r.topic_count,
  };
}

function toTopic(r: repo.ListedTopicRow): TopicView {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    title: r.title,
    brief: r.brief,
    campaignTenantId: r.campaign_tenant_id,
    campaignId: r.campaign_id,
    campaignTitle: r.campaign_title,
    dueAt: r.due_at,
    status: r.status,
    origin: r.origin,
    proposedById: r.proposed_by,
    proposedByName: r.proposed_by_name,
    decidedByName: r.decided_by_name,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
    closedNote: r.closed_note,
    upstreamTenantId: r.upstream_tenant_id,
    upstreamTenantName: r.upstream_tenant_name,
    upstreamAssignmentId: r.upstream_assignment_id,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    assignmentCount: r.assignment_count,
    publishedCount: r.published_count,
    overdue: r.overdue,
  };
}

function toAssignment(r: repo.ListedAssignmentRow, now: number = Date.now()): AssignmentView {
  const progress = progressOf(r.status, r.story_id, r.story_state);
  return {
    id: r.id,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    topicId: r.topic_id,
    title: r.title,
    campaignTenantId: r.campaign_tenant_id,
    campaignId: r.campaign_id,
    campaignTitle: r.campaign_title,
    assigneeTenantId: r.assignee_tenant_id,
    assigneeTenantName: r.assignee_tenant_name,
    assigneeStaffId: r.assignee_staff_id,
    assigneeName: r.assignee_name,
    task: r.task,
    instructions: r.instructions,
    dueAt: r.due_at,
    status: r.status,
    state: r.state,
    completedAt: r.completed_at,
    progress,
    overdue: isOverdue(r.due_at, progress, now),
    answeredAt: r.answered_at,
    answeredByName: r.answered_by_name,
    declineReason: r.decline_reason,
    cancelledAt: r.cancelled_at,
    cancelReason: r.cancel_reason,
    storyId: r.story_id,
    storyTitle: r.story_title_now,
    storyState: r.story_state,
    filedAt: r.filed_at,
    filedByName: r.filed_by_name,
    assignedByName: r.assigned_by_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    localTopicId: r.local_topic_id,
  };
}

function toPitch(r: repo.ListedPitchRow): PitchView {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    topicId: r.topic_id,
    topicTitle: r.topic_title,
    topicStatus: r.topic_status,
    topicBrief: r.topic_brief,
    topicDueAt: r.topic_due_at,
    toTenantId: r.to_tenant_id,
    toTenantName: r.to_tenant_name,
    campaignId: r.campaign_id,
    campaignTitle: r.campaign_title,
    note: r.note,
    status: r.status,
    pitchedByName: r.pitched_by_name,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
    decidedByName: r.decided_by_name,
    decisionNote: r.decision_note,
  };
}

const need = (
  v: string | null | undefined,
  what: 'TOPIC_NOT_FOUND' | 'ASSIGNMENT_NOT_FOUND' | 'PITCH_NOT_FOUND' | 'CAMPAIGN_NOT_FOUND',
): string => {
  if (!v || !isUuid(v)) throw new PlanningError(what);
  return v;
};

// ---------------------------------------------------------------- campaigns

/** The campaigns the tenant works in: its own, and its ancestors' that reach down. */
export async function listCampaigns(
  ex: Executor,
  access: Access,
  filter: { status?: CampaignView['status'] | null } = {},
): Promise<CampaignView[]> {
  access.require(PLANNING_ROLES.read);
  return (await repo.campaignRows(ex, { tenantId: access.tenantId, status: filter.status ?? null })).map(toCampaign);
}

/** A campaign the tenant may read: its own, an ancestor's that reaches it, or a descendant's. */
export async function campaignById(ex: Executor, access: Access, id: string): Promise<CampaignView> {
  access.require(PLANNING_ROLES.read);
  const [row] = await repo.campaignRows(ex, { tenantId: access.tenantId, ids: [need(id, 'CAMPAIGN_NOT_FOUND')] });
  if (!row) throw new PlanningError('CAMPAIGN_NOT_FOUND');
  return toCampaign(row);
}

export async function createCampaign(
  ex: Executor,
  access: Access,
  actor: Actor,
  input: CampaignInput,
): Promise<CampaignView> {
  access.require(PLANNING_ROLES.campaigns);
  const c = checkCampaign(input, true);
  const share = await checkShare(ex, access, c.reach ?? 'subtree', c.reachLevel ?? null, c.shareTenantIds ?? []);
  const id = await repo.insertCampaign(ex, {
    tenant_id: access.tenantId,
    title: c.title,
    brief: c.brief ?? '',
    starts_on: c.startsOn ?? null,
    ends_on: c.endsOn ?? null,
    reach: share.reach,
    reach_level: share.level,
    created_by: staffIdOf(actor),
    created_by_name: nameOf(actor),
  });
  await repo.replaceShares(ex, access.tenantId, id, share.list);
  await changed(ex, actor, access.tenantId, event('campaign', id, 'create'), {
    title: c.title,
    reach: share.reach,
    // only what the share holds: the audit log shows its details as they are
    ...(share.level ? { reachLevel: share.level } : {}),
    ...(share.list.length ? { shareTenantIds: share.list } : {}),
  });
  return campaignById(ex, access, id);
}

/** Changes the tenant's own campaign; closing it (status closed) keeps it and its topics, and no new topic names it. */
export async function updateCampaign(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  patch: CampaignPatch,
): Promise<CampaignView> {
  access.require(PLANNING_ROLES.campaigns);
  const current = await campaignById(ex, access, id);
  if (current.tenantId !== access.tenantId) throw new PlanningError('CAMPAIGN_NOT_FOUND');
  const c = checkCampaign(patch, false);
  const startsOn = c.startsOn !== undefined ? c.startsOn : current.startsOn;
  const endsOn = c.endsOn !== undefined ? c.endsOn : current.endsOn;
  if (startsOn && endsOn && endsOn < startsOn)
    throw new PlanningError('PLANNING_INVALID', '结束日期不能早于开始日期', 'endsOn');
  // the share: checked whole when any part of it changes (a patch keeps the parts not given)
  const shareChanges = c.reach !== undefined || c.reachLevel !== undefined || c.shareTenantIds !== undefined;
  const reach = c.reach ?? current.reach;
  const share = shareChanges
    ? await checkShare(
        ex,
        access,
        reach,
        c.reachLevel !== undefined ? c.reachLevel : reach === current.reach ? current.reachLevel : null,
        c.shareTenantIds ?? (reach === current.reach ? current.shareTenantIds : []),
      )
    : null;
  await repo.updateCampaign(ex, access.tenantId, id, {
    ...(c.title !== undefined ? { title: c.title } : {}),
    ...(c.brief !== undefined ? { brief: c.brief } : {}),
    ...(c.startsOn !== undefined ? { starts_on: c.startsOn } : {}),
    ...(c.endsOn !== undefined ? { ends_on: c.endsOn } : {}),
    ...(share ? { reach: share.reach, reach_level: share.level } : {}),
    ...(c.status !== undefined ? { status: c.status } : {}),
  });
  if (share) await repo.replaceShares(ex, access.tenantId, id, share.list);
  const action: PlanningAction = c.status === 'closed' && current.status === 'open' ? 'close' : 'update';
  await changed(ex, actor, access.tenantId, event('campaign', id, action), { fields: Object.keys(patch) });
  return campaignById(ex, access, id);
}

/**
 * A campaign's share, checked: 'level' names a level below the tenant's own at which it has
 * descendants; 'list' names one or more of its proper descendants (any other tenant is refused,
 * nothing written); the other reaches take neither.
 */
async function checkShare(
  ex: Executor,
  access: Access,
  reach: CampaignReach,
  level: CampaignReachLevel | null,
  list: readonly string[],
): Promise<{ reach: CampaignReach; level: CampaignReachLevel | null; list: string[] }> {
  if (reach === 'level') {
    if (!level) throw new PlanningError('SHARE_INVALID', '请选择共享的层级', 'reachLevel');
    if ((await repo.descendantsAtLevel(ex, access.tenantId, level)) === 0)
      throw new PlanningError('SHARE_INVALID', '本单位下没有该层级的下级单位', 'reachLevel');
    return { reach, level, list: [] };
  }
  if (reach === 'list') {
    if (!list.length) throw new PlanningError('SHARE_INVALID', '请指定共享的下级单位', 'shareTenantIds');
    const ids = list.filter((x) => isUuid(x));
    const found = new Set(await repo.properDescendants(ex, access.tenantId, ids));
    if (ids.length !== list.length || found.size !== list.length)
      throw new PlanningError('SHARE_INVALID', '指定的单位不是本单位的下级单位', 'shareTenantIds');
    return { reach, level: null, list: [...list] };
  }
  return { reach, level: null, list: [] };
}

/**
 * The campaign a topic of this tenant may name: open, and the tenant's own or an ancestor's shared
 * with it (all descendants, its level, or a list that names it). Returns its key; null clears.
 */
async function usableCampaign(
  ex: Executor,
  access: Access,
  campaignId: string | null | undefined,
): Promise<{ tenantId: string; id: string } | null> {
  if (campaignId === null || campaignId === undefined || campaignId === '') return null;
  const [c] = isUuid(campaignId) ? await repo.campaignRows(ex, { tenantId: access.tenantId, ids: [campaignId] }) : [];
  if (!c || !c.reaches) throw new PlanningError('CAMPAIGN_NOT_FOUND', undefined, 'campaignId');
  if (c.status !== 'open') throw new PlanningError('CAMPAIGN_CLOSED', undefined, 'campaignId');
  return { tenantId: c.tenant_id, id: c.id };
}

// ---------------------------------------------------------------- topics

export interface TopicPage {
  first?: number | null;
  offset?: number | null;
}

function checkFilter(f: TopicFilter): TopicFilter {
  for (const [name, v] of [
    ['tenantId', f.tenantId],
    ['campaignId', f.campaignId],
  ] as const) {
    if (v && !isUuid(v))
      throw new DomainError('BAD_USER_INPUT', '筛选条件中的编号不正确', [{ path: name, message: '格式不正确' }]);
  }
  const search = f.search?.trim() || null;
  if (search && search.length > 100) throw new DomainError('BAD_USER_INPUT', '搜索词过长');
  return { ...f, search };
}

/** The desk's topics (with `subtree`, its descendants' too), open ones first by due time; with the total that matched. */
export async function listTopics(
  ex: Executor,
  access: Access,
  filter: TopicFilter = {},
  page: TopicPage = {},
): Promise<{ total: number; items: TopicView[] }> {
  access.require(PLANNING_ROLES.read);
  const rows = await repo.topicRows(ex, {
    tenantId: access.tenantId,
    staffId: access.staff.id && isUuid(access.staff.id) ? access.staff.id : null,
    filter: checkFilter(filter),
    limit: Math.max(1, Math.min(page.first ?? 50, 200)),
    offset: Math.max(0, page.offset ?? 0),
  });
  return { total: rows[0]?.total ?? 0, items: rows.map(toTopic) };
}

/** A topic of the tenant or of one of its descendants. */
export async function topicById(ex: Executor, access: Access, id: string): Promise<TopicView> {
  access.require(PLANNING_ROLES.read);
  const [row] = await repo.topicRows(ex, {
    tenantId: access.tenantId,
    staffId: null,
    filter: {},
    limit: 1,
    offset: 0,
    ids: [need(id, 'TOPIC_NOT_FOUND')],
  });
  if (!row) throw new PlanningError('TOPIC_NOT_FOUND');
  return toTopic(row);
}

async function ownTopic(ex: Executor, access: Access, id: string): Promise<TopicRow> {
  const row = await repo.topicRow(ex, access.tenantId, need(id, 'TOPIC_NOT_FOUND'), { lock: true });
  if (!row) throw new PlanningError('TOPIC_NOT_FOUND');
  return row;
}

async function insertTopic(
  ex: Executor,
  access: Access,
  actor: Actor,
  input: TopicInput,
  as: 'proposed' | 'planned',
): Promise<TopicView> {
  const t = checkTopic(input, true);
  const campaign = await usableCampaign(ex, access, t.campaignId);
  const proposal = as === 'proposed';
  const id = await repo.insertTopic(ex, {
    tenant_id: access.tenantId,
    title: t.title,
    brief: t.brief ?? '',
    due_at: t.dueAt ?? null,
    campaign_tenant_id: campaign?.tenantId ?? null,
    campaign_id: campaign?.id ?? null,
    status: as,
    origin: proposal ? 'proposal' : 'desk',
    proposed_by: proposal ? staffIdOf(actor) : null,
    proposed_by_name: proposal ? nameOf(actor) : '',
    created_by: staffIdOf(actor),
    created_by_name: nameOf(actor),
  });
  await changed(ex, actor, access.tenantId, event('topic', id, proposal ? 'propose' : 'create'), {
    title: t.title,
    campaignId: campaign?.id ?? null,
  });
  return topicById(ex, access, id);
}

/** 报题: a staff member proposes a topic to the desk, which approves (立项) or declines it. */
export async function proposeTopic(ex: Executor, access: Access, actor: Actor, input: TopicInput): Promise<TopicView> {
  access.require(PLANNING_ROLES.propose);
  return insertTopic(ex, access, actor, input, 'proposed');
}

/** The desk plans a topic directly (立项). */
export async function createTopic(ex: Executor, access: Access, actor: Actor, input: TopicInput): Promise<TopicView> {
  access.require(PLANNING_ROLES.plan);
  return insertTopic(ex, access, actor, input, 'planned');
}

/** The desk changes an open topic; a proposer may change their own proposal while it waits. */
export async function updateTopic(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  patch: Partial<TopicInput>,
): Promise<TopicView> {
  access.require(PLANNING_ROLES.read);
  const current = await ownTopic(ex, access, id);
  const desk = access.hasAny(PLANNING_ROLES.plan);
  const proposer =
    current.status === 'proposed' && current.proposed_by !== null && current.proposed_by === staffIdOf(actor);
  if (!desk && !proposer) throw new DomainError('FORBIDDEN', '只有编辑部或报题人可以修改选题');
  if (current.status !== 'proposed' && current.status !== 'planned')
    throw new PlanningError('TOPIC_STATE', '已结束的选题不能修改');
  const t = checkTopic(patch, false);
  // naming a campaign is checked when it changes: a topic keeps the campaign it has after that closes
  const keeps = t.campaignId !== undefined && t.campaignId !== null && t.campaignId === current.campaign_id;
  const campaign = t.campaignId === undefined || keeps ? undefined : await usableCampaign(ex, access, t.campaignId);
  await repo.updateTopic(ex, access.tenantId, current.id, {
    ...(t.title !== undefined ? { title: t.title } : {}),
    ...(t.brief !== undefined ? { brief: t.brief } : {}),
    ...(t.dueAt !== undefined ? { due_at: t.dueAt } : {}),
    ...(campaign !== undefined
      ? { campaign_tenant_id: campaign?.tenantId ?? null, campaign_id: campaign?.id ?? null }
      : {}),
  });
  await changed(ex, actor, access.tenantId, event('topic', current.id, 'update'), { fields: Object.keys(patch) });
  return topicById(ex, access, current.id);
}

/** The desk decides a proposal: approved, it is planned (立项); declined, it ends with the reason. */
export async function decideTopic(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  approve: boolean,
  note?: string | null,
): Promise<TopicView> {
  access.require(PLANNING_ROLES.plan);
  const current = await ownTopic(ex, access, id);
  if (current.status !== 'proposed') throw new PlanningError('TOPIC_STATE', '只有待审的报题可以审批');
  const decision = approve ? noteOf(note) : reasonOf(note, '不通过的理由', 'note');
  await repo.updateTopic(ex, access.tenantId, current.id, {
    status: approve ? 'planned' : 'declined',
    decided_by_name: nameOf(actor),
    decided_at: new Date(),
    decision_note: decision,
  });
  await changed(ex, actor, access.tenantId, event('topic', current.id, approve ? 'approve' : 'decline'), {
    note: decision,
  });
  return topicById(ex, access, current.id);
}

/**
 * Ends a topic: done (完成) or dropped (撤销) by the desk; a proposer withdraws their own proposal
 * (dropped). Dropping cancels its open assignments, which tells their assignees, and withdraws its
 * pitches still waiting for a decision.
 */
export async function closeTopic(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  outcome: 'done' | 'dropped',
  note?: string | null,
): Promise<TopicView> {
  access.require(PLANNING_ROLES.read);
  if (outcome !== 'done' && outcome !== 'dropped')
    throw new PlanningError('PLANNING_INVALID', '只能完成或撤销选题', 'status');
  const current = await ownTopic(ex, access, id);
  const desk = access.hasAny(PLANNING_ROLES.plan);
  const proposer = current.proposed_by !== null && current.proposed_by === staffIdOf(actor);
  if (current.status === 'proposed') {
    if (outcome !== 'dropped' || !proposer)
      throw new PlanningError('TOPIC_STATE', desk ? '待审的报题请通过或不通过' : '只有报题人可以撤回待审的报题');
  } else if (current.status === 'planned') {
    if (!desk) throw new DomainError('FORBIDDEN', '只有编辑部可以完成或撤销选题');
  } else {
    throw new PlanningError('TOPIC_STATE', '该选题已结束');
  }
  const closing = noteOf(note);
  await repo.updateTopic(ex, access.tenantId, current.id, { status: outcome, closed_note: closing });
  if (outcome === 'dropped') {
    for (const p of await repo.pendingPitchesOf(ex, access.tenantId, current.id)) {
      await repo.updatePitch(ex, access.tenantId, p.id, { status: 'withdrawn' });
      await changed(ex, actor, access.tenantId, event('pitch', p.id, 'withdraw', { otherTenantId: p.to_tenant_id }), {
        reason: 'topic dropped',
      });
    }
    for (const a of await repo.openAssignmentsOf(ex, access.tenantId, current.id)) {
      const why = closing ? `选题已撤销：${closing}`.slice(0, 300) : '选题已撤销';
      await repo.updateAssignment(ex, access.tenantId, a.id, {
        status: 'cancelled',
        state: 'cancelled',
        cancelled_at: new Date(),
        cancel_reason: why,
      });
      await record(ex, access, actor, a, a.state, 'cancelled', { reason: why });
      await changed(
        ex,
        actor,
        access.tenantId,
        event('assignment', a.id, 'cancel', {
          otherTenantId: a.assignee_tenant_id,
          ...(a.assignee_staff_id ? { staffId: a.assignee_staff_id } : {}),
        }),
        { reason: 'topic dropped' },
      );
    }
  }
  await changed(ex, actor, access.tenantId, event('topic', current.id, outcome === 'done' ? 'done' : 'drop'), {
    note: closing,
  });
  return topicById(ex, access, current.id);
}

// ---------------------------------------------------------------- assignments

/** Assignments by id, in the order of the ids. */
async function assignmentViews(ex: Executor, access: Access, ids: readonly string[]): Promise<AssignmentView[]> {
  const now = Date.now();
  const byId = new Map(
    (await repo.assignmentRows(ex, { kind: 'ids', tenantId: access.tenantId, ids })).map((r) => [
      r.id,
      toAssignment(r, now),
    ]),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** An assignment the tenant made or was given. */
export async function assignmentById(ex: Executor, access: Access, id: string): Promise<AssignmentView> {
  access.require(PLANNING_ROLES.read);
  const [a] = await assignmentViews(ex, access, [need(id, 'ASSIGNMENT_NOT_FOUND')]);
  if (!a) throw new PlanningError('ASSIGNMENT_NOT_FOUND');
  return a;
}

/**
 * 派单: the desk assigns a planned topic to people of its staff (a tenant-wide role there) and/or to
 * descendant tenants (their desks answer and cover it with their own people). One assignment per
 * assignee; the same person or desk is not given the same task on one topic twice while it is open.
 */
export async function assignTopic(
  ex: Executor,
  access: Access,
  actor: Actor,
  topicId: string,
  input: AssignInput,
): Promise<AssignmentView[]> {
  access.require(PLANNING_ROLES.plan);
  const a = checkAssign({
    ...input,
    assignees: [...(input.assignees ?? []), ...(await tenantsUnder(ex, access, input))],
  });
  const topic = await ownTopic(ex, access, topicId);
  if (topic.status !== 'planned') throw new PlanningError('TOPIC_STATE', '只有已立项的选题可以派单');
  // a campaign's desk coverages go to the tenants it is shared with only (own: none; level, list: those)
  const desks = a.assignees!.flatMap((w) => (w.tenantId !== undefined && isUuid(w.tenantId) ? [w.tenantId] : []));
  if (topic.campaign_tenant_id && topic.campaign_id && desks.length) {
    const outside = await repo.outsideShare(ex, topic.campaign_tenant_id, topic.campaign_id, desks);
    if (outside.length) {
      const names = await Promise.all(outside.slice(0, 5).map(async (x) => (await tenantById(ex, x))?.name ?? x));
      throw new PlanningError(
        'ASSIGNEE_OUTSIDE_SHARE',
        `该专题未共享给${names.join('、')}${outside.length > 5 ? `等 ${outside.length} 个单位` : ''}`,
        'assignees',
      );
    }
  }
  const rows: repo.NewAssignmentRow[] = [];
  for (const who of a.assignees!) {
    let assignee: { tenantId: string; staffId: string | null; name: string };
    if (who.staffId !== undefined) {
      const [person] = isUuid(who.staffId) ? await repo.assignablePeople(ex, access.tenantId, who.staffId) : [];
      if (!person) throw new PlanningError('ASSIGNEE_INVALID', '该人员在本单位没有可派单的角色', 'assignees');
      assignee = { tenantId: access.tenantId, staffId: person.id, name: person.name };
    } else {
      const target =
        isUuid(who.tenantId) && (await isAncestor(ex, access.tenantId, who.tenantId))
          ? await tenantById(ex, who.tenantId)
          : undefined;
      if (!target) throw new PlanningError('ASSIGNEE_INVALID', '只能向本单位的下级单位派单', 'assignees');
      assignee = { tenantId: target.id, staffId: null, name: target.name };
    }
    rows.push({
      tenant_id: access.tenantId,
      topic_id: topic.id,
      assignee_tenant_id: assignee.tenantId,
      assignee_staff_id: assignee.staffId,
      assignee_name: assignee.name.slice(0, 100),
      task: a.task,
      title: topic.title,
      campaign_tenant_id: topic.campaign_tenant_id,
      campaign_id: topic.campaign_id,
      instructions: a.instructions ?? '',
      due_at: a.dueAt !== undefined ? a.dueAt : topic.due_at,
      assigned_by: staffIdOf(actor),
      assigned_by_name: nameOf(actor),
    });
  }
  const ids = await repo.insertAssignments(ex, rows).catch((err: unknown) => {
    if (isUniqueViolation(err)) throw new PlanningError('ASSIGNED_ALREADY', undefined, 'assignees');
    if (isCheckViolation(err)) throw new PlanningError('ASSIGNEE_INVALID', undefined, 'assignees');
    throw err;
  });
  for (const [i, id] of ids.entries()) {
    const r = rows[i]!;
    await record(ex, access, actor, { tenant_id: access.tenantId, id }, null, 'assigned');
    // the worker's overdue reminder, due when the coverage is
    if (r.due_at)
      await enqueue(ex, {
        tenantId: access.tenantId,
        topic: PLANNING_TOPICS.coverageDue,
        payload: { ...event('assignment', id, 'due', { otherTenantId: r.assignee_tenant_id }) },
        availableAt: new Date(r.due_at),
      });
    await changed(
      ex,
      actor,
      access.tenantId,
      event('assignment', id, 'assign', {
        otherTenantId: r.assignee_tenant_id,
        ...(r.assignee_staff_id ? { staffId: r.assignee_staff_id } : {}),
      }),
      {
        topicId: topic.id,
        assignee: r.assignee_name,
        task: r.task,
      },
    );
  }
  return assignmentViews(ex, access, ids);
}

/** One assignee of the desk: a person with a tenant-wide role in the tenant, or a descendant tenant (its desk). */
async function resolveAssignee(
  ex: Executor,
  access: Access,
  who: { staffId?: string | null; tenantId?: string | null },
): Promise<{ tenantId: string; staffId: string | null; name: string }> {
  if ((who.staffId ? 1 : 0) + (who.tenantId ? 1 : 0) !== 1)
    throw new PlanningError('ASSIGNEE_INVALID', '每个派单对象应为一名人员或一个下级单位', 'assignee');
  if (who.staffId) {
    const [person] = isUuid(who.staffId) ? await repo.assignablePeople(ex, access.tenantId, who.staffId) : [];
    if (!person) throw new PlanningError('ASSIGNEE_INVALID', '该人员在本单位没有可派单的角色', 'assignee');
    return { tenantId: access.tenantId, staffId: person.id, name: person.name };
  }
  const target =
    isUuid(who.tenantId!) && who.tenantId !== access.tenantId && (await isAncestor(ex, access.tenantId, who.tenantId!))
      ? await tenantById(ex, who.tenantId!)
      : undefined;
  if (!target) throw new PlanningError('ASSIGNEE_INVALID', '只能向本单位的下级单位派单', 'assignee');
  return { tenantId: target.id, staffId: null, name: target.name };
}

/**
 * 改派: the desk that assigned a coverage gives it to another assignee (a descendant desk or a
 * person of its staff) while no content is linked (after that the assignee stays: the database
 * refuses it too). The coverage starts again as assigned (the new assignee answers), the change is
 * recorded in its history with both names, and the old assignee is told; it no longer sees the
 * coverage (row-level security follows the assignee). Inside a campaign the new desk must be in
 * its share.
 */
export async function reassignCoverage(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  to: { staffId?: string | null; tenantId?: string | null },
  reason?: string | null,
): Promise<AssignmentView> {
  access.require(PLANNING_ROLES.plan);
  const row = await repo.assignmentRow(ex, access.tenantId, need(id, 'ASSIGNMENT_NOT_FOUND'), { lock: true });
  if (!row || row.tenant_id !== access.tenantId) throw new PlanningError('ASSIGNMENT_NOT_FOUND');
  if (row.story_id !== null) throw new PlanningError('ASSIGNMENT_STATE', '已关联稿件的任务不能改派');
  if (row.status !== 'assigned' && row.status !== 'accepted')
    throw new PlanningError('ASSIGNMENT_STATE', row.status === 'cancelled' ? '该任务已撤单' : '该任务已拒单');
  const next = await resolveAssignee(ex, access, to);
  if (next.tenantId === row.assignee_tenant_id && next.staffId === row.assignee_staff_id)
    throw new PlanningError('ASSIGNEE_INVALID', '改派对象与原承担方相同', 'assignee');
  if (next.staffId === null && row.campaign_tenant_id && row.campaign_id) {
    const outside = await repo.outsideShare(ex, row.campaign_tenant_id, row.campaign_id, [next.tenantId]);
    if (outside.length) throw new PlanningError('ASSIGNEE_OUTSIDE_SHARE', `该专题未共享给${next.name}`, 'assignee');
  }
  const why = noteOf(reason);
  await repo
    .updateAssignment(ex, access.tenantId, row.id, {
      assignee_tenant_id: next.tenantId,
      assignee_staff_id: next.staffId,
      assignee_name: next.name.slice(0, 100),
      status: 'assigned',
      state: 'assigned',
      answered_at: null,
      answered_by_name: null,
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new PlanningError('ASSIGNED_ALREADY', undefined, 'assignee');
      if (isCheckViolation(err)) throw new PlanningError('ASSIGNMENT_STATE', '已关联稿件的任务不能改派');
      throw err;
    });
  await record(ex, access, actor, row, row.state, 'assigned', {
    reason: `改派：${row.assignee_name} → ${next.name}${why ? `（${why}）` : ''}`.slice(0, 300),
  });
  await changed(
    ex,
    actor,
    access.tenantId,
    event('assignment', row.id, 'reassign', {
      otherTenantId: next.tenantId,
      ...(next.staffId ? { staffId: next.staffId } : {}),
      previousTenantId: row.assignee_tenant_id,
      ...(row.assignee_staff_id ? { previousStaffId: row.assignee_staff_id } : {}),
    }),
    { from: row.assignee_name, to: next.name, reason: why },
  );
  return assignmentById(ex, access, row.id);
}

/** 撤单: the desk that assigned cancels an open assignment, with a reason; one whose story is published is done and stays. */
export async function cancelAssignment(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  reason: string,
): Promise<AssignmentView> {
  access.require(PLANNING_ROLES.plan);
  const row = await repo.assignmentRow(ex, access.tenantId, need(id, 'ASSIGNMENT_NOT_FOUND'), { lock: true });
  if (!row || row.tenant_id !== access.tenantId) throw new PlanningError('ASSIGNMENT_NOT_FOUND');
  const [view] = await assignmentViews(ex, access, [row.id]);
  if (!view || !['pending', 'accepted', 'filed'].includes(view.progress))
    throw new PlanningError(
      'ASSIGNMENT_STATE',
      view?.progress === 'published' ? '稿件已发布的任务不能撤单' : '该任务已结束',
    );
  const why = reasonOf(reason, '撤单理由');
  await repo.updateAssignment(ex, access.tenantId, row.id, {
    status: 'cancelled',
    state: 'cancelled',
    cancelled_at: new Date(),
    cancel_reason: why,
  });
  await record(ex, access, actor, row, row.state, 'cancelled', { reason: why });
  await changed(
    ex,
    actor,
    access.tenantId,
    event('assignment', row.id, 'cancel', {
      otherTenantId: row.assignee_tenant_id,
      ...(row.assignee_staff_id ? { staffId: row.assignee_staff_id } : {}),
    }),
    { reason: why },
  );
  return assignmentById(ex, access, row.id);
}

type Answerable = Pick<AssignmentRow, 'tenant_id' | 'assignee_tenant_id' | 'assignee_staff_id'>;

/**
 * Who answers an assignment in this tenant: the person it names (a person's assignment), or the
 * desk of the assignee tenant (an ancestor's desk assignment). Filing a story on a person's
 * assignment is also the desk's to do for them. Null when allowed, else why not.
 */
function answerRefusal(access: Access, row: Answerable, forFiling: boolean): DomainError | null {
  if (row.assignee_tenant_id !== access.tenantId) return new PlanningError('ASSIGNMENT_NOT_FOUND');
  if (row.assignee_staff_id !== null) {
    if (!access.hasAny(PLANNING_ROLES.read)) return new DomainError('FORBIDDEN');
    if (row.assignee_staff_id === access.staff.id || access.isOperator) return null;
    if (forFiling && access.hasAny(PLANNING_ROLES.plan)) return null;
    return new DomainError('FORBIDDEN', '只有被派单的人员可以接单、拒单');
  }
  if (row.tenant_id === access.tenantId) return new DomainError('FORBIDDEN', '派给下级单位的任务由下级单位接单');
  return access.hasAny(PLANNING_ROLES.plan) ? null : new DomainError('FORBIDDEN');
}

function mayAnswer(access: Access, row: Answerable, forFiling: boolean): void {
  const refusal = answerRefusal(access, row, forFiling);
  if (refusal) throw refusal;
}

/**
 * 接单 / 拒单. A desk assignment accepted by a descendant gives it a topic of its own (已立项, from
 * the assignment: title, instructions, due time, campaign), on which its desk assigns its people;
 * a story filed there is filed on the ancestor's assignment too. Declining needs a reason. A person
 * may still decline an assignment they accepted while no story is filed; a desk that accepted has
 * planned on it, so only the ancestor may end it then (撤单).
 */
export async function answerAssignment(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  accept: boolean,
  reason?: string | null,
): Promise<AssignmentView> {
  const row = await repo.assignmentRow(ex, access.tenantId, need(id, 'ASSIGNMENT_NOT_FOUND'), { lock: true });
  if (!row) throw new PlanningError('ASSIGNMENT_NOT_FOUND');
  mayAnswer(access, row, false);
  if (!accept && row.status === 'accepted' && row.assignee_staff_id === null)
    throw new PlanningError('ASSIGNMENT_STATE', '已接单的上级派单不能再拒单；如需放弃，请联系上级撤单');
  if (
    accept
      ? row.status !== 'assigned'
      : !(row.status === 'assigned' || (row.status === 'accepted' && row.story_id === null))
  ) {
    throw new PlanningError(
      'ASSIGNMENT_STATE',
      row.status === 'cancelled' ? '该任务已撤单' : accept ? '该任务已答复' : '已交稿的任务不能拒单',
    );
  }
  const now = new Date();
  const other = { ownerTenantId: row.tenant_id, ...(row.assignee_staff_id ? { staffId: row.assignee_staff_id } : {}) };
  if (accept) {
    await repo.updateAssignment(ex, row.tenant_id, row.id, {
      status: 'accepted',
      state: 'accepted',
      answered_at: now,
      answered_by_name: nameOf(actor),
    });
    await record(ex, access, actor, row, row.state, 'accepted');
    await changed(ex, actor, access.tenantId, event('assignment', row.id, 'accept', other));
    if (row.assignee_staff_id === null && !(await repo.localTopicOf(ex, access.tenantId, row.tenant_id, row.id))) {
      // the local topic names the campaign while it is shared with the tenant (the share may have narrowed since)
      const shared =
        row.campaign_tenant_id !== null &&
        row.campaign_id !== null &&
        (await repo.outsideShare(ex, row.campaign_tenant_id, row.campaign_id, [access.tenantId])).length === 0;
      const topicId = await repo.insertTopic(ex, {
        tenant_id: access.tenantId,
        title: row.title,
        brief: row.instructions,
        due_at: row.due_at,
        campaign_tenant_id: shared ? row.campaign_tenant_id : null,
        campaign_id: shared ? row.campaign_id : null,
        status: 'planned',
        origin: 'assignment',
        upstream_tenant_id: row.tenant_id,
        upstream_assignment_id: row.id,
        created_by: staffIdOf(actor),
        created_by_name: nameOf(actor),
      });
      await changed(ex, actor, access.tenantId, event('topic', topicId, 'create'), {
        title: row.title,
        upstreamAssignmentId: row.id,
      });
    }
  } else {
    const why = reasonOf(reason, '拒单理由');
    await repo.updateAssignment(ex, row.tenant_id, row.id, {
      status: 'declined',
      state: 'declined',
      answered_at: now,
      answered_by_name: nameOf(actor),
      decline_reason: why,
    });
    await record(ex, access, actor, row, row.state, 'declined', { reason: why });
    await changed(ex, actor, access.tenantId, event('assignment', row.id, 'decline', other), { reason: why });
  }
  return assignmentById(ex, access, row.id);
}

/** Puts a story on an assignment (accepting it if it was not yet), and up the chain of desk assignments it answers. */
async function fileStory(
  ex: Executor,
  access: Access,
  actor: Actor,
  row: AssignmentRow,
  story: { id: string; title: string; state: StoryState },
): Promise<void> {
  const now = new Date();
  const answer = row.status === 'assigned' ? { answered_at: now, answered_by_name: nameOf(actor) } : {};
  const state = coverageStateOfStory(story.state);
  if (row.status === 'assigned') await record(ex, access, actor, row, row.state, 'accepted');
  await repo.updateAssignment(ex, row.tenant_id, row.id, {
    status: 'accepted',
    state,
    ...(state === 'completed' ? { completed_at: now } : {}),
    ...answer,
    story_id: story.id,
    story_title: story.title.slice(0, 200),
    filed_at: now,
    filed_by_name: nameOf(actor),
  });
  await record(ex, access, actor, row, row.status === 'assigned' ? 'accepted' : row.state, state, {
    storyId: story.id,
  });
  await changed(ex, actor, access.tenantId, event('assignment', row.id, 'file', { ownerTenantId: row.tenant_id }), {
    storyId: story.id,
  });
  // a person's assignment on a topic that answers an ancestor's desk assignment: file it there too
  if (row.tenant_id !== access.tenantId) return;
  const topic = await repo.topicRow(ex, access.tenantId, row.topic_id);
  if (!topic?.upstream_assignment_id) return;
  const up = await repo.assignmentRow(ex, access.tenantId, topic.upstream_assignment_id, { lock: true });
  if (up && up.assignee_tenant_id === access.tenantId && up.status === 'accepted' && up.story_id === null)
    await fileStory(ex, access, actor, up, story);
}

/**
 * 交稿: the assignee (or, for a person's assignment, the desk) files a story of the assignee tenant
 * that covers the assignment. Filing again replaces the story, until one is published: the
 * progress follows the story, 已交稿 until it is published, then 已发布 (done; a retraction
 * opens it again).
 */
export async function fileAssignment(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  storyId: string,
): Promise<AssignmentView> {
  const row = await repo.assignmentRow(ex, access.tenantId, need(id, 'ASSIGNMENT_NOT_FOUND'), { lock: true });
  if (!row) throw new PlanningError('ASSIGNMENT_NOT_FOUND');
  mayAnswer(access, row, true);
  if (row.status !== 'assigned' && row.status !== 'accepted')
    throw new PlanningError('ASSIGNMENT_STATE', row.status === 'cancelled' ? '该任务已撤单' : '该任务已拒单');
  const [current] = await assignmentViews(ex, access, [row.id]);
  if (current?.progress === 'published') throw new PlanningError('ASSIGNMENT_STATE', '稿件已发布，任务已完成');
  if (row.story_id !== null && current?.progress !== 'retracted') throw new PlanningError('DELIVERED_ALREADY');
  const story = isUuid(storyId) ? await repo.storyForFiling(ex, access.tenantId, storyId) : undefined;
  if (!story) throw new PlanningError('STORY_INVALID', '找不到本单位的这篇稿件', 'storyId');
  if (story.state === 'retracted') throw new PlanningError('STORY_INVALID', '已撤稿的稿件不能交稿', 'storyId');
  await fileStory(ex, access, actor, row, story);
  return assignmentById(ex, access, row.id);
}

/** 写稿: a new draft story titled after the assignment, filed on it at once; the writer then writes it in the editor. */
export async function draftAssignmentStory(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  kind: StoryKind = 'article',
): Promise<{ storyId: string; assignment: AssignmentView }> {
  const row = await repo.assignmentRow(ex, access.tenantId, need(id, 'ASSIGNMENT_NOT_FOUND'), { lock: true });
  if (!row) throw new PlanningError('ASSIGNMENT_NOT_FOUND');
  mayAnswer(access, row, true);
  if (row.status !== 'assigned' && row.status !== 'accepted')
    throw new PlanningError('ASSIGNMENT_STATE', row.status === 'cancelled' ? '该任务已撤单' : '该任务已拒单');
  if (row.story_id !== null) {
    const [current] = await assignmentViews(ex, access, [row.id]);
    if (current?.progress !== 'retracted') throw new PlanningError('DELIVERED_ALREADY');
  }
  const { story, revision } = await createStory(ex, access, actor, { kind, title: row.title, body: [] });
  await fileStory(ex, access, actor, row, { id: story.id, title: revision.title, state: story.state });
  return { storyId: story.id, assignment: await assignmentById(ex, access, row.id) };
}

/**
 * The coverages a story of the tenant fulfils (the story editor shows them): the tenant's own
 * person coverages and the desk coverages its ancestors gave it that name the story.
 */
export async function coveragesOfStory(ex: Executor, access: Access, storyId: string): Promise<AssignmentView[]> {
  access.require(PLANNING_ROLES.read);
  if (!isUuid(storyId)) return [];
  const now = Date.now();
  return (await repo.assignmentRows(ex, { kind: 'story', tenantId: access.tenantId, storyId })).map((r) =>
    toAssignment(r, now),
  );
}

/** Open coverages of the viewer's desk with no content yet, that the viewer may link a story to (关联稿件). */
export async function linkableCoverages(ex: Executor, access: Access): Promise<AssignmentView[]> {
  access.require(PLANNING_ROLES.read);
  const now = Date.now();
  return (await repo.assignmentRows(ex, { kind: 'linkable', tenantId: access.tenantId }))
    .filter((r) => answerRefusal(access, r, true) === null)
    .map((r) => toAssignment(r, now));
}

/**
 * 关联任务: from the story editor, an editor links an unlinked draft of the tenant to an open
 * coverage of their desk (or their own). The coverage takes one delivery (a second is refused:
 * DELIVERED_ALREADY); another desk's coverage is not found; a story already fulfilling a coverage,
 * or past its draft, is refused (STORY_INVALID). Filing then follows as 交稿 does (up the chain).
 */
export async function linkStoryToCoverage(
  ex: Executor,
  access: Access,
  actor: Actor,
  storyId: string,
  assignmentId: string,
): Promise<AssignmentView> {
  access.require(PLANNING_ROLES.read);
  const story = isUuid(storyId) ? await repo.storyForFiling(ex, access.tenantId, storyId) : undefined;
  if (!story) throw new PlanningError('STORY_INVALID', '找不到本单位的这篇稿件', 'storyId');
  if (story.state !== 'draft') throw new PlanningError('STORY_INVALID', '只有草稿可以关联任务', 'storyId');
  if ((await repo.assignmentRows(ex, { kind: 'story', tenantId: access.tenantId, storyId: story.id })).length)
    throw new PlanningError('STORY_INVALID', '该稿件已关联任务', 'storyId');
  return fileAssignment(ex, access, actor, assignmentId, story.id);
}

/** The viewer's own assignments in this tenant (我的任务), open ones first by due time. */
export async function myAssignments(
  ex: Executor,
  access: Access,
  filter: AssignmentFilter = {},
): Promise<AssignmentView[]> {
  access.require(PLANNING_ROLES.read);
  const me = access.staff.id;
  if (!isUuid(me)) return [];
  const now = Date.now();
  return (
    await repo.assignmentRows(ex, { kind: 'mine', tenantId: access.tenantId, staffId: me, open: filter.open ?? false })
  ).map((r) => toAssignment(r, now));
}

/** Desk assignments the tenant's ancestors gave it (上级派单). */
export async function incomingAssignments(
  ex: Executor,
  access: Access,
  filter: AssignmentFilter = {},
): Promise<AssignmentView[]> {
  access.require(PLANNING_ROLES.read);
  const now = Date.now();
  return (
    await repo.assignmentRows(ex, { kind: 'incoming', tenantId: access.tenantId, open: filter.open ?? false })
  ).map((r) => toAssignment(r, now));
}

/** The assignments of topics already read under the caller's scope, by topic (the API batches them). */
export async function assignmentsOfTopics(
  ex: Executor,
  keys: readonly { tenantId: string; topicId: string }[],
): Promise<Map<string, AssignmentView[]>> {
  const now = Date.now();
  const out = new Map<string, AssignmentView[]>();
  for (const r of await repo.assignmentRows(ex, { kind: 'topics', keys })) {
    const list = out.get(r.topic_id) ?? [];
    list.push(toAssignment(r, now));
    out.set(r.topic_id, list);
  }
  return out;
}

// ---------------------------------------------------------------- pitches

/** A pitch the tenant made or received. */
export async function pitchById(ex: Executor, access: Access, id: string): Promise<PitchView> {
  access.require(PLANNING_ROLES.read);
  const [row] = await repo.pitchRows(ex, {
    kind: 'ids',
    tenantId: access.tenantId,
    ids: [need(id, 'PITCH_NOT_FOUND')],
  });
  if (!row) throw new PlanningError('PITCH_NOT_FOUND');
  return toPitch(row);
}

/**
 * 上报: the desk pitches a planned topic of its own up to an ancestor (into one of its open
 * campaigns that reaches down, or none), which accepts or declines it. One live pitch per topic
 * and ancestor.
 */
export async function pitchTopic(ex: Executor, access: Access, actor: Actor, input: PitchInput): Promise<PitchView> {
  access.require(PLANNING_ROLES.plan);
  const topic = await ownTopic(ex, access, input.topicId);
  if (topic.status !== 'planned') throw new PlanningError('TOPIC_STATE', '只有已立项的选题可以上报');
  if (!isUuid(input.toTenantId) || !(await isAncestor(ex, input.toTenantId, access.tenantId)))
    throw new PlanningError('PITCH_TARGET', undefined, 'toTenantId');
  const campaignId =
    input.campaignId !== undefined
      ? input.campaignId
      : topic.campaign_tenant_id === input.toTenantId
        ? topic.campaign_id
        : null;
  if (campaignId) {
    const [c] = isUuid(campaignId) ? await repo.campaignRows(ex, { tenantId: access.tenantId, ids: [campaignId] }) : [];
    if (!c || c.tenant_id !== input.toTenantId || !c.reaches)
      throw new PlanningError('CAMPAIGN_NOT_FOUND', '请选择上级单位面向下级的专题', 'campaignId');
    if (c.status !== 'open') throw new PlanningError('CAMPAIGN_CLOSED', undefined, 'campaignId');
  }
  const note = noteOf(input.note, 500) ?? '';
  const id = await repo
    .insertPitch(ex, {
      tenant_id: access.tenantId,
      topic_id: topic.id,
      to_tenant_id: input.toTenantId,
      campaign_id: campaignId || null,
      note,
      pitched_by: staffIdOf(actor),
      pitched_by_name: nameOf(actor),
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new PlanningError('PITCHED_ALREADY');
      if (isCheckViolation(err)) throw new PlanningError('PITCH_TARGET', undefined, 'toTenantId');
      throw err;
    });
  await changed(ex, actor, access.tenantId, event('pitch', id, 'pitch', { otherTenantId: input.toTenantId }), {
    topicId: topic.id,
    campaignId: campaignId || null,
  });
  return pitchById(ex, access, id);
}

/** The pitcher withdraws a pitch still waiting for a decision. */
export async function withdrawPitch(ex: Executor, access: Access, actor: Actor, id: string): Promise<PitchView> {
  access.require(PLANNING_ROLES.plan);
  const row = await repo.pitchRow(ex, access.tenantId, need(id, 'PITCH_NOT_FOUND'), { lock: true });
  if (!row || row.tenant_id !== access.tenantId) throw new PlanningError('PITCH_NOT_FOUND');
  if (row.status !== 'pending') throw new PlanningError('PITCH_STATE', '只能撤回待采纳的报题');
  await repo.updatePitch(ex, row.tenant_id, row.id, { status: 'withdrawn' });
  await changed(ex, actor, access.tenantId, event('pitch', row.id, 'withdraw', { otherTenantId: row.to_tenant_id }));
  return pitchById(ex, access, row.id);
}

/** The ancestor's desk accepts (采纳) or declines (with a reason) a pitch sent to it. */
export async function decidePitch(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  accept: boolean,
  note?: string | null,
): Promise<PitchView> {
  access.require(PLANNING_ROLES.plan);
  const row = await repo.pitchRow(ex, access.tenantId, need(id, 'PITCH_NOT_FOUND'), { lock: true });
  if (!row || row.to_tenant_id !== access.tenantId) throw new PlanningError('PITCH_NOT_FOUND');
  if (row.status !== 'pending')
    throw new PlanningError('PITCH_STATE', row.status === 'withdrawn' ? '该报题已撤回' : '该报题已有决定');
  const decision = accept ? noteOf(note) : reasonOf(note, '不采纳的理由', 'note');
  await repo.updatePitch(ex, row.tenant_id, row.id, {
    status: accept ? 'accepted' : 'declined',
    decided_at: new Date(),
    decided_by_name: nameOf(actor),
    decision_note: decision,
  });
  await changed(
    ex,
    actor,
    access.tenantId,
    event('pitch', row.id, accept ? 'accept' : 'decline', { ownerTenantId: row.tenant_id }),
    { note: decision },
  );
  return pitchById(ex, access, row.id);
}

/** Pitches sent to the tenant by its descendants (下级报题). */
export async function incomingPitches(ex: Executor, access: Access, filter: PitchFilter = {}): Promise<PitchView[]> {
  access.require(PLANNING_ROLES.read);
  return (await repo.pitchRows(ex, { kind: 'incoming', tenantId: access.tenantId, filter })).map(toPitch);
}

/** The pitches of topics already read under the caller's scope, by topic (the API batches them). */
export async function pitchesOfTopics(
  ex: Executor,
  keys: readonly { tenantId: string; topicId: string }[],
): Promise<Map<string, PitchView[]>> {
  const out = new Map<string, PitchView[]>();
  for (const r of await repo.pitchRows(ex, { kind: 'topics', keys })) {
    const list = out.get(r.topic_id) ?? [];
    list.push(toPitch(r));
    out.set(r.topic_id, list);
  }
  return out;
}

// ---------------------------------------------------------------- the desk's summary

export async function planningCounts(ex: Executor, access: Access): Promise<PlanningCounts> {
  access.require(PLANNING_ROLES.read);
  const r = await repo.planningCounts(ex, access.tenantId, isUuid(access.staff.id) ? access.staff.id : null);
  return {
    proposed: r.proposed,
    planned: r.planned,
    overdue: r.overdue,
    mine: r.mine,
    incomingAssignments: r.incoming_assignments,
    incomingPitches: r.incoming_pitches,
  };
}

/** The people the desk may assign, with how many open assignments each holds. */
export async function assignablePeople(ex: Executor, access: Access): Promise<AssignablePerson[]> {
  access.require(PLANNING_ROLES.plan);
  return (await repo.assignablePeople(ex, access.tenantId)).map((p) => ({
    id: p.id,
    name: p.name,
    roles: p.roles,
    openAssignments: p.open_assignments,
  }));
}

// ---------------------------------------------------------------- what the viewer may do now

/** The buttons a topic offers the viewer in the tenant it is read from (a descendant's topic offers none). */
export interface TopicActions {
  edit: boolean;
  decide: boolean;
  assign: boolean;
  pitch: boolean;
  complete: boolean;
  drop: boolean;
  withdraw: boolean;
}

export function topicActions(access: Access, t: Pick<TopicView, 'tenantId' | 'status' | 'proposedById'>): TopicActions {
  const own = t.tenantId === access.tenantId;
  const desk = own && access.hasAny(PLANNING_ROLES.plan);
  const proposer = own && t.status === 'proposed' && t.proposedById !== null && t.proposedById === access.staff.id;
  const planned = t.status === 'planned';
  return {
    edit: (desk && (planned || t.status === 'proposed')) || proposer,
    decide: desk && t.status === 'proposed',
    assign: desk && planned,
    pitch: desk && planned,
    complete: desk && planned,
    drop: desk && planned,
    withdraw: proposer,
  };
}

export interface AssignmentActions {
  accept: boolean;
  decline: boolean;
  /** 交稿 and 写稿 */
  file: boolean;
  cancel: boolean;
  /** 改派: the assigning desk, while no content is linked */
  reassign: boolean;
}

export function assignmentActions(
  access: Access,
  a: Pick<AssignmentView, 'tenantId' | 'assigneeTenantId' | 'assigneeStaffId' | 'status' | 'storyId' | 'progress'>,
): AssignmentActions {
  const row = { tenant_id: a.tenantId, assignee_tenant_id: a.assigneeTenantId, assignee_staff_id: a.assigneeStaffId };
  const answers = answerRefusal(access, row, false) === null;
  const files = answerRefusal(access, row, true) === null;
  const open = a.status === 'assigned' || a.status === 'accepted';
  return {
    accept: answers && a.status === 'assigned',
    decline:
      answers &&
      (a.status === 'assigned' || (a.status === 'accepted' && a.storyId === null && a.assigneeStaffId !== null)),
    // one delivery per coverage: filing again only replaces a retracted story
    file: files && open && a.progress !== 'published' && (a.storyId === null || a.progress === 'retracted'),
    cancel:
      a.tenantId === access.tenantId &&
      access.hasAny(PLANNING_ROLES.plan) &&
      ['pending', 'accepted', 'filed'].includes(a.progress),
    reassign: a.tenantId === access.tenantId && access.hasAny(PLANNING_ROLES.plan) && open && a.storyId === null,
  };
}

export interface PitchActions {
  withdraw: boolean;
  decide: boolean;
}

export function pitchActions(access: Access, p: Pick<PitchView, 'tenantId' | 'toTenantId' | 'status'>): PitchActions {
  const desk = access.hasAny(PLANNING_ROLES.plan) && p.status === 'pending';
  return { withdraw: desk && p.tenantId === access.tenantId, decide: desk && p.toTenantId === access.tenantId };
}

// ---------------------------------------------------------------- coverage: history, overdue, board, workload

/** 'All counties of city X': the descendants of a tenant of the desk's subtree at a level, as desk assignees. */
async function tenantsUnder(ex: Executor, access: Access, input: AssignInput): Promise<{ tenantId: string }[]> {
  const under = input.under;
  if (!under) return [];
  if (!isUuid(under.tenantId) || !['province', 'city', 'county'].includes(under.level))
    throw new PlanningError('ASSIGNEE_INVALID', '请选择本单位的下级单位和层级', 'under');
  const found = (await repo.tenantsUnder(ex, access.tenantId, under.tenantId, under.level)).filter(
    (t) => t.id !== access.tenantId,
  );
  if (!found.length) throw new PlanningError('ASSIGNEE_INVALID', '所选单位下没有该层级的下级单位', 'under');
  return found.map((t) => ({ tenantId: t.id }));
}

/** The recorded changes of coverages already read under the caller's scope, by assignment (the API batches them). */
export async function historyOfAssignments(
  ex: Executor,
  keys: readonly { tenantId: string; assignmentId: string }[],
): Promise<Map<string, CoverageChange[]>> {
  const out = new Map<string, CoverageChange[]>();
  for (const h of await repo.historyRows(ex, keys)) {
    const list = out.get(h.assignment_id) ?? [];
    list.push({
      id: h.id,
      assignmentId: h.assignment_id,
      at: h.at,
      actorTenantId: h.actor_tenant_id,
      actorName: h.actor_name,
      fromState: h.from_state,
      toState: h.to_state,
      reason: h.reason,
      storyId: h.story_id,
    });
    out.set(h.assignment_id, list);
  }
  return out;
}

/**
 * The tenant's overdue list (逾期任务): coverages past their due time and not completed, given by or
 * to any tenant of its subtree. A county's overdue coverage is on its own, its city's and its
 * province's list, as overdue messages are.
 */
export async function overdueCoverages(ex: Executor, access: Access): Promise<OverdueCoverage[]> {
  access.require(PLANNING_ROLES.read);
  return (await repo.overdueCoverageRows(ex, access.tenantId)).map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    assigneeTenantId: r.assignee_tenant_id,
    assigneeTenantName: r.assignee_tenant_name,
    assigneeName: r.assignee_name,
    title: r.title,
    task: r.task,
    state: r.state,
    dueAt: r.due_at,
    campaignId: r.campaign_id,
  }));
}

/**
 * The board (指挥调度) of a campaign the tenant may read: its coverages by state (the totals, and up
 * to `perState` cards of each, overdue ones first, then by due time).
 */
export async function campaignBoard(ex: Executor, access: Access, campaignId: string, perState = 50): Promise<Board> {
  const campaign = await campaignById(ex, access, campaignId);
  const per = Math.max(1, Math.min(perState, 200));
  const rows = await repo.boardRows(ex, access.tenantId, campaign.tenantId, campaign.id, per);
  const topics = await repo.boardTopicCount(ex, access.tenantId, campaign.tenantId, campaign.id);
  const counts = new Map<CoverageState, { total: number; overdue: number }>();
  for (const r of rows) counts.set(r.state, { total: r.state_total, overdue: r.state_overdue });
  return {
    campaignId: campaign.id,
    topics,
    cards: rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      tenantName: r.tenant_name,
      topicId: r.topic_id,
      title: r.title,
      task: r.task,
      assigneeTenantId: r.assignee_tenant_id,
      assigneeTenantName: r.assignee_tenant_name,
      assigneeName: r.assignee_name,
      state: r.state,
      dueAt: r.due_at,
      completedAt: r.completed_at,
      overdue: r.overdue,
      storyTitle: r.story_title,
    })),
    counts: [...counts].map(([state, c]) => ({ state, count: c.total })),
    overdue: [...counts.values()].reduce((n, c) => n + c.overdue, 0),
  };
}

/**
 * Workload (工作量) per tenant of the subtree and per person: assigned, completed, on time, adopted;
 * within a period of Beijing days when given (coverages by when they were assigned, pitches by when
 * they were adopted).
 */
export async function planningWorkload(ex: Executor, access: Access, period: DayPeriod = {}): Promise<Workload[]> {
  access.require(PLANNING_ROLES.read);
  return (await repo.workloadRows(ex, access.tenantId, checkDayPeriod(period))).map((r) => ({
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    staffId: r.staff_id,
    name: r.name,
    assigned: r.assigned,
    completed: r.completed,
    onTime: r.on_time,
    adopted: r.adopted,
  }));
}

// ---------------------------------------------------------------- credit (传播效果)

/**
 * 传播效果 of a topic or a campaign the tenant may read: the stories delivered on its coverages
 * (published), the faces that carry each (placements: its own face and those that took it up) and
 * its page views on every face, with the totals. A campaign counts the topics of the viewer's
 * subtree that name it, each delivered story once.
 */
export async function planningCredit(
  ex: Executor,
  access: Access,
  of: { topicId?: string | null; campaignId?: string | null },
): Promise<PlanningCredit> {
  access.require(PLANNING_ROLES.read);
  if (!of.topicId === !of.campaignId)
    throw new PlanningError('PLANNING_INVALID', '请指定一个选题或一个专题', 'topicId');
  const key = of.topicId
    ? { topic: await topicById(ex, access, of.topicId).then((t) => ({ tenantId: t.tenantId, id: t.id })) }
    : { campaign: await campaignById(ex, access, of.campaignId!).then((c) => ({ tenantId: c.tenantId, id: c.id })) };
  const stories = (await repo.creditRows(ex, access.tenantId, key)).map((r) => ({
    storyId: r.story_id,
    tenantId: r.story_tenant_id,
    title: r.title,
    publishedAt: r.published_at,
    placements: r.faces,
    faceNames: r.face_names,
    views: Number(r.views),
  }));
  return {
    delivered: stories.length,
    placements: stories.reduce((n, x) => n + x.placements, 0),
    views: stories.reduce((n, x) => n + x.views, 0),
    stories,
  };
}

// ---------------------------------------------------------------- notices (通知) and live updates

const kindName = (task: AssignmentRow['task']) => COVERAGE_KIND_NAMES[task];

/**
 * The worker's part (platform scope): turns a planning event into notices for the people and desks
 * concerned (a new coverage to its assignee, an answer or a delivery to the assigner's desk, a pitch
 * to the ancestor, a decision to the pitcher, an overdue reminder to both sides of a coverage still
 * open at its due time), and says which tenants hear it live (the parties and their ancestors).
 */
export async function recordPlanningNotices(
  ex: Executor,
  ev: { id: number; tenantId: string | null; topic: string; payload: Record<string, unknown> },
): Promise<PlanningChannelMessage | null> {
  const p = ev.payload as Partial<PlanningChanged> & { state?: string };
  if (typeof p.id !== 'string' || !isUuid(p.id) || typeof p.kind !== 'string') return null;
  const notices: repo.NewNotice[] = [];
  const parties = new Set<string>();
  if (ev.tenantId) parties.add(ev.tenantId);
  if (p.kind === 'assignment') {
    const owner = typeof p.ownerTenantId === 'string' ? p.ownerTenantId : ev.tenantId;
    const a = owner && isUuid(owner) ? await repo.assignmentForNotice(ex, owner, p.id) : undefined;
    if (!a) return null;
    parties.add(a.tenant_id).add(a.assignee_tenant_id);
    const ref = { assignment_tenant_id: a.tenant_id, assignment_id: a.id, event_id: ev.id };
    const toAssignee = (kind: repo.NewNotice['kind'], text: string) =>
      notices.push({ tenant_id: a.assignee_tenant_id, staff_id: a.assignee_staff_id, kind, text, ...ref });
    const toDesk = (kind: repo.NewNotice['kind'], text: string) =>
      notices.push({ tenant_id: a.tenant_id, staff_id: null, kind, text, ...ref });
    const what = `「${a.title}」（${kindName(a.task)}）`;
    switch (p.action) {
      case 'assign':
        toAssignee('assigned', `${a.tenant_name}派来任务${what}${a.due_at ? '，请按时完成' : ''}`);
        break;
      case 'accept':
        toDesk('accepted', `${a.assignee_name}已接单${what}`);
        break;
      case 'decline':
        toDesk('declined', `${a.assignee_name}拒单${what}：${a.decline_reason ?? ''}`);
        break;
      case 'cancel':
        toAssignee('cancelled', `${a.tenant_name}撤回了任务${what}：${a.cancel_reason ?? ''}`);
        break;
      case 'progress':
        if (p.state === 'submitted') toDesk('submitted', `${a.assignee_name}的稿件已送审${what}`);
        if (p.state === 'completed') toDesk('completed', `${a.assignee_name}已完成${what}，稿件已发布`);
        break;
      case 'reassign': {
        toAssignee('assigned', `${a.tenant_name}派来任务${what}${a.due_at ? '，请按时完成' : ''}`);
        const prev = typeof p.previousTenantId === 'string' && isUuid(p.previousTenantId) ? p.previousTenantId : null;
        const prevStaff = typeof p.previousStaffId === 'string' && isUuid(p.previousStaffId) ? p.previousStaffId : null;
        if (prev) {
          parties.add(prev);
          notices.push({
            tenant_id: prev,
            staff_id: prevStaff,
            kind: 'reassigned',
            text: `${a.tenant_name}已将任务${what}改派给${a.assignee_name}`,
            ...ref,
          });
        }
        break;
      }
      case 'due':
        if ((OPEN_COVERAGE as string[]).includes(a.state)) {
          toAssignee('overdue', `任务${what}已到截止时间，尚未完成`);
          toDesk('overdue', `${a.assignee_name}的任务${what}已逾期`);
        }
        break;
    }
  } else if (p.kind === 'pitch') {
    const pitch = await repo.pitchForNotice(ex, p.id);
    if (!pitch) return null;
    parties.add(pitch.tenant_id).add(pitch.to_tenant_id);
    const ref = { pitch_id: pitch.id, event_id: ev.id };
    if (p.action === 'pitch')
      notices.push({
        tenant_id: pitch.to_tenant_id,
        staff_id: null,
        kind: 'pitched',
        text: `${pitch.tenant_name}报题「${pitch.topic_title}」`,
        ...ref,
      });
    if (p.action === 'accept' || p.action === 'decline') {
      const accepted = p.action === 'accept';
      const text = accepted
        ? `${pitch.to_tenant_name}采用了报题「${pitch.topic_title}」`
        : `${pitch.to_tenant_name}未采用报题「${pitch.topic_title}」：${pitch.decision_note ?? ''}`;
      const kind = accepted ? 'pitch_accepted' : 'pitch_declined';
      notices.push({ tenant_id: pitch.tenant_id, staff_id: null, kind, text, ...ref });
      if (pitch.pitched_by)
        notices.push({ tenant_id: pitch.tenant_id, staff_id: pitch.pitched_by, kind, text, ...ref });
    }
  }
  await repo.insertNotices(
    ex,
    notices.map((n) => ({ ...n, text: n.text.slice(0, 300) })),
  );
  return {
    tenantIds: await repo.withAncestors(ex, [...parties]),
    kind: p.kind,
    id: p.id,
    action: typeof p.action === 'string' ? p.action : 'update',
  };
}

/** The viewer's notices in the tenant (their own, and the desk's for the desk), newest first, with the unread count. */
export async function planningNotices(
  ex: Executor,
  access: Access,
): Promise<{ unread: number; items: PlanningNotice[] }> {
  access.require(PLANNING_ROLES.read);
  const me = isUuid(access.staff.id) ? access.staff.id : null;
  const rows = await repo.noticeRows(ex, access.tenantId, me, access.hasAny(PLANNING_ROLES.plan));
  return {
    unread: rows[0]?.unread ?? 0,
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      text: r.text,
      forDesk: r.staff_id === null,
      assignmentId: r.assignment_id,
      pitchId: r.pitch_id,
      createdAt: r.created_at,
      readAt: r.read_at,
    })),
  };
}

export async function markPlanningNoticesRead(ex: Executor, access: Access): Promise<number> {
  access.require(PLANNING_ROLES.read);
  const me = isUuid(access.staff.id) ? access.staff.id : null;
  return repo.markNoticesRead(ex, access.tenantId, me, access.hasAny(PLANNING_ROLES.plan));
}

import type {
  AssignmentStatus,
  AssignmentTask,
  CampaignReach,
  CampaignReachLevel,
  CampaignStatus,
  CoverageState,
  PitchStatus,
  PlanningNoticeKind,
  StoryState,
  TenantLevel,
  TopicOrigin,
  TopicStatus,
} from '@yiduan/db';
import { PlanningError } from './errors.js';

export type {
  AssignmentStatus,
  AssignmentTask,
  CampaignReach,
  CampaignReachLevel,
  CampaignStatus,
  CoverageState,
  PitchStatus,
  TopicOrigin,
  TopicStatus,
} from '@yiduan/db';

/** 专题: a campaign is open (进行中) or closed (已结束: kept, no new topics name it). */
export const CAMPAIGN_STATUS_NAMES: Record<CampaignStatus, string> = { open: '进行中', closed: '已结束' };
/** Who a campaign is for: the tenant's own plan, or also its descendants (they see it, name it, pitch into it). */
export const REACH_NAMES: Record<CampaignReach, string> = {
  own: '仅本单位',
  subtree: '本单位及全部下级',
  level: '按层级共享',
  list: '指定下级单位',
};
/** The level a campaign of reach 'level' is shared with: every city or every county of the owner's subtree. */
export const REACH_LEVEL_NAMES: Record<CampaignReachLevel, string> = { city: '全部市级单位', county: '全部县级单位' };
/** At most this many tenants on a campaign's share list. */
export const MAX_SHARE_LIST = 300;

/**
 * 选题: proposed (a staff member's 报题, 待审) → planned (立项) or declined (未通过); a planned topic
 * ends done (完成) or dropped (撤销); a proposer may withdraw their own proposal (撤销 too).
 */
export const TOPIC_STATUS_NAMES: Record<TopicStatus, string> = {
  proposed: '待审',
  planned: '已立项',
  declined: '未通过',
  done: '已完成',
  dropped: '已撤销',
};
export const TOPIC_STATUSES = Object.keys(TOPIC_STATUS_NAMES) as TopicStatus[];
export const ORIGIN_NAMES: Record<TopicOrigin, string> = { desk: '策划', proposal: '报题', assignment: '上级派单' };
/** Topics still being worked on. */
export const OPEN_TOPIC: readonly TopicStatus[] = ['proposed', 'planned'];

/** 分工: what the assignee does. */
export const TASK_NAMES: Record<AssignmentTask, string> = {
  write: '文字',
  photo: '摄影',
  video: '视频',
  live: '直播',
  design: '美编',
  other: '其他',
};
export const TASKS = Object.keys(TASK_NAMES) as AssignmentTask[];

/** 派单: assigned (待接单) → accepted (已接单) or declined (拒单, with a reason); the assigner may cancel (撤单) an open one. */
export const ASSIGNMENT_STATUS_NAMES: Record<AssignmentStatus, string> = {
  assigned: '待接单',
  accepted: '已接单',
  declined: '已拒单',
  cancelled: '已撤单',
};
/** Assignments still open: the same person or desk is not given the same task on one topic twice while one is. */
export const OPEN_ASSIGNMENT: readonly AssignmentStatus[] = ['assigned', 'accepted'];

/**
 * Where an assignment stands, from its status and its story: 待接单, 采写中 (accepted, no story yet),
 * 已交稿 (a story filed, not yet published, or not visible to the viewer: another tenant's draft),
 * 已发布, 已撤稿, and the two ends 已拒单 and 已撤单. Derived when read, so it follows the story's
 * own state without being told (a publication, a retraction).
 */
export type AssignmentProgress =
  'pending' | 'accepted' | 'filed' | 'published' | 'retracted' | 'declined' | 'cancelled';
export const PROGRESS_NAMES: Record<AssignmentProgress, string> = {
  pending: '待接单',
  accepted: '采写中',
  filed: '已交稿',
  published: '已发布',
  retracted: '已撤稿',
  declined: '已拒单',
  cancelled: '已撤单',
};

export function progressOf(
  status: AssignmentStatus,
  storyId: string | null,
  storyState: StoryState | null,
): AssignmentProgress {
  if (status === 'cancelled') return 'cancelled';
  if (status === 'declined') return 'declined';
  if (storyId === null) return status === 'assigned' ? 'pending' : 'accepted';
  if (storyState === 'published') return 'published';
  if (storyState === 'retracted') return 'retracted';
  return 'filed';
}

/** An assignment past its due time and not yet covered by a published story. */
export function isOverdue(dueAt: Date | null, progress: AssignmentProgress, now: number = Date.now()): boolean {
  return dueAt !== null && dueAt.getTime() < now && ['pending', 'accepted', 'filed'].includes(progress);
}

/**
 * 任务 (the coverage): the assignment's stored state, each change recorded in its history.
 * A planned topic without coverage is the draft; then assigned (待接单) → accepted (已接单)
 * → in_progress (采写中: a story filed, a draft) → submitted (已送审: the story in review, approved or
 * scheduled) → completed (已完成: published), or declined (已拒单, with a reason) or cancelled (已撤单).
 * The last three follow the story, in the transaction that moves it (a trigger on stories).
 */
export const COVERAGE_STATE_NAMES: Record<CoverageState, string> = {
  assigned: '待接单',
  accepted: '已接单',
  in_progress: '采写中',
  submitted: '已送审',
  completed: '已完成',
  declined: '已拒单',
  cancelled: '已撤单',
};
export const COVERAGE_STATES = Object.keys(COVERAGE_STATE_NAMES) as CoverageState[];
/** Coverages still to deliver: overdue when past their due time. */
export const OPEN_COVERAGE: readonly CoverageState[] = ['assigned', 'accepted', 'in_progress', 'submitted'];
/** The kinds (文字, 图片, 短视频, 直播, 海报/H5) on the first increment's tasks. */
export const COVERAGE_KIND_NAMES: Record<AssignmentTask, string> = {
  write: '文字',
  photo: '图片',
  video: '短视频',
  live: '直播',
  design: '海报/H5',
  other: '其他',
};

/** The coverage state a filed story gives (as the trigger `coverage_state_of` computes it). */
export function coverageStateOfStory(state: StoryState): CoverageState {
  if (state === 'published') return 'completed';
  if (state === 'in_review' || state === 'approved' || state === 'scheduled') return 'submitted';
  return 'in_progress';
}

/** 报题 to an ancestor: pending (待采纳) → accepted (已采纳) or declined (未采纳, with a reason); the pitcher may withdraw a pending one. */
export const PITCH_STATUS_NAMES: Record<PitchStatus, string> = {
  pending: '待采纳',
  accepted: '已采纳',
  declined: '未采纳',
  withdrawn: '已撤回',
};

// ---------------------------------------------------------------- input

export interface CampaignInput {
  title: string;
  brief?: string;
  /** 'YYYY-MM-DD' (Beijing days), null: open-ended */
  startsOn?: string | null;
  endsOn?: string | null;
  reach?: CampaignReach;
  /** with reach 'level': the level of the descendants it is shared with */
  reachLevel?: CampaignReachLevel | null;
  /** with reach 'list': the descendants it is shared with */
  shareTenantIds?: string[] | null;
}
export type CampaignPatch = Partial<CampaignInput> & { status?: CampaignStatus };

export interface TopicInput {
  title: string;
  brief?: string;
  dueAt?: Date | null;
  /** a campaign of the tenant or one of an ancestor's that reaches it; null: none */
  campaignId?: string | null;
}

/** One assignee: a person of the tenant's staff, or a descendant tenant (its desk). */
export type Assignee = { staffId: string; tenantId?: undefined } | { tenantId: string; staffId?: undefined };

export interface AssignInput {
  assignees?: Assignee[];
  /** every descendant of this tenant (itself included) at this level: 'all counties of city X' */
  under?: { tenantId: string; level: TenantLevel } | null;
  task: AssignmentTask;
  instructions?: string;
  /** default: the topic's due time */
  dueAt?: Date | null;
}

export interface PitchInput {
  topicId: string;
  /** an ancestor of the tenant */
  toTenantId: string;
  /** one of that ancestor's open campaigns reaching down (default: the topic's, if it is the ancestor's) */
  campaignId?: string | null;
  note?: string;
}

/** A real calendar day written 'YYYY-MM-DD'. */
function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const invalid = (detail: string, field: string): never => {
  throw new PlanningError('PLANNING_INVALID', detail, field);
};

function text(v: string | undefined, max: number, label: string, field: string): string | undefined {
  if (v === undefined) return undefined;
  const s = v.trim();
  if (s.length > max) invalid(`${label}不能超过 ${max} 个字符`, field);
  return s;
}

function title(v: string | undefined, max: number, label: string, field = 'title'): string {
  const s = (v ?? '').trim();
  if (s.length < 1 || s.length > max) invalid(`${label}应为 1 到 ${max} 个字符`, field);
  return s;
}

/** A due time: a real instant, not before 2000 nor more than two years ahead. */
function due(v: Date | null | undefined, now: number): Date | null | undefined {
  if (v === undefined || v === null) return v;
  const t = v instanceof Date ? v.getTime() : Number.NaN;
  if (!Number.isFinite(t) || t < Date.UTC(2000, 0, 1) || t > now + 2 * 366 * 86_400_000)
    invalid('截止时间不正确', 'dueAt');
  return v;
}

export function checkCampaign<T extends Partial<CampaignPatch>>(input: T, isNew: boolean): T {
  const out = { ...input };
  if (isNew || input.title !== undefined) out.title = title(input.title, 60, '专题名称');
  out.brief = text(input.brief, 2000, '专题说明', 'brief');
  for (const k of ['startsOn', 'endsOn'] as const) {
    const v = input[k];
    if (v !== undefined && v !== null && !isCalendarDay(v)) invalid('日期格式应为 YYYY-MM-DD', k);
  }
  if (input.startsOn && input.endsOn && input.endsOn < input.startsOn) invalid('结束日期不能早于开始日期', 'endsOn');
  if (input.reach !== undefined && !['own', 'subtree', 'level', 'list'].includes(input.reach))
    invalid('范围应为仅本单位、本单位及全部下级、按层级或指定下级单位', 'reach');
  if (input.reachLevel !== undefined && input.reachLevel !== null && !['city', 'county'].includes(input.reachLevel))
    invalid('共享层级应为市级或县级', 'reachLevel');
  if (input.shareTenantIds !== undefined && input.shareTenantIds !== null) {
    const ids = input.shareTenantIds;
    if (!Array.isArray(ids) || ids.length > MAX_SHARE_LIST)
      invalid(`指定的单位不能超过 ${MAX_SHARE_LIST} 个`, 'shareTenantIds');
    if (new Set(ids).size !== ids.length) invalid('指定的单位重复', 'shareTenantIds');
    out.shareTenantIds = [...ids];
  }
  if (input.status !== undefined && !['open', 'closed'].includes(input.status)) invalid('专题状态不正确', 'status');
  return out;
}

export function checkTopic<T extends Partial<TopicInput>>(input: T, isNew: boolean, now: number = Date.now()): T {
  const out = { ...input };
  if (isNew || input.title !== undefined) out.title = title(input.title, 80, '选题名称');
  out.brief = text(input.brief, 2000, '选题说明', 'brief');
  out.dueAt = due(input.dueAt, now);
  return out;
}

export function checkAssign(input: AssignInput, now: number = Date.now()): AssignInput {
  if (!TASKS.includes(input.task)) invalid('分工不正确', 'task');
  const assignees = input.assignees ?? [];
  if (!Array.isArray(assignees) || assignees.length === 0) invalid('请选择派单对象', 'assignees');
  if (assignees.length > 200) invalid('一次最多派给 200 个对象', 'assignees');
  for (const a of assignees) {
    if (!a || (a.staffId === undefined) === (a.tenantId === undefined))
      invalid('每个派单对象应为一名人员或一个下级单位', 'assignees');
  }
  const key = (a: Assignee) => a.staffId ?? `t:${a.tenantId}`;
  if (new Set(assignees.map(key)).size !== assignees.length) invalid('派单对象重复', 'assignees');
  // a due time given with the assignment is ahead (a minute's grace for the clocks)
  if (input.dueAt instanceof Date && input.dueAt.getTime() < now - 60_000) invalid('截止时间不能早于当前时间', 'dueAt');
  return {
    ...input,
    assignees,
    instructions: text(input.instructions, 1000, '任务要求', 'instructions') ?? '',
    dueAt: due(input.dueAt, now),
  };
}

/** A period of Beijing days 'YYYY-MM-DD' (both ends included, either open), as the dashboards give it. */
export interface DayPeriod {
  from?: string | null;
  to?: string | null;
}

export function checkDayPeriod(p: DayPeriod): { from: string | null; to: string | null } {
  const from = p.from || null;
  const to = p.to || null;
  for (const [k, v] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (v !== null && !isCalendarDay(v)) invalid('日期格式应为 YYYY-MM-DD', k);
  if (from && to && to < from) invalid('结束日期不能早于开始日期', 'to');
  return { from, to };
}

/** A reason given with a refusal (拒单, 不通过, 未采纳, 撤单): required, at most 300 characters. */
export function reasonOf(v: string | null | undefined, label: string, field = 'reason'): string {
  const s = (v ?? '').trim();
  if (s.length < 1) invalid(`请填写${label}`, field);
  if (s.length > 300) invalid(`${label}不能超过 300 个字符`, field);
  return s;
}

/** An optional note (通过, 采纳, 完成): at most 300 characters, empty as null. */
export function noteOf(v: string | null | undefined, max = 300, field = 'note'): string | null {
  const s = (v ?? '').trim();
  if (s.length > max) invalid(`说明不能超过 ${max} 个字符`, field);
  return s || null;
}

// ---------------------------------------------------------------- views

export interface CampaignView {
  id: string;
  tenantId: string;
  tenantName: string;
  title: string;
  brief: string;
  startsOn: string | null;
  endsOn: string | null;
  reach: CampaignReach;
  /** reach 'level': the level shared with */
  reachLevel: CampaignReachLevel | null;
  /** reach 'list': the tenants shared with, as far as the viewer may read them (a listed tenant reads itself only) */
  shareTenantIds: string[];
  status: CampaignStatus;
  createdByName: string;
  createdAt: Date;
  updatedAt: Date;
  /** topics in the viewer's subtree that name it */
  topicCount: number;
}

export interface TopicView {
  id: string;
  tenantId: string;
  tenantName: string;
  title: string;
  brief: string;
  campaignTenantId: string | null;
  campaignId: string | null;
  /** null when the viewer cannot read the campaign */
  campaignTitle: string | null;
  dueAt: Date | null;
  status: TopicStatus;
  origin: TopicOrigin;
  proposedById: string | null;
  proposedByName: string;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  closedNote: string | null;
  /** the ancestor whose desk assignment this topic answers */
  upstreamTenantId: string | null;
  upstreamTenantName: string | null;
  upstreamAssignmentId: string | null;
  createdByName: string;
  createdAt: Date;
  updatedAt: Date;
  /** assignments neither declined nor cancelled, and those of them whose story is published */
  assignmentCount: number;
  publishedCount: number;
  /** an open assignment past its due time */
  overdue: boolean;
}

export interface AssignmentView {
  id: string;
  /** the assigning tenant */
  tenantId: string;
  tenantName: string;
  topicId: string;
  title: string;
  campaignTenantId: string | null;
  campaignId: string | null;
  campaignTitle: string | null;
  assigneeTenantId: string;
  assigneeTenantName: string;
  /** null: a desk assignment to the assignee tenant */
  assigneeStaffId: string | null;
  assigneeName: string;
  task: AssignmentTask;
  instructions: string;
  dueAt: Date | null;
  status: AssignmentStatus;
  /** the stored coverage state (任务状态) */
  state: CoverageState;
  completedAt: Date | null;
  progress: AssignmentProgress;
  overdue: boolean;
  answeredAt: Date | null;
  answeredByName: string | null;
  declineReason: string | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  storyId: string | null;
  /** the story's current title where the viewer may read it, else its title when filed */
  storyTitle: string | null;
  /** the story's state where the viewer may read it (its own tenant's story, or a published one) */
  storyState: StoryState | null;
  filedAt: Date | null;
  filedByName: string | null;
  assignedByName: string;
  createdAt: Date;
  updatedAt: Date;
  /** a desk assignment the assignee accepted: its own topic for it (null when not visible to the viewer) */
  localTopicId: string | null;
}

export interface PitchView {
  id: string;
  /** the pitching tenant */
  tenantId: string;
  tenantName: string;
  topicId: string;
  topicTitle: string;
  topicStatus: TopicStatus;
  topicBrief: string;
  topicDueAt: Date | null;
  toTenantId: string;
  toTenantName: string;
  campaignId: string | null;
  campaignTitle: string | null;
  note: string;
  status: PitchStatus;
  pitchedByName: string;
  createdAt: Date;
  decidedAt: Date | null;
  decidedByName: string | null;
  decisionNote: string | null;
}

export interface TopicFilter {
  status?: TopicStatus | null;
  campaignId?: string | null;
  /** the descendants' topics too (the viewer's subtree, as row-level security lets it read) */
  subtree?: boolean | null;
  /** one tenant of the subtree only */
  tenantId?: string | null;
  /** topics the viewer proposed or holds an assignment on */
  mine?: boolean | null;
  /** matches the title and the brief */
  search?: string | null;
}

export interface AssignmentFilter {
  /** only those still to do (待接单, 采写中, 已交稿) */
  open?: boolean | null;
}

export interface PitchFilter {
  status?: PitchStatus | null;
}

export interface PlanningCounts {
  proposed: number;
  planned: number;
  /** planned topics with an assignment past its due time */
  overdue: number;
  /** the viewer's own open assignments */
  mine: number;
  /** desk assignments from ancestors waiting for an answer */
  incomingAssignments: number;
  /** pitches from descendants waiting for a decision */
  incomingPitches: number;
}

/** A person the desk may assign: a tenant-wide role in the tenant. */
export interface AssignablePerson {
  id: string;
  name: string;
  roles: string[];
  /** open assignments they hold now (the desk sees who is busy) */
  openAssignments: number;
}

/** One recorded change of a coverage's state. */
export interface CoverageChange {
  id: string;
  assignmentId: string;
  at: Date;
  actorTenantId: string | null;
  actorName: string;
  fromState: CoverageState | null;
  toState: CoverageState;
  reason: string | null;
  storyId: string | null;
}

/** An overdue coverage on a tenant's overdue list (its own and its subtree's, given or received). */
export interface OverdueCoverage {
  id: string;
  tenantId: string;
  tenantName: string;
  assigneeTenantId: string;
  assigneeTenantName: string;
  assigneeName: string;
  title: string;
  task: AssignmentTask;
  state: CoverageState;
  dueAt: Date;
  campaignId: string | null;
}

/** A card of the board (指挥调度): a coverage of the campaign, read where the viewer may. */
export interface BoardCard {
  id: string;
  tenantId: string;
  tenantName: string;
  topicId: string;
  title: string;
  task: AssignmentTask;
  assigneeTenantId: string;
  assigneeTenantName: string;
  assigneeName: string;
  state: CoverageState;
  dueAt: Date | null;
  completedAt: Date | null;
  overdue: boolean;
  storyTitle: string | null;
}

/** The board of a campaign: its topics in the viewer's subtree and their coverages by state. */
export interface Board {
  campaignId: string;
  topics: number;
  cards: BoardCard[];
  /** coverages per state */
  counts: { state: CoverageState; count: number }[];
  overdue: number;
}

/** Workload (工作量) of a person or of a tenant (a county's desk): coverages and adopted pitches. */
export interface Workload {
  /** a tenant, or a person of it */
  tenantId: string;
  tenantName: string;
  staffId: string | null;
  name: string;
  assigned: number;
  completed: number;
  onTime: number;
  adopted: number;
}

/** A notice (通知) of the planning desk to a person or to a desk. */
export interface PlanningNotice {
  id: string;
  kind: PlanningNoticeKind;
  text: string;
  /** addressed to the desk (its editors) rather than to the viewer in person */
  forDesk: boolean;
  assignmentId: string | null;
  pitchId: string | null;
  createdAt: Date;
  readAt: Date | null;
}

/** A story delivered on a coverage (published), credited to its topic and campaign. */
export interface CreditedStory {
  storyId: string;
  /** the story's (the delivering desk's) tenant */
  tenantId: string;
  title: string;
  publishedAt: Date | null;
  /** faces that carry it: its own tenant's and every face that took it up (face listings) */
  placements: number;
  faceNames: string[];
  /** page views on every face (the analytics roll-up) */
  views: number;
}

/** 传播效果: what a topic's or a campaign's delivered stories achieved. */
export interface PlanningCredit {
  delivered: number;
  placements: number;
  views: number;
  stories: CreditedStory[];
}

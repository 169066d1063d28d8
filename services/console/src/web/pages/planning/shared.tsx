/** @jsxImportSource react */
// 选题策划's shared parts: the types, labels and operations of its screens, the small cells, the
// capability gate, the action runner, the reason dialog, the counts, and the 拒单 / 交稿 dialogs.
import { App, Card, Input, Modal, Result, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import type * as S from '@yiduan/schema';
import { errorText, gql } from '../../api.js';
import { ErrorBox, useGql } from '../../hooks.js';
import { fmtTime, STATUS, STATUS_COLOR } from '../../labels.js';
import { navigate } from '../../router.js';
import type { Sel, Wire } from '../../types.js';
import { PlanningNoticeBell } from './Board.js';

export type TopicStatus = Wire<S.Topic['status']>;
export type Origin = Wire<S.Topic['origin']>;
export type Task = Wire<S.Assignment['task']>;
export type Progress = Wire<S.Assignment['progress']>;
export type PitchStatus = Wire<S.Pitch['status']>;
export type Reach = Wire<S.Campaign['reach']>;
export type CampaignStatus = Wire<S.Campaign['status']>;
export type TenantName = Sel<S.Tenant, 'id' | 'name'>;
export type Caps = Sel<S.PlanningCapabilities, 'read' | 'propose' | 'plan' | 'campaigns'>;
export type Counts = Sel<
  S.PlanningCounts,
  'proposed' | 'planned' | 'overdue' | 'mine' | 'incomingAssignments' | 'incomingPitches'
>;
export type Campaign = Sel<
  S.Campaign,
  'id' | 'title' | 'brief' | 'startsOn' | 'endsOn' | 'reach' | 'reachLevel' | 'status' | 'createdByName' | 'topicCount'
> & { tenant: TenantName; shareTenants: TenantName[] };
export type Assignment = Sel<
  S.Assignment,
  | 'id'
  | 'topicId'
  | 'title'
  | 'campaignTitle'
  | 'assigneeStaffId'
  | 'assigneeName'
  | 'task'
  | 'instructions'
  | 'dueAt'
  | 'status'
  | 'state'
  | 'progress'
  | 'overdue'
  | 'answeredByName'
  | 'declineReason'
  | 'cancelReason'
  | 'storyId'
  | 'storyTitle'
  | 'storyState'
  | 'filedAt'
  | 'filedByName'
  | 'assignedByName'
  | 'createdAt'
  | 'localTopicId'
> & {
  tenant: TenantName;
  assigneeTenant: TenantName;
  viewerCan: Sel<S.AssignmentActions, 'accept' | 'decline' | 'file' | 'cancel' | 'reassign'>;
  history: Sel<S.CoverageChange, 'id' | 'at' | 'actorName' | 'fromState' | 'toState' | 'reason'>[];
};
export type Pitch = Sel<
  S.Pitch,
  | 'id'
  | 'topicId'
  | 'topicTitle'
  | 'topicBrief'
  | 'topicDueAt'
  | 'campaignTitle'
  | 'note'
  | 'status'
  | 'pitchedByName'
  | 'createdAt'
  | 'decidedByName'
  | 'decisionNote'
> & {
  tenant: TenantName;
  toTenant: TenantName;
  viewerCan: Sel<S.PitchActions, 'withdraw' | 'decide'>;
};
export type TopicActions = Sel<
  S.TopicActions,
  'edit' | 'decide' | 'assign' | 'pitch' | 'complete' | 'drop' | 'withdraw'
>;
export type Topic = Sel<
  S.Topic,
  | 'id'
  | 'title'
  | 'brief'
  | 'campaignId'
  | 'campaignTitle'
  | 'dueAt'
  | 'status'
  | 'origin'
  | 'proposedByName'
  | 'decidedByName'
  | 'decidedAt'
  | 'decisionNote'
  | 'closedNote'
  | 'createdByName'
  | 'createdAt'
  | 'assignmentCount'
  | 'publishedCount'
  | 'overdue'
> & { tenant: TenantName; upstreamTenant: TenantName | null; viewerCan: TopicActions };
export type TopicDetail = Topic & { assignments: Assignment[]; pitches: Pitch[] };

export const TOPIC_STATUS: Record<TopicStatus, string> = {
  PROPOSED: '待审',
  PLANNED: '已立项',
  DECLINED: '未通过',
  DONE: '已完成',
  DROPPED: '已撤销',
};
export const TOPIC_STATUS_COLOR: Record<TopicStatus, string> = {
  PROPOSED: 'gold',
  PLANNED: 'processing',
  DECLINED: 'default',
  DONE: 'success',
  DROPPED: 'default',
};
export const ORIGIN: Record<Origin, string> = { DESK: '策划', PROPOSAL: '报题', ASSIGNMENT: '上级派单' };
export const TASK: Record<Task, string> = {
  WRITE: '文字',
  PHOTO: '摄影',
  VIDEO: '视频',
  LIVE: '直播',
  DESIGN: '美编',
  OTHER: '其他',
};
export const PROGRESS: Record<Progress, string> = {
  PENDING: '待接单',
  ACCEPTED: '采写中',
  FILED: '已交稿',
  PUBLISHED: '已发布',
  RETRACTED: '已撤稿',
  DECLINED: '已拒单',
  CANCELLED: '已撤单',
};
export const PROGRESS_COLOR: Record<Progress, string> = {
  PENDING: 'gold',
  ACCEPTED: 'processing',
  FILED: 'cyan',
  PUBLISHED: 'success',
  RETRACTED: 'error',
  DECLINED: 'default',
  CANCELLED: 'default',
};
export const PITCH_STATUS: Record<PitchStatus, string> = {
  PENDING: '待采纳',
  ACCEPTED: '已采纳',
  DECLINED: '未采纳',
  WITHDRAWN: '已撤回',
};
export const PITCH_STATUS_COLOR: Record<PitchStatus, string> = {
  PENDING: 'gold',
  ACCEPTED: 'success',
  DECLINED: 'default',
  WITHDRAWN: 'default',
};
export const REACH: Record<Reach, string> = {
  OWN: '仅本单位',
  SUBTREE: '本单位及全部下级',
  LEVEL: '按层级共享',
  LIST: '指定下级单位',
};
/** The levels a campaign may be shared with (全部市级 / 全部县级单位). */
export const REACH_LEVEL: Record<'CITY' | 'COUNTY', string> = { CITY: '全部市级单位', COUNTY: '全部县（区）级单位' };
/** 共享范围 as one line: the reach, with its level or its list. */
export function shareText(c: Pick<Campaign, 'reach' | 'reachLevel' | 'shareTenants'>): string {
  if (c.reach === 'LEVEL' && (c.reachLevel === 'CITY' || c.reachLevel === 'COUNTY')) return REACH_LEVEL[c.reachLevel];
  if (c.reach === 'LIST') return c.shareTenants.length ? c.shareTenants.map((t) => t.name).join('、') : REACH.LIST;
  return REACH[c.reach];
}
export const CAMPAIGN_STATUS: Record<CampaignStatus, string> = { OPEN: '进行中', CLOSED: '已结束' };
export const options = <K extends string>(r: Record<K, string>) =>
  (Object.entries(r) as [K, string][]).map(([value, label]) => ({ value, label }));

export const ASSIGNMENT_FIELDS = `id topicId title campaignTitle assigneeStaffId assigneeName task instructions dueAt status state progress overdue answeredByName declineReason cancelReason
  history { id at actorName fromState toState reason }
  storyId storyTitle storyState filedAt filedByName assignedByName createdAt localTopicId tenant { id name } assigneeTenant { id name } viewerCan { accept decline file cancel reassign }`;
export const PITCH_FIELDS = `id topicId topicTitle topicBrief topicDueAt campaignTitle note status pitchedByName createdAt decidedByName decisionNote
  tenant { id name } toTenant { id name } viewerCan { withdraw decide }`;
export const TOPIC_FIELDS = `id title brief campaignId campaignTitle dueAt status origin proposedByName decidedByName decidedAt decisionNote closedNote createdByName createdAt
  assignmentCount publishedCount overdue tenant { id name } upstreamTenant { id name } viewerCan { edit decide assign pitch complete drop withdraw }`;

export const CAPS = `query PlanningCapabilities($tenantId: ID!) { planningCapabilities(tenantId: $tenantId) { read propose plan campaigns } }`;
export const COUNTS = `query PlanningCounts($tenantId: ID!) { planningCounts(tenantId: $tenantId) { proposed planned overdue mine incomingAssignments incomingPitches } }`;
export const CAMPAIGNS = `query Campaigns($tenantId: ID!) { campaigns(tenantId: $tenantId) { id title brief startsOn endsOn reach reachLevel status createdByName topicCount tenant { id name } shareTenants { id name } } }`;
export const TOPICS = `query Topics($tenantId: ID!, $filter: TopicFilter, $first: Int, $offset: Int) {
  topics(tenantId: $tenantId, filter: $filter, first: $first, offset: $offset) { total items { ${TOPIC_FIELDS} } }
}`;
export const TOPIC = `query Topic($tenantId: ID!, $id: ID!) { topic(tenantId: $tenantId, id: $id) { ${TOPIC_FIELDS} assignments { ${ASSIGNMENT_FIELDS} } pitches { ${PITCH_FIELDS} } } }`;
export const PEOPLE = `query PlanningPeople($tenantId: ID!) { planningPeople(tenantId: $tenantId) { id name roles openAssignments } }`;
export const TREE = `query PlanningTree($id: ID!) { tenant(id: $id) { id level descendants { id name level parent { id } } ancestors { id name level } } }`;
export const MINE = `query MyAssignments($tenantId: ID!) { myAssignments(tenantId: $tenantId) { ${ASSIGNMENT_FIELDS} } }`;
export const INCOMING = `query IncomingAssignments($tenantId: ID!) { incomingAssignments(tenantId: $tenantId) { ${ASSIGNMENT_FIELDS} } }`;
export const PITCHES = `query IncomingPitches($tenantId: ID!, $status: PitchStatus) { incomingPitches(tenantId: $tenantId, status: $status) { ${PITCH_FIELDS} } }`;
export const MY_STORIES = `query FilingStories($tenantId: ID!, $query: String) {
  stories(tenantId: $tenantId, query: $query, first: 50) { edges { node { id status updatedAt currentRevision { title } } } }
}`;
export const CREATE_CAMPAIGN = `mutation CreateCampaign($tenantId: ID!, $input: CampaignInput!) { createCampaign(tenantId: $tenantId, input: $input) { id } }`;
export const UPDATE_CAMPAIGN = `mutation UpdateCampaign($tenantId: ID!, $id: ID!, $input: CampaignPatch!) { updateCampaign(tenantId: $tenantId, id: $id, input: $input) { id } }`;
export const PROPOSE = `mutation ProposeTopic($tenantId: ID!, $input: TopicInput!) { proposeTopic(tenantId: $tenantId, input: $input) { id } }`;
export const CREATE_TOPIC = `mutation CreateTopic($tenantId: ID!, $input: TopicInput!) { createTopic(tenantId: $tenantId, input: $input) { id } }`;
export const UPDATE_TOPIC = `mutation UpdateTopic($tenantId: ID!, $id: ID!, $input: TopicPatch!) { updateTopic(tenantId: $tenantId, id: $id, input: $input) { id } }`;
export const DECIDE_TOPIC = `mutation DecideTopic($tenantId: ID!, $id: ID!, $approve: Boolean!, $note: String) { decideTopic(tenantId: $tenantId, id: $id, approve: $approve, note: $note) { id status } }`;
export const CLOSE_TOPIC = `mutation CloseTopic($tenantId: ID!, $id: ID!, $outcome: TopicOutcome!, $note: String) { closeTopic(tenantId: $tenantId, id: $id, outcome: $outcome, note: $note) { id status } }`;
export const ASSIGN = `mutation AssignTopic($tenantId: ID!, $topicId: ID!, $input: AssignInput!) { assignTopic(tenantId: $tenantId, topicId: $topicId, input: $input) { id } }`;
export const REASSIGN = `mutation ReassignCoverage($tenantId: ID!, $id: ID!, $assignee: AssigneeInput!, $reason: String) { reassignCoverage(tenantId: $tenantId, id: $id, assignee: $assignee, reason: $reason) { id } }`;
export const CANCEL = `mutation CancelAssignment($tenantId: ID!, $id: ID!, $reason: String!) { cancelAssignment(tenantId: $tenantId, id: $id, reason: $reason) { id status } }`;
export const ANSWER = `mutation AnswerAssignment($tenantId: ID!, $id: ID!, $accept: Boolean!, $reason: String) { answerAssignment(tenantId: $tenantId, id: $id, accept: $accept, reason: $reason) { id status localTopicId } }`;
export const FILE = `mutation FileAssignment($tenantId: ID!, $id: ID!, $storyId: ID!) { fileAssignment(tenantId: $tenantId, id: $id, storyId: $storyId) { id progress } }`;
export const DRAFT = `mutation DraftAssignmentStory($tenantId: ID!, $id: ID!) { draftAssignmentStory(tenantId: $tenantId, id: $id) { id storyId } }`;
export const PITCH = `mutation PitchTopic($tenantId: ID!, $input: PitchInput!) { pitchTopic(tenantId: $tenantId, input: $input) { id } }`;
export const WITHDRAW_PITCH = `mutation WithdrawPitch($tenantId: ID!, $id: ID!) { withdrawPitch(tenantId: $tenantId, id: $id) { id } }`;
export const DECIDE_PITCH = `mutation DecidePitch($tenantId: ID!, $id: ID!, $accept: Boolean!, $note: String) { decidePitch(tenantId: $tenantId, id: $id, accept: $accept, note: $note) { id status } }`;

/** A due time, red when past and not yet covered. */
export function Due({ at, overdue }: { at: string | null | undefined; overdue?: boolean }) {
  if (!at) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} wrap>
      <span>{fmtTime(at)}</span>
      {overdue ? (
        <Tag color="red" data-testid="overdue">
          逾期
        </Tag>
      ) : null}
    </Space>
  );
}

export function ProgressTag({ a }: { a: Pick<Assignment, 'progress'> }) {
  return (
    <Tag color={PROGRESS_COLOR[a.progress]} data-testid="progress">
      {PROGRESS[a.progress]}
    </Tag>
  );
}

/** The story filed on an assignment: a link where the viewer may open it (its own tenant's). */
export function StoryCell({ a, own }: { a: Assignment; own: boolean }) {
  if (!a.storyId) return <Typography.Text type="secondary">—</Typography.Text>;
  const title = a.storyTitle ?? '（稿件）';
  return (
    <Space size={4} wrap>
      {own ? (
        <a onClick={() => navigate(`/stories/${a.storyId}`)} data-testid="filed-story">
          {title}
        </a>
      ) : (
        <span data-testid="filed-story">{title}</span>
      )}
      {a.storyState ? <Tag color={STATUS_COLOR[a.storyState]}>{STATUS[a.storyState]}</Tag> : null}
    </Space>
  );
}

/** The planning desk's capabilities in the tenant: the screen itself or a 403 result. */
export function useCaps(tenantId: string): { can: Caps | null; gate: ReactNode } {
  const caps = useGql<{ planningCapabilities: Caps }>(CAPS, { tenantId });
  const can = caps.data?.planningCapabilities ?? null;
  if (caps.error) return { can: null, gate: <ErrorBox error={caps.error} /> };
  if (!can) return { can: null, gate: <Card loading /> };
  if (!can.read)
    return {
      can: null,
      gate: (
        <div data-testid="forbidden">
          <Result
            status="403"
            title="您在当前单位没有使用选题策划的权限"
            subTitle="本单位的记者、编辑、审核、总编辑和管理员可以使用"
          />
        </div>
      ),
    };
  return { can, gate: null };
}

/** Runs an action with its message; errors arrive as Chinese text. */
export function useRun() {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>, done: string, after?: () => void): Promise<boolean> => {
    setBusy(true);
    try {
      await fn();
      message.success(done);
      after?.();
      return true;
    } catch (err) {
      message.error(errorText(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy };
}

/** A dialog asking for a reason or a note (拒单, 不通过, 撤单 …): required when `required`. */
export function ReasonDialog({
  title,
  label,
  required,
  okText,
  danger,
  onOk,
  onClose,
}: {
  title: string;
  label: string;
  required: boolean;
  okText: string;
  danger?: boolean;
  onOk: (text: string) => Promise<boolean>;
  onClose: () => void;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={title}
      okText={okText}
      cancelText="取消"
      okButtonProps={{ danger, disabled: required && !text.trim(), 'data-testid': 'reason-ok' }}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() =>
        void (async () => {
          setBusy(true);
          const ok = await onOk(text.trim());
          setBusy(false);
          if (ok) onClose();
        })()
      }
    >
      <Typography.Paragraph type="secondary">
        {label}
        {required ? '（必填）' : '（选填）'}
      </Typography.Paragraph>
      <Input.TextArea
        rows={3}
        maxLength={300}
        showCount
        value={text}
        onChange={(e) => setText(e.target.value)}
        data-testid="reason-text"
      />
    </Modal>
  );
}

// ---------------------------------------------------------------- 选题策划

export function CountsBar({ counts, tenantId }: { counts: Counts | undefined; tenantId: string }) {
  const c = counts;
  if (!c) return null;
  return (
    <Card size="small" extra={<PlanningNoticeBell tenantId={tenantId} />}>
      <Space wrap size={32} data-testid="planning-counts">
        <Statistic title="待审报题" value={c.proposed} valueStyle={c.proposed ? { color: '#d48806' } : undefined} />
        <Statistic title="已立项" value={c.planned} />
        <Statistic title="逾期选题" value={c.overdue} valueStyle={c.overdue ? { color: '#cf1322' } : undefined} />
        <Statistic title={<a onClick={() => navigate('/planning/tasks')}>我的任务</a>} value={c.mine} />
        <Statistic
          title={<a onClick={() => navigate('/planning/inbox')}>上级派单待接</a>}
          value={c.incomingAssignments}
          valueStyle={c.incomingAssignments ? { color: '#d48806' } : undefined}
        />
        <Statistic
          title={<a onClick={() => navigate('/planning/inbox')}>下级报题待定</a>}
          value={c.incomingPitches}
          valueStyle={c.incomingPitches ? { color: '#d48806' } : undefined}
        />
      </Space>
    </Card>
  );
}

export function FileDialog({
  tenantId,
  assignment,
  onClose,
}: {
  tenantId: string;
  assignment: Assignment;
  onClose: (saved: boolean) => void;
}) {
  const [query, setQuery] = useState('');
  const stories = useGql<{
    stories: {
      edges: {
        node: { id: string; status: keyof typeof STATUS; updatedAt: string; currentRevision: { title: string } };
      }[];
    };
  }>(MY_STORIES, { tenantId, query: query || null });
  const [storyId, setStoryId] = useState<string | undefined>(assignment.storyId ?? undefined);
  const { run, busy } = useRun();
  const list = (stories.data?.stories.edges ?? []).map((e) => e.node).filter((s) => s.status !== 'RETRACTED');
  return (
    <Modal
      open
      title={`交稿：${assignment.title}`}
      okText="交稿"
      cancelText="取消"
      okButtonProps={{ disabled: !storyId, 'data-testid': 'file-ok' }}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      onOk={() =>
        void (async () => {
          if (storyId && (await run(() => gql(FILE, { tenantId, id: assignment.id, storyId }), '已交稿')))
            onClose(true);
        })()
      }
    >
      <ErrorBox error={stories.error} />
      <Typography.Paragraph type="secondary">
        选择本单位的一篇稿件作为这项任务的成稿；稿件发布后，任务即为“已发布”。
      </Typography.Paragraph>
      <Input.Search
        allowClear
        placeholder="搜索稿件标题"
        onSearch={(v) => setQuery(v.trim())}
        style={{ marginBottom: 12 }}
      />
      <Select
        style={{ width: '100%' }}
        value={storyId}
        onChange={setStoryId}
        placeholder="选择稿件"
        showSearch
        optionFilterProp="label"
        loading={stories.loading}
        data-testid="file-story"
        options={list.map((s) => ({ value: s.id, label: `${s.currentRevision.title}（${STATUS[s.status]}）` }))}
      />
    </Modal>
  );
}

/** 拒单 (with a reason) and 交稿 on an assignment: the dialogs of 我的任务 and of 上级派单. */
export function AnswerDialogs({
  tenantId,
  declining,
  filing,
  declineLabel,
  run,
  reload,
  onDeclineClosed,
  onFileClosed,
}: {
  tenantId: string;
  declining: Assignment | null;
  filing: Assignment | null;
  declineLabel: string;
  run: ReturnType<typeof useRun>['run'];
  reload: () => void;
  onDeclineClosed: () => void;
  onFileClosed: () => void;
}) {
  return (
    <>
      {declining ? (
        <ReasonDialog
          title={`拒单：${declining.title}`}
          label={declineLabel}
          required
          okText="拒单"
          danger
          onOk={(reason) =>
            run(() => gql(ANSWER, { tenantId, id: declining.id, accept: false, reason }), '已拒单', reload)
          }
          onClose={onDeclineClosed}
        />
      ) : null}
      {filing ? (
        <FileDialog
          tenantId={tenantId}
          assignment={filing}
          onClose={(saved) => {
            onFileClosed();
            if (saved) reload();
          }}
        />
      ) : null}
    </>
  );
}

// ---------------------------------------------------------------- 传播效果

type Credit = Sel<S.PlanningCredit, 'delivered' | 'placements' | 'views'> & {
  stories: (Sel<S.CreditedStory, 'storyId' | 'title' | 'publishedAt' | 'placements' | 'faceNames' | 'views'> & {
    tenant: TenantName;
  })[];
};
export const CREDIT = `query PlanningCredit($tenantId: ID!, $topicId: ID, $campaignId: ID) {
  planningCredit(tenantId: $tenantId, topicId: $topicId, campaignId: $campaignId) {
    delivered placements views stories { storyId title publishedAt placements faceNames views tenant { id name } }
  }
}`;

/** 传播效果 of a topic or a campaign: its delivered stories, the faces that carry them, their page views. */
export function CreditPanel({
  tenantId,
  topicId,
  campaignId,
}: {
  tenantId: string;
  topicId?: string;
  campaignId?: string;
}) {
  const { data, error, loading } = useGql<{ planningCredit: Credit }>(CREDIT, {
    tenantId,
    topicId: topicId ?? null,
    campaignId: campaignId ?? null,
  });
  const c = data?.planningCredit;
  return (
    <Card size="small" title="传播效果" data-testid="planning-credit">
      <ErrorBox error={error} />
      <Space size={32} style={{ marginBottom: 8 }}>
        <Statistic title="已交付稿件" value={c?.delivered ?? 0} loading={loading} />
        <Statistic title="落地平台（次）" value={c?.placements ?? 0} loading={loading} />
        <Statistic title="阅读量" value={c?.views ?? 0} loading={loading} />
      </Space>
      {c?.stories.length ? (
        <Table
          size="small"
          rowKey="storyId"
          pagination={false}
          dataSource={c.stories}
          columns={[
            { title: '稿件', key: 'title', render: (_, x) => x.title },
            { title: '单位', key: 'tenant', width: 100, render: (_, x) => x.tenant.name },
            { title: '发布时间', key: 'at', width: 140, render: (_, x) => fmtTime(x.publishedAt) },
            {
              title: '落地平台',
              key: 'faces',
              render: (_, x) => (
                <Typography.Text ellipsis={{ tooltip: x.faceNames.join('、') }} style={{ maxWidth: 220 }}>
                  {x.placements}：{x.faceNames.join('、')}
                </Typography.Text>
              ),
            },
            { title: '阅读量', key: 'views', width: 80, render: (_, x) => x.views },
          ]}
        />
      ) : (
        <Typography.Text type="secondary">尚无已发布的交付稿件</Typography.Text>
      )}
    </Card>
  );
}

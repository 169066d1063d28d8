/** @jsxImportSource react */
// 选题与专题 (/planning): the counts, the topic list and its filters, the topic drawer (派单, 上报,
// the coverages with their state and history), the campaigns.
import {
  App,
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { errorText, gql } from '../../api.js';
import { ErrorBox, ReadOnlyNote, useGql } from '../../hooks.js';
import { fmtTime, LEVEL, ROLE } from '../../labels.js';
import { useSession } from '../../session.js';
import type { TenantLevel } from '../../types.js';
import { COVERAGE_STATE, COVERAGE_STATE_COLOR } from './labels.js';
import {
  ASSIGN,
  type Assignment,
  type Campaign,
  CAMPAIGN_STATUS,
  CAMPAIGNS,
  CANCEL,
  type Caps,
  CLOSE_TOPIC,
  type Counts,
  COUNTS,
  CountsBar,
  CREATE_CAMPAIGN,
  CreditPanel,
  CREATE_TOPIC,
  DECIDE_TOPIC,
  Due,
  options,
  ORIGIN,
  PEOPLE,
  type Pitch,
  PITCH,
  PITCH_STATUS,
  PITCH_STATUS_COLOR,
  ProgressTag,
  PROPOSE,
  type Reach,
  REACH,
  REACH_LEVEL,
  REASSIGN,
  ReasonDialog,
  shareText,
  StoryCell,
  type Task,
  TASK,
  type Topic,
  TOPIC,
  TOPIC_STATUS,
  TOPIC_STATUS_COLOR,
  type TopicDetail,
  TOPICS,
  type TopicStatus,
  TREE,
  UPDATE_CAMPAIGN,
  UPDATE_TOPIC,
  useCaps,
  useRun,
  WITHDRAW_PITCH,
} from './shared.js';

export function PlanningPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const { can, gate } = useCaps(tenantId);
  const [tab, setTab] = useState('topics');
  const [board, setBoard] = useState<string | undefined>();
  const counts = useGql<{ planningCounts: Counts }>(COUNTS, can ? { tenantId } : null);
  if (gate || !can) return <>{gate}</>;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <CountsBar counts={counts.data?.planningCounts} tenantId={tenantId} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'topics',
            label: '选题',
            children: (
              <TopicList
                key={board ?? ''}
                tenantId={tenantId}
                level={current.tenant.level}
                can={can}
                campaignId={board}
                onChanged={counts.reload}
              />
            ),
          },
          {
            key: 'campaigns',
            label: '专题',
            children: (
              <Campaigns
                tenantId={tenantId}
                can={can}
                onBoard={(id) => {
                  setBoard(id);
                  setTab('topics');
                }}
              />
            ),
          },
        ]}
      />
    </Space>
  );
}

interface TopicFilterState {
  status?: TopicStatus;
  campaignId?: string;
  subtree?: boolean;
  mine?: boolean;
  search?: string;
}

function TopicList({
  tenantId,
  level,
  can,
  campaignId,
  onChanged,
}: {
  tenantId: string;
  level: TenantLevel;
  can: Caps;
  campaignId?: string;
  onChanged: () => void;
}) {
  const [filter, setFilter] = useState<TopicFilterState>(campaignId ? { campaignId, subtree: level !== 'COUNTY' } : {});
  const [page, setPage] = useState(1);
  const pageSize = 20;
  const { data, error, loading, reload } = useGql<{ topics: { total: number; items: Topic[] } }>(TOPICS, {
    tenantId,
    filter: { ...filter, subtree: filter.subtree ?? false, mine: filter.mine ?? false },
    first: pageSize,
    offset: (page - 1) * pageSize,
  });
  const campaigns = useGql<{ campaigns: Campaign[] }>(CAMPAIGNS, { tenantId });
  const [open, setOpen] = useState<string | null>(null);
  const [form, setForm] = useState<'propose' | 'create' | null>(null);
  const set = (f: TopicFilterState) => {
    setFilter(f);
    setPage(1);
  };
  const changed = () => {
    reload();
    onChanged();
  };
  return (
    <Card
      title="选题"
      extra={
        <Space wrap>
          {can.plan ? (
            <Button type="primary" onClick={() => setForm('create')} data-testid="topic-new">
              新建选题
            </Button>
          ) : null}
          {can.propose ? (
            <Button onClick={() => setForm('propose')} data-testid="topic-propose">
              报题
            </Button>
          ) : null}
        </Space>
      }
    >
      {!can.plan ? (
        <ReadOnlyNote
          text={
            can.propose
              ? '您可以报题，并查看本单位的选题；立项、派单由编辑和总编辑进行'
              : '您可以查看本单位的选题；立项、派单由编辑和总编辑进行'
          }
        />
      ) : null}
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 110 }}
          value={filter.status}
          options={options(TOPIC_STATUS)}
          onChange={(v?: TopicStatus) => set({ ...filter, status: v })}
          data-testid="topic-filter-status"
        />
        <Select
          allowClear
          placeholder="专题"
          style={{ width: 220 }}
          value={filter.campaignId}
          options={(campaigns.data?.campaigns ?? []).map((c) => ({
            value: c.id,
            label: c.tenant.id === tenantId ? c.title : `${c.title}（${c.tenant.name}）`,
          }))}
          onChange={(v?: string) => set({ ...filter, campaignId: v })}
          data-testid="topic-filter-campaign"
        />
        {level !== 'COUNTY' ? (
          <Checkbox
            checked={filter.subtree === true}
            onChange={(e) => set({ ...filter, subtree: e.target.checked || undefined })}
            data-testid="topic-filter-subtree"
          >
            含下级单位
          </Checkbox>
        ) : null}
        <Checkbox
          checked={filter.mine === true}
          onChange={(e) => set({ ...filter, mine: e.target.checked || undefined })}
          data-testid="topic-filter-mine"
        >
          与我有关
        </Checkbox>
        <Input.Search
          allowClear
          placeholder="选题名称、说明"
          style={{ width: 220 }}
          onSearch={(v) => set({ ...filter, search: v.trim() || undefined })}
        />
      </Space>
      <ErrorBox error={error} />
      <Table<Topic>
        size="small"
        rowKey="id"
        loading={loading}
        scroll={{ x: 1100 }}
        dataSource={data?.topics.items ?? []}
        pagination={{
          current: page,
          pageSize,
          total: data?.topics.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (n) => `共 ${n} 个选题`,
        }}
        onRow={(x) => ({ onClick: () => setOpen(x.id), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: '选题',
            key: 'title',
            render: (_, x) => (
              <Space direction="vertical" size={0}>
                <a data-testid="topic-link">{x.title}</a>
                {x.brief ? (
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 420, fontSize: 12 }}>
                    {x.brief}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          ...(filter.subtree
            ? [{ title: '单位', key: 'tenant', width: 110, render: (_: unknown, x: Topic) => x.tenant.name }]
            : []),
          { title: '专题', key: 'campaign', width: 170, render: (_, x) => x.campaignTitle ?? '—' },
          {
            title: '来源',
            key: 'origin',
            width: 130,
            render: (_, x) => (
              <Space direction="vertical" size={0}>
                <span>{ORIGIN[x.origin]}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {x.origin === 'PROPOSAL'
                    ? x.proposedByName
                    : x.origin === 'ASSIGNMENT'
                      ? (x.upstreamTenant?.name ?? '')
                      : x.createdByName}
                </Typography.Text>
              </Space>
            ),
          },
          { title: '截止', key: 'due', width: 190, render: (_, x) => <Due at={x.dueAt} overdue={x.overdue} /> },
          {
            title: '状态',
            key: 'status',
            width: 90,
            render: (_, x) => (
              <Tag color={TOPIC_STATUS_COLOR[x.status]} data-testid="topic-status">
                {TOPIC_STATUS[x.status]}
              </Tag>
            ),
          },
          {
            title: '已发布 / 派单',
            key: 'progress',
            width: 110,
            render: (_, x) =>
              x.assignmentCount ? (
                <Tooltip
                  title={`${x.assignmentCount} 项派单（不含已拒单、已撤单），其中 ${x.publishedCount} 项稿件已发布`}
                >{`${x.publishedCount} / ${x.assignmentCount}`}</Tooltip>
              ) : (
                '—'
              ),
          },
        ]}
      />
      {open ? <TopicDrawer tenantId={tenantId} id={open} onClose={() => setOpen(null)} onChanged={changed} /> : null}
      {form ? (
        <TopicForm
          tenantId={tenantId}
          mode={form}
          topic={null}
          onClose={(saved) => {
            setForm(null);
            if (saved) changed();
          }}
        />
      ) : null}
    </Card>
  );
}

interface TopicValues {
  title: string;
  brief?: string;
  dueAt?: Dayjs | null;
  campaignId?: string;
}

function TopicForm({
  tenantId,
  mode,
  topic,
  onClose,
}: {
  tenantId: string;
  mode: 'propose' | 'create' | 'edit';
  topic: Topic | null;
  onClose: (saved: boolean) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<TopicValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const campaigns = useGql<{ campaigns: Campaign[] }>(CAMPAIGNS, { tenantId });
  const usable = (campaigns.data?.campaigns ?? []).filter((c) => c.status === 'OPEN' || c.id === topic?.campaignId);
  const save = async (v: TopicValues) => {
    setSaving(true);
    setError(null);
    const input = {
      title: v.title,
      brief: v.brief ?? '',
      dueAt: v.dueAt ? v.dueAt.toDate().toISOString() : null,
      campaignId: v.campaignId ?? null,
    };
    try {
      if (mode === 'edit' && topic) await gql(UPDATE_TOPIC, { tenantId, id: topic.id, input });
      else await gql(mode === 'propose' ? PROPOSE : CREATE_TOPIC, { tenantId, input });
      message.success(mode === 'propose' ? '已报题，等待编辑部审批' : mode === 'create' ? '已立项' : '已保存');
      onClose(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  const titles = { propose: '报题', create: '新建选题（直接立项）', edit: '编辑选题' };
  return (
    <Modal
      open
      title={titles[mode]}
      width={640}
      okText={mode === 'propose' ? '提交报题' : '保存'}
      cancelText="取消"
      confirmLoading={saving}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      destroyOnClose
    >
      <ErrorBox error={error ?? campaigns.error} />
      <Form<TopicValues>
        form={form}
        layout="vertical"
        initialValues={
          topic
            ? {
                title: topic.title,
                brief: topic.brief,
                dueAt: topic.dueAt ? dayjs(topic.dueAt) : null,
                campaignId: topic.campaignId ?? undefined,
              }
            : {}
        }
        onFinish={(v) => void save(v)}
        data-testid="topic-form"
      >
        <Form.Item
          name="title"
          label="选题名称"
          rules={[
            { required: true, whitespace: true, message: '请填写选题名称' },
            { max: 80, message: '不超过 80 个字' },
          ]}
        >
          <Input data-testid="topic-title" />
        </Form.Item>
        <Form.Item
          name="brief"
          label="报道思路"
          extra="采访对象、角度、形式、所需支持"
          rules={[{ max: 2000, message: '不超过 2000 个字' }]}
        >
          <Input.TextArea rows={4} data-testid="topic-brief" />
        </Form.Item>
        <Space wrap align="start" size={16}>
          <Form.Item name="dueAt" label="截稿时间">
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="topic-due" />
          </Form.Item>
          <Form.Item name="campaignId" label="所属专题">
            <Select
              allowClear
              style={{ width: 300 }}
              placeholder="（不属于专题）"
              options={usable.map((c) => ({
                value: c.id,
                label: c.tenant.id === tenantId ? c.title : `${c.title}（${c.tenant.name}）`,
              }))}
              data-testid="topic-campaign"
            />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** One topic: what it is, the decision, its assignments with their progress, its pitches, and the buttons its viewerCan allows. */
export function TopicDrawer({
  tenantId,
  id,
  onClose,
  onChanged,
}: {
  tenantId: string;
  id: string;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { data, error, reload } = useGql<{ topic: TopicDetail }>(TOPIC, { tenantId, id });
  const { run, busy } = useRun();
  const [dialog, setDialog] = useState<
    | 'edit'
    | 'assign'
    | 'pitch'
    | 'approve'
    | 'decline'
    | 'done'
    | 'drop'
    | 'withdraw'
    | { cancel: Assignment }
    | { reassign: Assignment }
    | null
  >(null);
  const x = data?.topic;
  const changed = () => {
    reload();
    onChanged();
  };
  const own = x?.tenant.id === tenantId;
  const a = x?.viewerCan;
  return (
    <Drawer open width={820} title={x ? x.title : '选题'} onClose={onClose} destroyOnClose data-testid="topic-drawer">
      <ErrorBox error={error} />
      {!x ? null : (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Space wrap data-testid="topic-actions">
            {a?.decide ? (
              <>
                <Button type="primary" onClick={() => setDialog('approve')} data-testid="topic-approve">
                  通过（立项）
                </Button>
                <Button danger onClick={() => setDialog('decline')} data-testid="topic-decline">
                  不通过
                </Button>
              </>
            ) : null}
            {a?.assign ? (
              <Button type="primary" onClick={() => setDialog('assign')} data-testid="topic-assign">
                派单
              </Button>
            ) : null}
            {a?.pitch ? (
              <Button onClick={() => setDialog('pitch')} data-testid="topic-pitch">
                上报
              </Button>
            ) : null}
            {a?.edit ? <Button onClick={() => setDialog('edit')}>编辑</Button> : null}
            {a?.complete ? (
              <Button onClick={() => setDialog('done')} data-testid="topic-done">
                完成
              </Button>
            ) : null}
            {a?.drop ? (
              <Button danger onClick={() => setDialog('drop')}>
                撤销选题
              </Button>
            ) : null}
            {a?.withdraw ? (
              <Button danger onClick={() => setDialog('withdraw')} data-testid="topic-withdraw">
                撤回报题
              </Button>
            ) : null}
          </Space>
          {!own ? <Alert type="info" showIcon message={`这是${x.tenant.name}的选题，您可以查看进度`} /> : null}
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label="状态">
              <Tag color={TOPIC_STATUS_COLOR[x.status]} data-testid="drawer-status">
                {TOPIC_STATUS[x.status]}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label="来源">
              {ORIGIN[x.origin]}
              {x.origin === 'PROPOSAL'
                ? `（${x.proposedByName}）`
                : x.origin === 'ASSIGNMENT' && x.upstreamTenant
                  ? `（${x.upstreamTenant.name}）`
                  : ''}
            </Descriptions.Item>
            <Descriptions.Item label="单位">{x.tenant.name}</Descriptions.Item>
            <Descriptions.Item label="专题">{x.campaignTitle ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="截稿时间">
              <Due at={x.dueAt} overdue={x.overdue} />
            </Descriptions.Item>
            <Descriptions.Item label="创建">
              {x.createdByName} · {fmtTime(x.createdAt)}
            </Descriptions.Item>
            <Descriptions.Item label="报道思路" span={2}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                {x.brief || '—'}
              </Typography.Paragraph>
            </Descriptions.Item>
            {x.decidedByName ? (
              <Descriptions.Item label="审批" span={2}>
                {x.decidedByName} · {fmtTime(x.decidedAt)}
                {x.decisionNote ? `：${x.decisionNote}` : ''}
              </Descriptions.Item>
            ) : null}
            {x.closedNote ? (
              <Descriptions.Item label="结束说明" span={2}>
                {x.closedNote}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <CreditPanel tenantId={tenantId} topicId={x.id} />
          <Card size="small" title={`派单（${x.assignments.length}）`}>
            <AssignmentTable
              items={x.assignments}
              tenantId={tenantId}
              busy={busy}
              onCancel={(asg) => setDialog({ cancel: asg })}
              onReassign={(asg) => setDialog({ reassign: asg })}
            />
          </Card>
          {x.pitches.length ? (
            <Card size="small" title="上报">
              <Table<Pitch>
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={x.pitches}
                columns={[
                  { title: '报送至', key: 'to', render: (_, p) => p.toTenant.name },
                  { title: '专题', key: 'campaign', render: (_, p) => p.campaignTitle ?? '—' },
                  {
                    title: '状态',
                    key: 'status',
                    render: (_, p) => (
                      <Tag color={PITCH_STATUS_COLOR[p.status]} data-testid="pitch-status">
                        {PITCH_STATUS[p.status]}
                      </Tag>
                    ),
                  },
                  {
                    title: '上级意见',
                    key: 'decision',
                    render: (_, p) =>
                      p.decidedByName ? `${p.decidedByName}${p.decisionNote ? `：${p.decisionNote}` : ''}` : '—',
                  },
                  {
                    title: '',
                    key: 'act',
                    width: 80,
                    render: (_, p) =>
                      p.viewerCan.withdraw ? (
                        <Button
                          size="small"
                          type="link"
                          danger
                          loading={busy}
                          onClick={() => void run(() => gql(WITHDRAW_PITCH, { tenantId, id: p.id }), '已撤回', changed)}
                        >
                          撤回
                        </Button>
                      ) : null,
                  },
                ]}
              />
            </Card>
          ) : null}
        </Space>
      )}
      {x && dialog === 'edit' ? (
        <TopicForm
          tenantId={tenantId}
          mode="edit"
          topic={x}
          onClose={(saved) => {
            setDialog(null);
            if (saved) changed();
          }}
        />
      ) : null}
      {x && dialog === 'assign' ? (
        <AssignDialog
          tenantId={tenantId}
          topic={x}
          onClose={(saved) => {
            setDialog(null);
            if (saved) changed();
          }}
        />
      ) : null}
      {x && dialog === 'pitch' ? (
        <PitchDialog
          tenantId={tenantId}
          topic={x}
          onClose={(saved) => {
            setDialog(null);
            if (saved) changed();
          }}
        />
      ) : null}
      {x && (dialog === 'approve' || dialog === 'decline') ? (
        <ReasonDialog
          title={dialog === 'approve' ? `通过报题：${x.title}` : `不通过：${x.title}`}
          label={dialog === 'approve' ? '审批意见' : '不通过的理由'}
          required={dialog === 'decline'}
          okText={dialog === 'approve' ? '通过' : '不通过'}
          danger={dialog === 'decline'}
          onOk={(note) =>
            run(
              () => gql(DECIDE_TOPIC, { tenantId, id: x.id, approve: dialog === 'approve', note }),
              dialog === 'approve' ? '已立项' : '已退回',
              changed,
            )
          }
          onClose={() => setDialog(null)}
        />
      ) : null}
      {x && (dialog === 'done' || dialog === 'drop' || dialog === 'withdraw') ? (
        <ReasonDialog
          title={
            dialog === 'done'
              ? `完成选题：${x.title}`
              : dialog === 'drop'
                ? `撤销选题：${x.title}`
                : `撤回报题：${x.title}`
          }
          label={dialog === 'drop' ? '撤销说明（未完成的派单将一并撤单）' : '说明'}
          required={false}
          okText={dialog === 'done' ? '完成' : dialog === 'drop' ? '撤销' : '撤回'}
          danger={dialog !== 'done'}
          onOk={(note) =>
            run(
              () => gql(CLOSE_TOPIC, { tenantId, id: x.id, outcome: dialog === 'done' ? 'DONE' : 'DROPPED', note }),
              '已更新',
              changed,
            )
          }
          onClose={() => setDialog(null)}
        />
      ) : null}
      {x && dialog && typeof dialog === 'object' && 'reassign' in dialog ? (
        <ReassignDialog
          tenantId={tenantId}
          a={dialog.reassign}
          onClose={(saved) => {
            setDialog(null);
            if (saved) changed();
          }}
        />
      ) : null}
      {x && dialog && typeof dialog === 'object' && 'cancel' in dialog ? (
        <ReasonDialog
          title={`撤单：${dialog.cancel.assigneeName}`}
          label="撤单理由"
          required
          okText="撤单"
          danger
          onOk={(reason) => run(() => gql(CANCEL, { tenantId, id: dialog.cancel.id, reason }), '已撤单', changed)}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </Drawer>
  );
}

/** 任务记录: every change of a coverage's state, who, when, why. */
function CoverageHistory({ a }: { a: Assignment }) {
  return (
    <Timeline
      style={{ marginTop: 8, marginBottom: -16 }}
      data-testid="coverage-history"
      items={a.history.map((h) => ({
        color:
          h.toState === 'COMPLETED' ? 'green' : h.toState === 'DECLINED' || h.toState === 'CANCELLED' ? 'gray' : 'blue',
        children: (
          <Space size={8} wrap>
            <Typography.Text type="secondary">{fmtTime(h.at)}</Typography.Text>
            <span>{h.actorName}</span>
            <span>
              {h.fromState ? `${COVERAGE_STATE[h.fromState]} → ` : ''}
              {COVERAGE_STATE[h.toState]}
            </span>
            {h.reason && !h.reason.startsWith('story ') ? (
              <Typography.Text type="secondary">{h.reason}</Typography.Text>
            ) : null}
          </Space>
        ),
      }))}
    />
  );
}

function AssignmentTable({
  items,
  tenantId,
  busy,
  onCancel,
  onReassign,
}: {
  items: Assignment[];
  tenantId: string;
  busy: boolean;
  onCancel: (a: Assignment) => void;
  onReassign: (a: Assignment) => void;
}) {
  if (!items.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有派单" />;
  return (
    <Table<Assignment>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={items}
      scroll={{ x: 760 }}
      expandable={{
        expandedRowRender: (a) => <CoverageHistory a={a} />,
        rowExpandable: (a) => a.history.length > 0,
      }}
      columns={[
        {
          title: '对象',
          key: 'who',
          width: 130,
          render: (_, a) => (
            <Space direction="vertical" size={0}>
              <span>{a.assigneeName}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {a.assigneeStaffId ? '本单位人员' : '下级单位'}
              </Typography.Text>
            </Space>
          ),
        },
        { title: '分工', key: 'task', width: 60, render: (_, a) => TASK[a.task] },
        {
          title: '任务状态',
          key: 'state',
          width: 90,
          render: (_, a) => (
            <Tag color={COVERAGE_STATE_COLOR[a.state]} data-testid="coverage-state">
              {COVERAGE_STATE[a.state]}
            </Tag>
          ),
        },
        {
          title: '进度',
          key: 'progress',
          width: 150,
          render: (_, a) => (
            <Space direction="vertical" size={0}>
              <ProgressTag a={a} />
              {a.declineReason ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  拒单：{a.declineReason}
                </Typography.Text>
              ) : null}
              {a.cancelReason ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  撤单：{a.cancelReason}
                </Typography.Text>
              ) : null}
            </Space>
          ),
        },
        { title: '截止', key: 'due', width: 170, render: (_, a) => <Due at={a.dueAt} overdue={a.overdue} /> },
        { title: '稿件', key: 'story', render: (_, a) => <StoryCell a={a} own={a.assigneeTenant.id === tenantId} /> },
        {
          title: '',
          key: 'act',
          width: 110,
          render: (_, a) => (
            <Space size={0}>
              {a.viewerCan.reassign ? (
                <Button
                  size="small"
                  type="link"
                  disabled={busy}
                  onClick={() => onReassign(a)}
                  data-testid="assignment-reassign"
                >
                  改派
                </Button>
              ) : null}
              {a.viewerCan.cancel ? (
                <Button
                  size="small"
                  type="link"
                  danger
                  disabled={busy}
                  onClick={() => onCancel(a)}
                  data-testid="assignment-cancel"
                >
                  撤单
                </Button>
              ) : null}
            </Space>
          ),
        },
      ]}
    />
  );
}

/** 改派: another descendant desk or a person of the tenant takes a coverage with no content linked yet. */
function ReassignDialog({
  tenantId,
  a,
  onClose,
}: {
  tenantId: string;
  a: Assignment;
  onClose: (saved: boolean) => void;
}) {
  const { message } = App.useApp();
  const people = useGql<{ planningPeople: { id: string; name: string }[] }>(PEOPLE, { tenantId });
  const tree = useGql<TreeData>(TREE, { id: tenantId });
  const [to, setTo] = useState<string | undefined>();
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const options = [
    ...(people.data?.planningPeople ?? [])
      .filter((p) => p.id !== a.assigneeStaffId)
      .map((p) => ({ value: `staff:${p.id}`, label: `${p.name}（本单位人员）` })),
    ...(tree.data?.tenant?.descendants ?? [])
      .filter((d) => d.id !== a.assigneeTenant.id)
      .map((d) => ({ value: `tenant:${d.id}`, label: `${d.name}（${LEVEL[d.level]}）` })),
  ];
  const save = async () => {
    if (!to) return;
    const [kind, id] = to.split(':') as ['staff' | 'tenant', string];
    setSaving(true);
    setError(null);
    try {
      await gql(REASSIGN, {
        tenantId,
        id: a.id,
        assignee: kind === 'staff' ? { staffId: id } : { tenantId: id },
        reason: reason || null,
      });
      message.success('已改派');
      onClose(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={`改派：${a.assigneeName}（${TASK[a.task]}）`}
      okText="改派"
      cancelText="取消"
      okButtonProps={{ disabled: !to, ...({ 'data-testid': 'reassign-ok' } as object) }}
      confirmLoading={saving}
      onCancel={() => onClose(false)}
      onOk={() => void save()}
      destroyOnClose
    >
      <ErrorBox error={error ?? people.error ?? tree.error} />
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          尚未关联稿件的任务可以改派；原承担方将收到通知，且不再看到该任务。
        </Typography.Text>
        <Select
          showSearch
          optionFilterProp="label"
          placeholder="选择新的承担方"
          style={{ width: '100%' }}
          value={to}
          onChange={setTo}
          options={options}
          data-testid="reassign-to"
        />
        <Input.TextArea
          rows={2}
          maxLength={300}
          placeholder="改派说明（选填）"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Space>
    </Modal>
  );
}

interface AssignValues {
  people?: string[];
  desks?: string[];
  /** 按层级整体派单: every descendant of this tenant at the level below */
  underId?: string;
  underLevel?: TenantLevel;
  task: Task;
  instructions?: string;
  dueAt?: Dayjs | null;
}

type TreeTenant = { id: string; name: string; level: TenantLevel; parent: { id: string } | null };
type TreeData = {
  tenant: {
    id: string;
    level: TenantLevel;
    descendants: TreeTenant[];
    ancestors: { id: string; name: string; level: TenantLevel }[];
  } | null;
};

/** 派单: people of the tenant (with how busy each is) and/or descendant desks picked in the tree. */
function AssignDialog({
  tenantId,
  topic,
  onClose,
}: {
  tenantId: string;
  topic: Topic;
  onClose: (saved: boolean) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<AssignValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const people = useGql<{
    planningPeople: { id: string; name: string; roles: (keyof typeof ROLE)[]; openAssignments: number }[];
  }>(PEOPLE, { tenantId });
  const tree = useGql<TreeData>(TREE, { id: tenantId });
  const treeData = useMemo(() => {
    const list = tree.data?.tenant?.descendants ?? [];
    interface Node {
      value: string;
      title: string;
      children: Node[];
    }
    const node = (t: TreeTenant): Node => ({
      value: t.id,
      title: `${t.name}（${LEVEL[t.level]}）`,
      children: list.filter((c) => c.parent?.id === t.id).map(node),
    });
    return list.filter((t) => t.parent?.id === tenantId).map(node);
  }, [tree.data, tenantId]);
  const save = async (v: AssignValues) => {
    const assignees = [
      ...(v.people ?? []).map((staffId) => ({ staffId })),
      ...(v.desks ?? []).map((id) => ({ tenantId: id })),
    ];
    const under = v.underId && v.underLevel ? { tenantId: v.underId, level: v.underLevel } : null;
    if (!assignees.length && !under) {
      setError('请选择至少一名人员或一个下级单位');
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await gql(ASSIGN, {
        tenantId,
        topicId: topic.id,
        input: {
          assignees,
          ...(under ? { under } : {}),
          task: v.task,
          instructions: v.instructions ?? '',
          dueAt: v.dueAt ? v.dueAt.toDate().toISOString() : null,
        },
      });
      message.success(under ? '已派单' : `已派单（${assignees.length}）`);
      onClose(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={`派单：${topic.title}`}
      width={640}
      okText="派单"
      cancelText="取消"
      confirmLoading={saving}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      destroyOnClose
    >
      <ErrorBox error={error ?? people.error ?? tree.error} />
      <Form<AssignValues>
        form={form}
        layout="vertical"
        initialValues={{ task: 'WRITE', dueAt: topic.dueAt ? dayjs(topic.dueAt) : null }}
        onFinish={(v) => void save(v)}
        data-testid="assign-form"
      >
        <Form.Item name="task" label="分工" rules={[{ required: true }]}>
          <Radio.Group options={options(TASK)} optionType="button" />
        </Form.Item>
        <Form.Item name="people" label="本单位人员">
          <Select
            mode="multiple"
            allowClear
            optionFilterProp="label"
            placeholder="选择记者、编辑"
            data-testid="assign-people"
            options={(people.data?.planningPeople ?? []).map((p) => ({
              value: p.id,
              label: `${p.name}（${p.roles.map((r) => ROLE[r]).join('、')}）${p.openAssignments ? ` · 在办 ${p.openAssignments}` : ''}`,
            }))}
          />
        </Form.Item>
        {treeData.length ? (
          <Form.Item name="desks" label="下级单位" extra="下级单位接单后，由其编辑部安排本单位人员采写">
            <TreeSelect
              treeData={treeData}
              treeCheckable
              treeDefaultExpandAll
              showCheckedStrategy={TreeSelect.SHOW_ALL}
              placeholder="在单位树中勾选"
              style={{ width: '100%' }}
              data-testid="assign-desks"
            />
          </Form.Item>
        ) : null}
        {treeData.length ? (
          <Form.Item label="按层级整体派单" extra="例如：某市的全部县（区），每个单位各派一单，由其自行安排人员">
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name="underId" noStyle>
                <Select
                  allowClear
                  placeholder="选择单位"
                  style={{ width: '60%' }}
                  data-testid="assign-under"
                  options={[
                    { value: tenantId, label: '本单位' },
                    ...(tree.data?.tenant?.descendants ?? [])
                      .filter((d) => d.level !== 'COUNTY')
                      .map((d) => ({ value: d.id, label: d.name })),
                  ]}
                />
              </Form.Item>
              <Form.Item name="underLevel" noStyle>
                <Select
                  allowClear
                  placeholder="的全部"
                  style={{ width: '40%' }}
                  data-testid="assign-under-level"
                  options={[
                    { value: 'CITY', label: '市级单位' },
                    { value: 'COUNTY', label: '县（区）级单位' },
                  ]}
                />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
        ) : null}
        <Form.Item name="instructions" label="任务要求" rules={[{ max: 1000, message: '不超过 1000 个字' }]}>
          <Input.TextArea rows={3} data-testid="assign-instructions" />
        </Form.Item>
        <Form.Item name="dueAt" label="截稿时间" extra="默认为选题的截稿时间">
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 上报: to an ancestor, into one of its open campaigns that reaches down (or none). */
function PitchDialog({
  tenantId,
  topic,
  onClose,
}: {
  tenantId: string;
  topic: Topic;
  onClose: (saved: boolean) => void;
}) {
  const { message } = App.useApp();
  const tree = useGql<TreeData>(TREE, { id: tenantId });
  const campaigns = useGql<{ campaigns: Campaign[] }>(CAMPAIGNS, { tenantId });
  const ancestors = tree.data?.tenant?.ancestors ?? [];
  const topicCampaign = (campaigns.data?.campaigns ?? []).find((c) => c.id === topic.campaignId);
  const [to, setTo] = useState<string | undefined>();
  const target =
    to ??
    (topicCampaign && topicCampaign.tenant.id !== tenantId
      ? topicCampaign.tenant.id
      : ancestors[ancestors.length - 1]?.id);
  const usable = (campaigns.data?.campaigns ?? []).filter(
    (c) => c.tenant.id === target && c.status === 'OPEN' && c.reach !== 'OWN',
  );
  const [campaignId, setCampaignId] = useState<string | null | undefined>(undefined);
  const chosen = campaignId !== undefined ? campaignId : (usable.find((c) => c.id === topic.campaignId)?.id ?? null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    if (!target) return;
    setSaving(true);
    setError(null);
    try {
      await gql(PITCH, { tenantId, input: { topicId: topic.id, toTenantId: target, campaignId: chosen, note } });
      message.success('已上报');
      onClose(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={`上报选题：${topic.title}`}
      okText="上报"
      cancelText="取消"
      okButtonProps={{ disabled: !target, 'data-testid': 'pitch-ok' }}
      confirmLoading={saving}
      onCancel={() => onClose(false)}
      onOk={() => void save()}
      destroyOnClose
    >
      <ErrorBox error={error ?? tree.error ?? campaigns.error} />
      {!ancestors.length && tree.data ? <Alert type="info" showIcon message="本单位没有上级单位" /> : null}
      <Form layout="vertical">
        <Form.Item label="报送至">
          <Select
            value={target}
            onChange={(v: string) => {
              setTo(v);
              setCampaignId(undefined);
            }}
            options={ancestors.map((t) => ({ value: t.id, label: `${t.name}（${LEVEL[t.level]}）` }))}
            data-testid="pitch-target"
          />
        </Form.Item>
        <Form.Item label="上级专题">
          <Select
            allowClear
            value={chosen ?? undefined}
            placeholder="（不报入专题）"
            onChange={(v?: string) => setCampaignId(v ?? null)}
            options={usable.map((c) => ({ value: c.id, label: c.title }))}
            data-testid="pitch-campaign"
          />
        </Form.Item>
        <Form.Item label="推荐理由">
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            value={note}
            onChange={(e) => setNote(e.target.value)}
            data-testid="pitch-note"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ---------------------------------------------------------------- 专题

interface CampaignValues {
  title: string;
  brief?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
  reach: Reach;
  reachLevel?: 'CITY' | 'COUNTY' | null;
  shareTenantIds?: string[];
}

function Campaigns({ tenantId, can, onBoard }: { tenantId: string; can: Caps; onBoard: (id: string) => void }) {
  const { data, error, loading, reload } = useGql<{ campaigns: Campaign[] }>(CAMPAIGNS, { tenantId });
  const [editing, setEditing] = useState<Campaign | 'new' | null>(null);
  const { run, busy } = useRun();
  return (
    <Card
      title="专题"
      extra={
        can.campaigns ? (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="campaign-new">
            新建专题
          </Button>
        ) : null
      }
    >
      {!can.campaigns ? <ReadOnlyNote text="专题由本单位总编辑设立；上级单位面向下级的专题也列在这里" /> : null}
      <ErrorBox error={error} />
      <Table<Campaign>
        size="small"
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={data?.campaigns ?? []}
        scroll={{ x: 900 }}
        expandable={{
          expandedRowRender: (c) => <CreditPanel tenantId={tenantId} campaignId={c.id} />,
          rowExpandable: (c) => c.topicCount > 0,
        }}
        columns={[
          {
            title: '专题',
            key: 'title',
            render: (_, c) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong data-testid="campaign-title">
                  {c.title}
                </Typography.Text>
                {c.brief ? (
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 380, fontSize: 12 }}>
                    {c.brief}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: '设立单位',
            key: 'tenant',
            width: 110,
            render: (_, c) => (c.tenant.id === tenantId ? '本单位' : c.tenant.name),
          },
          {
            title: '时间',
            key: 'dates',
            width: 200,
            render: (_, c) => (c.startsOn || c.endsOn ? `${c.startsOn ?? '…'} 至 ${c.endsOn ?? '…'}` : '—'),
          },
          {
            title: '共享范围',
            key: 'reach',
            width: 180,
            render: (_, c) => (
              <Typography.Text
                ellipsis={{ tooltip: shareText(c) }}
                style={{ maxWidth: 170 }}
                data-testid="campaign-share"
              >
                {shareText(c)}
              </Typography.Text>
            ),
          },
          {
            title: '状态',
            key: 'status',
            width: 80,
            render: (_, c) => (
              <Tag color={c.status === 'OPEN' ? 'processing' : 'default'}>{CAMPAIGN_STATUS[c.status]}</Tag>
            ),
          },
          { title: '选题', key: 'count', width: 60, render: (_, c) => c.topicCount },
          {
            title: '操作',
            key: 'act',
            width: 200,
            render: (_, c) => (
              <Space size={0} wrap>
                <Button type="link" size="small" onClick={() => onBoard(c.id)} data-testid="campaign-board">
                  看板
                </Button>
                {can.campaigns && c.tenant.id === tenantId ? (
                  <>
                    <Button type="link" size="small" onClick={() => setEditing(c)}>
                      编辑
                    </Button>
                    <Button
                      type="link"
                      size="small"
                      disabled={busy}
                      onClick={() =>
                        void run(
                          () =>
                            gql(UPDATE_CAMPAIGN, {
                              tenantId,
                              id: c.id,
                              input: { status: c.status === 'OPEN' ? 'CLOSED' : 'OPEN' },
                            }),
                          c.status === 'OPEN' ? '专题已结束' : '专题已重新开启',
                          reload,
                        )
                      }
                    >
                      {c.status === 'OPEN' ? '结束' : '重新开启'}
                    </Button>
                  </>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      {editing ? (
        <CampaignForm
          tenantId={tenantId}
          campaign={editing === 'new' ? null : editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) reload();
          }}
        />
      ) : null}
    </Card>
  );
}

function CampaignForm({
  tenantId,
  campaign,
  onClose,
}: {
  tenantId: string;
  campaign: Campaign | null;
  onClose: (saved: boolean) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<CampaignValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reach = Form.useWatch('reach', form);
  const tree = useGql<TreeData>(TREE, { id: tenantId });
  const descendants = tree.data?.tenant?.descendants ?? [];
  const levels = (['CITY', 'COUNTY'] as const).filter((l) => descendants.some((d) => d.level === l));
  const save = async (v: CampaignValues) => {
    setSaving(true);
    setError(null);
    const input = {
      title: v.title,
      brief: v.brief ?? '',
      startsOn: v.dates?.[0]?.format('YYYY-MM-DD') ?? null,
      endsOn: v.dates?.[1]?.format('YYYY-MM-DD') ?? null,
      reach: v.reach,
      reachLevel: v.reach === 'LEVEL' ? (v.reachLevel ?? null) : null,
      shareTenantIds: v.reach === 'LIST' ? (v.shareTenantIds ?? []) : [],
    };
    try {
      if (campaign) await gql(UPDATE_CAMPAIGN, { tenantId, id: campaign.id, input });
      else await gql(CREATE_CAMPAIGN, { tenantId, input });
      message.success(campaign ? '已保存' : '已设立专题');
      onClose(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={campaign ? `编辑专题：${campaign.title}` : '新建专题'}
      width={600}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      destroyOnClose
    >
      <ErrorBox error={error ?? tree.error} />
      <Form<CampaignValues>
        form={form}
        layout="vertical"
        initialValues={
          campaign
            ? {
                title: campaign.title,
                brief: campaign.brief,
                reach: campaign.reach,
                reachLevel:
                  campaign.reachLevel === 'CITY' || campaign.reachLevel === 'COUNTY' ? campaign.reachLevel : null,
                shareTenantIds: campaign.shareTenants.map((t) => t.id),
                dates:
                  campaign.startsOn || campaign.endsOn
                    ? [
                        campaign.startsOn ? dayjs(campaign.startsOn) : null,
                        campaign.endsOn ? dayjs(campaign.endsOn) : null,
                      ]
                    : null,
              }
            : { reach: 'SUBTREE' }
        }
        onFinish={(v) => void save(v)}
        data-testid="campaign-form"
      >
        <Form.Item
          name="title"
          label="专题名称"
          rules={[
            { required: true, whitespace: true, message: '请填写专题名称' },
            { max: 60, message: '不超过 60 个字' },
          ]}
        >
          <Input data-testid="campaign-name" />
        </Form.Item>
        <Form.Item name="brief" label="专题说明" rules={[{ max: 2000, message: '不超过 2000 个字' }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="dates" label="起止日期">
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item
          name="reach"
          label="共享范围"
          extra="共享给的下级单位可以看到该专题，并可据此安排选题、向本单位报题、接受本专题的派单"
        >
          <Radio.Group
            options={options(REACH).filter((o) => descendants.length || o.value === 'OWN' || o.value === reach)}
            data-testid="campaign-reach"
          />
        </Form.Item>
        {reach === 'LEVEL' ? (
          <Form.Item name="reachLevel" label="共享层级" rules={[{ required: true, message: '请选择共享的层级' }]}>
            <Radio.Group
              options={levels.map((l) => ({ value: l, label: REACH_LEVEL[l] }))}
              data-testid="campaign-reach-level"
            />
          </Form.Item>
        ) : null}
        {reach === 'LIST' ? (
          <Form.Item
            name="shareTenantIds"
            label="共享给"
            rules={[{ required: true, type: 'array', min: 1, message: '请选择至少一个下级单位' }]}
          >
            <Select
              mode="multiple"
              allowClear
              optionFilterProp="label"
              placeholder="选择下级单位"
              data-testid="campaign-share-list"
              options={descendants.map((d) => ({ value: d.id, label: `${d.name}（${LEVEL[d.level]}）` }))}
            />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

// ---------------------------------------------------------------- 我的任务

/** 交稿: pick a story of the tenant (the latest fifty, searchable by title). */

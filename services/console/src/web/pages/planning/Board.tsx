/** @jsxImportSource react */
// 指挥调度 (schema/planning.graphql: campaignBoard, overdueCoverages, planningWorkload): a
// campaign's coverages as a kanban by state (totals per state, the first cards of each, overdue
// first and highlighted), the overdue list of the tenant's subtree (it climbs the tree: a county's
// overdue coverage is on its city's and its province's list), and the workload per unit and per
// person. Live: a planning change anywhere in the tree reloads it (planningChanged).
import {
  Alert,
  Badge,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  List,
  Popover,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import type * as S from '@yiduan/schema';
import { gql, subscribe } from '../../api.js';
import { ErrorBox, useGql } from '../../hooks.js';
import { fmtTime } from '../../labels.js';
import { useSession } from '../../session.js';
import type { Sel, Wire } from '../../types.js';
import { COVERAGE_KIND, COVERAGE_STATE, COVERAGE_STATE_COLOR, COVERAGE_STATES, type CoverageState } from './labels.js';

type Campaign = Sel<S.Campaign, 'id' | 'title' | 'status' | 'topicCount'> & { tenant: Sel<S.Tenant, 'id' | 'name'> };
type CardItem = Sel<
  S.BoardCard,
  | 'id'
  | 'tenantName'
  | 'title'
  | 'task'
  | 'assigneeTenantName'
  | 'assigneeName'
  | 'state'
  | 'dueAt'
  | 'completedAt'
  | 'overdue'
  | 'storyTitle'
>;
type BoardData = Sel<S.CampaignBoard, 'campaignId' | 'topics' | 'overdue'> & {
  cards: CardItem[];
  counts: { state: CoverageState; count: number }[];
};
type Overdue = Sel<
  S.OverdueCoverage,
  'id' | 'tenantName' | 'assigneeTenantName' | 'assigneeName' | 'title' | 'task' | 'state' | 'dueAt'
>;
type Workload = Sel<
  S.PlanningWorkload,
  'tenantId' | 'tenantName' | 'staffId' | 'name' | 'assigned' | 'completed' | 'onTime' | 'adopted'
>;
type Task = Wire<S.BoardCard['task']>;

const BOARD_CAMPAIGNS = `query BoardCampaigns($tenantId: ID!) { campaigns(tenantId: $tenantId) { id title status topicCount tenant { id name } } }`;
const BOARD = `query CampaignBoard($tenantId: ID!, $campaignId: ID!) { campaignBoard(tenantId: $tenantId, campaignId: $campaignId) {
  campaignId topics overdue counts { state count }
  cards { id tenantName title task assigneeTenantName assigneeName state dueAt completedAt overdue storyTitle } } }`;
const OVERDUE = `query OverdueCoverages($tenantId: ID!) { overdueCoverages(tenantId: $tenantId) { id tenantName assigneeTenantName assigneeName title task state dueAt } }`;
const WORKLOAD = `query PlanningWorkload($tenantId: ID!, $from: Date, $to: Date) { planningWorkload(tenantId: $tenantId, from: $from, to: $to) { tenantId tenantName staffId name assigned completed onTime adopted } }`;

type Period = [Dayjs | null, Dayjs | null] | null;
/** The workload's period (派单日期, Beijing days, both ends included; empty: all time) as query variables. */
const periodVars = (p: Period) => ({
  from: p?.[0]?.format('YYYY-MM-DD') ?? null,
  to: p?.[1]?.format('YYYY-MM-DD') ?? null,
});
function PeriodPicker({ value, onChange }: { value: Period; onChange: (p: Period) => void }) {
  return (
    <DatePicker.RangePicker
      size="small"
      allowEmpty={[true, true]}
      value={value}
      onChange={(v) => onChange(v as Period)}
      placeholder={['派单起始日期', '截止日期']}
      data-testid="workload-period"
    />
  );
}
const LIVE = `subscription BoardLive($tenantId: ID!) { planningChanged(tenantId: $tenantId) { tenantId kind id action } }`;

type Notice = Sel<S.PlanningNotice, 'id' | 'kind' | 'text' | 'forDesk' | 'createdAt' | 'readAt'>;
const NOTICES = `query PlanningNotices($tenantId: ID!) { planningNotices(tenantId: $tenantId) { unread items { id kind text forDesk createdAt readAt } } }`;
const MARK_READ = `mutation MarkPlanningNoticesRead($tenantId: ID!) { markPlanningNoticesRead(tenantId: $tenantId) }`;

/** 通知: the live badge of the planning desk (assignments, answers, deliveries, pitches, overdue reminders). */
export function PlanningNoticeBell({ tenantId }: { tenantId: string }) {
  const notices = useGql<{ planningNotices: { unread: number; items: Notice[] } }>(NOTICES, { tenantId });
  usePlanningLive(tenantId, [notices.reload]);
  const data = notices.data?.planningNotices;
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <span>选题策划通知</span>
          <Button
            size="small"
            type="link"
            disabled={!data?.unread}
            onClick={() => void gql(MARK_READ, { tenantId }).then(notices.reload)}
            data-testid="notices-read"
          >
            全部标为已读
          </Button>
        </Space>
      }
      content={
        <List<Notice>
          size="small"
          style={{ width: 380, maxHeight: 400, overflowY: 'auto' }}
          locale={{ emptyText: '暂无通知' }}
          dataSource={data?.items ?? []}
          renderItem={(n) => (
            <List.Item data-testid="notice">
              <Space direction="vertical" size={0}>
                <Typography.Text strong={!n.readAt} type={n.kind === 'overdue' ? 'danger' : undefined}>
                  {n.text}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {fmtTime(n.createdAt)}
                  {n.forDesk ? ' · 发给本单位编辑部' : ''}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      }
    >
      <Badge count={data?.unread ?? 0} data-testid="notice-badge">
        <Button data-testid="notice-bell">通知</Button>
      </Badge>
    </Popover>
  );
}

/** Reloads the given loaders on every planning change the tenant hears. */
export function usePlanningLive(tenantId: string, reloads: (() => void)[]): void {
  useEffect(
    () =>
      subscribe<{ planningChanged: { id: string } }>(LIVE, { tenantId }, () => {
        for (const r of reloads) r();
      }),
    [tenantId],
  );
}

function CoverageCard({ c }: { c: CardItem }) {
  return (
    <Card
      size="small"
      data-testid="board-card"
      data-overdue={c.overdue ? 'true' : 'false'}
      style={{
        marginBottom: 8,
        borderColor: c.overdue ? '#ff4d4f' : undefined,
        background: c.overdue ? '#fff1f0' : undefined,
      }}
      styles={{ body: { padding: 8 } }}
    >
      <Space direction="vertical" size={2} style={{ width: '100%' }}>
        <Typography.Text strong ellipsis={{ tooltip: c.title }}>
          {c.title}
        </Typography.Text>
        <Space size={4} wrap>
          <Tag>{COVERAGE_KIND[c.task as Task]}</Tag>
          <Typography.Text>{c.assigneeName}</Typography.Text>
        </Space>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          派单：{c.tenantName}
        </Typography.Text>
        <Space size={4} wrap>
          <Typography.Text type={c.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
            截止 {c.dueAt ? fmtTime(c.dueAt) : '—'}
          </Typography.Text>
          {c.overdue ? (
            <Tag color="red" data-testid="overdue">
              逾期
            </Tag>
          ) : null}
        </Space>
        {c.storyTitle ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: c.storyTitle }}>
            稿件：{c.storyTitle}
          </Typography.Text>
        ) : null}
      </Space>
    </Card>
  );
}

function Kanban({ board }: { board: BoardData }) {
  const byState = useMemo(() => {
    const m = new Map<CoverageState, CardItem[]>();
    for (const c of board.cards) m.set(c.state, [...(m.get(c.state) ?? []), c]);
    return m;
  }, [board]);
  const total = new Map(board.counts.map((c) => [c.state, c.count]));
  if (!board.cards.length) return <Empty description="该专题还没有任务" />;
  return (
    <div style={{ display: 'flex', gap: 12, overflowX: 'auto', paddingBottom: 8 }} data-testid="kanban">
      {COVERAGE_STATES.map((state) => {
        const cards = byState.get(state) ?? [];
        const n = total.get(state) ?? 0;
        return (
          <div key={state} style={{ minWidth: 168, flex: '1 0 168px' }} data-testid={`column-${state}`}>
            <Space style={{ marginBottom: 8 }}>
              <Tag color={COVERAGE_STATE_COLOR[state]}>{COVERAGE_STATE[state]}</Tag>
              <Badge count={n} showZero color="#8c8c8c" overflowCount={99999} />
            </Space>
            {cards.map((c) => (
              <CoverageCard key={c.id} c={c} />
            ))}
            {n > cards.length ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                另有 {n - cards.length} 项
              </Typography.Text>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

export function PlanningBoardPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const campaigns = useGql<{ campaigns: Campaign[] }>(BOARD_CAMPAIGNS, { tenantId });
  const [picked, setPicked] = useState<string | undefined>();
  const list = campaigns.data?.campaigns ?? [];
  // by default the open campaign with the most topics in the tenant's subtree
  const busiest = [...list].sort(
    (a, b) => Number(b.status === 'OPEN') - Number(a.status === 'OPEN') || b.topicCount - a.topicCount,
  )[0];
  const campaignId = picked ?? busiest?.id;
  const board = useGql<{ campaignBoard: BoardData }>(BOARD, campaignId ? { tenantId, campaignId } : null);
  const overdue = useGql<{ overdueCoverages: Overdue[] }>(OVERDUE, { tenantId });
  const [period, setPeriod] = useState<Period>(null);
  const workload = useGql<{ planningWorkload: Workload[] }>(WORKLOAD, { tenantId, ...periodVars(period) });
  usePlanningLive(tenantId, [board.reload, overdue.reload, workload.reload]);
  if (campaigns.error) return <ErrorBox error={campaigns.error} />;
  const b = board.data?.campaignBoard;
  const overdueItems = overdue.data?.overdueCoverages ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Card size="small" extra={<PlanningNoticeBell tenantId={tenantId} />} title="指挥调度">
        <Space wrap size={24}>
          <Space>
            <Typography.Text>专题</Typography.Text>
            <Select
              style={{ minWidth: 280 }}
              value={campaignId}
              onChange={setPicked}
              placeholder="选择专题"
              data-testid="board-campaign"
              options={list.map((c) => ({
                value: c.id,
                label: `${c.title}（${c.tenant.name}${c.status === 'CLOSED' ? '，已结束' : ''}）`,
              }))}
            />
          </Space>
          {b ? (
            <>
              <Statistic title="选题" value={b.topics} />
              <Statistic title="任务" value={b.counts.reduce((n, c) => n + c.count, 0)} />
              <Statistic
                title="已完成"
                value={b.counts.find((c) => c.state === 'COMPLETED')?.count ?? 0}
                valueStyle={{ color: '#389e0d' }}
              />
              <Statistic title="逾期" value={b.overdue} valueStyle={{ color: b.overdue ? '#cf1322' : undefined }} />
            </>
          ) : null}
        </Space>
      </Card>
      <Tabs
        items={[
          {
            key: 'board',
            label: '任务看板',
            children: board.error ? (
              <ErrorBox error={board.error} />
            ) : !campaignId ? (
              <Empty description="还没有可查看的专题" />
            ) : b ? (
              <Kanban board={b} />
            ) : (
              <Card loading />
            ),
          },
          {
            key: 'overdue',
            label: (
              <Space size={4}>
                逾期任务
                <Badge count={overdueItems.length} data-testid="overdue-count" />
              </Space>
            ),
            children: overdue.error ? (
              <ErrorBox error={overdue.error} />
            ) : (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Alert type="info" showIcon message="本单位及全部下级单位派出或承接、已过截止时间尚未完成的任务" />
                <Table<Overdue>
                  size="small"
                  rowKey="id"
                  data-testid="overdue-list"
                  dataSource={overdueItems}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  columns={[
                    { title: '任务', dataIndex: 'title' },
                    { title: '类型', key: 'task', width: 90, render: (_, o) => COVERAGE_KIND[o.task as Task] },
                    { title: '派单单位', dataIndex: 'tenantName', width: 120 },
                    {
                      title: '承接',
                      key: 'who',
                      width: 160,
                      render: (_, o) =>
                        `${o.assigneeTenantName}${o.assigneeName !== o.assigneeTenantName ? ` · ${o.assigneeName}` : ''}`,
                    },
                    {
                      title: '状态',
                      key: 'state',
                      width: 90,
                      render: (_, o) => (
                        <Tag color={COVERAGE_STATE_COLOR[o.state as CoverageState]}>
                          {COVERAGE_STATE[o.state as CoverageState]}
                        </Tag>
                      ),
                    },
                    {
                      title: '截止',
                      key: 'due',
                      width: 170,
                      render: (_, o) => <Typography.Text type="danger">{fmtTime(o.dueAt)}</Typography.Text>,
                    },
                  ]}
                />
              </Space>
            ),
          },
          {
            key: 'workload',
            label: '工作量',
            children: workload.error ? (
              <ErrorBox error={workload.error} />
            ) : (
              <Row gutter={[16, 12]}>
                <Col span={24}>
                  <Space>
                    <Typography.Text type="secondary">派单日期</Typography.Text>
                    <PeriodPicker value={period} onChange={setPeriod} />
                  </Space>
                </Col>
                {(['desk', 'person'] as const).map((kind) => (
                  <Col span={12} key={kind}>
                    <Card size="small" title={kind === 'desk' ? '按单位（承接上级派单、报题采用）' : '按人员'}>
                      <Table<Workload>
                        size="small"
                        rowKey={(w) => `${w.tenantId}:${w.staffId ?? ''}`}
                        data-testid={`workload-${kind}`}
                        pagination={{ pageSize: 10, hideOnSinglePage: true }}
                        dataSource={(workload.data?.planningWorkload ?? []).filter((w) =>
                          kind === 'desk' ? w.staffId === null : w.staffId !== null,
                        )}
                        columns={[
                          {
                            title: kind === 'desk' ? '单位' : '人员',
                            key: 'name',
                            render: (_, w) => (kind === 'desk' ? w.name : `${w.name}（${w.tenantName}）`),
                          },
                          { title: '派单', dataIndex: 'assigned', width: 60 },
                          { title: '完成', dataIndex: 'completed', width: 60 },
                          { title: '按时', dataIndex: 'onTime', width: 60 },
                          ...(kind === 'desk' ? [{ title: '报题采用', dataIndex: 'adopted', width: 80 }] : []),
                        ]}
                      />
                    </Card>
                  </Col>
                ))}
              </Row>
            ),
          },
        ]}
      />
    </Space>
  );
}

/**
 * 选题策划工作量 on the data dashboard: per unit of the subtree (coverages received from above,
 * completed, on time, pitches adopted) and per person. Hidden where the viewer has no planning desk.
 */
export function PlanningWorkloadCard({ tenantId }: { tenantId: string }) {
  const [period, setPeriod] = useState<Period>(null);
  const workload = useGql<{ planningWorkload: Workload[] }>(WORKLOAD, { tenantId, ...periodVars(period) });
  const rows = workload.data?.planningWorkload ?? [];
  if (workload.error || (!rows.length && !period)) return null;
  const desks = rows.filter((w) => w.staffId === null);
  const people = rows.filter((w) => w.staffId !== null);
  const rate = (w: Workload) => (w.completed ? `${Math.round((w.onTime / w.completed) * 100)}%` : '—');
  return (
    <Card
      size="small"
      title={period ? '选题策划 · 派单工作量（按派单日期）' : '选题策划 · 派单工作量（累计）'}
      extra={<PeriodPicker value={period} onChange={setPeriod} />}
      data-testid="dashboard-planning-workload"
    >
      <Row gutter={16}>
        <Col span={12}>
          <Table<Workload>
            size="small"
            rowKey="tenantId"
            pagination={{ pageSize: 8, hideOnSinglePage: true }}
            dataSource={desks}
            columns={[
              { title: '单位', dataIndex: 'name' },
              { title: '承接', dataIndex: 'assigned', width: 60 },
              { title: '完成', dataIndex: 'completed', width: 60 },
              { title: '按时率', key: 'r', width: 70, render: (_, w) => rate(w) },
              { title: '报题采用', dataIndex: 'adopted', width: 80 },
            ]}
          />
        </Col>
        <Col span={12}>
          <Table<Workload>
            size="small"
            rowKey={(w) => `${w.tenantId}:${w.staffId ?? ''}`}
            pagination={{ pageSize: 8, hideOnSinglePage: true }}
            dataSource={people}
            columns={[
              { title: '人员', key: 'n', render: (_, w) => `${w.name}（${w.tenantName}）` },
              { title: '派单', dataIndex: 'assigned', width: 60 },
              { title: '完成', dataIndex: 'completed', width: 60 },
              { title: '按时率', key: 'r', width: 70, render: (_, w) => rate(w) },
            ]}
          />
        </Col>
      </Row>
    </Card>
  );
}

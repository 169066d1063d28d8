/** @jsxImportSource react */
// 政务新媒体看板 (schema/account-dashboard.graphql): the accounts of the tenant and its subtree by
// platform and health, 合格率 across rounds, the zombie and failing lists, the closures wave by
// month, and the yearly cost avoided (the cost per account a province's or city's to set).
import { Button, Card, Col, InputNumber, Modal, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type * as S from '@yiduan/schema';
import { gql } from '../api.js';
import { ErrorBox, Forbidden, useDialog, useGql, useSave } from '../hooks.js';
import { useSession } from '../session.js';
import type { Sel, Wire } from '../types.js';
import { HEALTH, PLATFORM } from './Accounts.js';
import { Chart, type ChartOption } from './Chart.js';

type Platform = Wire<S.GovAccount['platform']>;
type Health = Wire<NonNullable<S.GovAccount['health']>>;
type Listed = Sel<S.GovAccount, 'id' | 'name' | 'silentDays' | 'lastUpdatedAt'> & {
  platform: Platform;
  health: Health | null;
  tenant: Sel<S.Tenant, 'id' | 'name'>;
};
type Dashboard = {
  day: string;
  byPlatform: (Sel<
    S.GovPlatformCounts,
    'total' | 'ok' | 'warn' | 'fail' | 'zombie' | 'unknown' | 'closing' | 'retired'
  > & { platform: Platform })[];
  rounds: Sel<
    S.GovRoundRate,
    'roundId' | 'roundTenantName' | 'title' | 'checkDay' | 'sampled' | 'passed' | 'vetoed' | 'rate'
  >[];
  zombies: { total: number; items: Listed[] };
  failing: { total: number; items: Listed[] };
  closuresByMonth: Sel<S.GovClosureMonth, 'month' | 'proposed' | 'deregistered'>[];
  cost: Sel<S.GovCostAvoided, 'retired' | 'yuanPerYear' | 'costPerAccount'> & {
    byTenant: Sel<S.GovCostByTenant, 'tenantId' | 'tenantName' | 'retired' | 'costPerAccount' | 'yuanPerYear'>[];
  };
};
type Cost = Sel<S.GovAccountCost, 'effective' | 'own' | 'inherited' | 'inheritedFrom'>;
type Caps = Sel<S.GovAccountCapabilities, 'read' | 'editThresholds'>;

const LISTED = 'id name platform health silentDays lastUpdatedAt tenant { id name }';
const DASHBOARD = `query GovAccountDashboard($tenantId: ID!) {
  govAccountDashboard(tenantId: $tenantId) {
    day
    byPlatform { platform total ok warn fail zombie unknown closing retired }
    rounds { roundId roundTenantName title checkDay sampled passed vetoed rate }
    zombies { total items { ${LISTED} } }
    failing { total items { ${LISTED} } }
    closuresByMonth { month proposed deregistered }
    cost { retired yuanPerYear costPerAccount byTenant { tenantId tenantName retired costPerAccount yuanPerYear } }
  }
  govAccountCost(tenantId: $tenantId) { effective own inherited inheritedFrom }
  govAccountCapabilities(tenantId: $tenantId) { read editThresholds }
}`;
const SET_COST = `mutation SetGovAccountCost($tenantId: ID!, $yuanPerYear: Int) {
  setGovAccountCost(tenantId: $tenantId, yuanPerYear: $yuanPerYear) { effective own inherited inheritedFrom }
}`;

const nf = (n: number) => n.toLocaleString('zh-CN');
const wan = (yuan: number) => `${(yuan / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 1 })} 万元`;
const SERIES: { key: 'ok' | 'warn' | 'fail' | 'zombie' | 'unknown' | 'retired'; name: string; color: string }[] = [
  { key: 'ok', name: HEALTH.OK, color: '#52c41a' },
  { key: 'warn', name: HEALTH.WARN, color: '#faad14' },
  { key: 'fail', name: HEALTH.FAIL, color: '#cf1322' },
  { key: 'zombie', name: HEALTH.ZOMBIE, color: '#c41d7f' },
  { key: 'unknown', name: HEALTH.UNKNOWN, color: '#bfbfbf' },
  { key: 'retired', name: '已注销/合并', color: '#595959' },
];

export function AccountDashboardPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const { data, error, reload } = useGql<{
    govAccountDashboard: Dashboard;
    govAccountCost: Cost;
    govAccountCapabilities: Caps;
  }>(DASHBOARD, { tenantId });
  const editing = useDialog<true>(reload);
  const d = data?.govAccountDashboard;
  const platforms = d?.byPlatform ?? [];
  const byPlatform = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, data: SERIES.map((s) => s.name) },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: platforms.map((p) => PLATFORM[p.platform]), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: SERIES.map((s) => ({
        name: s.name,
        type: 'bar',
        stack: 'all',
        barMaxWidth: 48,
        data: platforms.map((p) => p[s.key]),
        itemStyle: { color: s.color },
      })),
    }),
    [platforms],
  );
  const rounds = d?.rounds ?? [];
  const passRate = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['合格率', '抽查账号数'] },
      grid: { left: 50, right: 50, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: rounds.map((r) => `${r.checkDay}\n${r.title.slice(0, 10)}`) },
      yAxis: [
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        { type: 'value', minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        {
          name: '合格率',
          type: 'line',
          data: rounds.map((r) => Math.round(r.rate * 1000) / 10),
          itemStyle: { color: '#b71c1c' },
          label: { show: true, formatter: '{c}%' },
        },
        {
          name: '抽查账号数',
          type: 'bar',
          yAxisIndex: 1,
          barMaxWidth: 48,
          data: rounds.map((r) => r.sampled),
          itemStyle: { color: '#90a4ae' },
        },
      ],
    }),
    [rounds],
  );
  const months = d?.closuresByMonth ?? [];
  const wave = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['申请关停/合并', '完成注销'] },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: months.map((m) => m.month) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: '申请关停/合并',
          type: 'bar',
          barMaxWidth: 48,
          data: months.map((m) => m.proposed),
          itemStyle: { color: '#1565c0' },
        },
        {
          name: '完成注销',
          type: 'bar',
          barMaxWidth: 48,
          data: months.map((m) => m.deregistered),
          itemStyle: { color: '#595959' },
        },
      ],
    }),
    [months],
  );
  if (error) return <ErrorBox error={error} />;
  if (!data || !d) return <Card loading />;
  if (!data.govAccountCapabilities.read) return <Forbidden title="您在当前单位没有查看政务新媒体看板的权限" />;
  const open = platforms.reduce((n, p) => n + p.total - p.retired, 0);
  const cost = data.govAccountCost;
  const list = (rows: Listed[]) => (
    <Table
      size="small"
      rowKey="id"
      pagination={{ pageSize: 8 }}
      dataSource={rows}
      columns={[
        { title: '单位', render: (_, a: Listed) => a.tenant.name },
        { title: '平台', render: (_, a: Listed) => PLATFORM[a.platform] },
        { title: '账号', dataIndex: 'name' },
        {
          title: '未更新',
          render: (_, a: Listed) => (a.silentDays === null ? '—' : `${a.silentDays} 天`),
        },
      ]}
    />
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16} data-testid="gov-dashboard">
      <Card
        title="政务新媒体看板"
        extra={<Typography.Text type="secondary">统计日 {d.day}（含全部下级）</Typography.Text>}
      >
        <Row gutter={[16, 16]}>
          <Col xs={12} md={4}>
            <Statistic title="在册账号" value={open} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="僵尸" value={d.zombies.total} valueStyle={{ color: '#c41d7f' }} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="不合格" value={d.failing.total} valueStyle={{ color: '#cf1322' }} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="已关停/合并" value={d.cost.retired} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic
              title="每年节约运维成本"
              value={wan(d.cost.yuanPerYear)}
              valueStyle={{ color: '#389e0d' }}
              data-testid="gov-cost-avoided"
            />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="每个账号年运维成本" value={`${nf(cost.effective)} 元`} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {typeof cost.own === 'number'
                ? '本单位设置'
                : cost.inheritedFrom
                  ? `沿用${cost.inheritedFrom}的设置`
                  : '默认值'}
            </Typography.Text>
            {data.govAccountCapabilities.editThresholds ? (
              <Button size="small" type="link" onClick={() => editing.open(true)} data-testid="gov-cost-edit">
                修改
              </Button>
            ) : null}
          </Col>
        </Row>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title="各平台账号状况">
            <Chart option={byPlatform} height={300} testId="chart-platforms" />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="历次抽查合格率">
            {rounds.length ? (
              <Chart option={passRate} height={300} testId="chart-pass-rate" />
            ) : (
              <Typography.Text type="secondary">尚无抽查</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card
            title={
              <Space>
                僵尸账号<Tag color="magenta">{d.zombies.total}</Tag>
              </Space>
            }
            data-testid="gov-zombies"
          >
            {list(d.zombies.items)}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title={
              <Space>
                不合格账号<Tag color="red">{d.failing.total}</Tag>
              </Space>
            }
            data-testid="gov-failing"
          >
            {list(d.failing.items)}
          </Card>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title="关停并转进度（按月）">
            {months.length ? (
              <Chart option={wave} height={260} testId="chart-closures" />
            ) : (
              <Typography.Text type="secondary">尚无关停并转</Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="节约运维成本（按单位）">
            <Table
              size="small"
              rowKey="tenantId"
              pagination={false}
              dataSource={d.cost.byTenant}
              columns={[
                { title: '单位', dataIndex: 'tenantName' },
                { title: '已关停/合并', dataIndex: 'retired' },
                {
                  title: '每个账号（元/年）',
                  render: (_, r: Dashboard['cost']['byTenant'][number]) => nf(r.costPerAccount),
                },
                { title: '每年节约', render: (_, r: Dashboard['cost']['byTenant'][number]) => wan(r.yuanPerYear) },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {editing.subject ? <CostDialog tenantId={tenantId} cost={cost} onClose={editing.close} /> : null}
    </Space>
  );
}

function CostDialog({
  tenantId,
  cost,
  onClose,
}: {
  tenantId: string;
  cost: Cost;
  onClose: (changed: boolean) => void;
}) {
  const [value, setValue] = useState<number | null>(cost.own ?? cost.effective);
  const { error, save: run } = useSave(onClose);
  const save = (yuanPerYear: number | null) => run(() => gql(SET_COST, { tenantId, yuanPerYear }), '已保存');
  return (
    <Modal
      open
      title="每个账号的年运维成本"
      onCancel={() => onClose(false)}
      onOk={() => void save(value)}
      okText="保存"
      destroyOnClose
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          用于估算关停、合并账号每年节约的运维成本（如一名专职运维人员的年成本），适用于本单位及全部下级；下级可另行设置。
          {typeof cost.inherited === 'number' ? ` 上级（${cost.inheritedFrom}）设置为 ${nf(cost.inherited)} 元。` : ''}
        </Typography.Text>
        <InputNumber
          min={0}
          max={10_000_000}
          step={1000}
          value={value}
          onChange={(v) => setValue(v)}
          addonAfter="元/年"
          style={{ width: 240 }}
          data-testid="gov-cost-input"
        />
        {typeof cost.own === 'number' ? (
          <Button size="small" onClick={() => void save(null)}>
            清除本单位设置（沿用上级或默认 60,000 元）
          </Button>
        ) : null}
        <ErrorBox error={error} />
      </Space>
    </Modal>
  );
}

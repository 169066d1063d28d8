/** @jsxImportSource react */
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  InputNumber,
  Radio,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import type * as S from '@yiduan/schema';
import { errorText, gql } from '../api.js';
import { ErrorBox, useGql } from '../hooks.js';
import { fmtTime, LEVEL } from '../labels.js';
import { useSession } from '../session.js';
import type { TenantLevel, Wire } from '../types.js';
import { Chart, type ChartOption } from './Chart.js';
import { ExportButton } from './Export.js';
import { PlanningWorkloadCard } from './planning/Board.js';
import { VideoStatsCard } from './VideoStats.js';

type Figures = Wire<Omit<S.Figures, '__typename'>>;
const FIG =
  'views uniques completions shares reachViews syndicatedViews storiesPublished followersGained followersLost comments messagesDue messagesOnTime';
const FIG_NAME: Record<keyof Figures, string> = {
  views: '阅读量',
  uniques: '独立访客',
  completions: '读完',
  shares: '分享',
  reachViews: '稿件传播量',
  syndicatedViews: '被转载阅读量',
  storiesPublished: '发稿数',
  followersGained: '新增粉丝',
  followersLost: '流失粉丝',
  comments: '评论',
  messagesDue: '到期留言',
  messagesOnTime: '按期答复',
};
const nf = (n: number) => n.toLocaleString('zh-CN');

/** Date range of the data screens: CST days, default the last 30 days. */
function useRange() {
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, 'day'), dayjs()]);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const picker = (
    <Space wrap>
      <DatePicker.RangePicker
        value={range}
        allowClear={false}
        disabledDate={(d) => d.isAfter(dayjs(), 'day')}
        onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        presets={[
          { label: '最近 7 天', value: [dayjs().subtract(6, 'day'), dayjs()] },
          { label: '最近 30 天', value: [dayjs().subtract(29, 'day'), dayjs()] },
          { label: '最近 90 天', value: [dayjs().subtract(89, 'day'), dayjs()] },
          { label: '今年', value: [dayjs().startOf('year'), dayjs()] },
        ]}
        data-testid="range"
      />
    </Space>
  );
  return { from, to, picker };
}

interface Dashboard {
  tenantAnalytics: { totals: Figures; daily: { day: string; figures: Figures }[] };
  childAnalytics: { tenant: { id: string; name: string; level: TenantLevel }; totals: Figures }[];
  unitAnalytics: { unitId: string; name: string; figures: Figures }[];
  storyAnalytics: {
    storyId: string;
    title: string;
    views: number;
    uniques: number;
    completions: number;
    shares: number;
    faces: { face: { name: string }; views: number }[];
  }[];
}

export function DashboardPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const { from, to, picker } = useRange();
  const [scope, setScope] = useState<'OWN' | 'TREE'>('OWN');
  const { data, error, loading } = useGql<Dashboard>(
    `query Dashboard($tenantId: ID!, $from: Date!, $to: Date!, $scope: AnalyticsScope) {
      tenantAnalytics(tenantId: $tenantId, from: $from, to: $to, scope: $scope) { totals { ${FIG} } daily { day figures { ${FIG} } } }
      childAnalytics(tenantId: $tenantId, from: $from, to: $to) { tenant { id name level } totals { ${FIG} } }
      unitAnalytics(tenantId: $tenantId, from: $from, to: $to) { unitId name figures { ${FIG} } }
      storyAnalytics(tenantId: $tenantId, from: $from, to: $to, limit: 10) { storyId title views uniques completions shares faces { face { name } views } }
    }`,
    { tenantId, from, to, scope },
  );
  const daily = data?.tenantAnalytics.daily ?? [];
  const trend = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['阅读量', '独立访客', '稿件传播量', '发稿数'] },
      grid: { left: 60, right: 50, top: 50, bottom: 30 },
      xAxis: { type: 'category', data: daily.map((d) => d.day.slice(5)) },
      yAxis: [
        { type: 'value', name: '阅读' },
        { type: 'value', name: '发稿', splitLine: { show: false } },
      ],
      series: [
        {
          name: '阅读量',
          type: 'line',
          smooth: true,
          data: daily.map((d) => d.figures.views),
          itemStyle: { color: '#b71c1c' },
          areaStyle: { opacity: 0.08 },
        },
        {
          name: '独立访客',
          type: 'line',
          smooth: true,
          data: daily.map((d) => d.figures.uniques),
          itemStyle: { color: '#ef6c00' },
        },
        {
          name: '稿件传播量',
          type: 'line',
          smooth: true,
          data: daily.map((d) => d.figures.reachViews),
          itemStyle: { color: '#1565c0' },
        },
        {
          name: '发稿数',
          type: 'bar',
          yAxisIndex: 1,
          data: daily.map((d) => d.figures.storiesPublished),
          itemStyle: { color: '#90a4ae' },
        },
      ],
    }),
    [daily],
  );
  const children = data?.childAnalytics ?? [];
  const childOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['阅读量', '发稿数'] },
      grid: { left: 60, right: 50, top: 50, bottom: 40 },
      xAxis: {
        type: 'category',
        data: children.map((c) => c.tenant.name),
        axisLabel: { rotate: children.length > 6 ? 30 : 0 },
      },
      yAxis: [{ type: 'value' }, { type: 'value', splitLine: { show: false } }],
      series: [
        { name: '阅读量', type: 'bar', data: children.map((c) => c.totals.views), itemStyle: { color: '#b71c1c' } },
        {
          name: '发稿数',
          type: 'line',
          yAxisIndex: 1,
          data: children.map((c) => c.totals.storiesPublished),
          itemStyle: { color: '#1565c0' },
        },
      ],
    }),
    [children],
  );
  const t = data?.tenantAnalytics.totals;
  const q = (kind: string) => `/exports/analytics.csv?tenantId=${tenantId}&from=${from}&to=${to}&kind=${kind}`;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Card
        title="数据看板"
        extra={<ExportButton path={q(scope === 'TREE' ? 'tree' : 'daily')} name="analytics.csv" />}
      >
        <Space wrap style={{ marginBottom: 16 }}>
          {picker}
          <Radio.Group value={scope} onChange={(e) => setScope(e.target.value as 'OWN' | 'TREE')}>
            <Radio.Button value="OWN">本单位</Radio.Button>
            <Radio.Button value="TREE">含全部下级</Radio.Button>
          </Radio.Group>
        </Space>
        <ErrorBox error={error} />
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
          {(
            [
              'views',
              'uniques',
              'reachViews',
              'syndicatedViews',
              'storiesPublished',
              'followersGained',
              'comments',
              'messagesOnTime',
            ] as const
          ).map((k) => (
            <Col key={k} xs={12} md={6} lg={3}>
              <Statistic title={FIG_NAME[k]} value={t ? t[k] : 0} loading={loading} formatter={(v) => nf(Number(v))} />
            </Col>
          ))}
        </Row>
        <Chart option={trend} testId="chart-trend" />
      </Card>
      {children.length ? (
        <Card
          title={current.tenant.level === 'PROVINCE' ? '各市（含所辖县）' : '所辖县（区）'}
          extra={<ExportButton path={q('children')} name="children.csv" />}
        >
          <Chart option={childOption} height={300} testId="chart-children" />
        </Card>
      ) : null}
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title="政务号" extra={<ExportButton path={q('units')} name="units.csv" />}>
            <Table
              size="small"
              rowKey="unitId"
              pagination={{ pageSize: 8 }}
              dataSource={data?.unitAnalytics ?? []}
              columns={[
                { title: '政务号', dataIndex: 'name' },
                {
                  title: '发稿',
                  key: 'p',
                  render: (_, u: Dashboard['unitAnalytics'][number]) => nf(u.figures.storiesPublished),
                },
                { title: '阅读', key: 'v', render: (_, u: Dashboard['unitAnalytics'][number]) => nf(u.figures.views) },
                {
                  title: '按期答复',
                  key: 'm',
                  render: (_, u: Dashboard['unitAnalytics'][number]) =>
                    `${u.figures.messagesOnTime}/${u.figures.messagesDue}`,
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="热门稿件" extra={<ExportButton path={q('stories')} name="stories.csv" />}>
            <Table
              size="small"
              rowKey="storyId"
              pagination={false}
              dataSource={data?.storyAnalytics ?? []}
              columns={[
                { title: '稿件', dataIndex: 'title', ellipsis: true },
                {
                  title: '阅读',
                  key: 'v',
                  width: 80,
                  render: (_, s: Dashboard['storyAnalytics'][number]) => nf(s.views),
                },
                {
                  title: '刊发门户',
                  key: 'f',
                  width: 90,
                  render: (_, s: Dashboard['storyAnalytics'][number]) => `${s.faces.length} 个`,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <VideoStatsCard tenantId={tenantId} from={from} to={to} />
      <PlanningWorkloadCard tenantId={tenantId} />
    </Space>
  );
}

interface RankingEntry {
  id: string;
  name: string;
  tenantId: string;
  index: number;
  rank: number;
  movement: number | null;
  figures: Figures | null;
}

function RankingTable({ rows, loading }: { rows: RankingEntry[]; loading: boolean }) {
  return (
    <Table<RankingEntry>
      size="small"
      rowKey="id"
      loading={loading}
      pagination={{ pageSize: 20 }}
      scroll={{ x: 700 }}
      dataSource={rows}
      columns={[
        { title: '排名', dataIndex: 'rank', width: 70 },
        { title: '名称', dataIndex: 'name' },
        { title: '传播力指数', key: 'i', width: 120, render: (_, r) => r.index.toFixed(1) },
        {
          title: '变化',
          key: 'm',
          width: 80,
          render: (_, r) =>
            r.movement == null ? (
              <Tag>新</Tag>
            ) : r.movement > 0 ? (
              <Tag color="green">↑{r.movement}</Tag>
            ) : r.movement < 0 ? (
              <Tag color="red">↓{-r.movement}</Tag>
            ) : (
              '—'
            ),
        },
        {
          title: '阅读',
          key: 'v',
          width: 100,
          render: (_, r) =>
            r.figures ? nf(r.figures.views) : <Typography.Text type="secondary">不公开</Typography.Text>,
        },
        { title: '发稿', key: 'p', width: 80, render: (_, r) => (r.figures ? nf(r.figures.storiesPublished) : '—') },
      ]}
    />
  );
}

export function RankingsPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const { from, to, picker } = useRange();
  const [level, setLevel] = useState<TenantLevel>('COUNTY');
  const { data, error, loading } = useGql<{ ranking: RankingEntry[]; unitRanking: RankingEntry[] }>(
    `query Rank($tenantId: ID!, $level: TenantLevel!, $from: Date!, $to: Date!) {
      ranking(tenantId: $tenantId, level: $level, from: $from, to: $to) { id name tenantId index rank movement figures { ${FIG} } }
      unitRanking(tenantId: $tenantId, from: $from, to: $to) { id name tenantId index rank movement figures { ${FIG} } }
    }`,
    { tenantId, level, from, to },
  );
  const rows = data?.ranking ?? [];
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 110, right: 30, top: 10, bottom: 30 },
      xAxis: { type: 'value', max: 100 },
      yAxis: { type: 'category', inverse: true, data: rows.slice(0, 15).map((r) => r.name) },
      series: [
        {
          type: 'bar',
          data: rows.slice(0, 15).map((r) => ({
            value: Number(r.index.toFixed(1)),
            itemStyle: { color: r.tenantId === tenantId ? '#b71c1c' : '#ef9a9a' },
          })),
        },
      ],
    }),
    [rows, tenantId],
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Card
        title="传播力排行"
        extra={
          <ExportButton
            path={`/exports/analytics.csv?tenantId=${tenantId}&from=${from}&to=${to}&kind=${level === 'CITY' ? 'city-ranking' : 'county-ranking'}`}
            name="ranking.csv"
          />
        }
      >
        <Space wrap style={{ marginBottom: 16 }}>
          {picker}
          <Radio.Group value={level} onChange={(e) => setLevel(e.target.value as TenantLevel)}>
            <Radio.Button value="COUNTY">{LEVEL.COUNTY}排行</Radio.Button>
            <Radio.Button value="CITY">{LEVEL.CITY}排行</Radio.Button>
          </Radio.Group>
        </Space>
        <ErrorBox error={error} />
        <Typography.Paragraph type="secondary">
          指数 0–100：各项指标按权重计算，每项除以同级最高值。只有本单位及下级显示具体数据。
        </Typography.Paragraph>
        {rows.length ? (
          <Chart option={option} height={Math.max(200, Math.min(15, rows.length) * 28 + 40)} testId="chart-ranking" />
        ) : null}
        <RankingTable rows={rows} loading={loading} />
      </Card>
      <Card
        title="本单位政务号排行"
        extra={
          <ExportButton
            path={`/exports/analytics.csv?tenantId=${tenantId}&from=${from}&to=${to}&kind=unit-ranking`}
            name="unit-ranking.csv"
          />
        }
      >
        <RankingTable rows={data?.unitRanking ?? []} loading={loading} />
      </Card>
    </Space>
  );
}

interface Dormant {
  tenant: { id: string; name: string };
  unitId: string | null;
  name: string;
  state: 'SLEEPING' | 'DORMANT' | null;
  daysSilent: number;
  lastPublishedAt: string | null;
  trend: number[];
}

interface Warning {
  id: string;
  tenant: { name: string };
  unitId: string | null;
  state: 'SLEEPING' | 'DORMANT';
  daysSilent: number;
  warnedAt: string;
  resumedAt: string | null;
}

export function DormantPage() {
  const { current, can } = useSession();
  const { message } = App.useApp();
  const tenantId = current.tenant.id;
  const [all, setAll] = useState(false);
  const { data, error, loading, reload } = useGql<{
    dormantAccounts: Dormant[];
    analyticsSettings: { tenant: { id: string; name: string }; sleepingDays: number; dormantDays: number };
    dormancyWarnings: Warning[];
  }>(
    `query Dormant($tenantId: ID!, $all: Boolean) {
      dormantAccounts(tenantId: $tenantId, all: $all) { tenant { id name } unitId name state daysSilent lastPublishedAt trend }
      analyticsSettings(tenantId: $tenantId) { tenant { id name } sleepingDays dormantDays }
      dormancyWarnings(tenantId: $tenantId, first: 20) { id tenant { name } unitId state daysSilent warnedAt resumedAt }
    }`,
    { tenantId, all },
  );
  const s = data?.analyticsSettings;
  const [edit, setEdit] = useState<{ sleepingDays?: number; dormantDays?: number }>({});
  const save = async () => {
    try {
      await gql(
        `mutation S($tenantId: ID!, $input: AnalyticsSettingsInput!) { updateAnalyticsSettings(tenantId: $tenantId, input: $input) { sleepingDays dormantDays } }`,
        { tenantId, input: edit },
      );
      message.success('阈值已保存');
      setEdit({});
      reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Card
        title="僵尸号 / 睡眠号"
        extra={<ExportButton path={`/exports/analytics.csv?tenantId=${tenantId}&kind=dormant`} name="dormant.csv" />}
      >
        <ErrorBox error={error} />
        {s ? (
          <Space wrap style={{ marginBottom: 12 }}>
            <Typography.Text>阈值（{s.tenant.name}设定）：连续</Typography.Text>
            {/* thresholds are the province's to set: elsewhere they are shown, not offered for editing */}
            {can.editDataSettings ? (
              <InputNumber
                size="small"
                min={1}
                value={edit.sleepingDays ?? s.sleepingDays}
                onChange={(v) => setEdit({ ...edit, sleepingDays: v ?? undefined })}
                style={{ width: 70 }}
              />
            ) : (
              <Typography.Text strong>{s.sleepingDays}</Typography.Text>
            )}
            <Typography.Text>天未发稿为睡眠号，</Typography.Text>
            {can.editDataSettings ? (
              <InputNumber
                size="small"
                min={1}
                value={edit.dormantDays ?? s.dormantDays}
                onChange={(v) => setEdit({ ...edit, dormantDays: v ?? undefined })}
                style={{ width: 70 }}
              />
            ) : (
              <Typography.Text strong>{s.dormantDays}</Typography.Text>
            )}
            <Typography.Text>天为僵尸号</Typography.Text>
            {Object.keys(edit).length ? (
              <Button size="small" type="primary" onClick={() => void save()}>
                保存
              </Button>
            ) : null}
            <Radio.Group size="small" value={all} onChange={(e) => setAll(e.target.value as boolean)}>
              <Radio.Button value={false}>只看沉寂账号</Radio.Button>
              <Radio.Button value={true}>全部账号</Radio.Button>
            </Radio.Group>
          </Space>
        ) : null}
        <Table<Dormant>
          size="small"
          rowKey={(r) => `${r.tenant.id}:${r.unitId ?? ''}`}
          loading={loading}
          scroll={{ x: 760 }}
          dataSource={data?.dormantAccounts ?? []}
          columns={[
            { title: '账号', key: 'n', render: (_, r) => (r.unitId ? `${r.name}（${r.tenant.name}）` : r.name) },
            {
              title: '状态',
              key: 's',
              width: 100,
              render: (_, r) =>
                r.state === 'DORMANT' ? (
                  <Tag color="red">僵尸号</Tag>
                ) : r.state === 'SLEEPING' ? (
                  <Tag color="orange">睡眠号</Tag>
                ) : (
                  <Tag color="green">正常</Tag>
                ),
            },
            { title: '未发稿天数', dataIndex: 'daysSilent', width: 110 },
            { title: '最近发稿', key: 'l', width: 150, render: (_, r) => fmtTime(r.lastPublishedAt) },
            { title: '近 8 周发稿', key: 't', width: 150, render: (_, r) => <Sparkline values={r.trend} /> },
          ]}
        />
      </Card>
      <Card title="预警记录">
        <Table<Warning>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={data?.dormancyWarnings ?? []}
          columns={[
            { title: '单位', key: 't', render: (_, w) => w.tenant.name },
            { title: '状态', key: 's', render: (_, w) => (w.state === 'DORMANT' ? '僵尸号' : '睡眠号') },
            { title: '未发稿天数', dataIndex: 'daysSilent' },
            { title: '预警时间', key: 'w', render: (_, w) => fmtTime(w.warnedAt) },
            { title: '恢复', key: 'r', render: (_, w) => (w.resumedAt ? fmtTime(w.resumedAt) : '尚未恢复') },
          ]}
        />
      </Card>
    </Space>
  );
}

/** Eight small bars, one per week. */
function Sparkline({ values }: { values: number[] }) {
  const max = Math.max(1, ...values);
  return (
    <span style={{ display: 'inline-flex', alignItems: 'flex-end', gap: 2, height: 20 }} title={values.join('、')}>
      {values.map((v, i) => (
        <span
          key={i}
          style={{
            width: 8,
            height: Math.max(2, (v / max) * 20),
            background: v ? '#b71c1c' : '#ddd',
            display: 'inline-block',
          }}
        />
      ))}
    </span>
  );
}

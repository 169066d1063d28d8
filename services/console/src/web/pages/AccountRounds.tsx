/** @jsxImportSource react */
// 政务新媒体抽查 (schema/account-rounds.graphql): the inspection rounds a province or a city opens,
// their samples with scores, findings per checklist item with evidence, 合格率 per county, the 通报 of
// a county (shown, exported as text or HTML), and fix orders with the overdue list of the subtree.
import {
  App,
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Radio,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import type * as S from '@yiduan/schema';
import { errorText, gql, saveBlob, uploadAsset } from '../api.js';
import { ErrorBox, Forbidden, ReadOnlyNote, useBusy, useGql } from '../hooks.js';
import { useSession } from '../session.js';
import type { Sel, Wire } from '../types.js';
import { PLATFORM } from './Accounts.js';

type Verdict = Wire<S.GovRoundSample['verdict']>;
type Round = Sel<
  S.GovRound,
  'id' | 'tenantId' | 'tenantName' | 'title' | 'seed' | 'share' | 'checkDay' | 'status' | 'sampled' | 'createdAt'
>;
type Sample = Sel<
  S.GovRoundSample,
  'tenantId' | 'tenantName' | 'accountId' | 'platform' | 'accountName' | 'silentDays' | 'score' | 'verdict' | 'findings'
>;
type Finding = Sel<
  S.GovRoundFinding,
  'id' | 'accountId' | 'item' | 'itemName' | 'kind' | 'points' | 'note' | 'links' | 'assetIds' | 'recordedByName'
> & { wording: Sel<S.GovWordingHit, 'match' | 'replacement'>[] };
type Rate = Sel<S.GovRoundPassRate, 'tenantId' | 'tenantName' | 'sampled' | 'passed' | 'excellent' | 'vetoed' | 'rate'>;
type Order = Sel<
  S.GovFixOrder,
  | 'id'
  | 'tenantName'
  | 'roundId'
  | 'roundTitle'
  | 'roundTenantId'
  | 'accountName'
  | 'platform'
  | 'items'
  | 'requirement'
  | 'issuedOn'
  | 'dueOn'
  | 'status'
  | 'overdue'
  | 'overdueDays'
  | 'rechecks'
  | 'recheckNote'
>;
type Item = Sel<S.GovChecklistItem, 'code' | 'kind' | 'name' | 'points' | 'maxPoints' | 'description'>;
type Report = Sel<S.GovRoundReport, 'title' | 'text' | 'html' | 'sampled' | 'passed' | 'passRate'>;
type Caps = Sel<S.GovRoundCapabilities, 'read' | 'inspect'>;

const VERDICT: Record<Verdict, { label: string; color: string }> = {
  EXCELLENT: { label: '优秀', color: 'green' },
  PASS: { label: '合格', color: 'blue' },
  FAIL: { label: '不合格', color: 'red' },
  VETO: { label: '单项否决', color: 'magenta' },
};
const percent = (r: number) => `${(Math.round(r * 1000) / 10).toFixed(1)}%`;

const CAPS = `query GovRoundCapabilities($tenantId: ID!) { govRoundCapabilities(tenantId: $tenantId) { read inspect } govRoundChecklist { code kind name points maxPoints description } }`;
const ROUNDS = `query GovRounds($tenantId: ID!) { govRounds(tenantId: $tenantId) { id tenantId tenantName title seed share checkDay status sampled createdAt } }`;
const DETAIL = `query GovRoundDetail($tenantId: ID!, $roundId: ID!) {
  govRoundSamples(tenantId: $tenantId, roundId: $roundId) { tenantId tenantName accountId platform accountName silentDays score verdict findings }
  govRoundFindings(tenantId: $tenantId, roundId: $roundId) { id accountId item itemName kind points note links assetIds recordedByName wording { match replacement } }
  govRoundPassRates(tenantId: $tenantId, roundId: $roundId) { tenantId tenantName sampled passed excellent vetoed rate }
}`;
const REPORT = `query GovRoundReport($tenantId: ID!, $roundId: ID!, $forTenant: ID!) { govRoundReport(tenantId: $tenantId, roundId: $roundId, forTenant: $forTenant) { title text html sampled passed passRate } }`;
const ORDERS = `query GovFixOrders($tenantId: ID!, $overdueOnly: Boolean) { govFixOrders(tenantId: $tenantId, overdueOnly: $overdueOnly) {
  id tenantName roundId roundTitle roundTenantId accountName platform items requirement issuedOn dueOn status overdue overdueDays rechecks recheckNote } }`;
const OPEN = `mutation OpenGovRound($tenantId: ID!, $input: GovOpenRoundInput!) { openGovRound(tenantId: $tenantId, input: $input) { id } }`;
const CLOSE = `mutation CloseGovRound($tenantId: ID!, $id: ID!) { closeGovRound(tenantId: $tenantId, id: $id) { id } }`;
const RECORD = `mutation RecordGovRoundFinding($tenantId: ID!, $roundId: ID!, $input: GovFindingInput!) { recordGovRoundFinding(tenantId: $tenantId, roundId: $roundId, input: $input) { sample { score verdict } } }`;
const REMOVE = `mutation RemoveGovRoundFinding($tenantId: ID!, $roundId: ID!, $findingId: ID!) { removeGovRoundFinding(tenantId: $tenantId, roundId: $roundId, findingId: $findingId) { score } }`;
const ISSUE = `mutation IssueGovFixOrder($tenantId: ID!, $roundId: ID!, $input: GovFixOrderInput!) { issueGovFixOrder(tenantId: $tenantId, roundId: $roundId, input: $input) { id } }`;
const RECHECK = `mutation RecheckGovFixOrder($tenantId: ID!, $id: ID!, $fixed: Boolean!, $note: String) { recheckGovFixOrder(tenantId: $tenantId, id: $id, fixed: $fixed, note: $note) { id } }`;

function saveFile(text: string, name: string, type: string): void {
  saveBlob(new Blob([text], { type }), name);
}

export function GovRoundsPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const caps = useGql<{ govRoundCapabilities: Caps; govRoundChecklist: Item[] }>(CAPS, { tenantId });
  const can = caps.data?.govRoundCapabilities;
  if (caps.error) return <ErrorBox error={caps.error} />;
  if (!can) return <Card loading />;
  if (!can.read)
    return <Forbidden title="您在当前单位没有查看政务新媒体抽查的权限" subTitle="编辑、审核、总编辑和管理员可以查看" />;
  const checklist = caps.data?.govRoundChecklist ?? [];
  return (
    <Tabs
      items={[
        { key: 'rounds', label: '抽查轮次', children: <Rounds tenantId={tenantId} can={can} checklist={checklist} /> },
        { key: 'orders', label: '整改通知', children: <Orders tenantId={tenantId} can={can} /> },
      ]}
    />
  );
}

function Rounds({ tenantId, can, checklist }: { tenantId: string; can: Caps; checklist: Item[] }) {
  const { data, error, loading, reload } = useGql<{ govRounds: Round[] }>(ROUNDS, { tenantId });
  const [selected, setSelected] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const rounds = data?.govRounds ?? [];
  const round = rounds.find((r) => r.id === selected) ?? rounds[0] ?? null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Card
        title="政务新媒体抽查"
        extra={
          can.inspect ? (
            <Button type="primary" onClick={() => setOpening(true)} data-testid="round-open">
              发起抽查
            </Button>
          ) : null
        }
      >
        {!can.inspect ? <ReadOnlyNote text="您可以查看本单位及下级单位被抽查的情况；抽查由省级或市级单位发起" /> : null}
        <ErrorBox error={error} />
        <Table<Round>
          size="small"
          rowKey="id"
          loading={loading}
          dataSource={rounds}
          pagination={false}
          rowClassName={(r) => (r.id === round?.id ? 'ant-table-row-selected' : '')}
          onRow={(r) => ({ onClick: () => setSelected(r.id), style: { cursor: 'pointer' } })}
          data-testid="round-list"
          columns={[
            { title: '检查名称', dataIndex: 'title' },
            { title: '发起单位', dataIndex: 'tenantName', width: 100 },
            { title: '检查日期', dataIndex: 'checkDay', width: 110 },
            { title: '抽查比例', key: 'share', width: 90, render: (_, r) => `${Math.round(r.share * 100)}%` },
            { title: '抽样种子', dataIndex: 'seed', width: 140 },
            { title: '抽取账号', dataIndex: 'sampled', width: 90 },
            {
              title: '状态',
              key: 'status',
              width: 90,
              render: (_, r) => (r.status === 'OPEN' ? <Tag color="processing">进行中</Tag> : <Tag>已结束</Tag>),
            },
          ]}
        />
      </Card>
      {round ? (
        <RoundDetail
          key={round.id}
          tenantId={tenantId}
          round={round}
          can={can}
          checklist={checklist}
          onChanged={reload}
        />
      ) : null}
      {opening ? (
        <OpenRound
          tenantId={tenantId}
          onClose={(id) => {
            setOpening(false);
            if (id) {
              setSelected(id);
              reload();
            }
          }}
        />
      ) : null}
    </Space>
  );
}

function OpenRound({ tenantId, onClose }: { tenantId: string; onClose: (id: string | null) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ title: string; seed?: string; share: number; checkDay?: dayjs.Dayjs }>();
  const { busy, run } = useBusy();
  const submit = async () => {
    const v = await form.validateFields();
    await run(async () => {
      const r = await gql<{ openGovRound: { id: string } }>(OPEN, {
        tenantId,
        input: {
          title: v.title,
          seed: v.seed || null,
          share: v.share / 100,
          checkDay: v.checkDay ? v.checkDay.format('YYYY-MM-DD') : null,
        },
      });
      message.success('已发起抽查并完成抽样');
      onClose(r.openGovRound.id);
    });
  };
  return (
    <Modal
      open
      title="发起抽查"
      okText="抽样并发起"
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={() => onClose(null)}
    >
      <Form form={form} layout="vertical" initialValues={{ share: 10 }}>
        <Form.Item name="title" label="检查名称" rules={[{ required: true, message: '请填写检查名称' }]}>
          <Input maxLength={100} placeholder="如：2026年第四季度政务新媒体抽查" data-testid="round-title" />
        </Form.Item>
        <Form.Item name="share" label="抽查比例（%）" extra="按单位、按平台分别抽取，每组不少于该比例且至少 1 个">
          <InputNumber min={10} max={100} />
        </Form.Item>
        <Form.Item name="seed" label="抽样种子" extra="同一种子、同一台账，抽到的账号相同；留空则随机生成">
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="checkDay" label="检查日期" extra="默认今天；两周未更新按此日期判定">
          <DatePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RoundDetail({
  tenantId,
  round,
  can,
  checklist,
  onChanged,
}: {
  tenantId: string;
  round: Round;
  can: Caps;
  checklist: Item[];
  onChanged: () => void;
}) {
  const { message, modal } = App.useApp();
  const { data, error, loading, reload } = useGql<{
    govRoundSamples: Sample[];
    govRoundFindings: Finding[];
    govRoundPassRates: Rate[];
  }>(DETAIL, { tenantId, roundId: round.id });
  const [recording, setRecording] = useState<Sample | null>(null);
  const [issuing, setIssuing] = useState<Sample | null>(null);
  const [reportFor, setReportFor] = useState<string | null>(null);
  const inspector = can.inspect && round.tenantId === tenantId;
  const writable = inspector && round.status === 'OPEN';
  const findings = data?.govRoundFindings ?? [];
  const rates = data?.govRoundPassRates ?? [];
  const close = () =>
    modal.confirm({
      title: '结束本轮抽查？',
      content: '结束后不能再记录问题或评分；整改通知仍可复查销号。',
      onOk: async () => {
        try {
          await gql(CLOSE, { tenantId, id: round.id });
          message.success('已结束');
          onChanged();
        } catch (err) {
          message.error(errorText(err));
        }
      },
    });
  const remove = async (f: Finding) => {
    try {
      await gql(REMOVE, { tenantId, roundId: round.id, findingId: f.id });
      reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16} data-testid="round-detail">
      <Card
        title={round.title}
        extra={
          inspector && round.status === 'OPEN' ? (
            <Button onClick={() => void close()} data-testid="round-close">
              结束抽查
            </Button>
          ) : null
        }
      >
        <Descriptions size="small" column={4}>
          <Descriptions.Item label="发起单位">{round.tenantName}</Descriptions.Item>
          <Descriptions.Item label="检查日期">{round.checkDay}</Descriptions.Item>
          <Descriptions.Item label="抽查比例">{Math.round(round.share * 100)}%</Descriptions.Item>
          <Descriptions.Item label="抽取账号">{round.sampled}</Descriptions.Item>
        </Descriptions>
        <ErrorBox error={error} />
        <Typography.Title level={5}>合格率</Typography.Title>
        <Table<Rate>
          size="small"
          rowKey="tenantId"
          pagination={false}
          dataSource={rates}
          data-testid="round-rates"
          columns={[
            { title: '单位', dataIndex: 'tenantName', width: 140 },
            { title: '抽查', dataIndex: 'sampled', width: 70 },
            { title: '合格', dataIndex: 'passed', width: 70 },
            { title: '优秀', dataIndex: 'excellent', width: 70 },
            { title: '单项否决', dataIndex: 'vetoed', width: 90 },
            {
              title: '合格率',
              key: 'rate',
              render: (_, r) => (
                <Progress
                  percent={Math.round(r.rate * 1000) / 10}
                  size="small"
                  status={r.rate < 0.6 ? 'exception' : 'normal'}
                  format={() => percent(r.rate)}
                  style={{ maxWidth: 260 }}
                />
              ),
            },
            {
              title: '通报',
              key: 'report',
              width: 100,
              render: (_, r) => (
                <Button size="small" onClick={() => setReportFor(r.tenantId)} data-testid={`report-${r.tenantName}`}>
                  查看通报
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card title="抽查账号与评分" size="small">
        <Table<Sample>
          size="small"
          rowKey="accountId"
          loading={loading}
          dataSource={data?.govRoundSamples ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (n) => `共 ${n} 个账号` }}
          data-testid="round-samples"
          expandable={{
            rowExpandable: (s) => s.findings > 0,
            expandedRowRender: (s) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {findings
                  .filter((f) => f.accountId === s.accountId)
                  .map((f) => (
                    <div key={f.id}>
                      <Tag color={f.kind === 'VETO' ? 'magenta' : 'orange'}>
                        {f.kind === 'VETO' ? '单项否决' : `扣 ${f.points} 分`}
                      </Tag>
                      <b>{f.itemName}</b> {f.note}
                      {f.links.map((l) => (
                        <a key={l} href={l} target="_blank" rel="noreferrer" style={{ marginLeft: 8 }}>
                          证据链接
                        </a>
                      ))}
                      {f.assetIds.length ? <Tag style={{ marginLeft: 8 }}>截图 {f.assetIds.length} 张</Tag> : null}
                      {f.wording.length ? (
                        <Typography.Text type="secondary">
                          {' '}
                          规范表述：{f.wording.map((w) => `“${w.match}”应为“${w.replacement ?? '—'}”`).join('，')}
                        </Typography.Text>
                      ) : null}
                      <Typography.Text type="secondary"> （{f.recordedByName}）</Typography.Text>
                      {writable ? (
                        <Button size="small" type="link" danger onClick={() => void remove(f)}>
                          删除
                        </Button>
                      ) : null}
                    </div>
                  ))}
              </Space>
            ),
          }}
          columns={[
            { title: '单位', dataIndex: 'tenantName', width: 110 },
            { title: '平台', key: 'platform', width: 100, render: (_, s) => PLATFORM[s.platform] },
            { title: '账号', dataIndex: 'accountName' },
            {
              title: '未更新天数',
              key: 'silent',
              width: 100,
              render: (_, s) => (s.silentDays === null ? '未填报' : `${s.silentDays} 天`),
            },
            { title: '得分', dataIndex: 'score', width: 70 },
            {
              title: '结论',
              key: 'verdict',
              width: 100,
              render: (_, s) => <Tag color={VERDICT[s.verdict].color}>{VERDICT[s.verdict].label}</Tag>,
            },
            { title: '问题', dataIndex: 'findings', width: 60 },
            ...(inspector
              ? [
                  {
                    title: '操作',
                    key: 'actions',
                    width: 180,
                    render: (_: unknown, s: Sample) => (
                      <Space>
                        {writable ? (
                          <Button size="small" onClick={() => setRecording(s)} data-testid="finding-new">
                            记录问题
                          </Button>
                        ) : null}
                        {s.findings > 0 ? (
                          <Button size="small" onClick={() => setIssuing(s)}>
                            下达整改
                          </Button>
                        ) : null}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {reportFor ? (
        <ReportModal tenantId={tenantId} roundId={round.id} forTenant={reportFor} onClose={() => setReportFor(null)} />
      ) : null}
      {recording ? (
        <RecordFinding
          tenantId={tenantId}
          roundId={round.id}
          sample={recording}
          checklist={checklist}
          onClose={(done) => {
            setRecording(null);
            if (done) reload();
          }}
        />
      ) : null}
      {issuing ? (
        <IssueOrder tenantId={tenantId} roundId={round.id} sample={issuing} onClose={() => setIssuing(null)} />
      ) : null}
    </Space>
  );
}

function RecordFinding({
  tenantId,
  roundId,
  sample,
  checklist,
  onClose,
}: {
  tenantId: string;
  roundId: string;
  sample: Sample;
  checklist: Item[];
  onClose: (done: boolean) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ item: string; points?: number; note?: string; links?: string; text?: string }>();
  const [assets, setAssets] = useState<string[]>([]);
  const { busy, run } = useBusy();
  const code = Form.useWatch('item', form);
  const item = checklist.find((i) => i.code === code);
  const submit = async () => {
    const v = await form.validateFields();
    await run(async () => {
      const links = (v.links ?? '').split(/\s+/).filter(Boolean);
      const r = await gql<{ recordGovRoundFinding: { sample: { score: number; verdict: Verdict } } }>(RECORD, {
        tenantId,
        roundId,
        input: {
          accountId: sample.accountId,
          item: v.item,
          points: item?.kind === 'DEDUCTION' ? (v.points ?? null) : null,
          note: v.note ?? '',
          links,
          assetIds: assets,
          text: v.item === 'wording' ? (v.text ?? null) : null,
        },
      });
      const s = r.recordGovRoundFinding.sample;
      message.success(`已记录，当前得分 ${s.score}（${VERDICT[s.verdict].label}）`);
      onClose(true);
    });
  };
  return (
    <Modal
      open
      title={`记录问题：${sample.accountName}`}
      okText="记录"
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      width={640}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="item" label="检查项目" rules={[{ required: true, message: '请选择检查项目' }]}>
          <Radio.Group data-testid="finding-item">
            <Space direction="vertical">
              {checklist.map((i) => (
                <Radio key={i.code} value={i.code}>
                  <Tag color={i.kind === 'VETO' ? 'magenta' : 'orange'}>
                    {i.kind === 'VETO' ? '单项否决' : `扣分（常用 ${i.points}）`}
                  </Tag>
                  {i.name}
                  <Typography.Text type="secondary"> {i.description}</Typography.Text>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        {item?.kind === 'DEDUCTION' ? (
          <Form.Item name="points" label={`扣分（1–${item.maxPoints}，默认 ${item.points}）`}>
            <InputNumber min={1} max={item.maxPoints} />
          </Form.Item>
        ) : null}
        {code === 'wording' ? (
          <Form.Item name="text" label="粘贴原文" extra="将按规范表述规则检查并记录命中的表述">
            <Input.TextArea rows={3} maxLength={20000} data-testid="finding-text" />
          </Form.Item>
        ) : null}
        <Form.Item name="note" label="说明">
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Form.Item name="links" label="证据链接" extra="多个链接用空格或换行分隔">
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item label="证据截图">
          <Upload
            accept="image/*"
            listType="picture"
            customRequest={({ file, onSuccess, onError }) => {
              uploadAsset(tenantId, file as File, `抽查证据：${sample.accountName}`)
                .then((a) => {
                  setAssets((xs) => [...xs, a.id]);
                  onSuccess?.(a);
                })
                .catch((err: unknown) => {
                  message.error(errorText(err));
                  onError?.(err as Error);
                });
            }}
          >
            <Button>上传截图</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function IssueOrder({
  tenantId,
  roundId,
  sample,
  onClose,
}: {
  tenantId: string;
  roundId: string;
  sample: Sample;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ dueOn: dayjs.Dayjs; requirement?: string }>();
  const { busy, run } = useBusy();
  const submit = async () => {
    const v = await form.validateFields();
    await run(async () => {
      await gql(ISSUE, {
        tenantId,
        roundId,
        input: { accountId: sample.accountId, dueOn: v.dueOn.format('YYYY-MM-DD'), requirement: v.requirement || null },
      });
      message.success(`整改通知已下达至${sample.tenantName}`);
      onClose();
    });
  };
  return (
    <Modal
      open
      title={`下达整改通知：${sample.accountName}`}
      okText="下达"
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onClose}
    >
      <Form form={form} layout="vertical" initialValues={{ dueOn: dayjs().add(7, 'day') }}>
        <Form.Item
          name="dueOn"
          label="整改期限"
          extra="下达之日起 7 至 11 天"
          rules={[{ required: true, message: '请选择整改期限' }]}
        >
          <DatePicker />
        </Form.Item>
        <Form.Item name="requirement" label="整改要求" extra="留空则按检查发现的问题自动生成">
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ReportModal({
  tenantId,
  roundId,
  forTenant,
  onClose,
}: {
  tenantId: string;
  roundId: string;
  forTenant: string;
  onClose: () => void;
}) {
  const { data, error } = useGql<{ govRoundReport: Report }>(REPORT, { tenantId, roundId, forTenant });
  const r = data?.govRoundReport;
  return (
    <Modal
      open
      width={760}
      title={r?.title ?? '通报'}
      onCancel={onClose}
      footer={
        r ? (
          <Space>
            <Button
              onClick={() => saveFile(`\uFEFF${r.text}`, `${r.title}.txt`, 'text/plain;charset=utf-8')}
              data-testid="report-export-text"
            >
              导出文本
            </Button>
            <Button
              onClick={() =>
                saveFile(
                  `<!doctype html><meta charset="utf-8"><title>${r.title}</title>${r.html}`,
                  `${r.title}.html`,
                  'text/html;charset=utf-8',
                )
              }
              data-testid="report-export-html"
            >
              导出 HTML
            </Button>
            <Button type="primary" onClick={onClose}>
              关闭
            </Button>
          </Space>
        ) : null
      }
    >
      <ErrorBox error={error} />
      {r ? (
        <div
          data-testid="report-text"
          style={{
            whiteSpace: 'pre-wrap',
            fontFamily: 'FangSong, STFangsong, serif',
            fontSize: 15,
            lineHeight: 1.9,
            maxHeight: 560,
            overflow: 'auto',
            padding: '8px 16px',
            background: '#fffdf7',
            border: '1px solid #f0e6d2',
          }}
        >
          {r.text}
        </div>
      ) : (
        <Card loading bordered={false} />
      )}
    </Modal>
  );
}

function Orders({ tenantId, can }: { tenantId: string; can: Caps }) {
  const { message } = App.useApp();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const { data, error, loading, reload } = useGql<{ govFixOrders: Order[] }>(ORDERS, { tenantId, overdueOnly });
  const [rechecking, setRechecking] = useState<Order | null>(null);
  const [note, setNote] = useState('');
  const orders = data?.govFixOrders ?? [];
  const late = orders.filter((o) => o.overdue).length;
  const recheck = async (fixed: boolean) => {
    if (!rechecking) return;
    try {
      await gql(RECHECK, { tenantId, id: rechecking.id, fixed, note });
      message.success(fixed ? '已复查销号' : '已记录复查结果');
      setRechecking(null);
      setNote('');
      reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Card
      title="整改通知"
      extra={
        <Radio.Group
          value={overdueOnly}
          onChange={(e) => setOverdueOnly(e.target.value as boolean)}
          optionType="button"
          data-testid="orders-filter"
        >
          <Radio value={false}>全部</Radio>
          <Radio value={true}>已逾期</Radio>
        </Radio.Group>
      }
    >
      {late > 0 && !overdueOnly ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`本单位及下级单位有 ${late} 条整改通知已逾期`}
        />
      ) : null}
      <ErrorBox error={error} />
      <Table<Order>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={orders}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        data-testid="orders"
        columns={[
          { title: '责任单位', dataIndex: 'tenantName', width: 110 },
          { title: '账号', key: 'account', render: (_, o) => `${PLATFORM[o.platform]}“${o.accountName}”` },
          { title: '所属检查', dataIndex: 'roundTitle' },
          { title: '整改要求', dataIndex: 'requirement' },
          { title: '下达', dataIndex: 'issuedOn', width: 110 },
          { title: '期限', dataIndex: 'dueOn', width: 110 },
          {
            title: '状态',
            key: 'status',
            width: 120,
            render: (_, o) =>
              o.status === 'CLOSED' ? (
                <Tag color="green">已销号</Tag>
              ) : o.overdue ? (
                <Tag color="red">逾期 {o.overdueDays} 天</Tag>
              ) : (
                <Tag color="processing">整改中</Tag>
              ),
          },
          {
            title: '复查',
            key: 'rechecks',
            width: 160,
            render: (_, o) => (o.rechecks ? `${o.rechecks} 次${o.recheckNote ? `：${o.recheckNote}` : ''}` : '—'),
          },
          ...(can.inspect
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  width: 90,
                  render: (_: unknown, o: Order) =>
                    o.status === 'OPEN' && o.roundTenantId === tenantId ? (
                      <Button size="small" onClick={() => setRechecking(o)}>
                        复查
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {rechecking ? (
        <Modal
          open
          title={`复查：${rechecking.accountName}`}
          onCancel={() => setRechecking(null)}
          footer={
            <Space>
              <Button onClick={() => void recheck(false)}>未整改到位</Button>
              <Button type="primary" onClick={() => void recheck(true)}>
                整改到位，销号
              </Button>
            </Space>
          }
        >
          <Input.TextArea
            rows={3}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="复查说明"
            maxLength={1000}
          />
        </Modal>
      ) : null}
    </Card>
  );
}

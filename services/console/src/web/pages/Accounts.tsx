/** @jsxImportSource react */
// 政务新媒体台账 (schema/accounts.graphql): the registry of a tenant's and its subtree's government
// new-media accounts, with health badges and the duplicate flag; the account form; import with its
// per-row report; export; the thresholds (a province's or city's to set, read-only elsewhere).
import {
  App,
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type * as S from '@yiduan/schema';
import { errorText, gql, saveBlob } from '../api.js';
import { ErrorBox, Forbidden, ReadOnlyNote, useDialog, useGql, useSave } from '../hooks.js';
import { fmtTime } from '../labels.js';
import { useSession } from '../session.js';
import { navigate } from '../router.js';
import type { Sel, Wire } from '../types.js';

type Platform = Wire<S.GovAccount['platform']>;
type Health = Wire<NonNullable<S.GovAccount['health']>>;
type AccountStatus = Wire<S.GovAccount['status']>;
type Operation = Wire<S.GovAccount['operation']>;
type Account = Sel<
  S.GovAccount,
  | 'id'
  | 'unitId'
  | 'unitName'
  | 'platform'
  | 'name'
  | 'handle'
  | 'verifiedSubject'
  | 'sponsor'
  | 'supervisor'
  | 'filingNo'
  | 'operation'
  | 'contractStart'
  | 'contractEnd'
  | 'reviewers'
  | 'status'
  | 'note'
  | 'lastUpdatedAt'
  | 'followers'
  | 'posts'
  | 'reads'
  | 'silentDays'
  | 'health'
  | 'duplicate'
  | 'activitySource'
  | 'feedUrl'
  | 'feedError'
> & {
  tenant: Sel<S.Tenant, 'id' | 'name'>;
  operator: Sel<S.Organisation, 'id' | 'name' | 'validUntil' | 'valid'> | null;
};
type Counts = Sel<
  S.GovAccountCounts,
  'total' | 'ok' | 'warn' | 'fail' | 'zombie' | 'unknown' | 'duplicate' | 'retired'
>;
type Report = Sel<S.GovImportReport, 'rows' | 'created' | 'updated' | 'dryRun'> & {
  problems: Sel<S.GovImportProblem, 'row' | 'reason'>[];
};
type Caps = Sel<S.GovAccountCapabilities, 'read' | 'manage' | 'editThresholds'>;
type Values = Sel<S.GovThresholdValues, 'warnDays' | 'failDays' | 'zombieDays'>;
type Setting = Sel<S.GovThresholdSetting, 'warnDays' | 'failDays' | 'zombieDays'> & {
  tenant: Sel<S.Tenant, 'id' | 'name'>;
};

export const PLATFORM: Record<Platform, string> = {
  WECHAT: '微信公众号',
  WEIBO: '微博',
  DOUYIN: '抖音',
  KUAISHOU: '快手',
  TOUTIAO: '今日头条',
  BILIBILI: '哔哩哔哩',
  APP: '客户端',
  WEBSITE: '网站',
  OTHER: '其他',
};
export const HEALTH: Record<Health, string> = {
  OK: '正常',
  WARN: '预警',
  FAIL: '不合格',
  ZOMBIE: '僵尸',
  UNKNOWN: '未填报',
};
const HEALTH_COLOR: Record<Health, string> = {
  OK: 'green',
  WARN: 'orange',
  FAIL: 'red',
  ZOMBIE: 'magenta',
  UNKNOWN: 'default',
};
export const ACCOUNT_STATUS: Record<AccountStatus, string> = {
  ACTIVE: '正常',
  CLOSING: '关停中',
  CLOSED: '已注销',
  MERGED: '已合并',
};
const OPERATION: Record<Operation, string> = { SELF: '自主运营', OPERATOR: '代运营' };
/** the account 申请关停/合并 hands over to the closures screen (pages/AccountClosures.tsx) */
export const CLOSURE_ACCOUNT_KEY = 'yd:closure-account';
const options = <K extends string>(r: Record<K, string>) =>
  (Object.entries(r) as [K, string][]).map(([value, label]) => ({ value, label }));

const ACCOUNT_FIELDS = `id unitId unitName platform name handle verifiedSubject sponsor supervisor filingNo operation contractStart contractEnd reviewers status note
  lastUpdatedAt followers posts reads silentDays health duplicate activitySource feedUrl feedError tenant { id name } operator { id name validUntil valid }`;
const LIST = `query GovAccounts($tenantId: ID!, $filter: GovAccountFilter, $first: Int, $offset: Int) {
  govAccounts(tenantId: $tenantId, filter: $filter, first: $first, offset: $offset) { total items { ${ACCOUNT_FIELDS} } }
  govAccountCounts(tenantId: $tenantId) { total ok warn fail zombie unknown duplicate retired }
}`;
const CAPS = `query GovAccountCapabilities($tenantId: ID!) { govAccountCapabilities(tenantId: $tenantId) { read manage editThresholds } }`;
const UNITS_AND_OPERATORS = `query GovAccountFormData($tenantId: ID!) {
  tenant(id: $tenantId) { id units { id name status } }
  govAccountOperators(tenantId: $tenantId) { id name licenceNo validUntil valid }
}`;
const CREATE = `mutation CreateGovAccount($tenantId: ID!, $input: GovAccountInput!) { createGovAccount(tenantId: $tenantId, input: $input) { id } }`;
const UPDATE = `mutation UpdateGovAccount($tenantId: ID!, $id: ID!, $input: GovAccountPatch!) { updateGovAccount(tenantId: $tenantId, id: $id, input: $input) { id } }`;
const RETIRE = `mutation RetireGovAccount($tenantId: ID!, $id: ID!, $status: GovAccountStatus!, $note: String) { retireGovAccount(tenantId: $tenantId, id: $id, status: $status, note: $note) { id } }`;
const ACTIVITY = `mutation RecordGovAccountActivity($tenantId: ID!, $id: ID!, $input: GovActivityInput!) { recordGovAccountActivity(tenantId: $tenantId, id: $id, input: $input) { id } }`;
const IMPORT = `mutation ImportGovAccounts($tenantId: ID!, $file: String, $dryRun: Boolean, $updateExisting: Boolean) {
  importGovAccounts(tenantId: $tenantId, file: $file, dryRun: $dryRun, updateExisting: $updateExisting) { rows created updated dryRun problems { row reason } }
}`;
const TEMPLATE = `query GovAccountTemplate { govAccountTemplate }`;
const TEMPLATE_XLSX = `query GovAccountTemplateXlsx { govAccountTemplateXlsx }`;
const EXPORT = `query GovAccountExport($tenantId: ID!, $filter: GovAccountFilter) { govAccountExport(tenantId: $tenantId, filter: $filter) }`;
const EXPORT_XLSX = `query GovAccountExportXlsx($tenantId: ID!, $filter: GovAccountFilter) { govAccountExportXlsx(tenantId: $tenantId, filter: $filter) }`;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const THRESHOLDS = `query GovAccountThresholds($tenantId: ID!) {
  govAccountThresholds(tenantId: $tenantId) { effective { warnDays failDays zombieDays } own { warnDays failDays zombieDays tenant { id name } } inherited { warnDays failDays zombieDays tenant { id name } } }
}`;
const SET_THRESHOLDS = `mutation SetGovAccountThresholds($tenantId: ID!, $input: GovThresholdsInput) {
  setGovAccountThresholds(tenantId: $tenantId, input: $input) { effective { warnDays failDays zombieDays } }
}`;

/** Saves text as a file the browser downloads (the CSV already carries its byte-order mark). */
function saveText(text: string, name: string): void {
  saveBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), name);
}

/** Saves an Excel workbook the API sent in base64. */
function saveXlsx(base64: string, name: string): void {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  saveBlob(new Blob([bytes], { type: XLSX_TYPE }), name);
}

/** A file's bytes in base64: the API reads an .xlsx workbook, or CSV in UTF-8 or GBK, as Excel saved them. */
async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** One of the registry's filters: a clearable choice among named values. */
function FilterSelect<K extends string>({
  placeholder,
  width = 120,
  value,
  names,
  onChange,
  testId,
}: {
  placeholder: string;
  width?: number;
  value: K | undefined;
  names: Record<K, string>;
  onChange: (v: K | undefined) => void;
  testId?: string;
}) {
  return (
    <Select
      allowClear
      placeholder={placeholder}
      style={{ width }}
      value={value}
      options={options(names)}
      onChange={(v?: K) => onChange(v)}
      data-testid={testId}
    />
  );
}

interface Filter {
  platform?: Platform;
  health?: Health;
  status?: AccountStatus;
  duplicate?: boolean;
  search?: string;
}

export function GovAccountsPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const caps = useGql<{ govAccountCapabilities: Caps }>(CAPS, { tenantId });
  const can = caps.data?.govAccountCapabilities;
  if (caps.error) return <ErrorBox error={caps.error} />;
  if (!can) return <Card loading />;
  if (!can.read)
    return <Forbidden title="您在当前单位没有查看政务新媒体台账的权限" subTitle="编辑、审核、总编辑和管理员可以查看" />;
  return (
    <Tabs
      items={[
        { key: 'registry', label: '账号台账', children: <Registry tenantId={tenantId} can={can} /> },
        { key: 'thresholds', label: '更新时限', children: <Thresholds tenantId={tenantId} can={can} /> },
        { key: 'own', label: '本平台门户与政务号', children: <OwnChannels tenantId={tenantId} /> },
      ]}
    />
  );
}

function Registry({ tenantId, can }: { tenantId: string; can: Caps }) {
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const pageSize = 20;
  const { data, error, loading, reload } = useGql<{
    govAccounts: { total: number; items: Account[] };
    govAccountCounts: Counts;
  }>(LIST, {
    tenantId,
    filter,
    first: pageSize,
    offset: (page - 1) * pageSize,
  });
  const editing = useDialog<Account | 'new'>(reload);
  const activity = useDialog<Account>(reload);
  const retiring = useDialog<Account>(reload);
  const importing = useDialog<true>(reload);
  const set = (f: Filter) => {
    setFilter(f);
    setPage(1);
  };
  const exportCsv = async () => {
    try {
      const r = await gql<{ govAccountExport: string }>(EXPORT, { tenantId, filter });
      saveText(r.govAccountExport, '政务新媒体台账.csv');
      message.success('已导出');
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const exportXlsx = async () => {
    try {
      const r = await gql<{ govAccountExportXlsx: string }>(EXPORT_XLSX, { tenantId, filter });
      saveXlsx(r.govAccountExportXlsx, '政务新媒体台账.xlsx');
      message.success('已导出');
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const c = data?.govAccountCounts;
  const mine = (a: Account) => can.manage && a.tenant.id === tenantId;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      {c ? (
        <Card size="small">
          <Space wrap size={32} data-testid="gov-counts">
            <Statistic title="在册账号" value={c.total - c.retired} />
            <Statistic title="正常" value={c.ok} valueStyle={{ color: '#389e0d' }} />
            <Statistic title="预警" value={c.warn} valueStyle={{ color: '#d48806' }} />
            <Statistic title="不合格" value={c.fail} valueStyle={{ color: '#cf1322' }} />
            <Statistic title="僵尸" value={c.zombie} valueStyle={{ color: '#c41d7f' }} />
            <Statistic title="未填报" value={c.unknown} />
            <Statistic title="疑似重复" value={c.duplicate} />
            <Statistic title="已注销/合并" value={c.retired} />
          </Space>
        </Card>
      ) : null}
      <Card
        title="政务新媒体台账"
        extra={
          <Space wrap>
            {can.manage ? (
              <>
                <Button type="primary" onClick={() => editing.open('new')} data-testid="gov-new">
                  新增账号
                </Button>
                <Button onClick={() => importing.open(true)} data-testid="gov-import">
                  批量导入
                </Button>
              </>
            ) : null}
            <Button onClick={() => void exportXlsx()} data-testid="gov-export-xlsx">
              导出 Excel
            </Button>
            <Button onClick={() => void exportCsv()} data-testid="gov-export">
              导出 CSV
            </Button>
          </Space>
        }
      >
        {!can.manage ? (
          <ReadOnlyNote text="您可以查看本单位及下级单位的台账；登记和修改由本单位管理员或总编辑进行" />
        ) : null}
        <Space wrap style={{ marginBottom: 12 }}>
          <FilterSelect
            placeholder="平台"
            width={130}
            value={filter.platform}
            names={PLATFORM}
            onChange={(platform) => set({ ...filter, platform })}
            testId="gov-filter-platform"
          />
          <FilterSelect
            placeholder="健康状况"
            value={filter.health}
            names={HEALTH}
            onChange={(health) => set({ ...filter, health })}
            testId="gov-filter-health"
          />
          <FilterSelect
            placeholder="账号状态"
            value={filter.status}
            names={ACCOUNT_STATUS}
            onChange={(status) => set({ ...filter, status })}
          />
          <Checkbox
            checked={filter.duplicate === true}
            onChange={(e) => set({ ...filter, duplicate: e.target.checked ? true : undefined })}
            data-testid="gov-filter-duplicate"
          >
            只看疑似重复
          </Checkbox>
          <Input.Search
            allowClear
            placeholder="名称、账号ID、主办单位"
            style={{ width: 240 }}
            onSearch={(v) => set({ ...filter, search: v.trim() || undefined })}
          />
        </Space>
        <ErrorBox error={error} />
        <Table<Account>
          size="small"
          rowKey="id"
          loading={loading}
          scroll={{ x: 1400 }}
          dataSource={data?.govAccounts.items ?? []}
          pagination={{
            current: page,
            pageSize,
            total: data?.govAccounts.total ?? 0,
            showSizeChanger: false,
            onChange: setPage,
            showTotal: (n) => `共 ${n} 个账号`,
          }}
          columns={[
            { title: '单位', key: 'tenant', width: 110, render: (_, a) => a.tenant.name },
            { title: '平台', key: 'platform', width: 100, render: (_, a) => PLATFORM[a.platform] },
            {
              title: '账号',
              key: 'name',
              width: 230,
              render: (_, a) => (
                <Space direction="vertical" size={0}>
                  <Typography.Text strong>{a.name}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                    {a.handle}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: '健康',
              key: 'health',
              width: 130,
              render: (_, a) => (
                <Space size={4} wrap>
                  {a.health ? (
                    <Tag color={HEALTH_COLOR[a.health]} data-testid="health">
                      {HEALTH[a.health]}
                    </Tag>
                  ) : null}
                  {a.duplicate ? (
                    <Tooltip title="同一单位在同一平台还有其他在用账号">
                      <Tag color="gold" data-testid="duplicate">
                        疑似重复
                      </Tag>
                    </Tooltip>
                  ) : null}
                </Space>
              ),
            },
            {
              title: '最近更新',
              key: 'updated',
              width: 150,
              render: (_, a) => (
                <Space direction="vertical" size={0}>
                  {a.lastUpdatedAt ? (
                    <Tooltip title={fmtTime(a.lastUpdatedAt)}>
                      {a.silentDays === 0 ? '今天' : `${a.silentDays} 天前`}
                    </Tooltip>
                  ) : (
                    '—'
                  )}
                  {a.activitySource === 'FEED' ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      来自订阅
                    </Typography.Text>
                  ) : null}
                  {a.feedError ? (
                    <Tooltip title={a.feedError}>
                      <Tag color="orange">订阅读取失败</Tag>
                    </Tooltip>
                  ) : null}
                </Space>
              ),
            },
            { title: '主办单位', key: 'sponsor', width: 150, render: (_, a) => a.unitName ?? (a.sponsor || '—') },
            {
              title: '运营',
              key: 'operation',
              width: 180,
              render: (_, a) =>
                a.operation === 'SELF' ? (
                  '自主运营'
                ) : (
                  <Space direction="vertical" size={0}>
                    <span>代运营：{a.operator?.name ?? '—'}</span>
                    {a.operator && !a.operator.valid ? (
                      <Tag color="red" data-testid="operator-expired">
                        资质已过期（{a.operator.validUntil}）
                      </Tag>
                    ) : null}
                    {a.contractEnd ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        合同至 {a.contractEnd}
                      </Typography.Text>
                    ) : null}
                  </Space>
                ),
            },
            {
              title: '粉丝 / 发文 / 阅读',
              key: 'figures',
              width: 170,
              render: (_, a) =>
                [a.followers, a.posts, a.reads]
                  .map((n) => (n === null || n === undefined ? '—' : n.toLocaleString('zh-CN')))
                  .join(' / '),
            },
            {
              title: '状态',
              key: 'status',
              width: 80,
              render: (_, a) => (a.status === 'ACTIVE' ? '正常' : <Tag>{ACCOUNT_STATUS[a.status]}</Tag>),
            },
            {
              title: '操作',
              key: 'actions',
              width: 200,
              fixed: 'right',
              render: (_, a) =>
                mine(a) && a.status !== 'CLOSED' && a.status !== 'MERGED' ? (
                  <Space size={0} wrap>
                    <Button type="link" size="small" onClick={() => editing.open(a)}>
                      编辑
                    </Button>
                    <Button type="link" size="small" onClick={() => activity.open(a)}>
                      录入更新
                    </Button>
                    <Button type="link" size="small" danger onClick={() => retiring.open(a)}>
                      关停/注销
                    </Button>
                    {a.status === 'ACTIVE' ? (
                      <Button
                        type="link"
                        size="small"
                        onClick={() => {
                          sessionStorage.setItem(CLOSURE_ACCOUNT_KEY, a.id);
                          navigate('/accounts/closures');
                        }}
                        data-testid="gov-propose-closure"
                      >
                        申请关停/合并
                      </Button>
                    ) : null}
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
      {editing.subject ? (
        <AccountForm
          tenantId={tenantId}
          account={editing.subject === 'new' ? null : editing.subject}
          onClose={editing.close}
        />
      ) : null}
      {activity.subject ? (
        <ActivityForm tenantId={tenantId} account={activity.subject} onClose={activity.close} />
      ) : null}
      {retiring.subject ? <RetireForm tenantId={tenantId} account={retiring.subject} onClose={retiring.close} /> : null}
      {importing.subject ? <ImportDialog tenantId={tenantId} onClose={importing.close} /> : null}
    </Space>
  );
}

interface FormValues {
  platform: Platform;
  name: string;
  handle: string;
  unitId?: string;
  verifiedSubject?: string;
  sponsor?: string;
  supervisor?: string;
  filingNo?: string;
  operation: Operation;
  operatorId?: string;
  contract?: [Dayjs | null, Dayjs | null] | null;
  reviewers?: string[];
  note?: string;
  feedUrl?: string;
}

function AccountForm({
  tenantId,
  account,
  onClose,
}: {
  tenantId: string;
  account: Account | null;
  onClose: (saved: boolean) => void;
}) {
  const [form] = Form.useForm<FormValues>();
  const { saving, error, save: run } = useSave(onClose);
  const lists = useGql<{
    tenant: { units: { id: string; name: string; status: string }[] } | null;
    govAccountOperators: { id: string; name: string; licenceNo: string; validUntil: string; valid: boolean }[];
  }>(UNITS_AND_OPERATORS, { tenantId });
  const operation = Form.useWatch('operation', form);
  const save = async (v: FormValues) => {
    const input = {
      platform: v.platform,
      name: v.name,
      handle: v.handle,
      unitId: v.unitId ?? null,
      verifiedSubject: v.verifiedSubject ?? '',
      sponsor: v.sponsor ?? '',
      supervisor: v.supervisor ?? '',
      filingNo: v.filingNo ?? '',
      operation: v.operation,
      operatorId: v.operation === 'OPERATOR' ? (v.operatorId ?? null) : null,
      contractStart: v.contract?.[0]?.format('YYYY-MM-DD') ?? null,
      contractEnd: v.contract?.[1]?.format('YYYY-MM-DD') ?? null,
      reviewers: v.reviewers ?? [],
      note: v.note ?? '',
      feedUrl: v.feedUrl?.trim() || null,
    };
    await run(
      () => (account ? gql(UPDATE, { tenantId, id: account.id, input }) : gql(CREATE, { tenantId, input })),
      account ? '已保存' : '已登记',
    );
  };
  const initial: Partial<FormValues> = account
    ? {
        platform: account.platform,
        name: account.name,
        handle: account.handle,
        unitId: account.unitId ?? undefined,
        verifiedSubject: account.verifiedSubject,
        sponsor: account.sponsor,
        supervisor: account.supervisor,
        filingNo: account.filingNo,
        operation: account.operation,
        operatorId: account.operator?.id,
        contract:
          account.contractStart || account.contractEnd
            ? [
                account.contractStart ? dayjs(account.contractStart) : null,
                account.contractEnd ? dayjs(account.contractEnd) : null,
              ]
            : null,
        reviewers: account.reviewers,
        note: account.note,
        feedUrl: account.feedUrl ?? undefined,
      }
    : { operation: 'SELF', platform: 'WECHAT' };
  return (
    <Modal
      open
      title={account ? `编辑账号：${account.name}` : '登记政务新媒体账号'}
      width={720}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      destroyOnClose
    >
      <ErrorBox error={error ?? lists.error} />
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => void save(v)}
        data-testid="gov-form"
      >
        <Space wrap align="start" size={16}>
          <Form.Item name="platform" label="平台" rules={[{ required: true, message: '请选择平台' }]}>
            <Select style={{ width: 160 }} options={options(PLATFORM)} />
          </Form.Item>
          <Form.Item
            name="name"
            label="账号名称"
            rules={[
              { required: true, message: '请填写账号名称' },
              { max: 100, message: '不超过 100 个字' },
            ]}
          >
            <Input style={{ width: 220 }} />
          </Form.Item>
          <Form.Item
            name="handle"
            label="账号ID或网址"
            rules={[
              { required: true, message: '请填写账号ID或网址' },
              { max: 300, message: '不超过 300 个字符' },
            ]}
          >
            <Input style={{ width: 240 }} />
          </Form.Item>
        </Space>
        <Space wrap align="start" size={16}>
          <Form.Item name="unitId" label="所属政务号">
            <Select
              allowClear
              style={{ width: 200 }}
              placeholder="（不属于某个政务号）"
              options={(lists.data?.tenant?.units ?? [])
                .filter((u) => u.status !== 'CLOSED')
                .map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
          <Form.Item name="verifiedSubject" label="认证主体">
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="filingNo" label="备案号">
            <Input style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Space wrap align="start" size={16}>
          <Form.Item name="sponsor" label="主办单位">
            <Input style={{ width: 300 }} />
          </Form.Item>
          <Form.Item name="supervisor" label="主管单位">
            <Input style={{ width: 300 }} />
          </Form.Item>
        </Space>
        <Form.Item name="operation" label="运营方式">
          <Radio.Group options={options(OPERATION)} />
        </Form.Item>
        {operation === 'OPERATOR' ? (
          <Space wrap align="start" size={16}>
            <Form.Item name="operatorId" label="代运营机构" rules={[{ required: true, message: '请选择代运营机构' }]}>
              <Select
                style={{ width: 320 }}
                options={(lists.data?.govAccountOperators ?? []).map((o) => ({
                  value: o.id,
                  label: `${o.name}（资质${o.valid ? '有效' : '已过期'}，至 ${o.validUntil}）`,
                }))}
              />
            </Form.Item>
            <Form.Item name="contract" label="合同期限">
              <DatePicker.RangePicker allowEmpty={[true, true]} />
            </Form.Item>
          </Space>
        ) : null}
        <Form.Item name="reviewers" label="审核人" extra="输入姓名后回车，可填多人">
          <Select mode="tags" tokenSeparators={['、', ',', '，']} open={false} />
        </Form.Item>
        <Form.Item
          name="feedUrl"
          label="订阅地址（RSS、Atom 或 JSON Feed）"
          extra="填写后系统定期读取最近更新时间；没有公开订阅的账号请手工录入或批量导入"
        >
          <Input placeholder="https://…" />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ActivityForm({
  tenantId,
  account,
  onClose,
}: {
  tenantId: string;
  account: Account;
  onClose: (saved: boolean) => void;
}) {
  const [at, setAt] = useState<Dayjs | null>(account.lastUpdatedAt ? dayjs(account.lastUpdatedAt) : null);
  const [figures, setFigures] = useState({ followers: account.followers, posts: account.posts, reads: account.reads });
  const { error, save: run } = useSave(onClose);
  const save = () =>
    run(
      () =>
        gql(ACTIVITY, {
          tenantId,
          id: account.id,
          input: { lastUpdatedAt: at ? at.toISOString() : null, ...figures },
        }),
      '已录入',
    );
  return (
    <Modal
      open
      title={`录入更新情况：${account.name}`}
      onCancel={() => onClose(false)}
      onOk={() => void save()}
      okText="保存"
      cancelText="取消"
    >
      <ErrorBox error={error} />
      <Form layout="vertical">
        <Form.Item label="最近一次更新时间">
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            value={at}
            onChange={setAt}
            disabledDate={(d) => d.isAfter(dayjs())}
          />
        </Form.Item>
        <Space wrap>
          {(['followers', 'posts', 'reads'] as const).map((k) => (
            <Form.Item key={k} label={{ followers: '粉丝数', posts: '发文数', reads: '阅读量' }[k]}>
              <InputNumber
                min={0}
                precision={0}
                value={figures[k]}
                onChange={(v) => setFigures({ ...figures, [k]: v ?? null })}
                style={{ width: 140 }}
              />
            </Form.Item>
          ))}
        </Space>
        <Typography.Text type="secondary">粉丝、发文、阅读数只做展示，不参与考核评分。</Typography.Text>
      </Form>
    </Modal>
  );
}

function RetireForm({
  tenantId,
  account,
  onClose,
}: {
  tenantId: string;
  account: Account;
  onClose: (saved: boolean) => void;
}) {
  const [status, setStatus] = useState<'CLOSING' | 'CLOSED' | 'MERGED'>('CLOSING');
  const [note, setNote] = useState('');
  const { error, save: run } = useSave(onClose);
  const save = () => run(() => gql(RETIRE, { tenantId, id: account.id, status, note }), '已更新账号状态');
  return (
    <Modal
      open
      title={`关停、注销或合并：${account.name}`}
      onCancel={() => onClose(false)}
      onOk={() => void save()}
      okText="确定"
      cancelText="取消"
      okButtonProps={{ danger: true }}
    >
      <ErrorBox error={error} />
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group
          value={status}
          onChange={(e) => setStatus(e.target.value as typeof status)}
          options={[
            { value: 'CLOSING', label: '关停中' },
            { value: 'CLOSED', label: '已注销' },
            { value: 'MERGED', label: '已合并' },
          ]}
        />
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder="说明（如：并入县融媒体中心客户端“政务”频道）"
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <Typography.Text type="secondary">已注销、已合并的账号保留在台账中备查，不再参与检查。</Typography.Text>
      </Space>
    </Modal>
  );
}

function ImportDialog({ tenantId, onClose }: { tenantId: string; onClose: (changed: boolean) => void }) {
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [updateExisting, setUpdateExisting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);
  const template = async (kind: 'xlsx' | 'csv') => {
    try {
      if (kind === 'xlsx')
        saveXlsx(
          (await gql<{ govAccountTemplateXlsx: string }>(TEMPLATE_XLSX)).govAccountTemplateXlsx,
          '政务新媒体台账导入模板.xlsx',
        );
      else
        saveText(
          (await gql<{ govAccountTemplate: string }>(TEMPLATE)).govAccountTemplate,
          '政务新媒体台账导入模板.csv',
        );
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const run = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      if (file.size > 700 * 1024) throw new Error('文件过大：一次最多导入约 700 KB（约 5000 行），请分批导入');
      const r = (
        await gql<{ importGovAccounts: Report }>(IMPORT, {
          tenantId,
          file: await base64Of(file),
          dryRun,
          updateExisting,
        })
      ).importGovAccounts;
      setReport(r);
      if (!r.dryRun && r.created + r.updated > 0) setChanged(true);
    } catch (err) {
      setError(err instanceof Error && /[\u4e00-\u9fff]/.test(err.message) ? err.message : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title="批量导入台账"
      width={760}
      onCancel={() => onClose(changed)}
      footer={<Button onClick={() => onClose(changed)}>关闭</Button>}
      destroyOnClose
    >
      <Space direction="vertical" style={{ width: '100%' }} size={12} data-testid="gov-import-dialog">
        <Alert
          type="info"
          showIcon
          message="请使用模板填写（Excel .xlsx 或 CSV，读取第一个工作表）：平台、账号名称、账号ID或网址为必填；错误的行会列出行号和原因并跳过，其余行一并导入。"
        />
        <Space wrap>
          <Button size="small" onClick={() => void template('xlsx')} data-testid="gov-template-xlsx">
            下载模板（Excel）
          </Button>
          <Button size="small" onClick={() => void template('csv')} data-testid="gov-template">
            下载模板（CSV）
          </Button>
        </Space>
        <Upload
          accept={`.xlsx,.csv,text/csv,${XLSX_TYPE}`}
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setReport(null);
            return false;
          }}
          onRemove={() => setFile(null)}
        >
          <Button data-testid="gov-import-file">选择文件</Button>
        </Upload>
        <Space wrap>
          <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>
            仅检查，不写入
          </Checkbox>
          <Checkbox checked={updateExisting} onChange={(e) => setUpdateExisting(e.target.checked)}>
            更新已登记的账号
          </Checkbox>
          <Button
            type="primary"
            disabled={!file}
            loading={busy}
            onClick={() => void run()}
            data-testid="gov-import-run"
          >
            开始导入
          </Button>
        </Space>
        <ErrorBox error={error} />
        {report ? (
          <div data-testid="gov-import-report">
            <Descriptions size="small" bordered column={4} style={{ marginBottom: 12 }}>
              <Descriptions.Item label="数据行">{report.rows}</Descriptions.Item>
              <Descriptions.Item label={report.dryRun ? '可新增' : '新增'}>{report.created}</Descriptions.Item>
              <Descriptions.Item label={report.dryRun ? '可更新' : '更新'}>{report.updated}</Descriptions.Item>
              <Descriptions.Item label="有问题的行">
                <Typography.Text type={report.problems.length ? 'danger' : undefined}>
                  {report.problems.length}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
            {report.problems.length ? (
              <Table
                size="small"
                rowKey="row"
                pagination={false}
                scroll={{ y: 240 }}
                dataSource={report.problems}
                columns={[
                  { title: '行号', dataIndex: 'row', width: 70 },
                  { title: '原因', dataIndex: 'reason' },
                ]}
              />
            ) : (
              <Alert type="success" showIcon message={report.dryRun ? '检查通过，没有发现问题' : '全部导入成功'} />
            )}
          </div>
        ) : null}
      </Space>
    </Modal>
  );
}

function Thresholds({ tenantId, can }: { tenantId: string; can: Caps }) {
  const { message } = App.useApp();
  const { data, error, reload } = useGql<{
    govAccountThresholds: { effective: Values; own: Setting | null; inherited: Setting[] };
  }>(THRESHOLDS, { tenantId });
  const [edit, setEdit] = useState<Partial<Values>>({});
  const t = data?.govAccountThresholds;
  const save = async (clear = false) => {
    try {
      const own = t?.own;
      const input = clear
        ? null
        : {
            warnDays: edit.warnDays ?? own?.warnDays ?? null,
            failDays: edit.failDays ?? own?.failDays ?? null,
            zombieDays: edit.zombieDays ?? own?.zombieDays ?? null,
          };
      await gql(SET_THRESHOLDS, { tenantId, input });
      message.success(clear ? '已恢复为上级规定' : '已保存');
      setEdit({});
      reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const show = (s: Setting | null | undefined, k: keyof Values) => (s?.[k] ? `${s[k]} 天` : '—');
  /** the days of one threshold as this tenant sets them (its own setting until edited) */
  const days = (k: keyof Values, max: number, testId: string) => (
    <InputNumber
      min={1}
      max={max}
      value={edit[k] ?? t?.own?.[k] ?? undefined}
      onChange={(v) => setEdit({ ...edit, [k]: v ?? undefined })}
      style={{ width: 80 }}
      data-testid={testId}
    />
  );
  return (
    <Card title="更新时限（单项否决与僵尸号认定）">
      <ErrorBox error={error} />
      <Typography.Paragraph>
        按国办秘函〔2019〕19号检查指标，检查前两周内未更新的账号单项否决（不合格）；连续三个月未更新的账号认定为僵尸号，应予清理。省级设定的时限适用于全省，市级可为所辖县区规定得更严格，不能更宽松。
      </Typography.Paragraph>
      {!can.editThresholds ? <ReadOnlyNote text="更新时限由省级或市级设定，本单位按下表执行" /> : null}
      {t ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions bordered size="small" column={3} title="本单位执行" data-testid="gov-thresholds">
            <Descriptions.Item label="预警">{t.effective.warnDays} 天未更新</Descriptions.Item>
            <Descriptions.Item label="不合格">{t.effective.failDays} 天未更新</Descriptions.Item>
            <Descriptions.Item label="僵尸号">{t.effective.zombieDays} 天未更新</Descriptions.Item>
          </Descriptions>
          <Table<Setting>
            size="small"
            rowKey={(s) => s.tenant.id}
            pagination={false}
            dataSource={[...(t.own ? [t.own] : []), ...t.inherited]}
            locale={{ emptyText: '上级和本单位均未设定，执行默认时限（7 / 14 / 90 天）' }}
            columns={[
              { title: '设定单位', key: 't', render: (_, s) => s.tenant.name },
              { title: '预警', key: 'w', render: (_, s) => show(s, 'warnDays') },
              { title: '不合格', key: 'f', render: (_, s) => show(s, 'failDays') },
              { title: '僵尸号', key: 'z', render: (_, s) => show(s, 'zombieDays') },
            ]}
          />
          {can.editThresholds ? (
            <Space wrap>
              <Typography.Text>本单位设定：预警</Typography.Text>
              {days('warnDays', 365, 'th-warn')}
              <Typography.Text>天，不合格</Typography.Text>
              {days('failDays', 365, 'th-fail')}
              <Typography.Text>天，僵尸号</Typography.Text>
              {days('zombieDays', 730, 'th-zombie')}
              <Typography.Text>天</Typography.Text>
              <Button
                type="primary"
                onClick={() => void save()}
                disabled={Object.keys(edit).length === 0}
                data-testid="th-save"
              >
                保存
              </Button>
              {t.own ? <Button onClick={() => void save(true)}>清除本单位设定</Button> : null}
            </Space>
          ) : null}
        </Space>
      ) : (
        <Card loading bordered={false} />
      )}
    </Card>
  );
}

type OwnChannel = Sel<
  S.GovOwnChannel,
  'tenantId' | 'tenantName' | 'unitId' | 'name' | 'lastPublishedAt' | 'silentDays'
> & {
  health: Health;
  thresholds: Values;
};
const OWN_CHANNELS = `query GovOwnChannels($tenantId: ID!) {
  govOwnChannels(tenantId: $tenantId) { tenantId tenantName unitId name lastPublishedAt silentDays health thresholds { warnDays failDays zombieDays } }
}`;

/** The platform's own faces and units (政务号) judged by the same thresholds as the registry, from their own publications. */
function OwnChannels({ tenantId }: { tenantId: string }) {
  const { data, error, loading } = useGql<{ govOwnChannels: OwnChannel[] }>(OWN_CHANNELS, { tenantId });
  const rows = data?.govOwnChannels ?? [];
  return (
    <Card size="small" data-testid="gov-own-channels">
      <Typography.Paragraph type="secondary">
        本平台上各单位门户和政务号按与台账相同的更新时限判定：以其在本平台最近一次发布的时间计算未更新天数（从未发布的自开通之日起算）。
      </Typography.Paragraph>
      <ErrorBox error={error} />
      <Table
        size="small"
        rowKey={(c: OwnChannel) => `${c.tenantId}/${c.unitId ?? ''}`}
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: '单位', dataIndex: 'tenantName' },
          {
            title: '名称',
            render: (_, c: OwnChannel) => (
              <Space>
                <Tag>{c.unitId ? '政务号' : '门户'}</Tag>
                {c.name}
              </Space>
            ),
          },
          {
            title: '状况',
            render: (_, c: OwnChannel) => <Tag color={HEALTH_COLOR[c.health]}>{HEALTH[c.health]}</Tag>,
          },
          {
            title: '最近发布',
            render: (_, c: OwnChannel) => (c.lastPublishedAt ? fmtTime(c.lastPublishedAt) : '从未发布'),
          },
          { title: '未更新', render: (_, c: OwnChannel) => `${c.silentDays} 天` },
          {
            title: '时限（预警/不合格/僵尸）',
            render: (_, c: OwnChannel) =>
              `${c.thresholds.warnDays} / ${c.thresholds.failDays} / ${c.thresholds.zombieDays} 天`,
          },
        ]}
      />
    </Card>
  );
}

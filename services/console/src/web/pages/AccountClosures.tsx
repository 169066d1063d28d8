/** @jsxImportSource react */
// 关停并转 (schema/account-closures.graphql): proposals to close or merge a government new-media
// account, the parent's decision, the stop-update notice through the review chain, the content moved
// into the face's column with its redirects, 注销 and the filing with its deadline.
import {
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState, type ReactElement } from 'react';
import type * as S from '@yiduan/schema';
import { errorText, gql } from '../api.js';
import { ErrorBox, Forbidden, ReadOnlyNote, useDialog, useGql } from '../hooks.js';
import { fmtTime } from '../labels.js';
import { useSession } from '../session.js';
import type { Sel, Wire } from '../types.js';
import { CLOSURE_ACCOUNT_KEY, PLATFORM } from './Accounts.js';

type Status = Wire<S.GovAccountClosure['status']>;
type Ref = Sel<S.GovClosureAccount, 'id' | 'name' | 'platform' | 'status'>;
type Closure = Sel<
  S.GovAccountClosure,
  | 'id'
  | 'tenantId'
  | 'tenantName'
  | 'unitName'
  | 'kind'
  | 'successorName'
  | 'sectionName'
  | 'reason'
  | 'status'
  | 'statusName'
  | 'proposedByName'
  | 'proposedAt'
  | 'decidedByName'
  | 'deciderTenantName'
  | 'decidedAt'
  | 'decisionNote'
  | 'noticeStoryId'
  | 'noticeDraftedAt'
  | 'noticePublishedAt'
  | 'deregisteredAt'
  | 'deregisteredByName'
  | 'filingDue'
  | 'filedAt'
  | 'filingRef'
  | 'filingOverdue'
  | 'importedItems'
  | 'publishedItems'
  | 'redirects'
> & { account: Ref };
type Caps = Sel<S.GovClosureCapabilities, 'read' | 'manage' | 'decide' | 'publish'>;

const FIELDS = `id tenantId tenantName unitName kind successorName sectionName reason status statusName proposedByName proposedAt decidedByName deciderTenantName decidedAt decisionNote
  noticeStoryId noticeDraftedAt noticePublishedAt deregisteredAt deregisteredByName filingDue filedAt filingRef filingOverdue importedItems publishedItems redirects account { id name platform status }`;
const LIST = `query GovAccountClosures($tenantId: ID!) { govAccountClosures(tenantId: $tenantId, first: 200) { total items { ${FIELDS} } } }`;
const CAPS = `query GovClosureCapabilities($tenantId: ID!) { govAccountClosureCapabilities(tenantId: $tenantId) { read manage decide publish } }`;
const FORM_DATA = `query GovClosureFormData($tenantId: ID!) {
  govAccounts(tenantId: $tenantId, filter: { tenantId: $tenantId, status: ACTIVE }, first: 500) { items { id name platform } }
  tenant(id: $tenantId) { id sections { id name } }
}`;
const PROPOSE = `mutation ProposeGovAccountClosure($tenantId: ID!, $input: GovClosureInput!) { proposeGovAccountClosure(tenantId: $tenantId, input: $input) { id } }`;
const DECIDE = `mutation DecideGovAccountClosure($tenantId: ID!, $id: ID!, $approve: Boolean!, $note: String) { decideGovAccountClosure(tenantId: $tenantId, id: $id, approve: $approve, note: $note) { id } }`;
const WITHDRAW = `mutation WithdrawGovAccountClosure($tenantId: ID!, $id: ID!) { withdrawGovAccountClosure(tenantId: $tenantId, id: $id) { id } }`;
const DRAFT_NOTICE = `mutation DraftGovAccountClosureNotice($tenantId: ID!, $id: ID!) { draftGovAccountClosureNotice(tenantId: $tenantId, id: $id) { id } }`;
const PUBLISH_NOTICE = `mutation PublishGovAccountClosureNotice($tenantId: ID!, $id: ID!) { publishGovAccountClosureNotice(tenantId: $tenantId, id: $id) { id } }`;
const PUBLISH_CONTENT = `mutation PublishGovAccountClosureContent($tenantId: ID!, $id: ID!) { publishGovAccountClosureContent(tenantId: $tenantId, id: $id) { published waiting redirects } }`;
const DEREGISTER = `mutation DeregisterGovAccount($tenantId: ID!, $id: ID!) { deregisterGovAccount(tenantId: $tenantId, id: $id) { id } }`;
const IMPORT = `mutation ImportGovAccountClosureContent($tenantId: ID!, $id: ID!, $text: String, $file: String) { importGovAccountClosureContent(tenantId: $tenantId, id: $id, text: $text, file: $file) { items imported skipped redirectable } }`;
const FILE = `mutation RecordGovAccountClosureFiling($tenantId: ID!, $id: ID!, $reference: String!) { recordGovAccountClosureFiling(tenantId: $tenantId, id: $id, reference: $reference) { id } }`;

const STATUS_COLOR: Record<Status, string> = {
  PROPOSED: 'gold',
  APPROVED: 'blue',
  DECLINED: 'default',
  WITHDRAWN: 'default',
  NOTICED: 'orange',
  DEREGISTERED: 'purple',
  FILED: 'green',
};
const STEP_INDEX: Record<Status, number> = {
  PROPOSED: 1,
  APPROVED: 2,
  DECLINED: 1,
  WITHDRAWN: 0,
  NOTICED: 3,
  DEREGISTERED: 4,
  FILED: 5,
};

async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function AccountClosuresPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const caps = useGql<{ govAccountClosureCapabilities: Caps }>(CAPS, { tenantId });
  const can = caps.data?.govAccountClosureCapabilities;
  if (caps.error) return <ErrorBox error={caps.error} />;
  if (!can) return <Card loading />;
  if (!can.read)
    return <Forbidden title="您在当前单位没有查看关停并转的权限" subTitle="编辑、审核、总编辑和管理员可以查看" />;
  return <Closures tenantId={tenantId} can={can} />;
}

function Closures({ tenantId, can }: { tenantId: string; can: Caps }) {
  const { message, modal } = App.useApp();
  const { data, error, loading, reload } = useGql<{ govAccountClosures: { total: number; items: Closure[] } }>(LIST, {
    tenantId,
  });
  const handed = sessionStorage.getItem(CLOSURE_ACCOUNT_KEY);
  const proposing = useDialog<true>(reload, handed !== null && can.manage ? true : null);
  const importing = useDialog<Closure>(reload);
  const filing = useDialog<Closure>(reload);
  const declining = useDialog<Closure>(reload);
  const filed = filing.subject;
  const declined = declining.subject;
  const run = async (query: string, vars: Record<string, unknown>, done: string) => {
    try {
      await gql(query, { tenantId, ...vars });
      message.success(done);
      reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const own = (c: Closure) => c.tenantId === tenantId;
  const actions = (c: Closure) => {
    const b: ReactElement[] = [];
    const btn = (key: string, label: string, onClick: () => void, danger = false) => (
      <Button key={key} type="link" size="small" danger={danger} onClick={onClick} data-testid={`closure-${key}`}>
        {label}
      </Button>
    );
    if (c.status === 'PROPOSED' && !own(c) && can.decide) {
      b.push(
        btn('approve', '批准', () =>
          modal.confirm({
            title: `批准${c.tenantName}关停并转「${c.account.name}」？`,
            okText: '批准',
            cancelText: '取消',
            onOk: () => run(DECIDE, { id: c.id, approve: true, note: '同意' }, '已批准'),
          }),
        ),
      );
      b.push(btn('decline', '不予批准', () => declining.open(c), true));
    }
    if (!own(c)) return b;
    if (can.manage && (c.status === 'PROPOSED' || c.status === 'APPROVED') && !c.noticePublishedAt)
      b.push(btn('withdraw', '撤回', () => void run(WITHDRAW, { id: c.id }, '已撤回'), true));
    if (can.manage && c.status === 'APPROVED' && !c.noticeStoryId)
      b.push(btn('draft', '生成停更公告', () => void run(DRAFT_NOTICE, { id: c.id }, '停更公告已生成，已送审校')));
    if (can.publish && c.status === 'APPROVED' && c.noticeStoryId)
      b.push(btn('publish', '发布停更公告', () => void run(PUBLISH_NOTICE, { id: c.id }, '停更公告已发布')));
    if (can.manage && ['APPROVED', 'NOTICED', 'DEREGISTERED', 'FILED'].includes(c.status))
      b.push(btn('import', '导入原账号内容', () => importing.open(c)));
    if (can.publish && c.importedItems > c.publishedItems)
      b.push(
        btn(
          'publish-content',
          '发布迁移内容',
          () => void run(PUBLISH_CONTENT, { id: c.id }, '已发布审校通过的迁移内容'),
        ),
      );
    if (can.manage && c.status === 'NOTICED')
      b.push(
        btn('deregister', '登记注销', () =>
          modal.confirm({
            title: `确认「${c.account.name}」已在平台完成注销？`,
            okText: '登记注销',
            cancelText: '取消',
            onOk: () => run(DEREGISTER, { id: c.id }, '已登记注销'),
          }),
        ),
      );
    if (can.manage && c.status === 'DEREGISTERED') b.push(btn('file', '登记报备', () => filing.open(c)));
    return b;
  };
  return (
    <Card
      title="关停并转"
      extra={
        can.manage ? (
          <Button type="primary" onClick={() => proposing.open(true)} data-testid="closure-new">
            申请关停/合并
          </Button>
        ) : null
      }
    >
      {!can.manage && !can.decide ? (
        <ReadOnlyNote text="您可以查看本单位及下级单位的关停并转；申请由本单位管理员或总编辑提出，由上级单位审批" />
      ) : null}
      <ErrorBox error={error} />
      <Table<Closure>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.govAccountClosures.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{ expandedRowRender: (c) => <Detail c={c} />, rowExpandable: () => true }}
        columns={[
          { title: '单位', key: 'tenant', width: 100, render: (_, c) => c.tenantName },
          {
            title: '账号',
            key: 'account',
            width: 200,
            render: (_, c) => (
              <span>
                {c.account.name} <Tag>{PLATFORM[c.account.platform]}</Tag>
              </span>
            ),
          },
          { title: '方式', key: 'kind', width: 70, render: (_, c) => (c.kind === 'MERGE' ? '合并' : '关停') },
          { title: '承接', key: 'successor', width: 220, render: (_, c) => c.successorName },
          {
            title: '状态',
            key: 'status',
            width: 170,
            render: (_, c) => (
              <Tag color={STATUS_COLOR[c.status]} data-testid="closure-status">
                {c.statusName}
              </Tag>
            ),
          },
          {
            title: '迁移内容',
            key: 'items',
            width: 170,
            render: (_, c) =>
              c.importedItems ? `${c.publishedItems}/${c.importedItems} 已发布，${c.redirects} 个跳转` : '—',
          },
          {
            title: '报备期限',
            key: 'filing',
            width: 150,
            render: (_, c) =>
              c.filedAt ? (
                <Tag color="green">已报备</Tag>
              ) : c.filingDue ? (
                <Space size={4}>
                  {c.filingDue}
                  {c.filingOverdue ? (
                    <Tag color="red" data-testid="closure-overdue">
                      已逾期
                    </Tag>
                  ) : null}
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: '操作',
            key: 'actions',
            width: 260,
            render: (_, c) => (
              <Space size={0} wrap>
                {actions(c)}
              </Space>
            ),
          },
        ]}
      />
      {proposing.subject ? (
        <ProposeForm
          tenantId={tenantId}
          accountId={handed}
          onClose={(saved) => {
            sessionStorage.removeItem(CLOSURE_ACCOUNT_KEY);
            proposing.close(saved);
          }}
        />
      ) : null}
      {importing.subject ? (
        <ImportForm tenantId={tenantId} closure={importing.subject} onClose={importing.close} />
      ) : null}
      {filed ? (
        <TextModal
          title={`登记报备：${filed.account.name}`}
          label="报备回执编号"
          onOk={(v) => run(FILE, { id: filed.id, reference: v }, '已登记报备')}
          onClose={() => filing.close()}
        />
      ) : null}
      {declined ? (
        <TextModal
          title={`不予批准：${declined.account.name}`}
          label="理由"
          onOk={(v) => run(DECIDE, { id: declined.id, approve: false, note: v }, '已不予批准')}
          onClose={() => declining.close()}
        />
      ) : null}
    </Card>
  );
}

function Detail({ c }: { c: Closure }) {
  const when = (t: string | null | undefined) => (t ? fmtTime(t) : '');
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="closure-detail">
      <Steps
        size="small"
        current={STEP_INDEX[c.status]}
        status={c.status === 'DECLINED' || c.status === 'WITHDRAWN' ? 'error' : c.filingOverdue ? 'error' : undefined}
        items={[
          { title: '申请', description: `${c.proposedByName} ${when(c.proposedAt)}` },
          {
            title: c.status === 'DECLINED' ? '未获批准' : '上级审批',
            description: c.decidedAt
              ? `${c.deciderTenantName ?? ''} ${c.decidedByName ?? ''} ${when(c.decidedAt)}`
              : '待审批',
          },
          {
            title: '停更公告',
            description: c.noticePublishedAt
              ? `已发布 ${when(c.noticePublishedAt)}`
              : c.noticeDraftedAt
                ? '审校中'
                : '',
          },
          {
            title: '注销',
            description: c.deregisteredAt ? `${c.deregisteredByName ?? ''} ${when(c.deregisteredAt)}` : '',
          },
          {
            title: '报备',
            description: c.filedAt
              ? `${c.filingRef ?? ''} ${when(c.filedAt)}`
              : c.filingDue
                ? `${c.filingDue} 前${c.filingOverdue ? '（已逾期）' : ''}`
                : '注销后 2 个工作日内',
          },
        ]}
      />
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label="理由">{c.reason}</Descriptions.Item>
        <Descriptions.Item label="审批意见">{c.decisionNote || '—'}</Descriptions.Item>
        <Descriptions.Item label="栏目">{c.sectionName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="所属政务号">{c.unitName ?? '—'}</Descriptions.Item>
      </Descriptions>
    </Space>
  );
}

function ProposeForm({
  tenantId,
  accountId,
  onClose,
}: {
  tenantId: string;
  accountId: string | null;
  onClose: (saved: boolean) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{
    accountId: string;
    kind: 'CLOSE' | 'MERGE';
    successorAccountId?: string;
    sectionId?: string;
    reason: string;
  }>();
  const { data } = useGql<{
    govAccounts: { items: { id: string; name: string; platform: keyof typeof PLATFORM }[] };
    tenant: { sections: { id: string; name: string }[] };
  }>(FORM_DATA, { tenantId });
  const kind = Form.useWatch('kind', form);
  const [saving, setSaving] = useState(false);
  const accounts = (data?.govAccounts.items ?? []).map((a) => ({
    value: a.id,
    label: `${a.name}（${PLATFORM[a.platform]}）`,
  }));
  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await gql(PROPOSE, {
        tenantId,
        input: {
          accountId: v.accountId,
          kind: v.kind,
          successorAccountId: v.kind === 'MERGE' ? (v.successorAccountId ?? null) : null,
          sectionId: v.sectionId ?? null,
          reason: v.reason,
        },
      });
      message.success('已提交，等待上级单位审批');
      onClose(true);
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title="申请关停/合并"
      onCancel={() => onClose(false)}
      onOk={() => void save()}
      okText="提交审批"
      cancelText="取消"
      confirmLoading={saving}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'CLOSE', accountId: accountId ?? undefined }}
        data-testid="closure-form"
      >
        <Form.Item name="accountId" label="账号" rules={[{ required: true, message: '请选择账号' }]}>
          <Select showSearch optionFilterProp="label" options={accounts} placeholder="选择本单位正常运营的账号" />
        </Form.Item>
        <Form.Item name="kind" label="方式">
          <Radio.Group
            options={[
              { value: 'CLOSE', label: '关停（职能并入本级融媒体平台）' },
              { value: 'MERGE', label: '合并到另一账号' },
            ]}
          />
        </Form.Item>
        {kind === 'MERGE' ? (
          <Form.Item name="successorAccountId" label="承接账号" extra="不选则合并到本级融媒体平台">
            <Select allowClear showSearch optionFilterProp="label" options={accounts} />
          </Form.Item>
        ) : null}
        <Form.Item name="sectionId" label="公告和迁移内容所在栏目">
          <Select allowClear options={(data?.tenant.sections ?? []).map((s) => ({ value: s.id, label: s.name }))} />
        </Form.Item>
        <Form.Item name="reason" label="理由" rules={[{ required: true, whitespace: true, message: '请填写理由' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type ImportReport = { items: number; imported: number; skipped: number; redirectable: number };

function ImportForm({
  tenantId,
  closure,
  onClose,
}: {
  tenantId: string;
  closure: Closure;
  onClose: (saved: boolean) => void;
}) {
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const r = await gql<{ importGovAccountClosureContent: ImportReport }>(IMPORT, {
        tenantId,
        id: closure.id,
        ...(file ? { file: await base64Of(file) } : { text }),
      });
      setReport(r.importGovAccountClosureContent);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={`导入原账号内容：${closure.account.name}`}
      onCancel={() => onClose(report !== null)}
      footer={report ? <Button onClick={() => onClose(true)}>完成</Button> : undefined}
      onOk={() => void save()}
      okText="导入"
      cancelText="取消"
      confirmLoading={saving}
    >
      {report ? (
        <div data-testid="closure-import-report">
          <Typography.Paragraph>
            共 {report.items} 条，导入 {report.imported}{' '}
            条（已送审校，通过后点击“发布迁移内容”按原发布时间发布），跳过已导入 {report.skipped} 条；
            {report.redirectable} 条原地址将自动跳转。
          </Typography.Paragraph>
        </div>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            RSS、Atom、JSON Feed，或导出的 CSV（列：标题、发布时间、原文链接、摘要、正文）。保留原发布时间和原文链接。
          </Typography.Text>
          <Upload
            beforeUpload={(f) => {
              setFile(f);
              return false;
            }}
            maxCount={1}
            onRemove={() => setFile(null)}
          >
            <Button>选择文件</Button>
          </Upload>
          <Input.TextArea
            rows={6}
            placeholder="或粘贴文件内容"
            value={text}
            onChange={(e) => setText(e.target.value)}
            disabled={file !== null}
            data-testid="closure-import-text"
          />
          <ErrorBox error={error} />
        </Space>
      )}
    </Modal>
  );
}

function TextModal({
  title,
  label,
  onOk,
  onClose,
}: {
  title: string;
  label: string;
  onOk: (v: string) => Promise<void>;
  onClose: () => void;
}) {
  const [value, setValue] = useState('');
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => void onOk(value).then(onClose)}
      okText="确定"
      cancelText="取消"
      okButtonProps={{ disabled: !value.trim() }}
    >
      <Form layout="vertical">
        <Form.Item label={label} required>
          <Input value={value} onChange={(e) => setValue(e.target.value)} maxLength={100} data-testid="closure-text" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** @jsxImportSource react */
import {
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { errorText, gql } from '../api.js';
import { AddForm, NameSlugItems, useMutate } from '../components/forms.js';
import { ErrorBox, ReadOnlyNote, useGql } from '../hooks.js';
import { fmtTime, REVIEW_ROLE, ROLE, SEVERITY, UNIT_KIND } from '../labels.js';
import { useSession } from '../session.js';
import type {
  AuditEntry,
  Grant,
  Organisation,
  ReviewRole,
  RuleKind,
  RuleSeverity,
  SectionRef,
  StaffRole,
  TerminologyRule,
  UnitKind,
  UnitRef,
} from '../types.js';

const REVIEW_ROLES: ReviewRole[] = ['EDITOR', 'REVIEWER', 'CHIEF_EDITOR'];

export function SectionsPage() {
  const { current, can } = useSession();
  const tenantId = current.tenant.id;
  const { data, error, loading, reload } = useGql<{ tenant: { sections: SectionRef[] } | null }>(
    `query S($id: ID!) { tenant(id: $id) { id sections { id name slug position reviewSteps } } }`,
    { id: tenantId },
  );
  return (
    <Card title="栏目">
      <ErrorBox error={error} />
      {can.manageSections ? null : <ReadOnlyNote />}
      {can.manageSections ? (
        <AddForm<{ slug: string; name: string; position?: number; reviewSteps?: ReviewRole[] }>
          mutation={`mutation C($tenantId: ID!, $input: SectionInput!) { createSection(tenantId: $tenantId, input: $input) { id } }`}
          variables={(v) => ({ tenantId, input: { ...v, reviewSteps: v.reviewSteps?.length ? v.reviewSteps : null } })}
          done="栏目已添加"
          button="添加栏目"
          onAdded={reload}
        >
          <NameSlugItems nameWidth={120} />
          <Form.Item name="position" label="排序">
            <InputNumber style={{ width: 80 }} />
          </Form.Item>
          <Form.Item name="reviewSteps" label="专用审校流程">
            <Select
              mode="multiple"
              allowClear
              style={{ minWidth: 200 }}
              placeholder="沿用单位流程"
              options={REVIEW_ROLES.map((r) => ({ value: r, label: REVIEW_ROLE[r] }))}
            />
          </Form.Item>
        </AddForm>
      ) : null}
      <Table<SectionRef>
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={data?.tenant?.sections ?? []}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '标识', dataIndex: 'slug' },
          { title: '排序', dataIndex: 'position' },
          {
            title: '审校流程',
            key: 'r',
            render: (_, s) =>
              s.reviewSteps ? (
                <Tag color="purple">专用：{s.reviewSteps.map((r) => REVIEW_ROLE[r]).join(' → ')}</Tag>
              ) : (
                <Typography.Text type="secondary">沿用单位流程</Typography.Text>
              ),
          },
        ]}
      />
    </Card>
  );
}

export function UnitsPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const { data, error, loading, reload } = useGql<{ tenant: { units: UnitRef[] } | null; grants: Grant[] }>(
    `query U($id: ID!) { tenant(id: $id) { id units { id name slug kind status } } grants(tenantId: $id) { id role createdAt staff { id login name } organisation { id name } unit { id name } } }`,
    { id: tenantId },
  );
  const [adding, setAdding] = useState<UnitRef | null>(null);
  const members = (unitId: string) => (data?.grants ?? []).filter((g) => g.unit?.id === unitId);
  return (
    <Card title="政务号与成员">
      <ErrorBox error={error} />
      <AddForm<{ slug: string; name: string; kind: UnitKind }>
        mutation={`mutation C($tenantId: ID!, $input: UnitInput!) { createUnit(tenantId: $tenantId, input: $input) { id } }`}
        variables={(v) => ({ tenantId, input: v })}
        done="政务号已添加"
        button="添加政务号"
        onAdded={reload}
        initialValues={{ kind: 'BUREAU' }}
      >
        <NameSlugItems nameWidth={180} />
        <Form.Item name="kind" label="类别">
          <Select
            style={{ width: 120 }}
            options={Object.entries(UNIT_KIND).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
      </AddForm>
      <Table<UnitRef>
        rowKey="id"
        loading={loading}
        pagination={false}
        scroll={{ x: 700 }}
        dataSource={data?.tenant?.units ?? []}
        columns={[
          { title: '政务号', dataIndex: 'name' },
          { title: '类别', key: 'k', width: 100, render: (_, u) => UNIT_KIND[u.kind] },
          {
            title: '状态',
            key: 's',
            width: 80,
            render: (_, u) =>
              u.status === 'ACTIVE' ? (
                <Tag color="green">正常</Tag>
              ) : (
                <Tag>{u.status === 'SUSPENDED' ? '暂停' : '关停'}</Tag>
              ),
          },
          {
            title: '成员',
            key: 'm',
            render: (_, u) => (
              <Space wrap size={4}>
                {members(u.id).map((g) => (
                  <Tag key={g.id}>
                    {g.staff?.name ?? g.organisation?.name}（{ROLE[g.role]}）
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: '',
            key: 'a',
            width: 100,
            render: (_, u) => (
              <Button size="small" onClick={() => setAdding(u)}>
                添加成员
              </Button>
            ),
          },
        ]}
      />
      {adding ? (
        <AddMemberDialog
          tenantId={tenantId}
          unit={adding}
          onClose={(changed) => (setAdding(null), changed && reload())}
        />
      ) : null}
    </Card>
  );
}

function AddMemberDialog({
  tenantId,
  unit,
  onClose,
}: {
  tenantId: string;
  unit: UnitRef | null;
  onClose: (changed: boolean) => void;
}) {
  const [form] = Form.useForm<{ login: string; name: string; password: string }>();
  const [err, setErr] = useState<string | null>(null);
  const submit = async (v: { login: string; name: string; password: string }) => {
    setErr(null);
    try {
      if (unit) {
        // a unit member: the tenant admin's own mutation, the account and its REPORTER grant on this unit together
        await gql(
          `mutation AM($tenantId: ID!, $unitId: ID!, $input: UnitMemberInput!) { addUnitMember(tenantId: $tenantId, unitId: $unitId, input: $input) { id } }`,
          { tenantId, unitId: unit.id, input: v },
        );
      } else {
        // 新建人员 (人员与角色): platform operators only, who create any account
        const { createStaff } = await gql<{ createStaff: { id: string } }>(
          `mutation N($input: NewStaffInput!) { createStaff(input: $input) { id } }`,
          { input: v },
        );
        await gql(
          `mutation G($tenantId: ID!, $input: GrantInput!) { grantRole(tenantId: $tenantId, input: $input) { id } }`,
          { tenantId, input: { role: 'REPORTER', staffId: createStaff.id, unitId: null } },
        );
      }
      onClose(true);
    } catch (e) {
      setErr(errorText(e));
    }
  };
  return (
    <Modal
      open
      title={unit ? `为「${unit.name}」添加成员（政务号通讯员）` : '新建人员'}
      okText="添加"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
    >
      <ErrorBox error={err} />
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="login" label="登录名" rules={[{ required: true, message: '请填写登录名' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="password" label="初始密码" rules={[{ required: true, min: 10, message: '至少 10 位' }]}>
          <Input.Password />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ReviewChainPage() {
  const { current, can } = useSession();
  const tenantId = current.tenant.id;
  const mutate = useMutate();
  const { data, error, reload } = useGql<{ reviewChain: ReviewRole[]; tenant: { sections: SectionRef[] } | null }>(
    `query RC($id: ID!) { reviewChain(tenantId: $id) tenant(id: $id) { id sections { id name slug position reviewSteps } } }`,
    { id: tenantId },
  );
  const [steps, setSteps] = useState<ReviewRole[]>([]);
  useEffect(() => {
    if (data) setSteps(data.reviewChain);
  }, [data]);
  return (
    <Card title="审校流程（三审三校）">
      <ErrorBox error={error} />
      {can.editReviewChain ? null : <ReadOnlyNote text="您可以查看审校流程；修改需要单位管理员" />}
      <Typography.Paragraph>
        稿件提交后依次经过以下步骤；每一步可由该职级或更高职级的人员签署；提交人不能签署任何步骤，同一人不能签署同一轮的两个步骤。
      </Typography.Paragraph>
      {can.editReviewChain ? (
        <Space direction="vertical" style={{ marginBottom: 16 }}>
          {steps.map((s, i) => (
            <Space key={i}>
              <Tag color="blue">第 {i + 1} 步</Tag>
              <Select
                value={s}
                style={{ width: 180 }}
                onChange={(v: ReviewRole) => setSteps(steps.map((x, j) => (j === i ? v : x)))}
                options={REVIEW_ROLES.map((r) => ({ value: r, label: REVIEW_ROLE[r] }))}
              />
              <Button
                size="small"
                disabled={steps.length <= 1}
                onClick={() => setSteps(steps.filter((_, j) => j !== i))}
              >
                删除
              </Button>
            </Space>
          ))}
          <Space>
            <Button disabled={steps.length >= 3} onClick={() => setSteps([...steps, 'CHIEF_EDITOR'])}>
              + 增加步骤
            </Button>
            <Button
              type="primary"
              onClick={() =>
                void mutate(
                  `mutation SC($tenantId: ID!, $steps: [ReviewRole!]!) { setReviewChain(tenantId: $tenantId, steps: $steps) }`,
                  { tenantId, steps },
                  '审校流程已保存',
                ).then((ok) => ok && reload())
              }
            >
              保存流程
            </Button>
          </Space>
        </Space>
      ) : (
        <Space wrap style={{ marginBottom: 16 }} data-testid="chain-read-only">
          {steps.map((s, i) => (
            <Tag key={i} color="blue">
              第 {i + 1} 步：{REVIEW_ROLE[s]}
            </Tag>
          ))}
        </Space>
      )}
      <Typography.Title level={5}>栏目专用流程</Typography.Title>
      <Table<SectionRef>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={data?.tenant?.sections ?? []}
        columns={[
          { title: '栏目', dataIndex: 'name' },
          {
            title: '流程',
            key: 'r',
            render: (_, s) => (s.reviewSteps ? s.reviewSteps.map((r) => REVIEW_ROLE[r]).join(' → ') : '沿用单位流程'),
          },
        ]}
      />
    </Card>
  );
}

export function TerminologyPage() {
  const { current, can } = useSession();
  const tenantId = current.tenant.id;
  const mutate = useMutate();
  const { data, error, loading, reload } = useGql<{ terminologyRules: TerminologyRule[] }>(
    `query T($id: ID!) { terminologyRules(tenantId: $id) { id pattern kind replacement severity note enabled inherited tenant { id name } } }`,
    { id: tenantId },
  );
  return (
    <Card title="规范表述与敏感词">
      <ErrorBox error={error} />
      {can.editTerminology ? null : <ReadOnlyNote />}
      {can.editTerminology ? (
        <AddForm<{ pattern: string; kind: RuleKind; replacement?: string; severity: RuleSeverity; note?: string }>
          mutation={`mutation R($tenantId: ID!, $input: RuleInput!) { createTerminologyRule(tenantId: $tenantId, input: $input) { id } }`}
          variables={(v) => ({ tenantId, input: v })}
          done="规则已添加"
          button="添加规则"
          onAdded={reload}
          initialValues={{ kind: 'LITERAL', severity: 'WARN' }}
        >
          <Form.Item name="pattern" label="表述" rules={[{ required: true, message: '请填写表述' }]}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="kind" label="匹配">
            <Select
              style={{ width: 110 }}
              options={[
                { value: 'LITERAL', label: '字面' },
                { value: 'REGEX', label: '正则表达式' },
              ]}
            />
          </Form.Item>
          <Form.Item name="replacement" label="建议改为">
            <Input style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="severity" label="级别">
            <Select
              style={{ width: 90 }}
              options={[
                { value: 'WARN', label: '提示' },
                { value: 'BLOCK', label: '禁用' },
              ]}
            />
          </Form.Item>
          <Form.Item name="note" label="说明">
            <Input style={{ width: 200 }} />
          </Form.Item>
        </AddForm>
      ) : null}
      <Table<TerminologyRule>
        rowKey="id"
        loading={loading}
        scroll={{ x: 800 }}
        dataSource={data?.terminologyRules ?? []}
        columns={[
          {
            title: '表述',
            key: 'p',
            render: (_, r) => <Typography.Text code={r.kind === 'REGEX'}>{r.pattern}</Typography.Text>,
          },
          { title: '建议', key: 'r', render: (_, r) => r.replacement ?? '—' },
          {
            title: '级别',
            key: 's',
            width: 70,
            render: (_, r) => <Tag color={r.severity === 'BLOCK' ? 'red' : 'orange'}>{SEVERITY[r.severity]}</Tag>,
          },
          { title: '说明', dataIndex: 'note' },
          {
            title: '来源',
            key: 'from',
            width: 120,
            render: (_, r) => (r.inherited ? <Tag>上级：{r.tenant.name}</Tag> : '本单位'),
          },
          {
            title: '启用',
            key: 'e',
            width: 70,
            render: (_, r) => (
              <Switch
                size="small"
                checked={r.enabled}
                disabled={r.inherited || !can.editTerminology}
                onChange={(on) =>
                  void mutate(
                    `mutation E($tenantId: ID!, $id: ID!, $enabled: Boolean!) { setTerminologyRuleEnabled(tenantId: $tenantId, id: $id, enabled: $enabled) { id } }`,
                    { tenantId, id: r.id, enabled: on },
                    on ? '已启用' : '已停用',
                  ).then(reload)
                }
              />
            ),
          },
          {
            title: '',
            key: 'd',
            width: 70,
            render: (_, r) =>
              r.inherited || !can.editTerminology ? null : (
                <Popconfirm
                  title="删除这条规则？"
                  okText="删除"
                  cancelText="取消"
                  onConfirm={() =>
                    void mutate(
                      `mutation D($tenantId: ID!, $id: ID!) { deleteTerminologyRule(tenantId: $tenantId, id: $id) }`,
                      { tenantId, id: r.id },
                      '已删除',
                    ).then(reload)
                  }
                >
                  <Button size="small" danger>
                    删除
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Card>
  );
}

export function DomainsPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const mutate = useMutate();
  const { data, error, loading, reload } = useGql<{
    tenant: { host: string; domains: { host: string; primary: boolean }[] } | null;
  }>(`query D($id: ID!) { tenant(id: $id) { id host domains { host primary } } }`, { id: tenantId });
  const [host, setHost] = useState('');
  return (
    <Card title="域名">
      <ErrorBox error={error} />
      <Typography.Paragraph>
        门户当前地址：<Typography.Text code>{data?.tenant?.host}</Typography.Text>（未设置主域名时使用平台子域名）。
      </Typography.Paragraph>
      <Space.Compact style={{ marginBottom: 16 }}>
        <Input
          placeholder="www.example.gov.cn"
          value={host}
          onChange={(e) => setHost(e.target.value)}
          style={{ width: 260 }}
        />
        <Button
          type="primary"
          disabled={!host.trim()}
          onClick={() =>
            void mutate(
              `mutation A($tenantId: ID!, $host: String!) { addDomain(tenantId: $tenantId, host: $host) { domain { host } } }`,
              { tenantId, host: host.trim() },
              '域名已添加',
            ).then((ok) => ok && (setHost(''), reload()))
          }
        >
          添加域名
        </Button>
      </Space.Compact>
      <Table
        rowKey="host"
        loading={loading}
        pagination={false}
        dataSource={data?.tenant?.domains ?? []}
        columns={[
          { title: '域名', dataIndex: 'host' },
          {
            title: '',
            key: 'p',
            render: (_, d: { host: string; primary: boolean }) =>
              d.primary ? (
                <Tag color="green">主域名</Tag>
              ) : (
                <Button
                  size="small"
                  onClick={() =>
                    void mutate(
                      `mutation P($host: String!) { setPrimaryDomain(host: $host) { domain { host } } }`,
                      { host: d.host },
                      '已设为主域名',
                    ).then(reload)
                  }
                >
                  设为主域名
                </Button>
              ),
          },
          {
            title: '',
            key: 'r',
            render: (_, d: { host: string; primary: boolean }) => (
              <Popconfirm
                title="删除该域名？"
                okText="删除"
                cancelText="取消"
                onConfirm={() =>
                  void mutate(
                    `mutation R($host: String!) { removeDomain(host: $host) { domain { host } } }`,
                    { host: d.host },
                    '已删除',
                  ).then(reload)
                }
              >
                <Button size="small" danger>
                  删除
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}

const STAFF_ROLES: StaffRole[] = ['REPORTER', 'EDITOR', 'REVIEWER', 'CHIEF_EDITOR', 'TENANT_ADMIN'];

export function RolesPage() {
  const { current, operator } = useSession();
  const tenantId = current.tenant.id;
  const mutate = useMutate();
  const { data, error, loading, reload } = useGql<{
    grants: Grant[];
    staffMembers: { id: string; login: string; name: string }[];
    tenant: { units: UnitRef[] } | null;
  }>(
    `query G($id: ID!) { grants(tenantId: $id) { id role createdAt staff { id login name } organisation { id name } unit { id name } } staffMembers(tenantId: $id) { id login name } tenant(id: $id) { id units { id name slug kind status } } }`,
    { id: tenantId },
  );
  const orgs = useGql<{ organisations: Organisation[] }>(
    `query O { organisations { id name licenceNo validUntil valid } }`,
    operator ? {} : null,
  );
  const [form] = Form.useForm<{ who: string; role: StaffRole; unitId?: string }>();
  const [newStaff, setNewStaff] = useState(false);
  const options = [
    ...(data?.staffMembers ?? []).map((s) => ({ value: `staff:${s.id}`, label: `${s.name}（${s.login}）` })),
    ...(orgs.data?.organisations ?? []).map((o) => ({ value: `org:${o.id}`, label: `代运营：${o.name}` })),
  ];
  const grant = (v: { who: string; role: StaffRole; unitId?: string }) => {
    const [kind, id] = v.who.split(':');
    const input = {
      role: v.role,
      unitId: v.unitId ?? null,
      ...(kind === 'org' ? { organisationId: id } : { staffId: id }),
    };
    void mutate(
      `mutation G($tenantId: ID!, $input: GrantInput!) { grantRole(tenantId: $tenantId, input: $input) { id } }`,
      { tenantId, input },
      '已授予角色',
    ).then((ok) => ok && (form.resetFields(), reload()));
  };
  return (
    <Card title="人员与角色" extra={operator ? <Button onClick={() => setNewStaff(true)}>新建人员</Button> : null}>
      <ErrorBox error={error} />
      <Form form={form} layout="inline" style={{ marginBottom: 16, rowGap: 8 }} onFinish={grant}>
        <Form.Item name="who" label="人员或机构" rules={[{ required: true, message: '请选择' }]}>
          <Select showSearch optionFilterProp="label" style={{ width: 240 }} options={options} />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select style={{ width: 110 }} options={STAFF_ROLES.map((r) => ({ value: r, label: ROLE[r] }))} />
        </Form.Item>
        <Form.Item name="unitId" label="限于政务号">
          <Select
            allowClear
            style={{ width: 180 }}
            options={(data?.tenant?.units ?? []).map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          授予
        </Button>
      </Form>
      <Table<Grant>
        rowKey="id"
        loading={loading}
        scroll={{ x: 700 }}
        dataSource={data?.grants ?? []}
        columns={[
          {
            title: '人员 / 机构',
            key: 'w',
            render: (_, g) =>
              g.staff ? `${g.staff.name}（${g.staff.login}）` : `代运营：${g.organisation?.name ?? ''}`,
          },
          { title: '角色', key: 'r', width: 100, render: (_, g) => <Tag color="blue">{ROLE[g.role]}</Tag> },
          { title: '政务号', key: 'u', render: (_, g) => g.unit?.name ?? '全单位' },
          { title: '授予时间', key: 't', width: 150, render: (_, g) => fmtTime(g.createdAt) },
          {
            title: '',
            key: 'x',
            width: 80,
            render: (_, g) => (
              <Popconfirm
                title="收回这个角色？"
                okText="收回"
                cancelText="取消"
                onConfirm={() =>
                  void mutate(
                    `mutation X($tenantId: ID!, $grantId: ID!) { revokeGrant(tenantId: $tenantId, grantId: $grantId) { id } }`,
                    { tenantId, grantId: g.id },
                    '已收回',
                  ).then(reload)
                }
              >
                <Button size="small" danger>
                  收回
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {newStaff ? (
        <AddMemberDialog
          tenantId={tenantId}
          unit={null}
          onClose={(changed) => (setNewStaff(false), changed && reload())}
        />
      ) : null}
    </Card>
  );
}

export function OrganisationsPage() {
  const mutate = useMutate();
  const { data, error, loading, reload } = useGql<{ organisations: Organisation[] }>(
    `query O { organisations { id name licenceNo validUntil valid } }`,
    {},
  );
  return (
    <Card title="代运营机构与资质">
      <ErrorBox error={error} />
      <AddForm<{ name: string; licenceNo: string; validUntil: Dayjs }>
        mutation={`mutation C($input: OrganisationInput!) { createOrganisation(input: $input) { id } }`}
        variables={(v) => ({
          input: { name: v.name, licenceNo: v.licenceNo, validUntil: v.validUntil.format('YYYY-MM-DD') },
        })}
        done="机构已添加"
        button="添加机构"
        onAdded={reload}
      >
        <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
          <Input style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="licenceNo" label="资质编号" rules={[{ required: true, message: '请填写资质编号' }]}>
          <Input style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="validUntil" label="有效期至" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker />
        </Form.Item>
      </AddForm>
      <Table<Organisation>
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={data?.organisations ?? []}
        columns={[
          { title: '机构', dataIndex: 'name' },
          { title: '资质编号', dataIndex: 'licenceNo' },
          { title: '有效期至', dataIndex: 'validUntil' },
          {
            title: '状态',
            key: 'v',
            render: (_, o) => (o.valid ? <Tag color="green">有效</Tag> : <Tag color="red">已失效（访问已停止）</Tag>),
          },
          {
            title: '',
            key: 's',
            render: (_, o) => (
              <Checkbox
                checked={!o.valid}
                onChange={(e) =>
                  void mutate(
                    `mutation U($id: ID!, $input: OrganisationPatch!) { updateOrganisation(id: $id, input: $input) { id } }`,
                    { id: o.id, input: { suspended: e.target.checked } },
                    e.target.checked ? '已暂停' : '已恢复',
                  ).then(reload)
                }
              >
                暂停
              </Checkbox>
            ),
          },
        ]}
      />
    </Card>
  );
}

const AUDIT_ACTION: Record<string, string> = {
  'story.create': '新建稿件',
  'story.save': '保存稿件',
  'story.submit': '提交审校',
  'story.approve': '审校通过',
  'story.reject': '审校退回',
  'story.publish': '发布',
  'story.retract': '撤稿',
  'story.correct': '更正',
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
};

export function AuditPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const { data, error, loading } = useGql<{
    auditLog: { edges: { node: AuditEntry }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  }>(
    `query A($tenantId: ID!, $after: String) { auditLog(tenantId: $tenantId, first: 30, after: $after) { edges { node { id at actorKind actorName action targetKind targetId revision detail } } pageInfo { hasNextPage endCursor } } }`,
    { tenantId, after: cursors[cursors.length - 1] ?? null },
  );
  return (
    <Card title="操作日志（防篡改哈希链）">
      <ErrorBox error={error} />
      <Table<AuditEntry>
        rowKey="id"
        loading={loading}
        pagination={false}
        scroll={{ x: 800 }}
        dataSource={data?.auditLog.edges.map((e) => e.node) ?? []}
        columns={[
          { title: '时间', key: 'at', width: 150, render: (_, a) => fmtTime(a.at) },
          { title: '操作人', key: 'who', width: 140, render: (_, a) => a.actorName ?? a.actorKind },
          { title: '操作', key: 'act', width: 140, render: (_, a) => AUDIT_ACTION[a.action] ?? a.action },
          {
            title: '对象',
            key: 't',
            render: (_, a) => (a.targetKind ? `${a.targetKind}${a.revision ? ` · 第 ${a.revision} 版` : ''}` : '—'),
          },
          {
            title: '详情',
            key: 'd',
            render: (_, a) => (
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: 320 }}>
                {/* an empty field (null) says nothing to a reader */}
                {JSON.stringify(a.detail, (_key, value: unknown) => (value === null ? undefined : value))}
              </Typography.Text>
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
          上一页
        </Button>
        <Button
          disabled={!data?.auditLog.pageInfo.hasNextPage}
          onClick={() => setCursors((c) => [...c, data?.auditLog.pageInfo.endCursor ?? null])}
        >
          下一页
        </Button>
      </Space>
    </Card>
  );
}

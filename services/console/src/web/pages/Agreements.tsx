/** @jsxImportSource react */
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  List,
  Popconfirm,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { errorText, gql } from '../api.js';
import { ErrorBox, useGql } from '../hooks.js';
import { useSession } from '../session.js';

type Kind = 'TERMS' | 'PRIVACY';

interface Agreement {
  kind: Kind;
  version: number;
  title: string;
  body: string;
  isDefault: boolean;
  publishedAt: string | null;
  draft: { title: string; body: string; updatedAt: string } | null;
  history: { version: number; title: string; publishedAt: string }[];
}

const FIELDS =
  'kind version title body isDefault publishedAt draft { title body updatedAt } history { version title publishedAt }';
const READ = `query Agreements($tenantId: ID!) { agreements(tenantId: $tenantId) { ${FIELDS} } }`;
const SAVE = `mutation SaveAgreement($tenantId: ID!, $input: AgreementInput!) { saveAgreement(tenantId: $tenantId, input: $input) { ${FIELDS} } }`;

const LABEL: Record<Kind, string> = { TERMS: '用户协议', PRIVACY: '隐私政策' };
const when = (iso: string): string =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** One agreement: what citizens read now, the draft being edited, and every published version. */
function AgreementEditor({
  tenantId,
  agreement,
  onSaved,
}: {
  tenantId: string;
  agreement: Agreement;
  onSaved: () => void;
}) {
  const { message } = App.useApp();
  const [title, setTitle] = useState(agreement.draft?.title ?? agreement.title);
  const [body, setBody] = useState(agreement.draft?.body ?? agreement.body);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setTitle(agreement.draft?.title ?? agreement.title);
    setBody(agreement.draft?.body ?? agreement.body);
  }, [agreement]);

  const save = async (publish: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await gql(SAVE, { tenantId, input: { kind: agreement.kind, title, body, publish } });
      void message.success(publish ? `${LABEL[agreement.kind]}已发布为新版本` : '草稿已保存');
      onSaved();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" size="middle" className="agreement-editor">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="公众当前看到的版本">
          {agreement.isDefault ? <Tag>平台默认文本</Tag> : <Tag color="blue">第 {agreement.version} 版</Tag>}
          {agreement.publishedAt ? `发布于 ${when(agreement.publishedAt)}` : '本单位尚未发布自己的文本'}
        </Descriptions.Item>
        <Descriptions.Item label="草稿">
          {agreement.draft ? `有未发布的草稿（保存于 ${when(agreement.draft.updatedAt)}）` : '无'}
        </Descriptions.Item>
      </Descriptions>
      <Alert
        type="info"
        showIcon
        message="每次发布都会生成新版本，已发布的版本不再修改；新注册的用户须勾选同意当前版本，同意记录会保存版本号。"
      />
      <ErrorBox error={error} />
      <Form layout="vertical">
        <Form.Item label="标题" required>
          <Input
            value={title}
            maxLength={60}
            onChange={(e) => setTitle(e.target.value)}
            data-testid="agreement-title"
          />
        </Form.Item>
        <Form.Item label="正文（段落之间空一行）" required>
          <Input.TextArea
            value={body}
            rows={18}
            maxLength={30000}
            showCount
            onChange={(e) => setBody(e.target.value)}
            data-testid="agreement-body"
          />
        </Form.Item>
        <Space>
          <Button onClick={() => void save(false)} loading={busy} data-testid="agreement-draft">
            保存草稿
          </Button>
          <Popconfirm
            title={`发布${LABEL[agreement.kind]}新版本？`}
            description="发布后，公众立即看到新版本，且该版本不能再修改。"
            okText="发布"
            cancelText="取消"
            onConfirm={() => void save(true)}
          >
            <Button type="primary" loading={busy} data-testid="agreement-publish">
              发布新版本
            </Button>
          </Popconfirm>
        </Space>
      </Form>
      <List
        header={<Typography.Text strong>已发布的版本</Typography.Text>}
        size="small"
        bordered
        dataSource={agreement.history}
        locale={{ emptyText: '尚无已发布的版本（公众看到平台默认文本）' }}
        renderItem={(h) => (
          <List.Item>
            第 {h.version} 版 · {h.title} · {when(h.publishedAt)}
          </List.Item>
        )}
      />
    </Space>
  );
}

/** 用户协议与隐私政策: the tenant's own texts, versioned (tenant admins). */
export function AgreementsPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const { data, error, reload } = useGql<{ agreements: Agreement[] }>(READ, { tenantId });
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Card loading />;
  return (
    <Card title="用户协议与隐私政策">
      <Tabs
        items={data.agreements.map((a) => ({
          key: a.kind,
          label: LABEL[a.kind],
          children: <AgreementEditor tenantId={tenantId} agreement={a} onSaved={reload} />,
        }))}
      />
    </Card>
  );
}

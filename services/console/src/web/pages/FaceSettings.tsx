/** @jsxImportSource react */
import { App, Button, Card, Col, ColorPicker, Form, Input, Row, Space, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { errorText, gql } from '../api.js';
import { ErrorBox, useGql, ReadOnlyNote } from '../hooks.js';
import { useSession } from '../session.js';
import type { Face } from '../types.js';

const FIELDS = `siteName tagline logoUrl version theme { primary accent background text headerText } navigation { kind label section url } footer { icp publicSecurity contact address }`;

/** The face's frame (header in its colours, navigation, footer) around any content: the live preview. */
export function FacePreview({ face, children }: { face: Face; children?: ReactNode }) {
  const t = face.theme;
  return (
    <div
      data-testid="face-preview"
      style={{
        border: '1px solid #e5e5e5',
        borderRadius: 6,
        overflow: 'hidden',
        background: t.background,
        color: t.text,
      }}
    >
      <header style={{ background: t.primary, color: t.headerText, padding: '14px 20px' }}>
        <div style={{ fontSize: 20, fontWeight: 700 }} className="preview-site-name">
          {face.siteName}
        </div>
        {face.tagline ? <div style={{ opacity: 0.85, fontSize: 13 }}>{face.tagline}</div> : null}
      </header>
      <nav
        style={{
          display: 'flex',
          gap: 16,
          flexWrap: 'wrap',
          padding: '8px 20px',
          borderBottom: `2px solid ${t.accent}`,
          background: '#fff',
        }}
      >
        {face.navigation.map((n, i) => (
          <span key={i} style={{ color: i === 0 ? t.primary : t.text, fontWeight: i === 0 ? 600 : 400 }}>
            {n.label}
          </span>
        ))}
      </nav>
      <div style={{ padding: 20, minHeight: 120 }}>
        {children ?? <Typography.Text style={{ color: t.text }}>（首页内容）</Typography.Text>}
      </div>
      <footer
        style={{
          padding: '10px 20px',
          fontSize: 12,
          color: '#888',
          borderTop: '1px solid #eee',
          background: '#fafafa',
        }}
      >
        {[face.footer.icp, face.footer.publicSecurity, face.footer.contact, face.footer.address]
          .filter(Boolean)
          .join('　')}
      </footer>
    </div>
  );
}

const colorKeys = [
  ['primary', '主色'],
  ['accent', '强调色'],
  ['background', '背景色'],
  ['text', '文字色'],
  ['headerText', '页眉文字色'],
] as const;

export function FaceSettingsPage() {
  const { current, can } = useSession();
  const { message } = App.useApp();
  const tenantId = current.tenant.id;
  const { data, error, reload } = useGql<{ tenant: { face: Face; host: string } | null }>(
    `query FaceSettings($id: ID!) { tenant(id: $id) { id host face { ${FIELDS} } } }`,
    { id: tenantId },
  );
  const [face, setFace] = useState<Face | null>(null);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  useEffect(() => {
    if (data?.tenant) setFace(data.tenant.face);
  }, [data]);
  if (error) return <ErrorBox error={error} />;
  if (!face) return <Card loading />;
  const save = async () => {
    setBusy(true);
    setSaveError(null);
    try {
      await gql(
        `mutation Face($tenantId: ID!, $input: FaceInput!) { updateFace(tenantId: $tenantId, input: $input) { face { version } } }`,
        {
          tenantId,
          input: {
            siteName: face.siteName,
            tagline: face.tagline,
            logoUrl: face.logoUrl || null,
            theme: face.theme,
            footer: face.footer,
          },
        },
      );
      message.success('门户设置已保存，门户页面随即更新');
      reload();
    } catch (err) {
      setSaveError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      title="门户设置"
      extra={
        <Typography.Text type="secondary">
          {data?.tenant?.host} · 第 {face.version} 版
        </Typography.Text>
      }
    >
      <ErrorBox error={saveError} />
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          {can.editFace ? null : <ReadOnlyNote text="您可以查看本门户的设置；修改需要单位管理员" />}
          <Form layout="vertical" disabled={!can.editFace}>
            <Form.Item label="门户名称">
              <Input
                value={face.siteName}
                onChange={(e) => setFace({ ...face, siteName: e.target.value })}
                data-testid="site-name"
              />
            </Form.Item>
            <Form.Item label="口号">
              <Input value={face.tagline} onChange={(e) => setFace({ ...face, tagline: e.target.value })} />
            </Form.Item>
            <Space wrap>
              {colorKeys.map(([key, label]) => (
                <Form.Item key={key} label={label}>
                  <ColorPicker
                    value={face.theme[key]}
                    showText
                    disabledAlpha
                    onChange={(c) => setFace({ ...face, theme: { ...face.theme, [key]: c.toHexString() } })}
                  />
                </Form.Item>
              ))}
            </Space>
            <Form.Item label="ICP 备案号">
              <Input
                value={face.footer.icp ?? ''}
                onChange={(e) => setFace({ ...face, footer: { ...face.footer, icp: e.target.value } })}
              />
            </Form.Item>
            <Form.Item label="联系方式">
              <Input
                value={face.footer.contact ?? ''}
                onChange={(e) => setFace({ ...face, footer: { ...face.footer, contact: e.target.value } })}
              />
            </Form.Item>
            {can.editFace ? (
              <Button type="primary" loading={busy} onClick={() => void save()}>
                保存
              </Button>
            ) : null}
          </Form>
        </Col>
        <Col xs={24} lg={14}>
          <Typography.Title level={5}>实时预览</Typography.Title>
          <FacePreview face={face} />
        </Col>
      </Row>
    </Card>
  );
}

/** @jsxImportSource react */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { errorText, gql } from '../api.js';
import { useAuth } from '../session.js';

export function LoginPage() {
  const auth = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { login: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const { login } = await gql<{ login: { token: string } }>(
        `mutation Login($login: String!, $password: String!) { login(login: $login, password: $password) { token } }`,
        v,
      );
      await auth.signedIn(login.token);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        background: 'linear-gradient(160deg,#fdf3f2,#f5f5f5)',
        padding: 16,
      }}
    >
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <Typography.Title level={3} style={{ marginTop: 0, color: '#b71c1c' }}>
          一端百面 · 编辑控制台
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          县级融媒体中心、政务号、市级和省级编辑在此写稿、审校、共享与管理。
        </Typography.Paragraph>
        {error && (
          <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />
        )}
        <Form
          layout="vertical"
          onFinish={(v: { login: string; password: string }) => void submit(v)}
          requiredMark={false}
        >
          <Form.Item name="login" label="账号" rules={[{ required: true, message: '请输入账号' }]}>
            <Input autoComplete="username" id="login" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" id="password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}

/** @jsxImportSource react */
// Shared form pieces of the settings screens: a mutation with its toasts, the inline 添加 form above
// a table, and the 名称/标识 pair that sections and units share.
import { App, Button, Form, Input } from 'antd';
import type { ReactNode } from 'react';
import { errorText, gql } from '../api.js';

/** A mutation with a success toast and the error as a Chinese toast; resolves true when it worked. */
export function useMutate() {
  const { message } = App.useApp();
  return async (mutation: string, vars: Record<string, unknown>, done: string): Promise<boolean> => {
    try {
      await gql(mutation, vars);
      message.success(done);
      return true;
    } catch (err) {
      message.error(errorText(err));
      return false;
    }
  };
}

/**
 * The inline form that adds a row to the table below it: runs the mutation with the form's values,
 * and when it worked clears the form and calls onAdded (the screen reloads).
 */
export function AddForm<V extends object>({
  mutation,
  variables,
  done,
  button,
  onAdded,
  initialValues,
  children,
}: {
  mutation: string;
  variables: (values: V) => Record<string, unknown>;
  done: string;
  button: string;
  onAdded: () => void;
  initialValues?: Partial<V>;
  children: ReactNode;
}) {
  const mutate = useMutate();
  const [form] = Form.useForm<V>();
  return (
    <Form<V>
      form={form}
      layout="inline"
      style={{ marginBottom: 16, rowGap: 8 }}
      initialValues={initialValues}
      onFinish={(v) => void mutate(mutation, variables(v), done).then((ok) => ok && (form.resetFields(), onAdded()))}
    >
      {children}
      <Button type="primary" htmlType="submit">
        {button}
      </Button>
    </Form>
  );
}

/** 名称 and 标识 (a slug: lower-case letters, digits, hyphens), both required. */
export function NameSlugItems({ nameWidth }: { nameWidth: number }) {
  return (
    <>
      <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
        <Input style={{ width: nameWidth }} />
      </Form.Item>
      <Form.Item
        name="slug"
        label="标识"
        rules={[{ required: true, pattern: /^[a-z0-9-]+$/, message: '小写字母、数字或连字符' }]}
      >
        <Input style={{ width: 120 }} />
      </Form.Item>
    </>
  );
}

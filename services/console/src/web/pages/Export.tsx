/** @jsxImportSource react */
import { App, Button, Progress, Space } from 'antd';
import { useState } from 'react';
import { downloadCsv, errorText } from '../api.js';

/** A CSV export button that shows its progress while the file streams in. */
export function ExportButton({ path, name, label = '导出 CSV' }: { path: string; name: string; label?: string }) {
  const { message } = App.useApp();
  const [state, setState] = useState<{ received: number; total: number | null } | null>(null);
  const run = async () => {
    setState({ received: 0, total: null });
    try {
      const bytes = await downloadCsv(path, name, (received, total) => setState({ received, total }));
      message.success(`已导出（${(bytes / 1024).toFixed(1)} KB）`);
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setState(null);
    }
  };
  return (
    <Space>
      <Button onClick={() => void run()} loading={state !== null} data-testid="export">
        {label}
      </Button>
      {state ? (
        state.total ? (
          <Progress percent={Math.round((state.received / state.total) * 100)} size="small" style={{ width: 140 }} />
        ) : (
          <span data-testid="export-progress">已接收 {(state.received / 1024).toFixed(1)} KB…</span>
        )
      ) : null}
    </Space>
  );
}

/** @jsxImportSource react */
// 我的任务 (/planning/tasks): 接单, 拒单, 写稿, 交稿.
import { Button, Card, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { gql } from '../../api.js';
import { ErrorBox, useGql } from '../../hooks.js';
import { navigate } from '../../router.js';
import { useSession } from '../../session.js';
import {
  ANSWER,
  AnswerDialogs,
  type Assignment,
  DRAFT,
  Due,
  MINE,
  ProgressTag,
  StoryCell,
  TASK,
  useCaps,
  useRun,
} from './shared.js';

export function MyTasksPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const { can, gate } = useCaps(tenantId);
  const { data, error, loading, reload } = useGql<{ myAssignments: Assignment[] }>(MINE, can ? { tenantId } : null);
  const { run, busy } = useRun();
  const [declining, setDeclining] = useState<Assignment | null>(null);
  const [filing, setFiling] = useState<Assignment | null>(null);
  if (gate || !can) return <>{gate}</>;
  const write = (a: Assignment) =>
    void run(async () => {
      const r = await gql<{ draftAssignmentStory: { storyId: string } }>(DRAFT, { tenantId, id: a.id });
      navigate(`/stories/${r.draftAssignmentStory.storyId}`);
    }, '已新建稿件，请撰写后送审');
  return (
    <Card title="我的任务">
      <ErrorBox error={error} />
      <Table<Assignment>
        size="small"
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={data?.myAssignments ?? []}
        scroll={{ x: 1100 }}
        locale={{ emptyText: '暂无派给您的任务' }}
        columns={[
          {
            title: '任务',
            key: 'title',
            render: (_, a) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{a.title}</Typography.Text>
                {a.instructions ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'pre-wrap' }}>
                    {a.instructions}
                  </Typography.Text>
                ) : null}
                {a.campaignTitle ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    专题：{a.campaignTitle}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          { title: '分工', key: 'task', width: 60, render: (_, a) => TASK[a.task] },
          { title: '派单人', key: 'by', width: 100, render: (_, a) => a.assignedByName },
          { title: '截止', key: 'due', width: 180, render: (_, a) => <Due at={a.dueAt} overdue={a.overdue} /> },
          { title: '进度', key: 'progress', width: 90, render: (_, a) => <ProgressTag a={a} /> },
          { title: '稿件', key: 'story', width: 220, render: (_, a) => <StoryCell a={a} own /> },
          {
            title: '操作',
            key: 'act',
            width: 220,
            render: (_, a) => (
              <Space size={0} wrap>
                {a.viewerCan.accept ? (
                  <Button
                    type="link"
                    size="small"
                    disabled={busy}
                    onClick={() => void run(() => gql(ANSWER, { tenantId, id: a.id, accept: true }), '已接单', reload)}
                    data-testid="task-accept"
                  >
                    接单
                  </Button>
                ) : null}
                {a.viewerCan.file && !a.storyId ? (
                  <Button type="link" size="small" disabled={busy} onClick={() => write(a)} data-testid="task-write">
                    写稿
                  </Button>
                ) : null}
                {a.viewerCan.file ? (
                  <Button type="link" size="small" disabled={busy} onClick={() => setFiling(a)} data-testid="task-file">
                    {a.storyId ? '改交（原稿已撤）' : '交稿'}
                  </Button>
                ) : null}
                {a.viewerCan.decline ? (
                  <Button
                    type="link"
                    size="small"
                    danger
                    disabled={busy}
                    onClick={() => setDeclining(a)}
                    data-testid="task-decline"
                  >
                    拒单
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <AnswerDialogs
        tenantId={tenantId}
        declining={declining}
        filing={filing}
        declineLabel="拒单理由"
        run={run}
        reload={reload}
        onDeclineClosed={() => setDeclining(null)}
        onFileClosed={() => setFiling(null)}
      />
    </Card>
  );
}

// ---------------------------------------------------------------- 上下级协同

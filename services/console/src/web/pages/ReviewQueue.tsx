/** @jsxImportSource react */
import { App, Badge, Button, Card, Drawer, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorText, gql, subscribe } from '../api.js';
import { ErrorBox, useGql } from '../hooks.js';
import { fmtTime, REVIEW_ROLE } from '../labels.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { STORY_TEXT_SELECTION, type StoryTextName } from '../story-fields.js';
import type { Block, Finding, ReviewRole } from '../types.js';
import { ArticlePreview, FACE_FIELDS, FindingList } from './StoryEditor.js';
import type { Face } from '../types.js';

interface QueueItem {
  id: string;
  updatedAt: string;
  section: { name: string } | null;
  unit: { name: string } | null;
  createdBy: { name: string } | null;
  review: { step: number; steps: ReviewRole[]; revision: number } | null;
  currentRevision: Record<StoryTextName, string> & { number: number; body: unknown };
  findings: Finding[];
}

const QUERY = `query Queue($tenantId: ID!) {
  reviewQueue(tenantId: $tenantId) { id updatedAt section { name } unit { name } createdBy { name } review { step steps revision }
    currentRevision { number ${STORY_TEXT_SELECTION} body } findings { ruleId severity match replacement note field blockIndex start end } }
  tenant(id: $tenantId) { id face { ${FACE_FIELDS} } }
}`;

export function ReviewQueuePage() {
  const { current } = useSession();
  const { message, modal } = App.useApp();
  const tenantId = current.tenant.id;
  const { data, error, loading, reload } = useGql<{ reviewQueue: QueueItem[]; tenant: { face: Face } | null }>(QUERY, {
    tenantId,
  });
  const [live, setLive] = useState(false);
  const [open, setOpen] = useState<QueueItem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  // live updates: the queue refreshes when any story of the tenant moves in the chain
  useEffect(
    () =>
      subscribe<{ reviewQueueChanged: { storyId: string } }>(
        `subscription Q($tenantId: ID!) { reviewQueueChanged(tenantId: $tenantId) { tenantId storyId status } }`,
        { tenantId },
        () => reload(),
        setLive,
      ),
    [tenantId, reload],
  );

  const decide = async (item: QueueItem, approve: boolean, text: string) => {
    setBusy(item.id);
    setActionError(null);
    try {
      if (approve)
        await gql(
          `mutation A($tenantId: ID!, $id: ID!, $comment: String) { approveStory(tenantId: $tenantId, id: $id, comment: $comment) { story { id status } } }`,
          { tenantId, id: item.id, comment: text || null },
        );
      else
        await gql(
          `mutation R($tenantId: ID!, $id: ID!, $reason: String!) { rejectStory(tenantId: $tenantId, id: $id, reason: $reason) { story { id status } } }`,
          { tenantId, id: item.id, reason: text },
        );
      message.success(approve ? '已通过本步审校' : '已退回');
      setOpen(null);
      reload();
    } catch (err) {
      setActionError(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  const ask = (item: QueueItem, approve: boolean) => {
    let text = '';
    modal.confirm({
      title: approve ? `通过「${item.currentRevision.title}」` : `退回「${item.currentRevision.title}」`,
      content: (
        <Input.TextArea
          autoFocus
          rows={3}
          placeholder={approve ? '审校意见（选填）' : '退回理由（必填）'}
          onChange={(e) => (text = e.target.value)}
          data-testid="reason"
        />
      ),
      okText: approve ? '通过' : '退回',
      okButtonProps: approve ? {} : { danger: true },
      cancelText: '取消',
      onOk: () => {
        if (!approve && !text.trim()) {
          message.error('请填写退回理由');
          return Promise.reject(new Error('reason'));
        }
        void decide(item, approve, text.trim());
        return undefined;
      },
    });
  };

  return (
    <Card
      title={
        <Space>
          审校队列
          <Badge status={live ? 'processing' : 'default'} text={live ? '实时更新中' : '未连接'} data-testid="live" />
        </Space>
      }
    >
      <ErrorBox error={error ?? actionError} />
      <Table<QueueItem>
        rowKey="id"
        loading={loading}
        dataSource={data?.reviewQueue ?? []}
        pagination={false}
        scroll={{ x: 760 }}
        locale={{ emptyText: <Empty description="目前没有等待您审校的稿件" /> }}
        columns={[
          {
            title: '标题',
            key: 't',
            render: (_, s) => (
              <a onClick={() => setOpen(s)} data-testid="queue-title">
                {s.currentRevision.title}
              </a>
            ),
          },
          {
            title: '当前步骤',
            key: 'step',
            width: 200,
            render: (_, s) =>
              s.review ? (
                <Tag color="blue">
                  第 {s.review.step}/{s.review.steps.length} 步 · {REVIEW_ROLE[s.review.steps[s.review.step - 1]!]}
                </Tag>
              ) : (
                '—'
              ),
          },
          { title: '来自', key: 'from', width: 180, render: (_, s) => s.unit?.name ?? s.createdBy?.name ?? '—' },
          {
            title: '提示',
            key: 'f',
            width: 100,
            render: (_, s) =>
              s.findings.length ? (
                <Tag color={s.findings.some((f) => f.severity === 'BLOCK') ? 'red' : 'orange'}>
                  {s.findings.length} 处表述
                </Tag>
              ) : null,
          },
          { title: '更新', key: 'u', width: 150, render: (_, s) => fmtTime(s.updatedAt) },
          {
            title: '操作',
            key: 'a',
            width: 170,
            render: (_, s) => (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  loading={busy === s.id}
                  onClick={() => ask(s, true)}
                  data-testid="queue-approve"
                >
                  通过
                </Button>
                <Button size="small" danger onClick={() => ask(s, false)} data-testid="queue-reject">
                  退回
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Drawer
        width={Math.min(860, window.innerWidth)}
        open={!!open}
        onClose={() => setOpen(null)}
        title={open?.currentRevision.title}
        extra={
          open ? (
            <Space>
              <Button onClick={() => navigate(`/stories/${open.id}`)}>打开稿件</Button>
              <Button type="primary" onClick={() => ask(open, true)}>
                通过
              </Button>
              <Button danger onClick={() => ask(open, false)}>
                退回
              </Button>
            </Space>
          ) : null
        }
      >
        {open && data?.tenant ? (
          <>
            <FindingList findings={open.findings} />
            <Typography.Paragraph type="secondary">第 {open.currentRevision.number} 版</Typography.Paragraph>
            <ArticlePreview
              face={data.tenant.face}
              meta={open.currentRevision}
              blocks={(open.currentRevision.body as Block[]) ?? []}
              tenantName={current.tenant.name}
              sectionName={open.section?.name}
            />
          </>
        ) : null}
      </Drawer>
    </Card>
  );
}

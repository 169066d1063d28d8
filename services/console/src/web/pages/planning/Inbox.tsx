/** @jsxImportSource react */
// 上下级协同 (/planning/inbox): 上级派单 (接单, 拒单, 交稿, the local topic) and 下级报题 (采纳, 不采纳).
import { Button, Card, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { gql } from '../../api.js';
import { ErrorBox, ReadOnlyNote, useGql } from '../../hooks.js';
import { fmtTime } from '../../labels.js';
import { useSession } from '../../session.js';
import {
  ANSWER,
  AnswerDialogs,
  type Assignment,
  type Caps,
  DECIDE_PITCH,
  Due,
  INCOMING,
  options,
  type Pitch,
  PITCH_STATUS,
  PITCH_STATUS_COLOR,
  PITCHES,
  type PitchStatus,
  ProgressTag,
  ReasonDialog,
  StoryCell,
  TASK,
  useCaps,
  useRun,
} from './shared.js';
import { TopicDrawer } from './Topics.js';

export function PlanningInboxPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const { can, gate } = useCaps(tenantId);
  if (gate || !can) return <>{gate}</>;
  // a province has no ancestor to assign it work, a county no descendant to pitch to it
  const level = current.tenant.level;
  return (
    <Tabs
      items={[
        ...(level !== 'PROVINCE'
          ? [{ key: 'assignments', label: '上级派单', children: <IncomingAssignments tenantId={tenantId} can={can} /> }]
          : []),
        ...(level !== 'COUNTY'
          ? [{ key: 'pitches', label: '下级报题', children: <IncomingPitches tenantId={tenantId} can={can} /> }]
          : []),
      ]}
    />
  );
}

function IncomingAssignments({ tenantId, can }: { tenantId: string; can: Caps }) {
  const { data, error, loading, reload } = useGql<{ incomingAssignments: Assignment[] }>(INCOMING, { tenantId });
  const { run, busy } = useRun();
  const [declining, setDeclining] = useState<Assignment | null>(null);
  const [filing, setFiling] = useState<Assignment | null>(null);
  const [topic, setTopic] = useState<string | null>(null);
  return (
    <Card title="上级派单">
      {!can.plan ? <ReadOnlyNote text="上级派给本单位的任务由编辑、总编辑接单并安排采写" /> : null}
      <ErrorBox error={error} />
      <Table<Assignment>
        size="small"
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={data?.incomingAssignments ?? []}
        scroll={{ x: 1100 }}
        locale={{ emptyText: '暂无上级派单' }}
        columns={[
          { title: '派单单位', key: 'from', width: 100, render: (_, a) => a.tenant.name },
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
          { title: '截止', key: 'due', width: 180, render: (_, a) => <Due at={a.dueAt} overdue={a.overdue} /> },
          {
            title: '进度',
            key: 'progress',
            width: 130,
            render: (_, a) => (
              <Space direction="vertical" size={0}>
                <ProgressTag a={a} />
                {a.answeredByName ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {a.answeredByName}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          { title: '稿件', key: 'story', width: 200, render: (_, a) => <StoryCell a={a} own /> },
          {
            title: '操作',
            key: 'act',
            width: 230,
            render: (_, a) => (
              <Space size={0} wrap>
                {a.viewerCan.accept ? (
                  <Button
                    type="link"
                    size="small"
                    disabled={busy}
                    onClick={() =>
                      void run(
                        () => gql(ANSWER, { tenantId, id: a.id, accept: true }),
                        '已接单，已在本单位立项',
                        reload,
                      )
                    }
                    data-testid="incoming-accept"
                  >
                    接单
                  </Button>
                ) : null}
                {a.viewerCan.decline ? (
                  <Button
                    type="link"
                    size="small"
                    danger
                    disabled={busy}
                    onClick={() => setDeclining(a)}
                    data-testid="incoming-decline"
                  >
                    拒单
                  </Button>
                ) : null}
                {a.localTopicId ? (
                  <Button
                    type="link"
                    size="small"
                    onClick={() => setTopic(a.localTopicId ?? null)}
                    data-testid="incoming-topic"
                  >
                    本单位选题
                  </Button>
                ) : null}
                {a.viewerCan.file ? (
                  <Button
                    type="link"
                    size="small"
                    disabled={busy}
                    onClick={() => setFiling(a)}
                    data-testid="incoming-file"
                  >
                    交稿
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
        declineLabel="拒单理由（上级单位可以看到）"
        run={run}
        reload={reload}
        onDeclineClosed={() => setDeclining(null)}
        onFileClosed={() => setFiling(null)}
      />
      {topic ? <TopicDrawer tenantId={tenantId} id={topic} onClose={() => setTopic(null)} onChanged={reload} /> : null}
    </Card>
  );
}

function IncomingPitches({ tenantId, can }: { tenantId: string; can: Caps }) {
  const [status, setStatus] = useState<PitchStatus | undefined>('PENDING');
  const { data, error, loading, reload } = useGql<{ incomingPitches: Pitch[] }>(PITCHES, {
    tenantId,
    status: status ?? null,
  });
  const { run, busy } = useRun();
  const [deciding, setDeciding] = useState<{ pitch: Pitch; accept: boolean } | null>(null);
  return (
    <Card
      title="下级报题"
      extra={
        <Select
          allowClear
          placeholder="全部"
          style={{ width: 120 }}
          value={status}
          onChange={(v?: PitchStatus) => setStatus(v)}
          options={options(PITCH_STATUS)}
          data-testid="pitch-filter"
        />
      }
    >
      {!can.plan ? <ReadOnlyNote text="下级单位报送的选题由编辑、总编辑决定是否采纳" /> : null}
      <ErrorBox error={error} />
      <Table<Pitch>
        size="small"
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={data?.incomingPitches ?? []}
        scroll={{ x: 1000 }}
        locale={{ emptyText: '暂无下级报题' }}
        columns={[
          { title: '报题单位', key: 'from', width: 100, render: (_, p) => p.tenant.name },
          {
            title: '选题',
            key: 'topic',
            render: (_, p) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{p.topicTitle}</Typography.Text>
                {p.topicBrief ? (
                  <Tooltip title={p.topicBrief}>
                    <Typography.Text type="secondary" ellipsis style={{ maxWidth: 360, fontSize: 12 }}>
                      {p.topicBrief}
                    </Typography.Text>
                  </Tooltip>
                ) : null}
                {p.note ? <Typography.Text style={{ fontSize: 12 }}>推荐理由：{p.note}</Typography.Text> : null}
              </Space>
            ),
          },
          { title: '专题', key: 'campaign', width: 160, render: (_, p) => p.campaignTitle ?? '—' },
          { title: '报题人', key: 'by', width: 150, render: (_, p) => `${p.pitchedByName} · ${fmtTime(p.createdAt)}` },
          {
            title: '状态',
            key: 'status',
            width: 150,
            render: (_, p) => (
              <Space direction="vertical" size={0}>
                <Tag color={PITCH_STATUS_COLOR[p.status]} data-testid="pitch-status">
                  {PITCH_STATUS[p.status]}
                </Tag>
                {p.decidedByName ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {p.decidedByName}
                    {p.decisionNote ? `：${p.decisionNote}` : ''}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: '操作',
            key: 'act',
            width: 140,
            render: (_, p) =>
              p.viewerCan.decide ? (
                <Space size={0}>
                  <Button
                    type="link"
                    size="small"
                    disabled={busy}
                    onClick={() => setDeciding({ pitch: p, accept: true })}
                    data-testid="pitch-accept"
                  >
                    采纳
                  </Button>
                  <Button
                    type="link"
                    size="small"
                    danger
                    disabled={busy}
                    onClick={() => setDeciding({ pitch: p, accept: false })}
                    data-testid="pitch-decline"
                  >
                    不采纳
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      {deciding ? (
        <ReasonDialog
          title={`${deciding.accept ? '采纳' : '不采纳'}：${deciding.pitch.topicTitle}`}
          label={deciding.accept ? '意见' : '不采纳的理由（报题单位可以看到）'}
          required={!deciding.accept}
          okText={deciding.accept ? '采纳' : '不采纳'}
          danger={!deciding.accept}
          onOk={(note) =>
            run(
              () => gql(DECIDE_PITCH, { tenantId, id: deciding.pitch.id, accept: deciding.accept, note }),
              deciding.accept ? '已采纳' : '已回复',
              reload,
            )
          }
          onClose={() => setDeciding(null)}
        />
      ) : null}
    </Card>
  );
}

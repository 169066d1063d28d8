/** @jsxImportSource react */
// 关联任务 in the story editor (schema/planning.graphql: storyCoverages, linkableCoverages,
// linkStoryToCoverage): which coverage the story fulfils (the topic, the kind, the due time, its
// state, a link to the topic), and for an unlinked draft, linking it to an open coverage of the
// editor's desk.
import { Alert, App, Button, Descriptions, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { errorText, gql } from '../../api.js';
import { ErrorBox, useGql } from '../../hooks.js';
import { COVERAGE_KIND, COVERAGE_STATE, COVERAGE_STATE_COLOR } from './labels.js';
import { type Assignment, Due } from './shared.js';
import { TopicDrawer } from './Topics.js';

type Coverage = Pick<
  Assignment,
  'id' | 'topicId' | 'title' | 'task' | 'dueAt' | 'state' | 'overdue' | 'assigneeName' | 'localTopicId' | 'tenant'
>;
const FIELDS = 'id topicId title task dueAt state overdue assigneeName localTopicId tenant { id name }';
const OF_STORY = `query StoryCoverages($tenantId: ID!, $storyId: ID!) { storyCoverages(tenantId: $tenantId, storyId: $storyId) { ${FIELDS} } }`;
const LINKABLE = `query LinkableCoverages($tenantId: ID!) { linkableCoverages(tenantId: $tenantId) { ${FIELDS} } }`;
const LINK = `mutation LinkStoryToCoverage($tenantId: ID!, $storyId: ID!, $assignmentId: ID!) { linkStoryToCoverage(tenantId: $tenantId, storyId: $storyId, assignmentId: $assignmentId) { id } }`;

/** The topic a coverage can be opened on from this tenant: its own, or its local topic for an ancestor's. */
const topicOf = (c: Coverage, tenantId: string): string | null =>
  c.tenant.id === tenantId ? c.topicId : (c.localTopicId ?? null);

export function StoryCoverage({ tenantId, storyId, draft }: { tenantId: string; storyId: string; draft: boolean }) {
  const { message } = App.useApp();
  const linked = useGql<{ storyCoverages: Coverage[] }>(OF_STORY, { tenantId, storyId });
  const list = linked.data?.storyCoverages ?? [];
  const open = useGql<{ linkableCoverages: Coverage[] }>(
    LINKABLE,
    draft && linked.data && !list.length ? { tenantId } : null,
  );
  const [choice, setChoice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [topic, setTopic] = useState<string | null>(null);
  const link = async () => {
    if (!choice) return;
    setBusy(true);
    setError(null);
    try {
      await gql(LINK, { tenantId, storyId, assignmentId: choice });
      message.success('已关联任务');
      setChoice(undefined);
      linked.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="story-coverage">
      <ErrorBox error={error ?? linked.error ?? open.error} />
      {list.map((c) => {
        const t = topicOf(c, tenantId);
        return (
          <Descriptions key={c.id} size="small" bordered column={2} data-testid="story-coverage-item">
            <Descriptions.Item label="选题">
              <Typography.Text strong data-testid="story-coverage-topic">
                {c.title}
              </Typography.Text>
              {c.tenant.id !== tenantId ? <Tag style={{ marginLeft: 8 }}>{c.tenant.name}派单</Tag> : null}
            </Descriptions.Item>
            <Descriptions.Item label="任务类型">{COVERAGE_KIND[c.task]}</Descriptions.Item>
            <Descriptions.Item label="截稿时间">
              <Due at={c.dueAt} overdue={c.overdue} />
            </Descriptions.Item>
            <Descriptions.Item label="任务状态">
              <Tag color={COVERAGE_STATE_COLOR[c.state]}>{COVERAGE_STATE[c.state]}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label="承担" span={t ? 1 : 2}>
              {c.assigneeName}
            </Descriptions.Item>
            {t ? (
              <Descriptions.Item label="选题详情">
                <a onClick={() => setTopic(t)} data-testid="story-coverage-open">
                  查看选题
                </a>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        );
      })}
      {linked.data && !list.length ? (
        draft ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              这篇稿件尚未关联任务。可以关联到本单位（或您本人）尚未交稿的任务：
            </Typography.Text>
            <Space.Compact style={{ width: '100%' }}>
              <Select
                style={{ width: '100%' }}
                placeholder={open.data?.linkableCoverages.length ? '选择任务' : '没有可关联的任务'}
                value={choice}
                onChange={setChoice}
                allowClear
                data-testid="story-coverage-choose"
                options={(open.data?.linkableCoverages ?? []).map((c) => ({
                  value: c.id,
                  label: `${c.title} · ${COVERAGE_KIND[c.task]} · ${c.assigneeName}${c.tenant.id !== tenantId ? `（${c.tenant.name}派单）` : ''}`,
                }))}
              />
              <Button
                type="primary"
                disabled={!choice}
                loading={busy}
                onClick={() => void link()}
                data-testid="story-coverage-link"
              >
                关联
              </Button>
            </Space.Compact>
          </Space>
        ) : (
          <Alert type="info" showIcon message="这篇稿件未关联任务（只有草稿可以关联）" />
        )
      ) : null}
      {topic ? (
        <TopicDrawer tenantId={tenantId} id={topic} onClose={() => setTopic(null)} onChanged={linked.reload} />
      ) : null}
    </Space>
  );
}

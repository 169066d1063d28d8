/** @jsxImportSource react */
import { Button, Card, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { ErrorBox, useGql } from '../hooks.js';
import { fmtTime, STATUS, STATUS_COLOR } from '../labels.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import type { StoryListItem, StoryStatus } from '../types.js';

export const STORY_LIST_FIELDS = `id status kind updatedAt publishedAt scheduledAt
  currentRevision { number title } section { id name } unit { id name } review { step steps revision } createdBy { name }`;

const QUERY = `query Stories($tenantId: ID!, $status: StoryStatus, $sectionId: ID, $unitId: ID, $query: String, $after: String) {
  tenant(id: $tenantId) { id sections { id name } units { id name } }
  stories(tenantId: $tenantId, status: $status, sectionId: $sectionId, unitId: $unitId, query: $query, first: 20, after: $after) {
    edges { node { ${STORY_LIST_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Data {
  tenant: { sections: { id: string; name: string }[]; units: { id: string; name: string }[] } | null;
  stories: { edges: { node: StoryListItem }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export function StoriesPage() {
  const { current } = useSession();
  const [status, setStatus] = useState<StoryStatus | undefined>();
  const [sectionId, setSectionId] = useState<string | undefined>();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [query, setQuery] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const { data, error, loading } = useGql<Data>(QUERY, {
    tenantId: current.tenant.id,
    status: status ?? null,
    sectionId: sectionId ?? null,
    unitId: unitId ?? null,
    query: query || null,
    after,
  });
  const resetPages = () => setCursors([null]);
  return (
    <Card
      title="稿件列表"
      extra={
        <Button type="primary" onClick={() => navigate('/stories/new')} data-testid="new-story">
          新建稿件
        </Button>
      }
    >
      <ErrorBox error={error} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder="状态"
          data-testid="status-filter"
          style={{ width: 130 }}
          value={status}
          onChange={(v: StoryStatus | undefined) => (setStatus(v), resetPages())}
          options={Object.entries(STATUS).map(([value, label]) => ({ value, label }))}
        />
        <Select
          allowClear
          placeholder="栏目"
          style={{ width: 130 }}
          value={sectionId}
          onChange={(v: string | undefined) => (setSectionId(v), resetPages())}
          options={(data?.tenant?.sections ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
        <Select
          allowClear
          placeholder="政务号"
          style={{ width: 180 }}
          value={unitId}
          onChange={(v: string | undefined) => (setUnitId(v), resetPages())}
          options={(data?.tenant?.units ?? []).map((u) => ({ value: u.id, label: u.name }))}
        />
        <Input.Search
          placeholder="搜索标题"
          allowClear
          style={{ width: 220 }}
          onSearch={(v) => (setQuery(v.trim()), resetPages())}
        />
      </Space>
      <Table<StoryListItem>
        rowKey="id"
        size="middle"
        loading={loading}
        scroll={{ x: 800 }}
        pagination={false}
        dataSource={data?.stories.edges.map((e) => e.node) ?? []}
        onRow={(s) => ({ onClick: () => navigate(`/stories/${s.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: '标题', key: 'title', render: (_, s) => <a data-testid="story-link">{s.currentRevision.title}</a> },
          {
            title: '状态',
            key: 'status',
            width: 130,
            render: (_, s) => (
              <Tag color={STATUS_COLOR[s.status]}>
                {STATUS[s.status]}
                {s.status === 'IN_REVIEW' && s.review ? ` ${s.review.step}/${s.review.steps.length}` : ''}
              </Tag>
            ),
          },
          { title: '栏目', key: 'section', width: 90, render: (_, s) => s.section?.name ?? '—' },
          { title: '政务号', key: 'unit', width: 160, render: (_, s) => s.unit?.name ?? '—' },
          { title: '作者', key: 'by', width: 120, render: (_, s) => s.createdBy?.name ?? '—' },
          { title: '更新时间', key: 'updated', width: 160, render: (_, s) => fmtTime(s.updatedAt) },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
          上一页
        </Button>
        <Button
          disabled={!data?.stories.pageInfo.hasNextPage}
          onClick={() => setCursors((c) => [...c, data?.stories.pageInfo.endCursor ?? null])}
        >
          下一页
        </Button>
      </Space>
    </Card>
  );
}

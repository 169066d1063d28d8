/** @jsxImportSource react */
// Where a story is carried (稿件去向): shared by the story editor and the syndication screens.
import { Table, Tag } from 'antd';
import { useEffect } from 'react';
import { ErrorBox, useGql } from '../hooks.js';
import { fmtTime, MODE, PLACEMENT_STATUS, PLACEMENT_STATUS_COLOR } from '../labels.js';
import type { Placement } from '../types.js';

function PlacementsTable({ placements }: { placements: Placement[] }) {
  return (
    <Table<Placement>
      size="small"
      rowKey="id"
      pagination={{ pageSize: 20 }}
      dataSource={placements}
      scroll={{ x: 600 }}
      data-testid="placements"
      columns={[
        { title: '门户', key: 'tenant', render: (_, p) => p.tenant.name },
        { title: '方式', key: 'mode', render: (_, p) => MODE[p.mode] },
        {
          title: '状态',
          key: 'status',
          render: (_, p) => (
            <Tag color={PLACEMENT_STATUS_COLOR[p.status]} data-testid="placement-status">
              {PLACEMENT_STATUS[p.status]}
            </Tag>
          ),
        },
        { title: '栏目', key: 'section', render: (_, p) => p.section?.name ?? '—' },
        {
          title: '备注',
          key: 'note',
          render: (_, p) => p.declineReason ?? (p.localTitle ? `本地标题：${p.localTitle}` : ''),
        },
        { title: '时间', key: 'at', render: (_, p) => fmtTime(p.placedAt) },
      ]}
    />
  );
}

export const PLACEMENT_FIELDS = `id mode mandatory status pinned localTitle declineReason placedAt tenant { id name slug level host } section { id name } story { id title summary publishedAt retracted origin { id name slug level host } }`;

export function StoryPlacements({ tenantId, storyId }: { tenantId: string; storyId: string }) {
  const { data, error, loading, reload } = useGql<{ story: { placements: Placement[] } | null }>(
    `query WhereIs($tenantId: ID!, $id: ID!) { story(tenantId: $tenantId, id: $id) { placements { ${PLACEMENT_FIELDS} } } }`,
    { tenantId, id: storyId },
  );
  useEffect(() => {
    // a push fans out in the background: refresh while the page is open
    const timer = setInterval(reload, 5000);
    return () => clearInterval(timer);
  }, [reload]);
  return (
    <>
      <ErrorBox error={error} />
      {loading && !data ? null : <PlacementsTable placements={data?.story?.placements ?? []} />}
    </>
  );
}

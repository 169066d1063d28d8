/** @jsxImportSource react */
import { Card, Progress, Radio, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ErrorBox, useGql } from '../hooks.js';

/** One video's plays over the dashboard's period (GraphQL videoAnalytics). */
interface VideoRow {
  videoId: string;
  title: string;
  vertical: boolean;
  durationMs: number;
  plays: number;
  viewers: number;
  watchSeconds: number;
  averageCompletion: number;
  completed: number;
  faces: { face: { id: string; name: string }; plays: number; watchSeconds: number; averageCompletion: number }[];
}

const nf = (n: number) => n.toLocaleString('zh-CN');

/** Watch time in Chinese units: 1 小时 5 分, 3 分 20 秒, 12 秒. */
export function watchTime(seconds: number): string {
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} 小时 ${Math.floor((s % 3600) / 60)} 分`;
  if (s >= 60) return `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
  return `${s} 秒`;
}

const pct = (x: number) => Math.round(x * 100);

/**
 * 视频播放: plays, watch time and average completion per video (issue #17, item 5), for the
 * tenant's own face or rolled up over its subtree, with the faces each video was played on.
 * Mounted by the data dashboard (Data.tsx) with its period.
 */
export function VideoStatsCard({ tenantId, from, to }: { tenantId: string; from: string; to: string }) {
  const [scope, setScope] = useState<'OWN' | 'TREE'>('TREE');
  const { data, error, loading } = useGql<{ videoAnalytics: VideoRow[] }>(
    `query VideoStats($tenantId: ID!, $from: Date!, $to: Date!, $scope: AnalyticsScope) {
      videoAnalytics(tenantId: $tenantId, from: $from, to: $to, scope: $scope, limit: 20) {
        videoId title vertical durationMs plays viewers watchSeconds averageCompletion completed
        faces { face { id name } plays watchSeconds averageCompletion }
      }
    }`,
    { tenantId, from, to, scope },
  );
  const rows = data?.videoAnalytics ?? [];
  return (
    <Card
      title="视频播放"
      data-testid="video-stats"
      extra={
        <Radio.Group size="small" value={scope} onChange={(e) => setScope(e.target.value as 'OWN' | 'TREE')}>
          <Radio.Button value="OWN">本单位门户</Radio.Button>
          <Radio.Button value="TREE">含全部下级</Radio.Button>
        </Radio.Group>
      }
    >
      <ErrorBox error={error} />
      <Table<VideoRow>
        size="small"
        rowKey="videoId"
        loading={loading}
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: '所选时段内没有视频播放' }}
        expandable={{
          rowExpandable: (v) => v.faces.length > 0,
          expandedRowRender: (v) => (
            <Space wrap>
              {v.faces.map((f) => (
                <Tag key={f.face.id}>
                  {f.face.name}：播放 {nf(f.plays)} 次 · {watchTime(f.watchSeconds)} · 完播 {pct(f.averageCompletion)}%
                </Tag>
              ))}
            </Space>
          ),
        }}
        columns={[
          {
            title: '视频',
            key: 't',
            ellipsis: true,
            render: (_, v) => (
              <Space size={4}>
                <Typography.Text>{v.title}</Typography.Text>
                {v.vertical ? <Tag color="purple">竖屏</Tag> : null}
              </Space>
            ),
          },
          {
            title: '播放次数',
            key: 'p',
            width: 90,
            render: (_, v) => <span data-testid="video-plays">{nf(v.plays)}</span>,
          },
          { title: '观看人数', key: 'u', width: 90, render: (_, v) => nf(v.viewers) },
          { title: '观看时长', key: 'w', width: 120, render: (_, v) => watchTime(v.watchSeconds) },
          {
            title: '平均完播率',
            key: 'c',
            width: 140,
            render: (_, v) => <Progress percent={pct(v.averageCompletion)} size="small" />,
          },
          { title: '完整播放', key: 'e', width: 90, render: (_, v) => nf(v.completed) },
          { title: '播放门户', key: 'f', width: 90, render: (_, v) => `${v.faces.length} 个` },
        ]}
      />
    </Card>
  );
}

/** @jsxImportSource react */
// The video library (issue #17): resumable upload with tus (tus-js-client: a dropped connection
// retries, and choosing the same file again after a reload resumes where it stopped, from the
// upload URL it keeps in localStorage), the transcoding state heard live (videoChanged), captions,
// sharing with the tree, and the picker the story editor uses for video blocks.
import { App, Button, Card, Progress, Select, Space, Switch, Table, Tag, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Upload as TusUpload, type DetailedError } from 'tus-js-client';
import { errorText, gql, subscribe, tokenStore } from '../api.js';
import { ErrorBox, useGql } from '../hooks.js';
import { useSession } from '../session.js';
import { PosterButton } from './VideoPoster.js';

export interface VideoItem {
  id: string;
  tenantId: string;
  title: string;
  originalName: string;
  status: 'QUEUED' | 'PROCESSING' | 'READY' | 'FAILED';
  progress: number;
  error: string | null;
  width: number;
  height: number;
  vertical: boolean;
  durationMs: number;
  sourceBytes: number;
  posterUrl: string | null;
  hasCaptions: boolean;
  shared: boolean;
  createdAt: string;
}

const FIELDS =
  'id tenantId title originalName status progress error width height vertical durationMs sourceBytes posterUrl hasCaptions shared createdAt';
const LIST = `query Videos($tenantId: ID!) { videos(tenantId: $tenantId, first: 100) { ${FIELDS} } videoLimits(tenantId: $tenantId) { maxBytes maxSeconds } }`;
const CHOOSE_POSTER = `mutation ChooseVideoPoster($tenantId: ID!, $id: ID!, $at: Float, $img: String) { chooseVideoPoster(tenantId: $tenantId, id: $id, atSeconds: $at, imageBase64: $img) { ${FIELDS} } }`;
const CHANGED = `subscription VideoChanged($tenantId: ID!) { videoChanged(tenantId: $tenantId) { ${FIELDS} } }`;

const STATUS: Record<VideoItem['status'], { label: string; color: string }> = {
  QUEUED: { label: '等待转码', color: 'default' },
  PROCESSING: { label: '转码中', color: 'processing' },
  READY: { label: '可用', color: 'success' },
  FAILED: { label: '失败', color: 'error' },
};

const seconds = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const megabytes = (n: number) =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${(n / 1024 ** 2).toFixed(1)} MB`;

/** The refusal the API sent with a tus answer (`{ code, message }`), else the transport's text. */
function tusErrorText(err: Error | DetailedError): string {
  const res = (err as DetailedError).originalResponse;
  if (res) {
    try {
      const body = JSON.parse(res.getBody()) as { message?: string };
      if (body.message) return body.message;
    } catch {
      // not ours: fall through
    }
    if (res.getStatus() === 401) return '请先登录';
    if (res.getStatus() === 403) return '没有执行此操作的权限';
  }
  return '上传中断，请检查网络后重新选择同一文件继续上传';
}

interface Uploading {
  name: string;
  percent: number;
  resumed: boolean;
  error: string | null;
}

/** One resumable upload: chunks of 8 MB, retried on a dropped connection, resumed after a reload. */
function useVideoUpload(tenantId: string, onDone: (videoId: string) => void) {
  const [state, setState] = useState<Uploading | null>(null);
  const current = useRef<TusUpload | null>(null);
  useEffect(() => () => void current.current?.abort(), []);
  const start = (file: File) => {
    const token = tokenStore.get();
    const upload = new TusUpload(file, {
      endpoint: `/videos/uploads?tenantId=${encodeURIComponent(tenantId)}`,
      chunkSize: 8 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      metadata: { filename: file.name, title: file.name.replace(/\.[^.]*$/, '') },
      headers: token ? { authorization: `Bearer ${token}` } : {},
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) =>
        setState((s) => (s ? { ...s, percent: Math.floor((sent / Math.max(1, total)) * 100) } : s)),
      onSuccess: ({ lastResponse }) => {
        setState((s) => (s ? { ...s, percent: 100 } : s));
        try {
          const body = JSON.parse(lastResponse.getBody()) as { videoId?: string };
          if (body.videoId) onDone(body.videoId);
        } catch {
          onDone('');
        }
        setTimeout(() => setState(null), 1500);
      },
      onError: (err) => setState((s) => (s ? { ...s, error: tusErrorText(err) } : s)),
    });
    current.current = upload;
    setState({ name: file.name, percent: 0, resumed: false, error: null });
    // the same file chosen again (after a reload or a failure) continues where it stopped
    void upload.findPreviousUploads().then((previous) => {
      if (previous[0]) {
        upload.resumeFromPreviousUpload(previous[0]);
        setState((s) => (s ? { ...s, resumed: true } : s));
      }
      upload.start();
    });
  };
  return { state, start };
}

export function VideosPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const { message } = App.useApp();
  const { data, error, loading, reload } = useGql<{
    videos: VideoItem[];
    videoLimits: { maxBytes: number; maxSeconds: number };
  }>(LIST, { tenantId });
  const [live, setLive] = useState<Record<string, VideoItem>>({});
  useEffect(
    () =>
      subscribe<{ videoChanged: VideoItem }>(CHANGED, { tenantId }, (d) =>
        setLive((m) => ({ ...m, [d.videoChanged.id]: d.videoChanged })),
      ),
    [tenantId],
  );
  const { state: uploading, start } = useVideoUpload(tenantId, () => {
    message.success('上传完成，正在排队转码');
    reload();
  });
  const rows = (data?.videos ?? []).map((v) => live[v.id] ?? v);
  const update = async (mutation: string, variables: Record<string, unknown>, done: string) => {
    try {
      await gql(mutation, { tenantId, ...variables });
      message.success(done);
      reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const limits = data?.videoLimits;
  return (
    <Card title="视频库" data-testid="videos-page">
      <ErrorBox error={error} />
      <Space direction="vertical" style={{ width: '100%', marginBottom: 16 }}>
        <Space wrap>
          <Upload
            accept="video/*"
            showUploadList={false}
            beforeUpload={(file) => {
              start(file);
              return false;
            }}
          >
            <Button type="primary" data-testid="upload-video" disabled={!!uploading && !uploading.error}>
              上传视频
            </Button>
          </Upload>
          {limits ? (
            <Typography.Text type="secondary">
              单个视频不超过 {megabytes(limits.maxBytes)}、{Math.round(limits.maxSeconds / 60)}{' '}
              分钟；断网或刷新页面后，重新选择同一文件即可从中断处继续上传
            </Typography.Text>
          ) : null}
        </Space>
        {uploading ? (
          <div data-testid="upload-progress">
            <Typography.Text>
              {uploading.resumed ? '继续上传' : '正在上传'}：{uploading.name}
            </Typography.Text>
            <Progress percent={uploading.percent} status={uploading.error ? 'exception' : 'active'} />
            {uploading.error ? <Typography.Text type="danger">{uploading.error}</Typography.Text> : null}
          </div>
        ) : null}
      </Space>
      <Table<VideoItem>
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={false}
        data-testid="video-table"
        columns={[
          {
            title: '封面',
            render: (_, v) => (
              <Space direction="vertical" size={4}>
                {v.posterUrl ? (
                  <img
                    src={v.posterUrl}
                    alt=""
                    style={{ width: v.vertical ? 54 : 128, height: 72, objectFit: 'cover' }}
                  />
                ) : (
                  <div style={{ width: 128, height: 72, background: '#eee' }} />
                )}
                {v.status === 'READY' && v.tenantId === tenantId ? (
                  <PosterButton<VideoItem>
                    video={v}
                    mutation={CHOOSE_POSTER}
                    onChanged={(nv) => setLive((m) => ({ ...m, [nv.id]: nv }))}
                  />
                ) : null}
              </Space>
            ),
          },
          {
            title: '标题',
            render: (_, v) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{v.title || v.originalName}</Typography.Text>
                <Typography.Text type="secondary">
                  {seconds(v.durationMs)} · {v.width}×{v.height}
                  {v.vertical ? ' · 竖屏' : ''} · {megabytes(v.sourceBytes)}
                  {v.tenantId !== tenantId ? ' · 上级共享' : ''}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: '状态',
            width: 240,
            render: (_, v) => (
              <Space direction="vertical" size={0} style={{ width: '100%' }} data-testid={`video-status-${v.id}`}>
                <Tag color={STATUS[v.status].color}>{STATUS[v.status].label}</Tag>
                {v.status === 'PROCESSING' ? <Progress percent={v.progress} size="small" /> : null}
                {v.error ? <Typography.Text type="danger">{v.error}</Typography.Text> : null}
              </Space>
            ),
          },
          {
            title: '字幕',
            render: (_, v) =>
              v.tenantId === tenantId ? (
                <Upload
                  accept=".vtt,text/vtt"
                  showUploadList={false}
                  beforeUpload={(file) => {
                    void file
                      .text()
                      .then((vtt) =>
                        update(
                          `mutation($tenantId: ID!, $id: ID!, $vtt: String) { setVideoCaptions(tenantId: $tenantId, id: $id, vtt: $vtt) { id } }`,
                          { id: v.id, vtt },
                          '字幕已保存',
                        ),
                      );
                    return false;
                  }}
                >
                  <Button size="small">{v.hasCaptions ? '更换字幕' : '上传字幕'}</Button>
                </Upload>
              ) : v.hasCaptions ? (
                '有'
              ) : (
                '无'
              ),
          },
          {
            title: '共享给下级',
            render: (_, v) =>
              v.tenantId === tenantId ? (
                <Switch
                  checked={v.shared}
                  disabled={v.status !== 'READY'}
                  onChange={(shared) =>
                    void update(
                      `mutation($tenantId: ID!, $id: ID!, $shared: Boolean!) { setVideoShared(tenantId: $tenantId, id: $id, shared: $shared) { id } }`,
                      { id: v.id, shared },
                      shared ? '已共享' : '已取消共享',
                    )
                  }
                />
              ) : (
                <Tag>共享</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}

/** Picks a ready video (own or shared in the tree) for a video block. */
export function VideoPicker({ tenantId, onPick }: { tenantId: string; onPick: (v: VideoItem) => void }) {
  const { data } = useGql<{ videos: VideoItem[] }>(
    `query ReadyVideos($tenantId: ID!) { videos(tenantId: $tenantId, first: 100) { ${FIELDS} } }`,
    { tenantId },
  );
  const ready = (data?.videos ?? []).filter((v) => v.status === 'READY');
  return (
    <Select
      placeholder="+ 视频（从视频库选择）"
      style={{ minWidth: 240 }}
      value={null}
      data-testid="pick-video"
      options={ready.map((v) => ({
        value: v.id,
        label: `${v.title || v.originalName}（${seconds(v.durationMs)}${v.vertical ? '，竖屏' : ''}）`,
      }))}
      onChange={(id: string) => {
        const v = ready.find((x) => x.id === id);
        if (v) onPick(v);
      }}
      notFoundContent="视频库里还没有可用的视频"
    />
  );
}

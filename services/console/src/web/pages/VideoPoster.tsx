/** @jsxImportSource react */
// The editor's poster for a ready video (issue #17): a frame picked by time (the preview player's
// current position, or typed in seconds) or an uploaded picture. The API cuts the frame with ffmpeg
// and swaps the poster in place; the list shows the new one at once.
import { App, Button, InputNumber, Modal, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { errorText, gql } from '../api.js';

export interface PosterTarget {
  id: string;
  tenantId: string;
  title: string;
  durationMs: number;
}

/** Reads a picked file as base64 (without the data: prefix). */
const base64 = (file: File): Promise<string> =>
  new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(new Error('无法读取文件'));
    r.readAsDataURL(file);
  });

export function PosterButton<V>({
  video,
  mutation,
  onChanged,
}: {
  video: PosterTarget;
  /** chooseVideoPoster($tenantId, $id, $at, $img) reading back the fields the list shows (a constant operation) */
  mutation: string;
  onChanged: (v: V) => void;
}) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState<number | null>(0);
  const [busy, setBusy] = useState(false);
  const max = Math.max(0, video.durationMs / 1000 - 0.1);
  const send = async (vars: { at?: number; img?: string }) => {
    setBusy(true);
    try {
      const r = await gql<{ chooseVideoPoster: V }>(mutation, {
        tenantId: video.tenantId,
        id: video.id,
        ...vars,
      });
      onChanged(r.chooseVideoPoster);
      message.success('封面已更换');
      setOpen(false);
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid={`poster-${video.id}`}>
        设置封面
      </Button>
      <Modal
        open={open}
        title={`设置封面：${video.title}`}
        onCancel={() => setOpen(false)}
        footer={null}
        destroyOnClose
      >
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Space wrap>
            <Typography.Text>截取第</Typography.Text>
            <InputNumber
              min={0}
              max={max}
              step={0.5}
              value={at}
              onChange={(v) => setAt(v)}
              data-testid="poster-seconds"
            />
            <Typography.Text>秒的画面</Typography.Text>
            <Button
              type="primary"
              loading={busy}
              disabled={at === null}
              onClick={() => void send({ at: at ?? 0 })}
              data-testid="poster-frame"
            >
              用这一帧作封面
            </Button>
          </Space>
          <Typography.Text type="secondary">视频时长 {(video.durationMs / 1000).toFixed(1)} 秒</Typography.Text>
          <Upload
            accept="image/jpeg,image/png,image/webp"
            showUploadList={false}
            beforeUpload={(file) => {
              void base64(file).then(
                (img) => send({ img }),
                (err: unknown) => message.error(errorText(err)),
              );
              return false;
            }}
          >
            <Button loading={busy}>上传封面图片（JPEG、PNG 或 WebP，不超过 5 MB）</Button>
          </Upload>
        </Space>
      </Modal>
    </>
  );
}

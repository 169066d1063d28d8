import type { VideoRow, VideoStatus } from '@yiduan/db';

export type { VideoRendition, VideoRow, VideoStatus } from '@yiduan/db';

/** Per-tenant limits of an upload (video_limits, else the configured defaults). */
export interface VideoLimits {
  maxBytes: number;
  maxSeconds: number;
}

/** What ffprobe says about a file, once it is known to be a video. */
export interface VideoProbe {
  /** ffprobe's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" */
  format: string;
  codec: string;
  width: number;
  height: number;
  durationMs: number;
  hasAudio: boolean;
  bytes: number;
}

export interface NewVideoInput {
  tenantId: string;
  /** the completed upload, relative to the upload folder */
  sourceKey: string;
  probe: VideoProbe;
  /** kept for display only; never used to decide the type */
  filename: string;
  title?: string;
  shared?: boolean;
  createdBy?: string | null;
}

/** A claimed transcoding job: the row with the run that now owns it. */
export interface VideoJob {
  video: VideoRow;
  runId: string;
}

/** The renditions ladder: the short side of each (a vertical 9:16 source stays vertical). */
export const RENDITION_LADDER = [
  { name: '360p', shortSide: 360, videoKbps: 800 },
  { name: '720p', shortSide: 720, videoKbps: 2400 },
] as const;

export const AUDIO_KBPS = 96;
/** seconds per HLS segment */
export const HLS_SEGMENT_SECONDS = 4;

/** Frame size of a rendition: the short side as named, the long side kept in proportion, both even. */
export function renditionSize(width: number, height: number, shortSide: number): { width: number; height: number } {
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  if (width >= height) return { width: even((shortSide * width) / height), height: shortSide };
  return { width: shortSide, height: even((shortSide * height) / width) };
}

/** The files a published video offers, by name: playlists, segments, the poster. */
export const VIDEO_FILE = /^(?:master\.m3u8|(?:360p|720p)\.m3u8|(?:360p|720p)_[0-9]{3,5}\.ts|poster\.jpg)$/;

export function videoFileType(name: string): string | null {
  if (!VIDEO_FILE.test(name)) return null;
  if (name.endsWith('.m3u8')) return 'application/vnd.apple.mpegurl';
  if (name.endsWith('.ts')) return 'video/mp2t';
  return 'image/jpeg';
}

/** Where a run's renditions go in the asset store; only the prefix recorded on the row is served. */
export function videoRunPrefix(tenantId: string, videoId: string, runId: string): string {
  return `${tenantId.toLowerCase()}/videos/${videoId}/${runId}`;
}

/** The upload id the tus server gives a new upload: the tenant, then a random part (no dashes). */
export function uploadIdFor(tenantId: string, random: string): string {
  return `${tenantId.toLowerCase()}_${random.replace(/-/g, '')}`;
}

const UPLOAD_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_[0-9a-f]{32}$/;

/** The tenant an upload id belongs to, or null when it is not one of ours. */
export function tenantOfUpload(uploadId: string): string | null {
  return UPLOAD_ID.exec(uploadId)?.[1] ?? null;
}

export const VIDEO_TITLE_MAX = 120;
export const CAPTIONS_MAX_BYTES = 512 * 1024;

/** Status as the console says it. */
export const VIDEO_STATUS_LABELS: Record<VideoStatus, string> = {
  queued: '等待转码',
  processing: '转码中',
  ready: '可用',
  failed: '失败',
};

/** WebVTT captions: the header, then cues; text only (no HTML reaches a face: players render cue text). */
export function checkWebVtt(text: string): string | null {
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (Buffer.byteLength(body, 'utf8') > CAPTIONS_MAX_BYTES) return '字幕文件过大';
  if (!/^WEBVTT(?:[ \t][^\n]*)?(?:\n|$)/.test(body)) return '字幕文件须为 WebVTT 格式（以 WEBVTT 开头）';
  if (!/-->/.test(body)) return '字幕文件没有任何字幕条目';
  return null;
}

/** The caption text of a WebVTT file (cue lines only), for terminology checks and search. */
export function webVttText(vtt: string): string {
  const lines = vtt.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let inCue = false;
  for (const line of lines) {
    if (line.includes('-->')) {
      inCue = true;
      continue;
    }
    if (!line.trim()) {
      inCue = false;
      continue;
    }
    if (inCue) out.push(line.replace(/<[^>]*>/g, ''));
  }
  return out.join('\n');
}

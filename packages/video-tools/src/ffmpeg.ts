import { execFile, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AUDIO_KBPS,
  HLS_SEGMENT_SECONDS,
  RENDITION_LADDER,
  renditionSize,
  VideoRejectedError,
  type VideoLimits,
  type VideoProbe,
  type VideoRendition,
} from '@yiduan/core';

/**
 * FFmpeg and ffprobe, always run with argument arrays (execFile / spawn), never through a shell.
 * This package is the only place that spawns them: packages/core holds the video domain (ladder,
 * keys, limits, refusals) and spawns no process (a dependency-cruiser rule keeps it so); the API
 * (probe on upload, the editor's poster), the worker (transcoding) and the demo seed use this.
 * The paths are injectable so tests can make ffmpeg fail on purpose.
 */
export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
}

export const DEFAULT_TOOLS: FfmpegTools = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  duration?: string;
  disposition?: { attached_pic?: number };
  side_data_list?: { rotation?: number }[];
  tags?: { rotate?: string };
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string; size?: string };
}

// Containers ffprobe reads that are pictures or text, never a video upload.
const NOT_VIDEO_FORMATS = /^(?:image2|[a-z0-9]+_pipe|gif|apng|tty|lavfi|concat|srt|webvtt|ass|mp3|wav|flac|ogg)$/;

/** Runs ffprobe on a file and decides from its content whether it is a video within the limits. */
export async function probeVideo(
  path: string,
  limits: VideoLimits,
  tools: FfmpegTools = DEFAULT_TOOLS,
): Promise<VideoProbe> {
  const bytes = (await stat(path)).size;
  if (bytes === 0) throw new VideoRejectedError('VIDEO_EMPTY');
  if (bytes > limits.maxBytes) throw new VideoRejectedError('VIDEO_TOO_LARGE', `上限 ${formatBytes(limits.maxBytes)}`);
  const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      tools.ffprobe,
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '--', path],
      { maxBuffer: 4 * 1024 * 1024, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
      },
    );
  });
  let parsed: ProbeOutput;
  try {
    parsed = JSON.parse(out.stdout || '{}') as ProbeOutput;
  } catch {
    parsed = {};
  }
  const formatName = parsed.format?.format_name ?? '';
  const video = (parsed.streams ?? []).find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (out.code !== 0 || !parsed.format) {
    // ffprobe could not read it: garbage is "not a video", a damaged container is "corrupt"
    throw /moov atom not found|Invalid data found|partial file|truncat|corrupt|EBML|error reading header/i.test(
      out.stderr,
    ) && looksLikeVideoContainer(out.stderr)
      ? new VideoRejectedError('VIDEO_CORRUPT')
      : new VideoRejectedError('VIDEO_TYPE_INVALID');
  }
  if (!video || NOT_VIDEO_FORMATS.test(formatName.split(',')[0] ?? ''))
    throw new VideoRejectedError('VIDEO_TYPE_INVALID');
  let width = Number(video.width ?? 0);
  let height = Number(video.height ?? 0);
  const duration = Number(parsed.format.duration ?? video.duration ?? NaN);
  if (!(width > 0 && height > 0) || !Number.isFinite(duration) || duration <= 0)
    throw new VideoRejectedError('VIDEO_CORRUPT');
  // phones record portrait video as landscape frames with a rotation: report what is shown
  const rotation = Math.abs(
    Number(video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? video.tags?.rotate ?? 0),
  );
  if (rotation === 90 || rotation === 270) [width, height] = [height, width];
  if (duration > limits.maxSeconds)
    throw new VideoRejectedError('VIDEO_TOO_LONG', `上限 ${formatSeconds(limits.maxSeconds)}`);
  return {
    format: formatName,
    codec: video.codec_name ?? '',
    width,
    height,
    durationMs: Math.max(1, Math.round(duration * 1000)),
    hasAudio: (parsed.streams ?? []).some((s) => s.codec_type === 'audio'),
    bytes,
  };
}

function looksLikeVideoContainer(stderr: string): boolean {
  return /mov|mp4|matroska|webm|avi|moov|EBML|mpegts|flv/i.test(stderr);
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 === 0 ? 0 : 1)} GB`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)} MB`;
  return `${Math.round(n / 1024)} KB`;
}

export function formatSeconds(s: number): string {
  if (s >= 60 && s % 60 === 0) return `${s / 60} 分钟`;
  return `${s} 秒`;
}

export interface TranscodePlan {
  args: string[];
  renditions: VideoRendition[];
}

/**
 * One ffmpeg run: HLS (MPEG-TS segments, H.264 + AAC) in two renditions keeping the source's
 * orientation, a master playlist and a poster frame, into outDir. H.264 plays in Debian's
 * Chromium (through hls.js and Media Source Extensions) and natively in Safari.
 */
export function transcodePlan(
  source: string,
  outDir: string,
  probe: Pick<VideoProbe, 'width' | 'height' | 'durationMs' | 'hasAudio'>,
): TranscodePlan {
  const sizes = RENDITION_LADDER.map((r) => ({ ...r, ...renditionSize(probe.width, probe.height, r.shortSide) }));
  const posterAt = Math.min(1, probe.durationMs / 3000).toFixed(2);
  const n = sizes.length;
  const graph = [
    `[0:v]split=${n + 1}${sizes.map((_, i) => `[s${i}]`).join('')}[sp]`,
    ...sizes.map((s, i) => `[s${i}]scale=${s.width}:${s.height},setsar=1,format=yuv420p[v${i}]`),
    `[sp]trim=start=${posterAt},setpts=PTS-STARTPTS,scale=${sizes[n - 1]!.width}:${sizes[n - 1]!.height},setsar=1[p]`,
  ].join(';');
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats'];
  args.push('-i', source, '-filter_complex', graph);
  sizes.forEach((_, i) => {
    args.push('-map', `[v${i}]`);
    if (probe.hasAudio) args.push('-map', '0:a:0');
  });
  args.push('-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-crf', '23');
  // a key frame at every segment boundary, so each segment starts clean
  args.push('-g', '48', '-keyint_min', '48', '-sc_threshold', '0');
  args.push('-force_key_frames', `expr:gte(t,n_forced*${HLS_SEGMENT_SECONDS})`);
  sizes.forEach((s, i) => {
    args.push(`-maxrate:v:${i}`, `${s.videoKbps}k`, `-bufsize:v:${i}`, `${s.videoKbps * 2}k`);
  });
  if (probe.hasAudio) args.push('-c:a', 'aac', '-b:a', `${AUDIO_KBPS}k`, '-ac', '2');
  const streamMap = sizes
    .map((s, i) => (probe.hasAudio ? `v:${i},a:${i},name:${s.name}` : `v:${i},name:${s.name}`))
    .join(' ');
  args.push('-f', 'hls', '-hls_time', String(HLS_SEGMENT_SECONDS), '-hls_playlist_type', 'vod');
  args.push('-hls_flags', 'independent_segments', '-hls_segment_type', 'mpegts');
  args.push('-hls_segment_filename', join(outDir, '%v_%03d.ts'));
  args.push('-master_pl_name', 'master.m3u8', '-var_stream_map', streamMap, join(outDir, '%v.m3u8'));
  args.push('-map', '[p]', '-frames:v', '1', '-q:v', '3', '-update', '1', join(outDir, 'poster.jpg'));
  return {
    args,
    renditions: sizes.map((s) => ({
      name: s.name,
      width: s.width,
      height: s.height,
      bandwidth: (s.videoKbps + (probe.hasAudio ? AUDIO_KBPS : 0)) * 1000,
    })),
  };
}

export class TranscodeError extends Error {
  override name = 'TranscodeError';
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/**
 * Runs ffmpeg with the plan's arguments; reports percent done from `-progress pipe:1`
 * (out_time_us against the duration). Aborting the signal kills ffmpeg.
 */
export function runFfmpeg(
  args: readonly string[],
  opts: { durationMs: number; onProgress?: (percent: number) => void; signal?: AbortSignal; tools?: FfmpegTools },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn((opts.tools ?? DEFAULT_TOOLS).ffmpeg, [...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: opts.signal,
    });
    let stderr = '';
    let pending = '';
    let last = -1;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^out_time_(?:us|ms)=(\d+)/.exec(line);
        if (!m) continue;
        // ffmpeg's out_time_ms is in microseconds too (a long-standing misnomer)
        const percent = Math.min(99, Math.floor(Number(m[1]) / 10 / opts.durationMs));
        if (percent > last) {
          last = percent;
          opts.onProgress?.(percent);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    child.on('error', (err) => reject(new TranscodeError(`ffmpeg could not run: ${err.message}`, stderr)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new TranscodeError(`ffmpeg exited with ${signal ?? code}`, stderr.trim()));
    });
  });
}

/** The still picture formats an editor may upload as a poster, by their first bytes. */
export function posterImageType(head: Buffer): 'jpg' | 'png' | 'webp' | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP')
    return 'webp';
  return null;
}

/**
 * ffmpeg arguments for an editor's poster: the frame at `atSeconds` of a video file (the original
 * upload, or one MPEG-TS segment with the offset inside it), or a still image fitted into the frame
 * (black bars, never stretched). Always a JPEG of width×height, one frame, local files only (the
 * demuxer is named, so an uploaded file can never be read as a playlist that names other files).
 */
export function posterArgs(
  input: { kind: 'video' | 'segment'; path: string; atSeconds: number } | { kind: 'image'; path: string },
  out: string,
  size: { width: number; height: number },
): string[] {
  const { width: w, height: h } = size;
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-protocol_whitelist', 'file'];
  if (input.kind === 'image') {
    args.push('-f', 'image2', '-i', input.path);
    args.push('-vf', `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1`);
  } else {
    // a segment's timestamps do not start at 0: it is decoded from its start (a few seconds at
    // most) and the frame picked on the output side; the original is seeked on the input side
    if (input.kind === 'segment') args.push('-f', 'mpegts', '-i', input.path, '-ss', input.atSeconds.toFixed(3));
    else args.push('-ss', input.atSeconds.toFixed(3), '-i', input.path);
    args.push('-vf', `scale=${w}:${h},setsar=1`);
  }
  args.push('-frames:v', '1', '-q:v', '3', '-update', '1', '-f', 'image2', out);
  return args;
}

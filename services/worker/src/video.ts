import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  claimVideoJob,
  failVideo,
  publishVideo,
  VIDEO_MAX_ATTEMPTS,
  VIDEO_REJECTIONS,
  videoFileType,
  videoHeartbeat,
  videoRunPrefix,
  type VideoJob,
} from '@yiduan/core';
import { DEFAULT_TOOLS, runFfmpeg, transcodePlan, TranscodeError, type FfmpegTools } from '@yiduan/video-tools';
import { withPlatform, type DB } from '@yiduan/db';
import type { AssetStorage } from '@yiduan/storage';
import type { Logger } from './handlers.js';

export interface VideoTranscoderOptions {
  db: DB;
  storage: AssetStorage;
  log: Logger;
  /** where completed uploads are (the API's tus folder) */
  uploadDir: string;
  /** a folder of the worker's own for runs in progress */
  workDir: string;
  /** how long a claim holds without a heartbeat; a dead worker's job is taken over after it */
  leaseMs?: number;
  /** how often to look for work when idle */
  pollMs?: number;
  tools?: FfmpegTools;
  /** told whenever a job's row changed (progress, ready, failed): the console hears it live */
  notify?: (tenantId: string, videoId: string) => void;
}

export interface VideoTranscoder {
  /** looks for a job now instead of at the next poll */
  wake(): void;
  /** runs jobs until none is left (tests, the demo); resolves with how many finished */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Transcodes uploaded videos, one job at a time per worker (ffmpeg uses every core anyway).
 * A job: claim (lease, run id) → ffmpeg into workDir/<video>-<run> with progress heartbeats →
 * upload every file under the run's own prefix in the asset store → one update records the
 * prefix and 'ready'. Until that update nothing is served; a worker killed at any point leaves
 * a lease that runs out, and the next claim starts the job again under a new run id.
 */
export function startVideoTranscoder(opts: VideoTranscoderOptions): VideoTranscoder {
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 5_000;
  const heartbeatMs = Math.max(200, Math.min(5_000, Math.floor(leaseMs / 4)));
  const tools = opts.tools ?? DEFAULT_TOOLS;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  const abort = new AbortController();

  async function runJob(job: VideoJob): Promise<void> {
    const v = job.video;
    const log = { videoId: v.id, runId: job.runId, attempt: v.attempts };
    if (v.attempts > VIDEO_MAX_ATTEMPTS) {
      await withPlatform(opts.db, (trx) =>
        failVideo(trx, job, `${VIDEO_REJECTIONS.VIDEO_TRANSCODE_FAILED.message}：多次中断`),
      );
      return;
    }
    const source = resolve(opts.uploadDir, v.source_key);
    const out = resolve(opts.workDir, `${v.id}-${job.runId}`);
    const prefix = videoRunPrefix(v.tenant_id, v.id, job.runId);
    const uploaded: string[] = [];
    let lost = false;
    let progress = 0;
    const beat = setInterval(() => {
      void withPlatform(opts.db, (trx) => videoHeartbeat(trx, job, progress, leaseMs))
        .then((owned) => {
          if (!owned) lost = true;
          else opts.notify?.(v.tenant_id, v.id);
        })
        .catch((err: unknown) => opts.log.warn({ ...log, err }, 'video heartbeat failed'));
    }, heartbeatMs);
    try {
      // a run killed before (its lease ran out) may have left its work folder: never reused, removed
      await mkdir(opts.workDir, { recursive: true });
      for (const name of await readdir(opts.workDir))
        if (name.startsWith(`${v.id}-`)) await rm(resolve(opts.workDir, name), { recursive: true, force: true });
      await mkdir(out, { recursive: true });
      try {
        await stat(source);
      } catch {
        throw new TranscodeError('source missing', '');
      }
      const plan = transcodePlan(source, out, {
        width: v.source_width,
        height: v.source_height,
        durationMs: v.duration_ms,
        hasAudio: v.has_audio,
      });
      opts.log.info(log, 'video transcode started');
      opts.notify?.(v.tenant_id, v.id);
      await runFfmpeg(plan.args, {
        durationMs: v.duration_ms,
        tools,
        signal: abort.signal,
        onProgress: (p) => {
          progress = p;
        },
      });
      if (lost) throw new LostJob();
      const files = (await readdir(out)).filter((f) => videoFileType(f) !== null).sort();
      if (!files.includes('master.m3u8') || !files.includes('poster.jpg'))
        throw new TranscodeError('ffmpeg wrote no master playlist or poster', '');
      let bytes = 0;
      // playlists last: a segment is never named before it exists (not that anything is served yet)
      const ordered = [...files.filter((f) => !f.endsWith('.m3u8')), ...files.filter((f) => f.endsWith('.m3u8'))];
      for (const f of ordered) {
        const body = await readFile(join(out, f));
        bytes += body.length;
        const key = `${prefix}/${f}`;
        await opts.storage.put(key, body, videoFileType(f)!);
        uploaded.push(key);
      }
      const published = await withPlatform(opts.db, (trx) =>
        publishVideo(trx, job, { hlsPrefix: prefix, renditions: plan.renditions, bytes }),
      );
      if (!published) throw new LostJob();
      opts.notify?.(v.tenant_id, v.id);
      opts.log.info({ ...log, bytes }, 'video published');
    } catch (err) {
      // nothing of this run is served: remove what it uploaded, then say why in the console
      await Promise.all(uploaded.map((k) => opts.storage.delete(k).catch(() => undefined)));
      if (err instanceof LostJob || stopping) {
        opts.log.warn(log, 'video run stopped or lost its lease; another run takes over');
      } else {
        const message =
          err instanceof TranscodeError && err.message === 'source missing'
            ? `${VIDEO_REJECTIONS.VIDEO_TRANSCODE_FAILED.message}：找不到上传的原始文件`
            : `${VIDEO_REJECTIONS.VIDEO_TRANSCODE_FAILED.message}：${transcodeReason(err)}`;
        opts.log.warn({ ...log, err }, 'video transcode failed');
        await withPlatform(opts.db, (trx) => failVideo(trx, job, message));
        opts.notify?.(v.tenant_id, v.id);
      }
    } finally {
      clearInterval(beat);
      await rm(out, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  async function drainOnce(): Promise<number> {
    let done = 0;
    while (!stopping) {
      const job = await withPlatform(opts.db, (trx) => claimVideoJob(trx, leaseMs));
      if (!job) break;
      await runJob(job);
      done++;
    }
    return done;
  }

  function drain(): Promise<number> {
    running ??= drainOnce().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(): void {
    if (stopping) return;
    timer = setTimeout(() => {
      drain()
        .catch((err: unknown) => opts.log.warn({ err }, 'video jobs: poll failed'))
        .finally(schedule);
    }, pollMs);
  }
  schedule();

  return {
    wake() {
      if (!stopping) void drain().catch((err: unknown) => opts.log.warn({ err }, 'video jobs: wake failed'));
    },
    drain,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      abort.abort();
      await running?.catch(() => undefined);
    },
  };
}

class LostJob extends Error {
  override name = 'LostJob';
}

/** What went wrong, in Chinese, from ffmpeg's last error line. */
function transcodeReason(err: unknown): string {
  if (!(err instanceof TranscodeError)) return '内部错误';
  if (/could not run/.test(err.message)) return '转码程序无法运行';
  const last = err.stderr.split('\n').filter(Boolean).pop() ?? '';
  if (/Invalid data|corrupt|error while decoding|moov atom/i.test(last)) return '视频数据损坏';
  return 'FFmpeg 处理出错';
}

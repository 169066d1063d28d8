import { randomUUID } from 'node:crypto';
import type { Executor, VideoRendition, VideoRow } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { enqueue } from '../events/index.js';
import { appendAudit } from '../governance/index.js';
import { isUuid, tenantById } from '../tenancy/index.js';
import { VIDEO_TOPICS } from './events.js';
import { checkerFor } from '../newsroom/index.js';
import {
  checkWebVtt,
  webVttText,
  VIDEO_TITLE_MAX,
  type NewVideoInput,
  type VideoJob,
  type VideoLimits,
} from './model.js';
import {
  claimVideoJobRow,
  failVideoRow,
  insertVideo,
  publishVideoRow,
  updateVideoRow,
  upsertVideoLimits,
  videoById,
  videoHeartbeatRow,
  videoLimitsRow,
  videoShownOnFace,
} from './repo.js';

/** After this many claims (each one a worker that died mid-run, or a retry) the job fails. */
export const VIDEO_MAX_ATTEMPTS = 3;

function cleanName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return Array.from(last.replace(/[\u0000-\u001f\u007f]/g, '').trim())
    .slice(0, 200)
    .join('');
}

/** The tenant's limits: its own row, else the configured defaults. */
export async function videoLimitsFor(ex: Executor, tenantId: string, defaults: VideoLimits): Promise<VideoLimits> {
  const row = await videoLimitsRow(ex, tenantId);
  return row ? { maxBytes: Number(row.max_bytes), maxSeconds: row.max_seconds } : defaults;
}

/** A platform operator sets a tenant's limits (≥ 1 MB, ≥ 1 s). */
export async function setVideoLimits(ex: Executor, actor: Actor, tenantId: string, limits: VideoLimits): Promise<void> {
  if (!isUuid(tenantId)) throw new DomainError('TENANT_NOT_FOUND');
  if (!(Number.isSafeInteger(limits.maxBytes) && limits.maxBytes >= 1024 * 1024))
    throw new DomainError('BAD_USER_INPUT', '大小上限至少 1 MB', [{ path: 'maxBytes', message: '至少 1 MB' }]);
  if (!(Number.isInteger(limits.maxSeconds) && limits.maxSeconds >= 1))
    throw new DomainError('BAD_USER_INPUT', '时长上限至少 1 秒', [{ path: 'maxSeconds', message: '至少 1 秒' }]);
  // the column is a 32-bit int: a larger number is refused here, not by the database
  if (limits.maxSeconds > 2_147_483_647)
    throw new DomainError('BAD_USER_INPUT', '时长上限过大', [{ path: 'maxSeconds', message: '过大' }]);
  if (!(await tenantById(ex, tenantId))) throw new DomainError('TENANT_NOT_FOUND');
  await upsertVideoLimits(ex, tenantId, limits.maxBytes, limits.maxSeconds);
  await appendAudit(ex, actor, {
    tenantId,
    action: 'video.limits',
    targetKind: 'tenant',
    targetId: tenantId,
    detail: { ...limits },
  });
}

/**
 * Records a completed upload that ffprobe accepted as a video within the tenant's limits, as a
 * queued transcoding job (the worker picks it up), with its audit entry and outbox event.
 */
export async function createVideo(ex: Executor, actor: Actor, input: NewVideoInput): Promise<VideoRow> {
  if (!isUuid(input.tenantId)) throw new DomainError('TENANT_NOT_FOUND');
  const createdBy = input.createdBy ?? null;
  if (createdBy !== null && !isUuid(createdBy)) throw new DomainError('STAFF_NOT_FOUND');
  const filename = cleanName(input.filename);
  const title = Array.from((input.title ?? '').trim() || filename.replace(/\.[^.]*$/, ''))
    .slice(0, VIDEO_TITLE_MAX)
    .join('');
  const id = randomUUID();
  const video = await insertVideo(ex, {
    tenant_id: input.tenantId,
    id,
    title,
    original_name: filename,
    source_key: input.sourceKey,
    source_bytes: input.probe.bytes,
    source_width: input.probe.width,
    source_height: input.probe.height,
    duration_ms: input.probe.durationMs,
    has_audio: input.probe.hasAudio,
    shared: input.shared ?? false,
    created_by: createdBy,
  });
  await appendAudit(ex, actor, {
    tenantId: input.tenantId,
    action: 'video.upload',
    targetKind: 'video',
    targetId: id,
    detail: {
      name: filename,
      bytes: input.probe.bytes,
      width: input.probe.width,
      height: input.probe.height,
      durationMs: input.probe.durationMs,
      format: input.probe.format,
    },
  });
  await enqueue(ex, { tenantId: input.tenantId, topic: VIDEO_TOPICS.uploaded, payload: { videoId: id } });
  return video;
}

/** A video the caller may see (own tenant, or shared and ready), else VIDEO_NOT_FOUND. */
export async function videoFor(ex: Executor, id: string): Promise<VideoRow> {
  const video = await videoById(ex, id);
  if (!video) throw new DomainError('VIDEO_NOT_FOUND');
  return video;
}

/** Shares a ready video with the whole tree (by reference: no file is copied), or stops sharing. */
export async function setVideoShared(ex: Executor, actor: Actor, id: string, shared: boolean): Promise<VideoRow> {
  const video = await videoById(ex, id);
  if (!video) throw new DomainError('VIDEO_NOT_FOUND');
  if (shared && video.status !== 'ready')
    throw new DomainError('BAD_USER_INPUT', '视频转码完成后才能共享', [{ path: 'shared', message: '尚未转码完成' }]);
  // RLS lets other tenants read a shared video but not update it: then no row comes back
  const updated = await updateVideoRow(ex, id, { shared });
  if (!updated) throw new DomainError('VIDEO_NOT_FOUND');
  await appendAudit(ex, actor, {
    tenantId: updated.tenant_id,
    action: shared ? 'video.share' : 'video.unshare',
    targetKind: 'video',
    targetId: id,
  });
  return updated;
}

/** Attaches WebVTT captions to a video (null removes them). */
export async function setVideoCaptions(ex: Executor, actor: Actor, id: string, vtt: string | null): Promise<VideoRow> {
  const text = vtt === null ? null : vtt.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text !== null) {
    const problem = checkWebVtt(text);
    if (problem) throw new DomainError('BAD_USER_INPUT', problem, [{ path: 'captions', message: problem }]);
    // the caption text meets the same terminology rules as a story (the tenant's and its ancestors')
    const video = await videoById(ex, id);
    if (!video) throw new DomainError('VIDEO_NOT_FOUND');
    const checker = await checkerFor(ex, video.tenant_id);
    const blocking = checker
      .check([{ field: 'captions', blockIndex: -1, text: webVttText(text) }])
      .filter((f) => f.severity === 'block');
    if (blocking.length)
      throw new DomainError(
        'TERMINOLOGY_BLOCKED',
        `字幕含有禁用表述：${[...new Set(blocking.map((f) => f.match))].join('、')}`,
        blocking.map((f) => ({ path: 'captions', message: f.note || f.match })),
      );
  }
  const updated = await updateVideoRow(ex, id, { captions_vtt: text });
  if (!updated) throw new DomainError('VIDEO_NOT_FOUND');
  await appendAudit(ex, actor, {
    tenantId: updated.tenant_id,
    action: 'video.captions',
    targetKind: 'video',
    targetId: id,
    detail: { bytes: text === null ? 0 : Buffer.byteLength(text, 'utf8') },
  });
  return updated;
}

/**
 * The poster an editor may replace: the tenant's own ready video (a shared one is read-only to
 * others), with the frame time checked against its duration. Throws a precise error otherwise.
 */
export async function videoForPoster(
  ex: Executor,
  tenantId: string,
  id: string,
  choice: { atSeconds?: number | null; image?: boolean },
): Promise<VideoRow & { hls_prefix: string }> {
  const video = await videoById(ex, id);
  if (!video || video.tenant_id !== tenantId) throw new DomainError('VIDEO_NOT_FOUND');
  if (video.status !== 'ready' || !video.hls_prefix)
    throw new DomainError('BAD_USER_INPUT', '视频转码完成后才能设置封面', [{ path: 'id', message: '尚未转码完成' }]);
  const hasTime = choice.atSeconds !== undefined && choice.atSeconds !== null;
  if (hasTime === Boolean(choice.image))
    throw new DomainError('BAD_USER_INPUT', '请选择一个画面时间或上传一张封面图片', [
      { path: 'atSeconds', message: '二者选一' },
    ]);
  if (hasTime) {
    const at = choice.atSeconds!;
    if (!Number.isFinite(at) || at < 0 || at * 1000 >= video.duration_ms)
      throw new DomainError('BAD_USER_INPUT', `画面时间应在 0 到 ${(video.duration_ms / 1000).toFixed(1)} 秒之间`, [
        { path: 'atSeconds', message: '超出视频时长' },
      ]);
  }
  return video as VideoRow & { hls_prefix: string };
}

/** Records a replaced poster (the file was already swapped in place): audit and updated_at. */
export async function recordVideoPoster(
  ex: Executor,
  actor: Actor,
  id: string,
  detail: { atSeconds: number } | { image: string; bytes: number },
): Promise<VideoRow> {
  const updated = await updateVideoRow(ex, id, {});
  if (!updated) throw new DomainError('VIDEO_NOT_FOUND');
  await appendAudit(ex, actor, {
    tenantId: updated.tenant_id,
    action: 'video.poster',
    targetKind: 'video',
    targetId: id,
    detail,
  });
  return updated;
}

// ---- the transcoding job (the worker, platform scope) -------------------------------------------

/** Claims the next job; null when there is none. */
export async function claimVideoJob(ex: Executor, leaseMs: number): Promise<VideoJob | null> {
  const video = await claimVideoJobRow(ex, leaseMs);
  return video?.run_id ? { video, runId: video.run_id } : null;
}

export async function videoHeartbeat(ex: Executor, job: VideoJob, progress: number, leaseMs: number): Promise<boolean> {
  return videoHeartbeatRow(ex, job.video.id, job.runId, progress, leaseMs);
}

/** Publishes the run's renditions; false when another run owns the job now (then nothing changed). */
export async function publishVideo(
  ex: Executor,
  job: VideoJob,
  done: { hlsPrefix: string; renditions: VideoRendition[]; bytes: number },
): Promise<boolean> {
  const row = await publishVideoRow(ex, job.video.id, job.runId, done);
  if (!row) return false;
  await appendAudit(
    ex,
    { kind: 'system', id: 'worker', name: '转码服务' },
    {
      tenantId: row.tenant_id,
      action: 'video.ready',
      targetKind: 'video',
      targetId: row.id,
      detail: { renditions: done.renditions.map((r) => r.name), bytes: done.bytes },
    },
  );
  await enqueue(ex, { tenantId: row.tenant_id, topic: VIDEO_TOPICS.ready, payload: { videoId: row.id } });
  return true;
}

/** Marks the job failed with a Chinese message for the console. */
export async function failVideo(ex: Executor, job: VideoJob, error: string): Promise<boolean> {
  const row = await failVideoRow(ex, job.video.id, job.runId, error);
  if (!row) return false;
  await appendAudit(
    ex,
    { kind: 'system', id: 'worker', name: '转码服务' },
    {
      tenantId: row.tenant_id,
      action: 'video.failed',
      targetKind: 'video',
      targetId: row.id,
      detail: { error },
    },
  );
  await enqueue(ex, { tenantId: row.tenant_id, topic: VIDEO_TOPICS.failed, payload: { videoId: row.id, error } });
  return true;
}

/** What a face needs to serve a video's files, if this face may: ready and shown by a live story here. */
export async function servableVideo(
  platform: Executor,
  publicScope: Executor,
  tenantId: string,
  videoId: string,
): Promise<VideoRow | null> {
  const video = await videoById(platform, videoId);
  if (!video || video.status !== 'ready' || !video.hls_prefix) return null;
  return (await videoShownOnFace(publicScope, tenantId, videoId)) ? video : null;
}

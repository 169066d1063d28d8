import { sql } from 'kysely';
import type { Executor, VideoRendition, VideoRow } from '@yiduan/db';
import { isUuid } from '../tenancy/index.js';

/*
 * The videos table: the asset and its transcoding job in one row. The job's life is
 * claim (a lease and a run id) → progress (extends the lease) → publish or fail, each guarded
 * by the run id, so a run that lost its lease can never publish over the run that took over.
 */

export async function insertVideo(
  ex: Executor,
  values: {
    tenant_id: string;
    id: string;
    title: string;
    original_name: string;
    source_key: string;
    source_bytes: number;
    source_width: number;
    source_height: number;
    duration_ms: number;
    has_audio: boolean;
    shared: boolean;
    created_by: string | null;
  },
): Promise<VideoRow> {
  return ex.insertInto('videos').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function videoById(ex: Executor, id: string): Promise<VideoRow | undefined> {
  if (!isUuid(id)) return undefined;
  return ex.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function videosByIds(ex: Executor, ids: readonly string[]): Promise<VideoRow[]> {
  const valid = [...new Set(ids.filter(isUuid))];
  if (valid.length === 0) return [];
  return ex.selectFrom('videos').selectAll().where('id', 'in', valid).execute();
}

/** Newest first: the tenant's own videos, and with includeShared those shared in the tree. */
export async function listVideos(
  ex: Executor,
  q: { tenantId: string; includeShared?: boolean; limit?: number },
): Promise<VideoRow[]> {
  if (!isUuid(q.tenantId)) return [];
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 50), 1), 200);
  return ex
    .selectFrom('videos')
    .selectAll()
    .where((eb) =>
      q.includeShared
        ? eb.or([eb('tenant_id', '=', q.tenantId), eb.and([eb('shared', '=', true), eb('status', '=', 'ready')])])
        : eb('tenant_id', '=', q.tenantId),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function videoLimitsRow(
  ex: Executor,
  tenantId: string,
): Promise<{ max_bytes: string; max_seconds: number } | undefined> {
  if (!isUuid(tenantId)) return undefined;
  return ex
    .selectFrom('video_limits')
    .select(['max_bytes', 'max_seconds'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export async function upsertVideoLimits(
  ex: Executor,
  tenantId: string,
  maxBytes: number,
  maxSeconds: number,
): Promise<void> {
  await ex
    .insertInto('video_limits')
    .values({ tenant_id: tenantId, max_bytes: maxBytes, max_seconds: maxSeconds })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({ max_bytes: maxBytes, max_seconds: maxSeconds, updated_at: sql`now()` }),
    )
    .execute();
}

/**
 * Claims the oldest job that is queued, or processing under a lease that ran out (its worker
 * died): a new run id and lease, one more attempt. Platform scope; SKIP LOCKED lets workers
 * claim side by side.
 */
export async function claimVideoJobRow(ex: Executor, leaseMs: number): Promise<VideoRow | undefined> {
  const r = await sql<VideoRow>`
    UPDATE videos v SET status = 'processing', run_id = gen_random_uuid(), attempts = v.attempts + 1,
           lease_until = now() + ${leaseMs} * interval '1 millisecond', progress = 0, error = NULL, updated_at = now()
     WHERE v.id = (SELECT id FROM videos
                    WHERE status = 'queued' OR (status = 'processing' AND lease_until < now())
                    ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING v.*`.execute(ex);
  return r.rows[0];
}

/** Progress of the run that owns the job, extending its lease; false when it no longer owns it. */
export async function videoHeartbeatRow(
  ex: Executor,
  id: string,
  runId: string,
  progress: number,
  leaseMs: number,
): Promise<boolean> {
  const r = await ex
    .updateTable('videos')
    .set({
      progress: Math.max(0, Math.min(99, Math.trunc(progress))),
      lease_until: sql`now() + ${leaseMs} * interval '1 millisecond'`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('run_id', '=', runId)
    .where('status', '=', 'processing')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records the run's renditions: from this update on (and not before) they are served. */
export async function publishVideoRow(
  ex: Executor,
  id: string,
  runId: string,
  done: { hlsPrefix: string; renditions: VideoRendition[]; bytes: number },
): Promise<VideoRow | undefined> {
  return ex
    .updateTable('videos')
    .set({
      status: 'ready',
      hls_prefix: done.hlsPrefix,
      renditions: JSON.stringify(done.renditions),
      bytes: done.bytes,
      progress: 100,
      lease_until: null,
      error: null,
      ready_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('run_id', '=', runId)
    .where('status', '=', 'processing')
    .returningAll()
    .executeTakeFirst();
}

export async function failVideoRow(
  ex: Executor,
  id: string,
  runId: string,
  error: string,
): Promise<VideoRow | undefined> {
  return ex
    .updateTable('videos')
    .set({ status: 'failed', error, lease_until: null, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('run_id', '=', runId)
    .where('status', '=', 'processing')
    .returningAll()
    .executeTakeFirst();
}

export async function updateVideoRow(
  ex: Executor,
  id: string,
  set: { shared?: boolean; captions_vtt?: string | null; title?: string },
): Promise<VideoRow | undefined> {
  return ex
    .updateTable('videos')
    .set({ ...set, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Whether a story live on this face shows the video in a video block (public scope: only what
 * the public may see): its row in the face's listing, which a retraction, an unpublication or a
 * withdrawn placement removes, and that row's published revision.
 */
export async function videoShownOnFace(ex: Executor, tenantId: string, videoId: string): Promise<boolean> {
  if (!isUuid(tenantId) || !isUuid(videoId)) return false;
  const row = await ex
    .selectFrom('face_listings as l')
    .innerJoin('story_revisions as r', (j) =>
      j
        .onRef('r.tenant_id', '=', 'l.origin_tenant_id')
        .onRef('r.story_id', '=', 'l.story_id')
        .onRef('r.number', '=', 'l.revision'),
    )
    .select('l.placement_id')
    .where('l.tenant_id', '=', tenantId)
    .where((eb) => eb('r.body', '@>', eb.val(JSON.stringify([{ type: 'video', videoId }])).$castTo<unknown[]>()))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** A ready video a published story shows, for feeds, sitemaps and structured data. */
export interface StoryVideo {
  storyId: string;
  videoId: string;
  title: string;
  durationMs: number;
  width: number;
  height: number;
  uploadedAt: Date;
}

/**
 * The ready videos in the published, unretracted revisions of these stories (platform scope: the
 * caller passes only stories a face lists publicly). One query for a whole feed.
 */
export async function videosOfStories(ex: Executor, storyIds: readonly string[]): Promise<StoryVideo[]> {
  const ids = [...new Set(storyIds.filter(isUuid))];
  if (ids.length === 0) return [];
  const r = await sql<{
    story_id: string;
    video_id: string;
    title: string;
    duration_ms: number;
    width: number;
    height: number;
    created_at: Date;
  }>`
    SELECT s.id AS story_id, v.id AS video_id, v.title, v.duration_ms, v.source_width AS width,
           v.source_height AS height, v.created_at
      FROM stories s
      JOIN story_revisions r ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.published_revision
      CROSS JOIN LATERAL jsonb_array_elements(r.body) WITH ORDINALITY AS b(block, n)
      JOIN videos v ON v.id::text = b.block->>'videoId'
     WHERE s.id = ANY(${ids}::uuid[]) AND s.retracted_at IS NULL
       AND b.block->>'type' = 'video' AND v.status = 'ready'
     ORDER BY s.id, b.n`.execute(ex);
  return r.rows.map((x) => ({
    storyId: x.story_id,
    videoId: x.video_id,
    title: x.title,
    durationMs: x.duration_ms,
    width: x.width,
    height: x.height,
    uploadedAt: x.created_at,
  }));
}

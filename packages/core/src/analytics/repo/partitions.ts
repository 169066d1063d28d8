import { sql } from 'kysely';
import type { Executor } from '@yiduan/db';
import type { RawEvent } from '../beacon.js';

/** The raw events' daily partitions and the batch insert into them: platform scope. */

/** Creates the daily partitions from..to that do not exist yet (platform scope). */
export async function ensurePartitions(ex: Executor, from: string, to: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT analytics_ensure_partitions(${from}::date, ${to}::date) AS n`.execute(ex);
  return r.rows[0]?.n ?? 0;
}

/** Drops the partitions of days before `before` (platform scope); returns how many. */
export async function dropPartitionsBefore(ex: Executor, before: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT analytics_drop_partitions(${before}::date) AS n`.execute(ex);
  return r.rows[0]?.n ?? 0;
}

export async function listPartitions(ex: Executor): Promise<string[]> {
  const r = await sql<{ day: string }>`SELECT day::text AS day FROM analytics_partitions() ORDER BY 1`.execute(ex);
  return r.rows.map((x) => x.day);
}

/**
 * One multi-row INSERT for a batch: arrays in, unnest out. The story is kept only when the face
 * really carries it (an active placement), which also names its origin; the unit comes from the
 * story. A video event is kept only when a story live on the face shows that ready video (its
 * listing row and published revision), which also names the video's owner. The (tenant, day) pairs touched — the face's and the origin's — are marked for the
 * roll-up in the same statement. ON CONFLICT makes a re-delivered batch insert nothing twice.
 */
export async function insertEvents(ex: Executor, rows: { id: string; e: RawEvent }[]): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <T>(f: (r: { id: string; e: RawEvent }) => T): T[] => rows.map(f);
  const r = await sql<{ n: number }>`
    WITH e AS (
      SELECT * FROM unnest(
        ${col((r) => r.e.t)}::uuid[], ${col((r) => r.id)}::text[], ${col((r) => new Date(r.e.at).toISOString())}::timestamptz[],
        ${col((r) => r.e.k)}::text[], ${col((r) => r.e.s)}::uuid[], ${col((r) => r.e.v)}::bigint[],
        ${col((r) => r.e.p)}::text[], ${col((r) => r.e.r)}::text[], ${col((r) => r.e.c)}::text[],
        ${col((r) => r.e.i ?? null)}::uuid[], ${col((r) => r.e.w ?? null)}::int[], ${col((r) => r.e.f ?? null)}::real[]
      ) AS e(tenant_id, event_id, at, kind, story_id, visitor, path, referrer, channel, video_id, watch_ms, fraction)
    ), ins AS (
      INSERT INTO analytics_events (tenant_id, day, event_id, at, kind, story_id, story_tenant_id, unit_id, visitor, path, referrer, channel,
                                    video_id, video_tenant_id, watch_ms, fraction)
      SELECT e.tenant_id, (e.at AT TIME ZONE 'Asia/Shanghai')::date, e.event_id, e.at, e.kind,
             p.story_id, p.origin_tenant_id, s.unit_id, e.visitor, e.path, e.referrer, e.channel,
             v.id, v.tenant_id, e.watch_ms, e.fraction
        FROM e
        JOIN tenants t ON t.id = e.tenant_id
        LEFT JOIN placements p ON p.tenant_id = e.tenant_id AND p.story_id = e.story_id AND p.status = 'active'
        LEFT JOIN stories s ON s.tenant_id = p.origin_tenant_id AND s.id = p.story_id
        LEFT JOIN videos v ON v.id = e.video_id AND v.status = 'ready'
       WHERE CASE WHEN e.video_id IS NULL THEN e.kind = 'view' OR p.story_id IS NOT NULL
             -- a video event counts only when a story live on this face shows that video
             ELSE v.id IS NOT NULL AND EXISTS (
               SELECT 1 FROM face_listings l
                 JOIN story_revisions r ON r.tenant_id = l.origin_tenant_id AND r.story_id = l.story_id AND r.number = l.revision
                WHERE l.tenant_id = e.tenant_id AND l.story_id = e.story_id
                  AND r.body @> jsonb_build_array(jsonb_build_object('type', 'video', 'videoId', e.video_id::text)))
             END
      ON CONFLICT DO NOTHING
      RETURNING tenant_id, day, story_tenant_id
    ), dirty AS (
      INSERT INTO analytics_dirty (tenant_id, day)
      SELECT DISTINCT x.tenant_id, x.day FROM (
        SELECT tenant_id, day FROM ins UNION SELECT story_tenant_id, day FROM ins WHERE story_tenant_id IS NOT NULL
      ) x
      ON CONFLICT DO NOTHING
    )
    SELECT count(*)::int AS n FROM ins`.execute(ex);
  return r.rows[0]?.n ?? 0;
}

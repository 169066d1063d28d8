import { sql } from 'kysely';
import type { AnalyticsScope, Executor } from '@yiduan/db';
import type { Period, VideoFigures } from '../model.js';

interface VideoSumRow {
  video_id: string;
  video_tenant_id: string;
  plays: number;
  viewers: number;
  watch_ms: number;
  completion_sum: number;
  completed: number;
}

const VIDEO_SUMS = sql`
  coalesce(sum(plays), 0)::int AS plays, coalesce(sum(viewers), 0)::int AS viewers, coalesce(sum(watch_ms), 0)::float8 AS watch_ms,
  coalesce(sum(completion_sum), 0)::float8 AS completion_sum, coalesce(sum(completed), 0)::int AS completed`;

const toVideoFigures = (r: VideoSumRow): Omit<VideoFigures, 'faces'> => ({
  videoId: r.video_id,
  videoTenantId: r.video_tenant_id,
  plays: r.plays,
  viewers: r.viewers,
  watchMs: r.watch_ms,
  completionSum: r.completion_sum,
  completed: r.completed,
});

/**
 * The most played videos of a tenant's face (scope 'own') or subtree ('tree') over a period, each
 * with the faces of the subtree it was played on. Run it in the viewer's tenant scope: row-level
 * security shows only the viewer's tenant and its descendants.
 */
export async function topVideos(
  ex: Executor,
  tenantId: string,
  scope: AnalyticsScope,
  period: Period,
  limit: number,
): Promise<VideoFigures[]> {
  const top = await sql<VideoSumRow>`
    SELECT video_id, video_tenant_id, ${VIDEO_SUMS} FROM analytics_video_daily
     WHERE tenant_id = ${tenantId} AND scope = ${scope} AND day BETWEEN ${period.from}::date AND ${period.to}::date
     GROUP BY video_id, video_tenant_id ORDER BY plays DESC, watch_ms DESC, video_id LIMIT ${limit}`.execute(ex);
  if (top.rows.length === 0) return [];
  const ids = top.rows.map((r) => r.video_id);
  const faces = await sql<VideoSumRow & { tenant_id: string }>`
    SELECT d.tenant_id, d.video_id, d.video_tenant_id, ${VIDEO_SUMS} FROM analytics_video_daily d
      JOIN tenant_tree tt ON tt.descendant_id = d.tenant_id AND tt.ancestor_id = ${tenantId}
     WHERE d.scope = 'own' AND d.video_id = ANY(${ids}::uuid[]) AND d.day BETWEEN ${period.from}::date AND ${period.to}::date
       AND (${scope} = 'tree' OR d.tenant_id = ${tenantId})
     GROUP BY d.tenant_id, d.video_id, d.video_tenant_id ORDER BY plays DESC, d.tenant_id`.execute(ex);
  return top.rows.map((r) => ({
    ...toVideoFigures(r),
    faces: faces.rows
      .filter((f) => f.video_id === r.video_id)
      .map((f) => {
        const { videoId: _v, videoTenantId: _t, ...figures } = toVideoFigures(f);
        return { faceTenantId: f.tenant_id, ...figures };
      }),
  }));
}

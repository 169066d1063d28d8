import { averageCompletion, DomainError, tenantMap, topVideos, videosByIds, type VideoFaceFigures } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import type { Resolvers } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';
import { inAnalyticsScope, period } from './analytics.js';

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
const shown = (f: Omit<VideoFaceFigures, 'faceTenantId'>) => ({
  plays: f.plays,
  viewers: f.viewers,
  watchSeconds: round(f.watchMs / 1000, 1),
  averageCompletion: round(averageCompletion(f), 4),
  completed: f.completed,
});

/**
 * Plays, watch time and completion per video (issue #17, item 5), read like the other figures:
 * through the viewer's nearest tenant on the target's ancestor path, in that tenant's scope, so
 * row-level security shows the tenant and its descendants only.
 */
export const videoAnalyticsResolvers: Resolvers<GraphQLContext> = {
  Query: {
    videoAnalytics: (_r, { tenantId, from, to, scope, limit }, ctx) => {
      const p = period(from, to);
      const n = limit ?? 20;
      if (n < 1 || n > 200) throw new DomainError('BAD_USER_INPUT', '数量应在 1 到 200 之间');
      return inAnalyticsScope(ctx, tenantId, async (trx) => {
        const rows = await topVideos(trx, tenantId, scope ?? 'own', p, n);
        const faces = await tenantMap(
          trx,
          rows.flatMap((r) => r.faces.map((f) => f.faceTenantId)),
        );
        // titles in platform scope: a video played on the viewer's faces may belong to an ancestor
        // that did not share it in its library; only ids from the viewer's own rows are looked up
        const videos = new Map(
          (
            await withPlatform(ctx.db, (ptrx) =>
              videosByIds(
                ptrx,
                rows.map((r) => r.videoId),
              ),
            )
          ).map((v) => [v.id, v]),
        );
        return rows.map((r) => {
          const v = videos.get(r.videoId);
          return {
            videoId: r.videoId,
            title: v?.title || '（已删除的视频）',
            ownerTenantId: r.videoTenantId,
            durationMs: v?.duration_ms ?? 0,
            vertical: v ? v.source_height > v.source_width : false,
            ...shown(r),
            faces: r.faces
              .filter((f) => faces.has(f.faceTenantId))
              .map((f) => ({ face: faces.get(f.faceTenantId)!, ...shown(f) })),
          };
        });
      });
    },
  },
};

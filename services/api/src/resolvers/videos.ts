import type { MercuriusContext } from 'mercurius';
import {
  DomainError,
  isUuid,
  listVideos,
  recordVideoPoster,
  videoForPoster,
  setVideoCaptions,
  setVideoLimits,
  setVideoShared,
  videoFor,
  videoLimitsFor,
  type VideoRow,
} from '@yiduan/core';
import { withTenant } from '@yiduan/db';
import type { Resolvers } from '@yiduan/schema';
import { requireOperator } from '../auth.js';
import type { GraphQLContext } from '../context.js';
import { videoTopic } from '../subscriptions.js';
import { replacePoster } from '../video-poster.js';

const EDITORS = ['reporter', 'editor', 'chief_editor', 'tenant_admin'] as const;

/** A published video's files for the console (staff only): GET /videos/:id/:file on the API. */
const fileUrl = (v: VideoRow, file: string): string | null => (v.status === 'ready' ? `/videos/${v.id}/${file}` : null);
/** the poster with its version: an editor's new poster is not hidden by the browser's cached old one */
const posterUrl = (v: VideoRow): string | null => {
  const url = fileUrl(v, 'poster.jpg');
  return url && `${url}?v=${new Date(v.updated_at).getTime()}`;
};

interface VideoChanged {
  videoChanged: { tenantId: string; videoId: string };
}

export const videoResolvers: Resolvers<GraphQLContext> = {
  VideoStatus: { QUEUED: 'queued', PROCESSING: 'processing', READY: 'ready', FAILED: 'failed' },
  Video: {
    tenantId: (v) => v.tenant_id,
    originalName: (v) => v.original_name,
    width: (v) => v.source_width,
    height: (v) => v.source_height,
    vertical: (v) => v.source_height > v.source_width,
    durationMs: (v) => v.duration_ms,
    sourceBytes: (v) => Number(v.source_bytes),
    bytes: (v) => (v.bytes === null ? null : Number(v.bytes)),
    posterUrl: (v) => posterUrl(v),
    playlistUrl: (v) => fileUrl(v, 'master.m3u8'),
    hasCaptions: (v) => v.captions_vtt !== null,
    createdAt: (v) => v.created_at,
    readyAt: (v) => v.ready_at,
  },
  Query: {
    videos: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access) => {
        access.requireMember();
        return listVideos(trx, {
          tenantId: args.tenantId,
          includeShared: args.includeShared ?? true,
          limit: Math.min(args.first ?? 50, 200),
        });
      }),
    video: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access) => {
        access.requireMember();
        return videoFor(trx, args.id);
      }),
    videoLimits: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access) => {
        access.requireMember();
        return videoLimitsFor(trx, args.tenantId, {
          maxBytes: ctx.config.video.maxBytes,
          maxSeconds: ctx.config.video.maxSeconds,
        });
      }),
  },
  Mutation: {
    setVideoShared: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => {
        access.require(['editor', 'chief_editor', 'tenant_admin']);
        const own = await videoFor(trx, args.id);
        if (own.tenant_id !== args.tenantId) throw new DomainError('VIDEO_NOT_FOUND');
        return setVideoShared(trx, actor, args.id, args.shared);
      }),
    setVideoCaptions: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => {
        access.require([...EDITORS]);
        const own = await videoFor(trx, args.id);
        if (own.tenant_id !== args.tenantId) throw new DomainError('VIDEO_NOT_FOUND');
        return setVideoCaptions(trx, actor, args.id, args.vtt ?? null);
      }),
    chooseVideoPoster: async (_r, args, ctx) => {
      const video = await ctx.inTenant(args.tenantId, async (trx, access) => {
        access.require([...EDITORS]);
        return videoForPoster(trx, args.tenantId, args.id, {
          atSeconds: args.atSeconds ?? null,
          image: args.imageBase64 !== undefined && args.imageBase64 !== null,
        });
      });
      // ffmpeg runs outside any transaction; the file swap is atomic, then the change is recorded
      const detail = await replacePoster({ storage: ctx.storage, uploadDir: ctx.config.video.uploadDir }, video, {
        atSeconds: args.atSeconds ?? null,
        imageBase64: args.imageBase64 ?? null,
      });
      return ctx.inTenant(args.tenantId, (trx, _access, actor) => recordVideoPoster(trx, actor, args.id, detail));
    },
    setVideoLimits: async (_r, args, ctx) => {
      const actor = requireOperator(ctx);
      const limits = { maxBytes: args.maxBytes, maxSeconds: args.maxSeconds };
      // the tenant scope takes a UUID: anything else is an unknown tenant, not a database error
      if (!isUuid(args.tenantId)) throw new DomainError('TENANT_NOT_FOUND');
      await withTenant(ctx.db, args.tenantId, (trx) => setVideoLimits(trx, actor, args.tenantId, limits));
      return limits;
    },
  },
  Subscription: {
    videoChanged: {
      // only members of the tenant hear of its videos
      subscribe: async (_root, args, ctx) => {
        await ctx.inTenant(args.tenantId, async (_trx, access) => access.requireMember());
        return (ctx as GraphQLContext & Pick<MercuriusContext, 'pubsub'>).pubsub.subscribe(videoTopic(args.tenantId));
      },
      // the message names the video; its row is read in the listener's own scope
      resolve: async (payload: VideoChanged, args: { tenantId: string }, ctx: GraphQLContext) =>
        ctx.inTenant(args.tenantId, (trx) => videoFor(trx, payload.videoChanged.videoId)),
    },
  },
};

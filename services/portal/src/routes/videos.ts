import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Cache } from '@yiduan/cache';
import { servableVideo, videoFileType, type VideoRow } from '@yiduan/core';
import { withPlatform, withPublic, type DB } from '@yiduan/db';
import type { AssetStorage } from '@yiduan/storage';
import { sendPageNotFound } from '../http/errors.js';
import { generation } from '../http/page-cache.js';
import { requireSite } from '../site/require.js';
import { tenantTag } from '../site/site.js';
import { HLS_SCRIPT_PATH, VIDEO_SCRIPT, VIDEO_SCRIPT_PATH } from './video-script.js';

export interface VideoRouteOptions {
  storage: AssetStorage;
}

interface Permit {
  prefix: string;
  captions: string | null;
}

const DECISION_TTL_SECONDS = 600;
const SEGMENT_CACHE = 'public, max-age=3600';
/** short: a retraction stops a video on the face, and a CDN in front may keep it only this long */
const PLAYLIST_CACHE = 'public, max-age=60';

/**
 * Whether this face may serve the video: ready, and shown by a story live on the face. Remembered
 * per tenant generation like media permissions, so a retraction (which bumps the generation of
 * every face carrying the story) stops the renditions at once.
 */
async function permitted(cache: Cache, db: DB, tenantId: string, videoId: string): Promise<Permit | null> {
  const key = `video:${tenantId}:${await generation(cache, tenantId)}:${videoId}`;
  const hit = await cache.get(key);
  if (hit) {
    try {
      const v = JSON.parse(hit) as Partial<Permit>;
      if (typeof v.prefix === 'string') return { prefix: v.prefix, captions: v.captions ?? null };
    } catch {
      // a damaged entry is a miss
    }
  }
  const video: VideoRow | null = await withPlatform(db, (platform) =>
    withPublic(db, (pub) => servableVideo(platform, pub, tenantId, videoId)),
  );
  if (!video?.hls_prefix) return null;
  const permit = { prefix: video.hls_prefix, captions: video.captions_vtt };
  await cache.set(key, JSON.stringify(permit), { ttlSeconds: DECISION_TTL_SECONDS, tags: [tenantTag(tenantId)] });
  return permit;
}

function headers(reply: FastifyReply, type: string, cacheControl: string): FastifyReply {
  return reply
    .header('content-type', type)
    .header('cache-control', cacheControl)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox");
}

/** A face's videos: `/v/:id/<file>` (playlists, segments, poster, captions), the player script and hls.js. */
export async function videoRoutes(app: FastifyInstance, opts: VideoRouteOptions): Promise<void> {
  const hlsPath = createRequire(import.meta.url).resolve('hls.js/dist/hls.light.min.js');
  let hlsScript: Buffer | null = null;

  app.get(VIDEO_SCRIPT_PATH, (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=3600, stale-while-revalidate=86400')
      .header('x-content-type-options', 'nosniff')
      .type('text/javascript; charset=utf-8')
      .send(VIDEO_SCRIPT),
  );
  app.get(HLS_SCRIPT_PATH, async (_request, reply) => {
    hlsScript ??= await readFile(hlsPath);
    return reply
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .type('text/javascript; charset=utf-8')
      .send(hlsScript);
  });

  app.get<{ Params: { videoId: string; file: string } }>('/v/:videoId/:file', async (request, reply) => {
    const site = requireSite(request);
    const videoId = request.params.videoId.toLowerCase();
    const file = request.params.file;
    const type = file === 'captions.vtt' ? 'text/vtt; charset=utf-8' : videoFileType(file);
    if (!type) return sendPageNotFound(request, reply);
    const permit = await permitted(app.cache, app.readDb, site.tenant.id, videoId);
    if (!permit) return sendPageNotFound(request, reply);
    if (file === 'captions.vtt') {
      if (permit.captions === null) return sendPageNotFound(request, reply);
      return headers(reply, type, PLAYLIST_CACHE).send(permit.captions);
    }
    const key = `${permit.prefix}/${file}`;
    const body = opts.storage.stream ? await opts.storage.stream(key) : await opts.storage.get(key);
    if (!body) return sendPageNotFound(request, reply);
    return headers(reply, type, file.endsWith('.m3u8') ? PLAYLIST_CACHE : SEGMENT_CACHE).send(body);
  });
}

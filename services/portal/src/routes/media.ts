import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Cache } from '@yiduan/cache';
import type { AssetStorage } from '@yiduan/core';
import { mediaFor, type MediaAsset } from '../data/media.js';
import { sendPageNotFound } from '../http/errors.js';
import { generation, matchesIfNoneMatch } from '../http/page-cache.js';
import { requireSite } from '../site/require.js';
import { tenantTag } from '../site/site.js';

export interface MediaOptions {
  storage: AssetStorage;
}

/** An asset's bytes never change under its id. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const DECISION_TTL_SECONDS = 3600;

/**
 * Whether this face may serve the asset, remembered per tenant like its pages:
 * the tenant tag (retraction, unpublishing) drops the permission with them.
 * Refusals are not remembered, so a story published a moment later is served at once.
 */
async function permitted(cache: Cache, db: Parameters<typeof mediaFor>[0], tenantId: string, assetId: string): Promise<MediaAsset | null> {
  const key = `media:${tenantId}:${await generation(cache, tenantId)}:${assetId}`;
  const hit = await cache.get(key);
  if (hit) {
    try {
      return JSON.parse(hit) as MediaAsset;
    } catch {
      // a damaged entry is a miss
    }
  }
  const asset = await mediaFor(db, tenantId, assetId);
  if (asset) await cache.set(key, JSON.stringify(asset), { ttlSeconds: DECISION_TTL_SECONDS, tags: [tenantTag(tenantId)] });
  return asset;
}

function mediaHeaders(reply: FastifyReply, asset: MediaAsset): FastifyReply {
  return reply
    .header('cache-control', IMMUTABLE)
    .header('etag', `"${asset.id}"`)
    .header('x-content-type-options', 'nosniff')
    // an image opened on its own can still run nothing
    .header('content-security-policy', "default-src 'none'; sandbox");
}

export async function mediaRoutes(app: FastifyInstance, opts: MediaOptions): Promise<void> {
  app.get<{ Params: { assetId: string } }>('/media/:assetId', async (request, reply) => {
    const site = requireSite(request);
    const assetId = request.params.assetId.toLowerCase();
    const asset = await permitted(app.cache, app.readDb, site.tenant.id, assetId);
    if (!asset) return sendPageNotFound(request, reply);
    if (matchesIfNoneMatch(request.headers['if-none-match'], `"${asset.id}"`)) return mediaHeaders(reply, asset).code(304).send();
    const body = opts.storage.stream ? await opts.storage.stream(asset.storageKey) : await opts.storage.get(asset.storageKey);
    if (!body) {
      request.log.warn({ assetId: asset.id }, 'asset row without stored bytes');
      return sendPageNotFound(request, reply);
    }
    return mediaHeaders(reply, asset).header('content-type', asset.mime).code(200).send(body);
  });
}

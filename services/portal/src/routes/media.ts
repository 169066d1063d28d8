import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Cache } from '@yiduan/cache';
import { imageVariant, ImageVariantError, isVariantWidth, type VariantWidth } from '@yiduan/core';
import type { AssetStorage } from '@yiduan/storage';
import { mediaFor, type MediaAsset } from '../data/media.js';
import { sendPageNotFound } from '../http/errors.js';
import { generation, matchesIfNoneMatch } from '../http/page-cache.js';
import { requireSite } from '../site/require.js';
import { tenantTag } from '../site/site.js';

export interface MediaOptions {
  storage: AssetStorage;
}

/** An asset's bytes never change under its id, nor a copy's under its id and width. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The original standing in for a copy that could not be made: not for a year, the next sharp may manage. */
const STAND_IN = 'public, max-age=3600';
const DECISION_TTL_SECONDS = 3600;

function decodeDecision(raw: string): MediaAsset | null {
  try {
    const v = JSON.parse(raw) as Partial<MediaAsset>;
    // entries written before responsive copies have no width: a miss
    return typeof v.id === 'string' &&
      typeof v.mime === 'string' &&
      typeof v.storageKey === 'string' &&
      typeof v.width === 'number'
      ? (v as MediaAsset)
      : null;
  } catch {
    // a damaged entry is a miss
    return null;
  }
}

/**
 * Whether this face may serve the asset, remembered per tenant like its pages:
 * the tenant tag (retraction, unpublishing) drops the permission with them.
 * Refusals are not remembered, so a story published a moment later is served at once.
 */
async function permitted(
  cache: Cache,
  db: Parameters<typeof mediaFor>[0],
  tenantId: string,
  assetId: string,
): Promise<MediaAsset | null> {
  const key = `media:${tenantId}:${await generation(cache, tenantId)}:${assetId}`;
  const hit = await cache.get(key);
  const remembered = hit ? decodeDecision(hit) : null;
  if (remembered) return remembered;
  const asset = await mediaFor(db, tenantId, assetId);
  if (asset)
    await cache.set(key, JSON.stringify(asset), { ttlSeconds: DECISION_TTL_SECONDS, tags: [tenantTag(tenantId)] });
  return asset;
}

const WIDTH = /^[1-9][0-9]{2,3}$/;

/**
 * `?w=`: absent means the original; otherwise exactly one of the fixed widths
 * (320, 640, 960, 1280), written plainly. Anything else is refused with 400
 * rather than rounded: every accepted URL names a distinct copy, so neither
 * the store nor a CDN in front collects entries for made-up widths.
 */
function widthParam(request: FastifyRequest): VariantWidth | null {
  const raw = (request.query as Record<string, unknown> | undefined)?.w;
  if (raw === undefined) return null;
  const n = typeof raw === 'string' && WIDTH.test(raw) ? Number(raw) : NaN;
  if (isVariantWidth(n)) return n;
  throw Object.assign(new Error('image width not offered'), { statusCode: 400, code: 'MEDIA_WIDTH_INVALID' });
}

function mediaHeaders(reply: FastifyReply, etag: string | null, cacheControl = IMMUTABLE): FastifyReply {
  if (etag) reply.header('etag', etag);
  return (
    reply
      .header('cache-control', cacheControl)
      .header('x-content-type-options', 'nosniff')
      // an image opened on its own can still run nothing
      .header('content-security-policy', "default-src 'none'; sandbox")
  );
}

export async function mediaRoutes(app: FastifyInstance, opts: MediaOptions): Promise<void> {
  /** The original, streamed when the store can. */
  async function sendOriginal(
    request: FastifyRequest,
    reply: FastifyReply,
    asset: MediaAsset,
    etag: string | null,
    cacheControl?: string,
  ): Promise<FastifyReply> {
    const body = opts.storage.stream
      ? await opts.storage.stream(asset.storageKey)
      : await opts.storage.get(asset.storageKey);
    if (!body) {
      request.log.warn({ assetId: asset.id }, 'asset row without stored bytes');
      return sendPageNotFound(request, reply);
    }
    return mediaHeaders(reply, etag, cacheControl).header('content-type', asset.mime).code(200).send(body);
  }

  /** A copy at one of the fixed widths: made on first request, then read from the store. */
  async function sendVariant(
    request: FastifyRequest,
    reply: FastifyReply,
    asset: MediaAsset,
    width: VariantWidth,
    etag: string,
  ): Promise<FastifyReply> {
    let variant;
    try {
      variant = await imageVariant(
        opts.storage,
        { storage_key: asset.storageKey, mime: asset.mime, width: asset.width },
        width,
      );
    } catch (err) {
      if (!(err instanceof ImageVariantError)) throw err;
      // the picture still shows; its URL is not promised forever and carries no ETag
      request.log.warn({ err, assetId: asset.id, width }, 'image copy failed; serving the original');
      return sendOriginal(request, reply, asset, null, STAND_IN);
    }
    if (!variant) {
      request.log.warn({ assetId: asset.id }, 'asset row without stored bytes');
      return sendPageNotFound(request, reply);
    }
    return mediaHeaders(reply, etag).header('content-type', variant.mime).code(200).send(variant.body);
  }

  app.get<{ Params: { assetId: string } }>('/media/:assetId', async (request, reply) => {
    const site = requireSite(request);
    const width = widthParam(request);
    const assetId = request.params.assetId.toLowerCase();
    // the same permission for every width: a copy is never made of what the face may not show
    const asset = await permitted(app.cache, app.readDb, site.tenant.id, assetId);
    if (!asset) return sendPageNotFound(request, reply);
    const etag = width ? `"${asset.id}.w${width}"` : `"${asset.id}"`;
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return mediaHeaders(reply, etag).code(304).send();
    return width ? sendVariant(request, reply, asset, width, etag) : sendOriginal(request, reply, asset, etag);
  });
}

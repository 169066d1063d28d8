import { isUuid, mediaRowById, shownOnFace } from '@yiduan/core';
import { withPlatform, withPublic, type DB } from '@yiduan/db';

export interface MediaAsset {
  id: string;
  mime: string;
  bytes: number;
  /** as displayed, in pixels: responsive copies are never wider */
  width: number;
  storageKey: string;
}

/** Only what browsers render as an image and nothing else; never SVG or HTML. */
const SERVABLE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/**
 * The asset, if this face may serve it: shared with everyone, or shown by a
 * story live on the face. The row needs platform scope (row-level security
 * hides unshared assets from the public); the use is checked in public scope,
 * so it can only ever find what the public may see.
 */
export async function mediaFor(db: DB, tenantId: string, assetId: string): Promise<MediaAsset | null> {
  if (!isUuid(assetId)) return null;
  const asset = await withPlatform(db, (trx) => mediaRowById(trx, assetId));
  if (!asset || !SERVABLE.has(asset.mime)) return null;
  if (!asset.shared && !(await withPublic(db, (trx) => shownOnFace(trx, tenantId, assetId)))) return null;
  return { id: asset.id, mime: asset.mime, bytes: asset.bytes, width: asset.width, storageKey: asset.storage_key };
}

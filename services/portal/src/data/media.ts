import { isUuid } from '@yiduan/core';
import { withPlatform, withPublic, type DB, type Executor } from '@yiduan/db';

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

/** Whether a story live on this face shows the asset, as cover, image block or video poster. */
async function usedOnFace(ex: Executor, tenantId: string, assetId: string): Promise<boolean> {
  const row = await ex
    .selectFrom('placements as p')
    .innerJoin('stories as s', (j) => j.onRef('s.tenant_id', '=', 'p.origin_tenant_id').onRef('s.id', '=', 'p.story_id'))
    .innerJoin('story_revisions as r', (j) => j.onRef('r.tenant_id', '=', 's.tenant_id').onRef('r.story_id', '=', 's.id').onRef('r.number', '=', 's.published_revision'))
    .select('p.id')
    .where('p.tenant_id', '=', tenantId)
    .where('p.status', '=', 'active')
    .where('s.retracted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('r.cover_asset_id', '=', assetId),
        // jsonb containment: some block of the body carries this id
        eb('r.body', '@>', eb.val(JSON.stringify([{ type: 'image', assetId }])).$castTo<unknown[]>()),
        eb('r.body', '@>', eb.val(JSON.stringify([{ type: 'video', posterAssetId: assetId }])).$castTo<unknown[]>()),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The asset, if this face may serve it: shared with everyone, or shown by a
 * story live on the face. The row needs platform scope (row-level security
 * hides unshared assets from the public); the use is checked in public scope,
 * so it can only ever find what the public may see.
 */
export async function mediaFor(db: DB, tenantId: string, assetId: string): Promise<MediaAsset | null> {
  if (!isUuid(assetId)) return null;
  const asset = await withPlatform(db, (trx) =>
    trx.selectFrom('assets').select(['id', 'mime', 'bytes', 'width', 'storage_key', 'shared']).where('id', '=', assetId).executeTakeFirst(),
  );
  if (!asset || !SERVABLE.has(asset.mime)) return null;
  if (!asset.shared && !(await withPublic(db, (trx) => usedOnFace(trx, tenantId, assetId)))) return null;
  return { id: asset.id, mime: asset.mime, bytes: asset.bytes, width: asset.width, storageKey: asset.storage_key };
}

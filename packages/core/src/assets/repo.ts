import { sql } from 'kysely';
import type { Asset, Executor } from '@yiduan/db';
import { isUuid } from '../tenancy/index.js';
import type { AssetImageSize, AssetListQuery, AssetMediaRow } from './model.js';

export async function insertAsset(
  ex: Executor,
  values: Pick<
    Asset,
    | 'tenant_id'
    | 'id'
    | 'kind'
    | 'mime'
    | 'bytes'
    | 'width'
    | 'height'
    | 'storage_key'
    | 'original_name'
    | 'alt'
    | 'shared'
    | 'created_by'
  >,
): Promise<Asset> {
  return ex.insertInto('assets').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function assetById(ex: Executor, id: string): Promise<Asset | undefined> {
  if (!isUuid(id)) return undefined;
  return ex.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
}

/** For loaders: the visible assets among ids, in no particular order. */
export async function assetsByIds(ex: Executor, ids: readonly string[]): Promise<Asset[]> {
  const valid = [...new Set(ids.filter(isUuid))];
  if (valid.length === 0) return [];
  return ex.selectFrom('assets').selectAll().where('id', 'in', valid).execute();
}

/** Newest first; pages by (created_at, id) since one transaction's uploads share a timestamp. */
export async function listAssets(ex: Executor, q: AssetListQuery): Promise<Asset[]> {
  if (!isUuid(q.tenantId) || (q.before !== undefined && !isUuid(q.before))) return [];
  let query = ex
    .selectFrom('assets')
    .selectAll()
    .where((eb) =>
      q.includeShared
        ? eb.or([eb('tenant_id', '=', q.tenantId), eb('shared', '=', true)])
        : eb('tenant_id', '=', q.tenantId),
    );
  if (q.before) {
    query = query.where(
      sql<boolean>`(assets.created_at, assets.id) < (SELECT p.created_at, p.id FROM assets p WHERE p.id = ${q.before})`,
    );
  }
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 50), 1), 200);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** RLS lets other tenants read a shared asset but not update it: then no row comes back. */
export async function setSharedRow(ex: Executor, id: string, shared: boolean): Promise<Asset | undefined> {
  return ex.updateTable('assets').set({ shared }).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function deleteAssetRow(ex: Executor, id: string): Promise<Asset | undefined> {
  return ex.deleteFrom('assets').where('id', '=', id).returningAll().executeTakeFirst();
}

/** Whether a published, unretracted story shows the asset as its cover or in its body (platform scope). */
export async function isInPublishedStory(ex: Executor, id: string): Promise<boolean> {
  const published = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM stories s JOIN story_revisions r
      ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.published_revision
     WHERE s.retracted_at IS NULL AND (r.cover_asset_id = ${id}::uuid OR r.body @> ${JSON.stringify([{ assetId: id }])}::jsonb)`.execute(
    ex,
  );
  return (published.rows[0]?.n ?? 0) > 0;
}

/** Sizes and descriptions of images, in one query (ids already checked). */
export async function imageSizesByIds(ex: Executor, ids: readonly string[]): Promise<AssetImageSize[]> {
  if (ids.length === 0) return [];
  return ex
    .selectFrom('assets')
    .select(['id', 'width', 'height', 'alt', 'mime'])
    .where('id', 'in', [...ids])
    .execute();
}

/** The columns a face needs to serve an asset. */
export async function mediaRowById(ex: Executor, id: string): Promise<AssetMediaRow | undefined> {
  if (!isUuid(id)) return undefined;
  return ex
    .selectFrom('assets')
    .select(['id', 'mime', 'bytes', 'width', 'storage_key', 'shared'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Whether a story live on this face shows the asset, as cover, image block or video poster: its
 * row in the face's listing (face_listings holds exactly the stories live on the face) and that
 * row's published revision.
 */
export async function shownOnFace(ex: Executor, tenantId: string, assetId: string): Promise<boolean> {
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
    .where((eb) =>
      eb.or([
        eb('l.cover_asset_id', '=', assetId),
        // jsonb containment: some block of the body carries this id
        eb('r.body', '@>', eb.val(JSON.stringify([{ type: 'image', assetId }])).$castTo<unknown[]>()),
        eb('r.body', '@>', eb.val(JSON.stringify([{ type: 'video', posterAssetId: assetId }])).$castTo<unknown[]>()),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

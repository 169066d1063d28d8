import { randomUUID } from 'node:crypto';
import type { Asset, Executor } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';
import { isUuid } from '../tenancy/index.js';
import { assetWriteError } from './errors.js';
import { ALT_MAX, assetKey, cleanName, type AssetImageSize, type NewAssetInput, type ServedAsset } from './model.js';
import { probeImage } from './probe.js';
import { assetById, deleteAssetRow, imageSizesByIds, insertAsset, isInPublishedStory, setSharedRow } from './repo.js';
import type { AssetStorage } from '@yiduan/storage';

/**
 * Stores an uploaded image and records it. The bytes are written before the
 * row, and removed again if the row (or its audit) cannot be written, so a
 * refused or failed upload leaves neither a row nor a file behind.
 */
export async function createAsset(
  ex: Executor,
  storage: AssetStorage,
  actor: Actor,
  input: NewAssetInput,
): Promise<Asset> {
  if (!isUuid(input.tenantId)) throw new DomainError('TENANT_NOT_FOUND');
  const alt = (input.alt ?? '').trim();
  if (Array.from(alt).length > ALT_MAX) {
    throw new DomainError('BAD_USER_INPUT', `图片说明不能超过 ${ALT_MAX} 个字`, [
      { path: 'alt', message: `不能超过 ${ALT_MAX} 个字` },
    ]);
  }
  const createdBy = input.createdBy ?? null;
  if (createdBy !== null && !isUuid(createdBy)) throw new DomainError('STAFF_NOT_FOUND');
  const image = probeImage(input.data, input.limits);

  const id = randomUUID();
  const key = assetKey(input.tenantId, id, image.ext, new Date());
  await storage.put(key, input.data, image.mime);
  try {
    const asset = await insertAsset(ex, {
      tenant_id: input.tenantId,
      id,
      kind: 'image',
      mime: image.mime,
      bytes: image.bytes,
      width: image.width,
      height: image.height,
      storage_key: key,
      original_name: cleanName(input.filename),
      alt,
      shared: input.shared ?? false,
      created_by: createdBy,
    });
    const detail = {
      mime: asset.mime,
      bytes: asset.bytes,
      width: asset.width,
      height: asset.height,
      name: asset.original_name,
    };
    await appendAudit(ex, actor, {
      tenantId: asset.tenant_id,
      action: 'asset.upload',
      targetKind: 'asset',
      targetId: id,
      detail,
    });
    return asset;
  } catch (err) {
    // the caller's transaction is failing anyway; the original error matters more than a cleanup error
    await storage.delete(key).catch(() => undefined);
    throw assetWriteError(err);
  }
}

/** Shares an asset with every tenant (or stops sharing). Only its own tenant or the platform may. */
export async function setAssetShared(ex: Executor, actor: Actor, id: string, shared: boolean): Promise<Asset> {
  if (!isUuid(id)) throw new DomainError('ASSET_NOT_FOUND');
  // RLS lets other tenants read a shared asset but not update it: then no row comes back
  const asset = await setSharedRow(ex, id, shared);
  if (!asset) throw new DomainError('ASSET_NOT_FOUND');
  await appendAudit(ex, actor, {
    tenantId: asset.tenant_id,
    action: shared ? 'asset.share' : 'asset.unshare',
    targetKind: 'asset',
    targetId: id,
  });
  return asset;
}

/**
 * Deletes the row, then the bytes. The object goes last so that any database
 * failure leaves the file in place; a storage failure throws and the caller's
 * transaction rolls the row back. Whether stories still use the asset is not
 * checked yet.
 */
export async function deleteAsset(ex: Executor, storage: AssetStorage, actor: Actor, id: string): Promise<Asset> {
  if (!isUuid(id)) throw new DomainError('ASSET_NOT_FOUND');
  const asset = await deleteAssetRow(ex, id);
  if (!asset) throw new DomainError('ASSET_NOT_FOUND');
  await appendAudit(ex, actor, {
    tenantId: asset.tenant_id,
    action: 'asset.delete',
    targetKind: 'asset',
    targetId: id,
    detail: { name: asset.original_name, storageKey: asset.storage_key },
  });
  await storage.delete(asset.storage_key);
  return asset;
}

/**
 * An asset for GET /assets/:id with whether it is public: shared, or shown by a published,
 * unretracted story. Platform scope (row-level security hides unshared assets); the caller
 * checks membership before serving a private one.
 */
export async function assetForServing(ex: Executor, id: string): Promise<ServedAsset | null> {
  const asset = await assetById(ex, id);
  if (!asset) return null;
  return { asset, public: asset.shared || (await isInPublishedStory(ex, id)) };
}

/**
 * Sizes of images, in one query, by id (ids that are not UUIDs are dropped). Platform scope on
 * the portal, because row-level security hides a tenant's unshared assets from the public even
 * when a published story shows them; only sizes and descriptions come back.
 */
export async function imageSizes(ex: Executor, ids: readonly (string | null | undefined)[]): Promise<AssetImageSize[]> {
  const valid = [...new Set(ids.filter((id): id is string => typeof id === 'string' && isUuid(id)))];
  return valid.length === 0 ? [] : imageSizesByIds(ex, valid);
}

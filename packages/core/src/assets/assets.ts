import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { isForeignKeyViolation, isRlsViolation, type Asset, type Executor, type PgError } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';
import { isUuid } from '../tenancy/index.js';
import { probeImage, type ProbeLimits } from './probe.js';
import type { AssetStorage } from '@yiduan/storage';

const ALT_MAX = 300;
const NAME_MAX = 200;

export interface NewAssetInput {
  tenantId: string;
  data: Buffer;
  /** kept for display only; never used to decide the type */
  filename: string;
  alt?: string;
  shared?: boolean;
  createdBy?: string | null;
  limits?: ProbeLimits;
}

/** Browsers may send a full path (C:\fakepath\x.jpg); keep the last segment, printable, bounded. */
function cleanName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return Array.from(last.replace(/[\u0000-\u001f\u007f]/g, '').trim()).slice(0, NAME_MAX).join('');
}

export function assetKey(tenantId: string, assetId: string, ext: string, at: Date): string {
  const yyyy = String(at.getUTCFullYear());
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  return `${tenantId.toLowerCase()}/${yyyy}/${mm}/${assetId}.${ext}`;
}

function insertFailure(err: unknown): unknown {
  if (isForeignKeyViolation(err)) {
    return (err as PgError).constraint === 'assets_created_by_fkey' ? new DomainError('STAFF_NOT_FOUND') : new DomainError('TENANT_NOT_FOUND');
  }
  if (isRlsViolation(err)) return new DomainError('FORBIDDEN');
  return err;
}

/**
 * Stores an uploaded image and records it. The bytes are written before the
 * row, and removed again if the row (or its audit) cannot be written, so a
 * refused or failed upload leaves neither a row nor a file behind.
 */
export async function createAsset(ex: Executor, storage: AssetStorage, actor: Actor, input: NewAssetInput): Promise<Asset> {
  if (!isUuid(input.tenantId)) throw new DomainError('TENANT_NOT_FOUND');
  const alt = (input.alt ?? '').trim();
  if (Array.from(alt).length > ALT_MAX) {
    throw new DomainError('BAD_USER_INPUT', `图片说明不能超过 ${ALT_MAX} 个字`, [{ path: 'alt', message: `不能超过 ${ALT_MAX} 个字` }]);
  }
  const createdBy = input.createdBy ?? null;
  if (createdBy !== null && !isUuid(createdBy)) throw new DomainError('STAFF_NOT_FOUND');
  const image = probeImage(input.data, input.limits);

  const id = randomUUID();
  const key = assetKey(input.tenantId, id, image.ext, new Date());
  await storage.put(key, input.data, image.mime);
  try {
    const asset = await ex
      .insertInto('assets')
      .values({
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
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const detail = { mime: asset.mime, bytes: asset.bytes, width: asset.width, height: asset.height, name: asset.original_name };
    await appendAudit(ex, actor, { tenantId: asset.tenant_id, action: 'asset.upload', targetKind: 'asset', targetId: id, detail });
    return asset;
  } catch (err) {
    // the caller's transaction is failing anyway; the original error matters more than a cleanup error
    await storage.delete(key).catch(() => undefined);
    throw insertFailure(err);
  }
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

export interface AssetListQuery {
  tenantId: string;
  /** also the assets other tenants share with the whole tree (shared media library) */
  includeShared?: boolean;
  /** default 50, at most 200 */
  limit?: number;
  /** id of the last asset of the previous page */
  before?: string;
}

/** Newest first; pages by (created_at, id) since one transaction's uploads share a timestamp. */
export async function listAssets(ex: Executor, q: AssetListQuery): Promise<Asset[]> {
  if (!isUuid(q.tenantId) || (q.before !== undefined && !isUuid(q.before))) return [];
  let query = ex
    .selectFrom('assets')
    .selectAll()
    .where((eb) => (q.includeShared ? eb.or([eb('tenant_id', '=', q.tenantId), eb('shared', '=', true)]) : eb('tenant_id', '=', q.tenantId)));
  if (q.before) {
    query = query.where(sql<boolean>`(assets.created_at, assets.id) < (SELECT p.created_at, p.id FROM assets p WHERE p.id = ${q.before})`);
  }
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 50), 1), 200);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Shares an asset with every tenant (or stops sharing). Only its own tenant or the platform may. */
export async function setAssetShared(ex: Executor, actor: Actor, id: string, shared: boolean): Promise<Asset> {
  if (!isUuid(id)) throw new DomainError('ASSET_NOT_FOUND');
  // RLS lets other tenants read a shared asset but not update it: then no row comes back
  const asset = await ex.updateTable('assets').set({ shared }).where('id', '=', id).returningAll().executeTakeFirst();
  if (!asset) throw new DomainError('ASSET_NOT_FOUND');
  await appendAudit(ex, actor, { tenantId: asset.tenant_id, action: shared ? 'asset.share' : 'asset.unshare', targetKind: 'asset', targetId: id });
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
  const asset = await ex.deleteFrom('assets').where('id', '=', id).returningAll().executeTakeFirst();
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

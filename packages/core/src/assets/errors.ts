import { isForeignKeyViolation, isRlsViolation, type PgError } from '@yiduan/db';
import { DomainError } from '../errors.js';

/**
 * Why an upload was refused. Each reason is meant to become its own code in
 * the core catalog (with this status); until then they travel as
 * BAD_USER_INPUT with the reason on the error, so callers can already tell them apart.
 */
export const ASSET_REJECTIONS = {
  ASSET_EMPTY: { status: 400, message: '文件为空' },
  ASSET_TOO_LARGE: { status: 413, message: '文件过大' },
  ASSET_TYPE_INVALID: { status: 415, message: '只支持 JPEG、PNG、WebP、GIF 图片' },
  ASSET_DIMENSIONS_TOO_LARGE: { status: 422, message: '图片尺寸过大' },
  ASSET_CORRUPT: { status: 422, message: '图片文件已损坏' },
} as const;

export type AssetRejection = keyof typeof ASSET_REJECTIONS;

export class AssetRejectedError extends DomainError {
  constructor(
    readonly reason: AssetRejection,
    detail?: string,
  ) {
    const message = detail ? `${ASSET_REJECTIONS[reason].message}：${detail}` : ASSET_REJECTIONS[reason].message;
    super('BAD_USER_INPUT', message, [{ path: 'file', message }]);
  }
}

export function isAssetRejected(err: unknown): err is AssetRejectedError {
  return err instanceof AssetRejectedError;
}

/** A failed asset insert as the uploader should see it (a missing uploader or tenant, or a refused scope). */
export function assetWriteError(err: unknown): unknown {
  if (isForeignKeyViolation(err)) {
    return (err as PgError).constraint === 'assets_created_by_fkey'
      ? new DomainError('STAFF_NOT_FOUND')
      : new DomainError('TENANT_NOT_FOUND');
  }
  if (isRlsViolation(err)) return new DomainError('FORBIDDEN');
  return err;
}

import type { Readable } from 'node:stream';

/**
 * Where asset bytes live. Keys are relative, slash-separated paths that the
 * repository generates (`<tenantId>/<yyyy>/<mm>/<assetId>.<ext>`); every
 * implementation refuses anything else, so a key can never reach outside the store.
 */
export interface AssetStorage {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** null when there is no such object */
  get(key: string): Promise<Buffer | null>;
  /** for serving large files without buffering them; null when missing */
  stream?(key: string): Promise<Readable | null>;
  /** idempotent: deleting a missing object is not an error */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export class UnsafeStorageKeyError extends Error {
  constructor(readonly key: string) {
    super(`unsafe storage key: ${JSON.stringify(key.slice(0, 200))}`);
    this.name = 'UnsafeStorageKeyError';
  }
}

// A segment never starts with a dot: that rules out `.`, `..` and hidden
// names (LocalDiskStorage's temp files are hidden, so they cannot collide).
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/**
 * Keys are plain ASCII segments: no absolute paths, no `..`, no backslashes
 * or empty segments. Stricter than S3 needs, on purpose: the same key must be
 * safe on a local disk too.
 */
export function assertSafeKey(key: string): void {
  const ok = key.length > 0 && key.length <= 512 && key.split('/').every((s) => SEGMENT.test(s));
  if (!ok) throw new UnsafeStorageKeyError(key);
}

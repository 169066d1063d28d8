import { LocalDiskStorage } from './local.js';
import { S3Storage, type S3StorageOptions } from './s3.js';
import type { AssetStorage } from './storage.js';

export * from './storage.js';
export * from './local.js';
export * from './s3.js';

export type StorageConfig = { kind: 'local'; dir: string } | ({ kind: 's3' } & S3StorageOptions);

/** The configured store: a local directory in development, an S3-compatible bucket in production. */
export function createStorage(config: StorageConfig): AssetStorage {
  switch (config.kind) {
    case 'local':
      return new LocalDiskStorage(config.dir);
    case 's3':
      return new S3Storage(config);
  }
}

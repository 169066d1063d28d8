import { createMemoryCache } from './memory.js';
import { createRedisCache } from './redis.js';
import type { Cache, CacheLogger } from './types.js';
import type { SentinelOptions } from './connect.js';

export { connectRedis, type SentinelOptions } from './connect.js';

export type { Cache, CacheGuard, CacheLogger, CacheSetOptions, GuardedRead } from './types.js';
export { DEFAULT_PREFIX } from './types.js';
export { createMemoryCache, DEFAULT_MAX_ENTRIES, type MemoryCacheOptions } from './memory.js';
export { createRedisCache, type RedisCacheOptions } from './redis.js';

export interface CreateCacheOptions {
  redisUrl: string | null;
  /** Redis behind Sentinel (the URL, if any, then only gives credentials) */
  sentinel?: SentinelOptions | null;
  prefix?: string;
  logger?: CacheLogger;
}

/** Redis when a URL is configured, otherwise the in-process memory cache. */
export function createCache(opts: CreateCacheOptions): Cache {
  if (opts.redisUrl || opts.sentinel) {
    return createRedisCache({ url: opts.redisUrl, sentinel: opts.sentinel, prefix: opts.prefix, logger: opts.logger });
  }
  return createMemoryCache({ prefix: opts.prefix, logger: opts.logger });
}

export {
  createEventBuffer,
  createMemoryBuffer,
  createRedisBuffer,
  sharedMemoryBuffer,
  DEFAULT_STREAM,
  type BufferedEntry,
  type EventBuffer,
  type MemoryBufferOptions,
  type ReadOptions,
  type RedisBufferOptions,
} from './event-buffer.js';

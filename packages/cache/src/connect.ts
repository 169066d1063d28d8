import { Redis, type RedisOptions } from 'ioredis';

/** Redis behind Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_NAME): connections follow a failover. */
export interface SentinelOptions {
  /** the monitored primary's name (`sentinel monitor <name> …`) */
  name: string;
  sentinels: { host: string; port: number }[];
}

/**
 * One Redis connection: to the URL's server, or, with Sentinel, to whichever server the Sentinels
 * currently name as primary. ioredis asks the Sentinels again on every reconnect and, with
 * `failoverDetector`, drops the connection as soon as they announce a new primary; the URL then
 * only supplies credentials and the database number.
 */
export function connectRedis(
  url: string | null,
  sentinel: SentinelOptions | null | undefined,
  options: RedisOptions,
): Redis {
  if (!sentinel) {
    if (!url) throw new Error('connectRedis: a URL or Sentinels are required');
    return new Redis(url, options);
  }
  const fromUrl: RedisOptions = {};
  if (url) {
    const u = new URL(url);
    if (u.username) fromUrl.username = decodeURIComponent(u.username);
    if (u.password) fromUrl.password = decodeURIComponent(u.password);
    const db = Number(u.pathname.replace(/^\//, ''));
    if (Number.isInteger(db) && db > 0) fromUrl.db = db;
  }
  return new Redis({
    ...options,
    ...fromUrl,
    sentinels: sentinel.sentinels,
    name: sentinel.name,
    role: 'master',
    failoverDetector: true,
    // all Sentinels unreachable: keep asking, backing off to 1 s
    sentinelRetryStrategy: (times: number) => Math.min(100 * times, 1000),
  });
}

import type { Redis, RedisOptions } from 'ioredis';
import { connectRedis, type SentinelOptions } from './connect.js';
import { GET_IF, INCR_WINDOW, INVALIDATE_TAGS, SET_TAGGED, runScript, runScriptBuffer, script } from './scripts.js';
import {
  DEFAULT_PREFIX,
  assertWindow,
  normalizeTtl,
  uniqueTags,
  type Cache,
  type CacheLogger,
  type CacheSetOptions,
} from './types.js';
import { consoleLogger, throttledWarner } from './warn.js';

export interface RedisCacheOptions {
  /** the server (or, with `sentinel`, only credentials and database); null with Sentinel alone */
  url: string | null;
  sentinel?: SentinelOptions | null;
  prefix?: string;
  logger?: CacheLogger;
  /** upper bound for one command, so a stalled Redis costs a request at most this much. Default 1000 ms. */
  commandTimeoutMs?: number;
  /** upper bound for establishing a connection. Default 2000 ms. */
  connectTimeoutMs?: number;
}

const setTagged = script(SET_TAGGED);
const invalidateTagsScript = script(INVALIDATE_TAGS);
const incrWindowScript = script(INCR_WINDOW);
const getIfScript = script(GET_IF);

/** Resolves/rejects like `p`, but rejects after `ms` if `p` is still pending. Never keeps the process alive. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Redis cache. Layout under the prefix:
 *   <prefix>k:<key>    data (values and incrWindow counters)
 *   <prefix>tag:<tag>  set of data keys carrying the tag
 *   <prefix><channel>  pub/sub channel (channels are their own namespace in Redis)
 * Data keys get their own `k:` segment so a key named "tag:x" can never collide with a tag set.
 */
export function createRedisCache(opts: RedisCacheOptions): Cache {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const commandTimeoutMs = opts.commandTimeoutMs ?? 1000;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 2000;
  const warn = throttledWarner(opts.logger ?? consoleLogger);
  const dataKey = (key: string) => `${prefix}k:${key}`;
  const tagKey = (tag: string) => `${prefix}tag:${tag}`;
  const channelName = (channel: string) => `${prefix}${channel}`;

  const baseOptions: RedisOptions = {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    // keep reconnecting forever, backing off to 2 s, so the cache heals when Redis comes back
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
  };

  // Command connection: fail fast instead of queueing while Redis is away. A queued write could
  // otherwise run minutes later, after an invalidation it was meant to precede.
  const client = connectRedis(opts.url, opts.sentinel, {
    ...baseOptions,
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
  });
  client.on('error', (err: unknown) => warn('connection', err, 'redis cache connection error'));

  let closed = false;
  let firstConnect: Promise<void> | null = null;

  /**
   * With the offline queue off, a command sent before the first connection is up would fail.
   * So the first use waits (bounded) for the initial connect; afterwards commands go straight
   * through and fail fast while Redis is down, and ioredis reconnects in the background.
   */
  async function connected(): Promise<void> {
    if (client.status === 'ready' || closed) return;
    firstConnect ??=
      client.status === 'wait'
        ? client.connect().catch((err: unknown) => warn('connect', err, 'redis cache could not connect'))
        : Promise.resolve();
    await within(firstConnect, connectTimeoutMs, 'redis connect').catch(() => undefined);
  }

  // Subscriber connection, created on first subscribe. Unlike the command connection it keeps an
  // offline queue and never gives up on queued commands: a SUBSCRIBE issued while Redis is down
  // takes effect once it is back, and ioredis re-subscribes by itself after every reconnect.
  let subscriber: Redis | null = null;
  const handlers = new Map<string, Set<(message: string) => void>>();

  function getSubscriber(): Redis {
    if (subscriber) return subscriber;
    const sub = connectRedis(opts.url, opts.sentinel, {
      ...baseOptions,
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      autoResubscribe: true,
    });
    sub.on('error', (err: unknown) => warn('subscriber', err, 'redis cache subscriber connection error'));
    sub.on('message', (channel: string, message: string) => {
      for (const handler of handlers.get(channel) ?? []) {
        try {
          handler(message);
        } catch (err) {
          warn(`handler:${channel}`, err, 'cache subscriber handler threw');
        }
      }
    });
    subscriber = sub;
    return sub;
  }

  async function shutdown(c: Redis): Promise<void> {
    try {
      if (c.status === 'ready') await within(c.quit(), commandTimeoutMs, 'redis quit');
    } catch {
      // fall through to a hard disconnect
    }
    try {
      if (c.status !== 'end') c.disconnect();
    } catch {
      // close() never throws
    }
  }

  const cache: Cache = {
    kind: 'redis',

    async get(key) {
      try {
        await connected();
        return await client.get(dataKey(key));
      } catch (err) {
        warn('get', err, 'redis cache get failed; treating as miss');
        return null;
      }
    },

    async getBuffer(key) {
      try {
        await connected();
        return await client.getBuffer(dataKey(key));
      } catch (err) {
        warn('getBuffer', err, 'redis cache getBuffer failed; treating as miss');
        return null;
      }
    },

    async getBufferIf(key, guards) {
      const keys = guards.map((g) => dataKey(g.key));
      if (key !== null) keys.push(dataKey(key));
      try {
        await connected();
        const reply = await runScriptBuffer(client, getIfScript, keys, [
          key === null ? '0' : '1',
          ...guards.map((g) => g.prefix),
        ]);
        if (!Array.isArray(reply)) return { current: false };
        const value: unknown = reply[0];
        return { current: true, value: Buffer.isBuffer(value) ? value : null };
      } catch (err) {
        warn('getBufferIf', err, 'redis cache getBufferIf failed; treating as not current');
        return { current: false };
      }
    },

    async getMany(keys) {
      if (keys.length === 0) return [];
      try {
        await connected();
        return await client.mget(keys.map(dataKey));
      } catch (err) {
        warn('getMany', err, 'redis cache getMany failed; treating as misses');
        return keys.map(() => null);
      }
    },

    async set(key: string, value: string, setOpts?: CacheSetOptions) {
      const ttl = normalizeTtl(setOpts?.ttlSeconds);
      const tags = uniqueTags(setOpts?.tags);
      try {
        await connected();
        if (tags.length > 0) {
          await runScript(client, setTagged, [dataKey(key), ...tags.map(tagKey)], [value, ttl ?? 0]);
        } else if (ttl !== null) {
          await client.set(dataKey(key), value, 'EX', ttl);
        } else {
          await client.set(dataKey(key), value);
        }
      } catch (err) {
        warn('set', err, 'redis cache set failed');
      }
    },

    async del(key) {
      try {
        await connected();
        await client.del(dataKey(key));
      } catch (err) {
        warn('del', err, 'redis cache del failed');
      }
    },

    async invalidateTags(tags) {
      const unique = uniqueTags(tags);
      if (unique.length === 0) return 0;
      try {
        await connected();
        const removed = await runScript(client, invalidateTagsScript, unique.map(tagKey), []);
        return Number(removed);
      } catch (err) {
        warn('invalidateTags', err, 'redis cache invalidateTags failed');
        return 0;
      }
    },

    async publish(channel, message) {
      try {
        await connected();
        await client.publish(channelName(channel), message);
      } catch (err) {
        warn('publish', err, 'redis cache publish failed');
      }
    },

    async subscribe(channel, handler) {
      if (closed) throw new Error('cache is closed');
      const name = channelName(channel);
      // wrap, so subscribing the same function twice gives two independent subscriptions
      const entry = (message: string) => handler(message);
      let set = handlers.get(name);
      const first = !set;
      if (!set) handlers.set(name, (set = new Set()));
      set.add(entry);
      if (first) {
        // The SUBSCRIBE stays queued on the subscriber connection until Redis is reachable, so a
        // subscription made during an outage (or before Redis starts) activates by itself later.
        await connected();
        if (closed) throw new Error('cache is closed'); // closed meanwhile: do not open a new connection
        const pending = getSubscriber().subscribe(name);
        try {
          // when the command connection already knows Redis is down, do not make the caller wait
          if (client.status !== 'ready') throw new Error('redis is not reachable');
          await within(pending, connectTimeoutMs + commandTimeoutMs, 'redis subscribe');
        } catch (err) {
          pending.catch(() => undefined); // rejects only if the cache is closed first
          warn('subscribe', err, 'redis cache subscribe pending; will activate when redis is reachable');
        }
      }
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        const current = handlers.get(name);
        if (!current) return;
        current.delete(entry);
        if (current.size > 0) return;
        handlers.delete(name);
        if (!subscriber || closed) return;
        try {
          await within(subscriber.unsubscribe(name), commandTimeoutMs, 'redis unsubscribe');
        } catch (err) {
          // messages for a channel without handlers are dropped anyway
          warn('unsubscribe', err, 'redis cache unsubscribe failed');
        }
      };
    },

    async incrWindow(key, windowSeconds) {
      const window = assertWindow(windowSeconds);
      // no fail-soft here: the rate limiter decides whether to fail open or closed
      await connected();
      const count = await runScript(client, incrWindowScript, [dataKey(key)], [window]);
      return Number(count);
    },

    async ping() {
      try {
        await connected();
        return (await client.ping()) === 'PONG' ? 'ok' : 'down';
      } catch {
        return 'down';
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      handlers.clear();
      const sub = subscriber;
      subscriber = null;
      await Promise.all([shutdown(client), sub ? shutdown(sub) : Promise.resolve()]);
    },
  };
  return cache;
}

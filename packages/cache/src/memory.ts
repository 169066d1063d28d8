import { EventEmitter } from 'node:events';
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

export interface MemoryCacheOptions {
  prefix?: string;
  /** LRU bound; the least recently used entry goes first. Default 10,000. */
  maxEntries?: number;
  logger?: CacheLogger;
}

export const DEFAULT_MAX_ENTRIES = 10_000;

interface Entry {
  value: string;
  /** the value's UTF-8 bytes, made on the first getBuffer and kept while the value stays */
  bytes?: Buffer;
  /** epoch ms, or null for no expiry */
  expiresAt: number | null;
  tags: Set<string>;
}

/**
 * One store per prefix, shared by every memory cache in the process that uses that prefix.
 * This makes the memory cache behave like one Redis: when all services run in one process
 * without Redis (`pnpm start`), the worker's invalidations and publishes reach the portal's
 * cache even if each service created its own instance. Different prefixes stay isolated.
 */
class MemoryStore {
  /** Map iteration order doubles as LRU order: oldest first, touched entries move to the end. */
  readonly entries = new Map<string, Entry>();
  readonly tagIndex = new Map<string, Set<string>>();
  readonly bus = new EventEmitter();
  refs = 0;

  constructor(public maxEntries: number) {
    // many subscribers to one channel is normal here, not a leak
    this.bus.setMaxListeners(0);
  }

  /** Live entry or undefined; drops it if expired. Does not touch LRU order. */
  peek(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= now) {
      this.remove(key);
      return undefined;
    }
    return entry;
  }

  read(key: string, now: number): string | null {
    const entry = this.peek(key, now);
    if (!entry) return null;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  readBuffer(key: string, now: number): Buffer | null {
    if (this.read(key, now) === null) return null;
    const entry = this.entries.get(key)!;
    return (entry.bytes ??= Buffer.from(entry.value, 'utf8'));
  }

  write(key: string, entry: Entry): void {
    this.remove(key);
    this.entries.set(key, entry);
    for (const tag of entry.tags) {
      let keys = this.tagIndex.get(tag);
      if (!keys) this.tagIndex.set(tag, (keys = new Set()));
      keys.add(key);
    }
    this.evict();
  }

  /** Removes a key and its tag memberships; true if a live entry was removed. */
  remove(key: string, now?: number): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    for (const tag of entry.tags) {
      const keys = this.tagIndex.get(tag);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.tagIndex.delete(tag);
    }
    return now === undefined || entry.expiresAt === null || entry.expiresAt > now;
  }

  evict(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.remove(oldest.value);
    }
  }
}

const stores = new Map<string, MemoryStore>();

function acquireStore(prefix: string, maxEntries: number): MemoryStore {
  let store = stores.get(prefix);
  if (!store) {
    store = new MemoryStore(maxEntries);
    stores.set(prefix, store);
  } else if (maxEntries > store.maxEntries) {
    // shared store: the largest requested bound wins, so no user gets fewer entries than asked
    store.maxEntries = maxEntries;
  }
  store.refs++;
  return store;
}

function releaseStore(prefix: string, store: MemoryStore): void {
  store.refs--;
  if (store.refs <= 0 && stores.get(prefix) === store) stores.delete(prefix);
}

export function createMemoryCache(opts: MemoryCacheOptions = {}): Cache {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const maxEntries = Math.max(1, Math.floor(opts.maxEntries ?? DEFAULT_MAX_ENTRIES));
  const warn = throttledWarner(opts.logger ?? consoleLogger);
  const store = acquireStore(prefix, maxEntries);
  /** this instance's bus listeners, removed on close */
  const listeners = new Set<{ channel: string; listener: (message: string) => void }>();
  let closed = false;

  // Closed behaves like a Redis cache whose connection is gone: reads miss, writes are dropped.
  const cache: Cache = {
    kind: 'memory',

    async get(key) {
      if (closed) return null;
      return store.read(key, Date.now());
    },

    async getBuffer(key) {
      if (closed) return null;
      return store.readBuffer(key, Date.now());
    },

    async getBufferIf(key, guards) {
      if (closed) return { current: false };
      const now = Date.now();
      for (const guard of guards) {
        const entry = store.peek(guard.key, now);
        if (!entry || !entry.value.startsWith(guard.prefix)) return { current: false };
      }
      return { current: true, value: key === null ? null : store.readBuffer(key, now) };
    },

    async getMany(keys) {
      if (closed) return keys.map(() => null);
      const now = Date.now();
      return keys.map((key) => store.read(key, now));
    },

    async set(key: string, value: string, setOpts?: CacheSetOptions) {
      if (closed) return;
      const ttl = normalizeTtl(setOpts?.ttlSeconds);
      store.write(key, {
        value,
        expiresAt: ttl === null ? null : Date.now() + ttl * 1000,
        tags: new Set(uniqueTags(setOpts?.tags)),
      });
    },

    async del(key) {
      if (closed) return;
      store.remove(key);
    },

    async invalidateTags(tags) {
      if (closed) return 0;
      const now = Date.now();
      const keys = new Set<string>();
      for (const tag of uniqueTags(tags)) {
        for (const key of store.tagIndex.get(tag) ?? []) keys.add(key);
        store.tagIndex.delete(tag);
      }
      let removed = 0;
      for (const key of keys) if (store.remove(key, now)) removed++;
      return removed;
    },

    async publish(channel, message) {
      if (closed) return;
      // deliver asynchronously like Redis does, so a handler never runs inside the publisher's call
      queueMicrotask(() => store.bus.emit(channel, message));
    },

    async subscribe(channel, handler) {
      if (closed) throw new Error('cache is closed');
      const entry = {
        channel,
        listener: (message: string) => {
          try {
            handler(message);
          } catch (err) {
            warn(`handler:${channel}`, err, 'cache subscriber handler threw');
          }
        },
      };
      listeners.add(entry);
      store.bus.on(channel, entry.listener);
      return async () => {
        if (listeners.delete(entry)) store.bus.off(channel, entry.listener);
      };
    },

    async incrWindow(key, windowSeconds) {
      if (closed) throw new Error('cache is closed');
      const window = assertWindow(windowSeconds);
      const now = Date.now();
      const entry = store.peek(key, now);
      if (!entry) {
        store.write(key, { value: '1', expiresAt: now + window * 1000, tags: new Set() });
        return 1;
      }
      // same rule as Redis INCR: the stored value must be an integer
      if (!/^-?\d+$/.test(entry.value)) throw new Error('incrWindow: value is not an integer');
      const count = Number(entry.value) + 1;
      entry.value = String(count);
      entry.bytes = undefined;
      // a counter without expiry would rate-limit forever; give it one
      if (entry.expiresAt === null) entry.expiresAt = now + window * 1000;
      store.read(key, now); // touch for LRU
      return count;
    },

    async ping() {
      return closed ? 'down' : 'ok';
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const { channel, listener } of listeners) store.bus.off(channel, listener);
      listeners.clear();
      releaseStore(prefix, store);
    },
  };
  return cache;
}

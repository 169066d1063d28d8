import type { Redis } from 'ioredis';
import { connectRedis, type SentinelOptions } from './connect.js';

/**
 * The event buffer between the beacon and the writer: a Redis stream with a consumer group,
 * or an in-process queue with the same delivery rules when there is no Redis.
 *
 * Delivery rules (both implementations):
 * - `read` hands out entries and remembers them as pending for that consumer;
 * - an entry leaves the buffer only on `ack`, which the writer calls after its insert commits;
 * - a consumer that comes back under the same name first gets its own pending entries again,
 *   and any consumer takes over entries another one left pending for longer than `claimIdleMs`.
 * So a writer killed between reading and committing loses nothing: the entries are read again.
 *
 * Entries are JSON: `append` takes any serialisable event (`E`, the analytics context's RawEvent),
 * `read` hands back the JSON text for the reader to parse and validate.
 */
export interface BufferedEntry {
  id: string;
  data: string;
}

export interface ReadOptions {
  count: number;
  /** wait this long for new entries when there are none (0: do not wait) */
  blockMs: number;
  /** take over other consumers' entries pending longer than this */
  claimIdleMs: number;
}

export interface EventBuffer<E = unknown> {
  readonly kind: 'redis' | 'memory';
  append(events: readonly E[]): Promise<void>;
  read(consumer: string, opts: ReadOptions): Promise<BufferedEntry[]>;
  ack(ids: string[]): Promise<void>;
  /** entries not yet acknowledged (pending or never read) */
  size(): Promise<number>;
  /** removes every entry and the stream itself (tests and benchmarks clean up after themselves) */
  clear(): Promise<void>;
  close(): Promise<void>;
}

const GROUP = 'writers';
export const DEFAULT_STREAM = 'yd:analytics:events';

// ---------------------------------------------------------------- memory

interface MemoryEntry {
  id: string;
  data: string;
  consumer: string | null;
  deliveredAt: number;
}

export interface MemoryBufferOptions {
  /** oldest entries are dropped past this many (a guard for a process running without a writer) */
  maxEntries?: number;
}

export function createMemoryBuffer<E = unknown>(opts: MemoryBufferOptions = {}): EventBuffer<E> {
  const maxEntries = opts.maxEntries ?? 1_000_000;
  const entries = new Map<string, MemoryEntry>();
  let seq = 0;
  const started = Date.now().toString(36);
  let waiters: (() => void)[] = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  return {
    kind: 'memory',
    async append(events) {
      for (const e of events) {
        seq += 1;
        const id = `m${started}-${seq}`;
        entries.set(id, { id, data: JSON.stringify(e), consumer: null, deliveredAt: 0 });
      }
      while (entries.size > maxEntries) {
        const first = entries.keys().next().value as string;
        entries.delete(first);
      }
      if (events.length > 0) wake();
    },
    async read(consumer, { count, blockMs, claimIdleMs }) {
      const pick = (): BufferedEntry[] => {
        const out: BufferedEntry[] = [];
        const now = Date.now();
        // own pending first, then stale pending of others, then new entries (insertion order)
        for (const pass of [0, 1, 2] as const) {
          for (const e of entries.values()) {
            if (out.length >= count) return out;
            const take =
              pass === 0
                ? e.consumer === consumer
                : pass === 1
                  ? e.consumer !== null && e.consumer !== consumer && now - e.deliveredAt >= claimIdleMs
                  : e.consumer === null;
            if (take && !out.some((o) => o.id === e.id)) {
              e.consumer = consumer;
              e.deliveredAt = now;
              out.push({ id: e.id, data: e.data });
            }
          }
        }
        return out;
      };
      let got = pick();
      if (got.length === 0 && blockMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, blockMs);
          timer.unref();
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        got = pick();
      }
      return got;
    },
    async ack(ids) {
      for (const id of ids) entries.delete(id);
    },
    async size() {
      return entries.size;
    },
    async clear() {
      entries.clear();
    },
    async close() {
      wake();
    },
  };
}

/**
 * One memory buffer per process and name: in `pnpm start` the portal (appending) and the
 * worker (reading) share it. With Redis each process connects to the same stream instead.
 */
const shared = new Map<string, EventBuffer>();
export function sharedMemoryBuffer(name = DEFAULT_STREAM): EventBuffer {
  let b = shared.get(name);
  if (!b) {
    b = createMemoryBuffer();
    shared.set(name, b);
  }
  return b;
}

// ---------------------------------------------------------------- redis

export interface RedisBufferOptions {
  url: string | null;
  sentinel?: SentinelOptions | null;
  stream?: string;
  /** a stream above this length refuses appends (backpressure instead of unbounded memory) */
  maxLength?: number;
}

/** the longest an append waits for a replica's acknowledgement (behind Sentinel) */
const REPLICA_WAIT_MS = 100;

type StreamReply = [string, [string, string[]][]][] | null;

export function createRedisBuffer<E = unknown>(opts: RedisBufferOptions): EventBuffer<E> {
  const stream = opts.stream ?? DEFAULT_STREAM;
  const maxLength = opts.maxLength ?? 5_000_000;
  // Behind Sentinel an append waits through a failover (about 1–3 s: the command is queued and
  // sent to the new primary) instead of failing after two reconnects, and each append waits
  // (bounded) for the replica to have it, so a primary killed right after does not take it along.
  const failover = Boolean(opts.sentinel);
  const connect = () =>
    connectRedis(opts.url, opts.sentinel, {
      lazyConnect: false,
      maxRetriesPerRequest: failover ? 40 : 2,
      enableOfflineQueue: true,
    });
  const client = connect();
  client.on('error', () => {});
  // blocking reads get their own connection so appends never wait behind them
  let reader: Redis | null = null;
  let lengthCheckedAt = 0;
  let full = false;
  let groupReady: Promise<void> | null = null;
  const ensureGroup = (): Promise<void> =>
    (groupReady ??= client.xgroup('CREATE', stream, GROUP, '0', 'MKSTREAM').then(
      () => undefined,
      (err: Error) => {
        if (!String(err.message).includes('BUSYGROUP')) {
          groupReady = null;
          throw err;
        }
      },
    ));
  const entriesOf = (rows: [string, string[]][]): BufferedEntry[] =>
    rows
      .filter(([, fields]) => Array.isArray(fields) && fields.length >= 2)
      .map(([id, fields]) => ({ id, data: fields[1]! }));

  return {
    kind: 'redis',
    async append(events) {
      if (events.length === 0) return;
      const p = client.pipeline();
      for (const e of events) p.xadd(stream, '*', 'e', JSON.stringify(e));
      if (failover) p.wait(1, REPLICA_WAIT_MS);
      // the length is checked once a second at most, not on every beacon (one round trip each)
      if (maxLength > 0 && Date.now() - lengthCheckedAt > 1000) {
        lengthCheckedAt = Date.now();
        full = (await client.xlen(stream)) > maxLength;
      }
      if (full) throw new Error('analytics stream is full');
      const res = await p.exec();
      const failed = res?.find(([err]) => err);
      if (failed) throw failed[0];
    },
    async read(consumer, { count, blockMs, claimIdleMs }) {
      await ensureGroup();
      // 1. this consumer's own pending entries (it died after reading, came back under the same name)
      const own = (await client.xreadgroup(
        'GROUP',
        GROUP,
        consumer,
        'COUNT',
        count,
        'STREAMS',
        stream,
        '0',
      )) as StreamReply;
      const mine = entriesOf(own?.[0]?.[1] ?? []);
      if (mine.length > 0) return mine;
      // 2. entries another consumer left pending for too long
      const claimed = (await client.xautoclaim(stream, GROUP, consumer, claimIdleMs, '0-0', 'COUNT', count)) as [
        string,
        [string, string[]][],
      ];
      const stale = entriesOf(claimed?.[1] ?? []);
      if (stale.length > 0) return stale;
      // 3. new entries, waiting a little when there are none
      if (!reader) {
        reader = connect();
        reader.on('error', () => {});
      }
      const args: (string | number)[] = ['GROUP', GROUP, consumer, 'COUNT', count];
      if (blockMs > 0) args.push('BLOCK', blockMs);
      args.push('STREAMS', stream, '>');
      const fresh = (await (reader.xreadgroup as (...a: (string | number)[]) => Promise<unknown>)(
        ...args,
      )) as StreamReply;
      return entriesOf(fresh?.[0]?.[1] ?? []);
    },
    async ack(ids) {
      if (ids.length === 0) return;
      // acknowledged entries are deleted too: the stream holds only what is not yet written
      await client
        .multi()
        .xack(stream, GROUP, ...ids)
        .xdel(stream, ...ids)
        .exec();
    },
    async size() {
      return client.xlen(stream);
    },
    async clear() {
      await client.del(stream);
      groupReady = null;
    },
    async close() {
      await Promise.allSettled([client.quit(), reader?.quit()]);
    },
  };
}

/** Redis when configured, otherwise the process's shared memory buffer. */
export function createEventBuffer(opts: {
  redisUrl: string | null;
  sentinel?: SentinelOptions | null;
  stream?: string;
}): EventBuffer {
  return opts.redisUrl || opts.sentinel
    ? createRedisBuffer({ url: opts.redisUrl, sentinel: opts.sentinel, stream: opts.stream })
    : sharedMemoryBuffer(opts.stream);
}

import { hostname } from 'node:os';
import { sql } from 'kysely';
import { withPlatform, type DB, type Executor } from '@yiduan/db';
import type { BufferedEntry, EventBuffer } from '@yiduan/cache';
import { addDays, dayOf } from './days.js';
import { decodeEvent, type RawEvent } from './events.js';

export interface WriterLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WriterOptions {
  db: DB;
  buffer: EventBuffer;
  /** stable per process copy (a restarted copy takes back its own pending entries at once) */
  consumer?: string;
  batchSize?: number;
  blockMs?: number;
  /** take over another writer's unacknowledged entries after this long */
  claimIdleMs?: number;
  retentionDays: number;
  log?: WriterLogger;
  /** tests: runs after the entries were read and before the insert (to simulate a crash there) */
  afterRead?: (entries: BufferedEntry[]) => Promise<void> | void;
  now?: () => number;
}

export interface BatchResult {
  read: number;
  /** rows inserted (a re-delivered entry already written counts 0) */
  inserted: number;
  /** malformed or older than the retention: acknowledged and dropped */
  skipped: number;
}

/** Partitions known to exist, per database pool (one process may serve several test databases). */
const knownPartitions = new WeakMap<object, Set<string>>();

/** Creates the daily partitions from..to that do not exist yet (platform scope). */
export async function ensurePartitions(ex: Executor, from: string, to: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT analytics_ensure_partitions(${from}::date, ${to}::date) AS n`.execute(ex);
  return r.rows[0]?.n ?? 0;
}

/** Drops the partitions of days before `before` (platform scope); returns how many. */
export async function dropPartitionsBefore(ex: Executor, before: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT analytics_drop_partitions(${before}::date) AS n`.execute(ex);
  return r.rows[0]?.n ?? 0;
}

export async function listPartitions(ex: Executor): Promise<string[]> {
  const r = await sql<{ day: string }>`SELECT day::text AS day FROM analytics_partitions() ORDER BY 1`.execute(ex);
  return r.rows.map((x) => x.day);
}

/**
 * One multi-row INSERT for a batch: arrays in, unnest out. The story is kept only when the face
 * really carries it (an active placement), which also names its origin; the unit comes from the
 * story. The (tenant, day) pairs touched — the face's and the origin's — are marked for the
 * roll-up in the same statement. ON CONFLICT makes a re-delivered batch insert nothing twice.
 */
export async function insertEvents(ex: Executor, rows: { id: string; e: RawEvent }[]): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <T>(f: (r: { id: string; e: RawEvent }) => T): T[] => rows.map(f);
  const r = await sql<{ n: number }>`
    WITH e AS (
      SELECT * FROM unnest(
        ${col((r) => r.e.t)}::uuid[], ${col((r) => r.id)}::text[], ${col((r) => new Date(r.e.at).toISOString())}::timestamptz[],
        ${col((r) => r.e.k)}::text[], ${col((r) => r.e.s)}::uuid[], ${col((r) => r.e.v)}::bigint[],
        ${col((r) => r.e.p)}::text[], ${col((r) => r.e.r)}::text[], ${col((r) => r.e.c)}::text[]
      ) AS e(tenant_id, event_id, at, kind, story_id, visitor, path, referrer, channel)
    ), ins AS (
      INSERT INTO analytics_events (tenant_id, day, event_id, at, kind, story_id, story_tenant_id, unit_id, visitor, path, referrer, channel)
      SELECT e.tenant_id, (e.at AT TIME ZONE 'Asia/Shanghai')::date, e.event_id, e.at, e.kind,
             p.story_id, p.origin_tenant_id, s.unit_id, e.visitor, e.path, e.referrer, e.channel
        FROM e
        JOIN tenants t ON t.id = e.tenant_id
        LEFT JOIN placements p ON p.tenant_id = e.tenant_id AND p.story_id = e.story_id AND p.status = 'active'
        LEFT JOIN stories s ON s.tenant_id = p.origin_tenant_id AND s.id = p.story_id
       WHERE e.kind = 'view' OR p.story_id IS NOT NULL
      ON CONFLICT DO NOTHING
      RETURNING tenant_id, day, story_tenant_id
    ), dirty AS (
      INSERT INTO analytics_dirty (tenant_id, day)
      SELECT DISTINCT x.tenant_id, x.day FROM (
        SELECT tenant_id, day FROM ins UNION SELECT story_tenant_id, day FROM ins WHERE story_tenant_id IS NOT NULL
      ) x
      ON CONFLICT DO NOTHING
    )
    SELECT count(*)::int AS n FROM ins`.execute(ex);
  return r.rows[0]?.n ?? 0;
}

/**
 * Reads batches from the buffer and writes them. Acknowledges a batch only after its
 * transaction committed: a writer that dies between reading and committing leaves the entries
 * pending, and they are read again (by itself under the same name, or by another writer after
 * `claimIdleMs`); a writer that dies after committing and before acknowledging re-inserts
 * nothing, thanks to the event id in the primary key.
 */
export class AnalyticsWriter {
  readonly consumer: string;
  readonly #o: Required<Pick<WriterOptions, 'batchSize' | 'blockMs' | 'claimIdleMs' | 'retentionDays'>> & WriterOptions;
  #running = false;
  #loop: Promise<void> | null = null;
  totals = { read: 0, inserted: 0, skipped: 0, failures: 0 };

  constructor(opts: WriterOptions) {
    this.#o = { batchSize: 1000, blockMs: 1000, claimIdleMs: 30_000, ...opts };
    this.consumer = opts.consumer ?? `writer-${hostname()}`;
  }

  /** One cycle: read up to a batch, insert it in one transaction, then acknowledge. */
  async writeBatch(blockMs = this.#o.blockMs): Promise<BatchResult> {
    const { buffer, db } = this.#o;
    const entries = await buffer.read(this.consumer, { count: this.#o.batchSize, blockMs, claimIdleMs: this.#o.claimIdleMs });
    if (entries.length === 0) return { read: 0, inserted: 0, skipped: 0 };
    await this.#o.afterRead?.(entries);
    const now = this.#o.now?.() ?? Date.now();
    const oldest = addDays(dayOf(now), -this.#o.retentionDays + 1);
    const rows: { id: string; e: RawEvent }[] = [];
    let skipped = 0;
    for (const entry of entries) {
      const e = decodeEvent(entry.data);
      if (!e || dayOf(e.at) < oldest) skipped += 1;
      else rows.push({ id: entry.id, e });
    }
    let inserted = 0;
    if (rows.length > 0) {
      const days = [...new Set(rows.map((r) => dayOf(r.e.at)))].sort();
      let known = knownPartitions.get(db);
      if (!known) knownPartitions.set(db, (known = new Set()));
      const missing = days.filter((d) => !known.has(d));
      inserted = await withPlatform(db, async (trx) => {
        if (missing.length > 0) await ensurePartitions(trx, missing[0]!, missing[missing.length - 1]!);
        return insertEvents(trx, rows);
      });
      for (const d of missing) known.add(d);
    }
    // only now, after COMMIT
    await buffer.ack(entries.map((e) => e.id));
    this.totals.read += entries.length;
    this.totals.inserted += inserted;
    this.totals.skipped += skipped;
    return { read: entries.length, inserted, skipped };
  }

  /** Writes until the buffer is empty (tests, shutdown). */
  async drain(): Promise<number> {
    let n = 0;
    for (;;) {
      const r = await this.writeBatch(0);
      n += r.inserted;
      if (r.read === 0) return n;
    }
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      let backoff = 250;
      while (this.#running) {
        try {
          await this.writeBatch();
          backoff = 250;
        } catch (err) {
          this.totals.failures += 1;
          this.#o.log?.warn({ err }, 'analytics writer: batch failed, retrying');
          // the entries stay pending under this consumer and are read again
          knownPartitions.delete(this.#o.db);
          await new Promise((r) => setTimeout(r, backoff).unref());
          backoff = Math.min(backoff * 2, 10_000);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    this.#loop = null;
  }
}

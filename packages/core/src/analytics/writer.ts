import { hostname } from 'node:os';
import { withPlatform, type DB } from '@yiduan/db';
import type { BufferedEntry, EventBuffer } from '@yiduan/cache';
import { addDays, dayOf } from './days.js';
import { decodeEvent, type RawEvent } from './beacon.js';
import { ensurePartitions, insertEvents } from './repo/partitions.js';

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
    const entries = await buffer.read(this.consumer, {
      count: this.#o.batchSize,
      blockMs,
      claimIdleMs: this.#o.claimIdleMs,
    });
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

// Types only: `pg` is not a runtime dependency of this package, the listener's pool comes from @yiduan/db.
import type { PoolClient } from 'pg';
import type { Cache } from '@yiduan/cache';
import {
  claimNextEvent,
  deferEvent,
  lockEvent,
  markEventDone,
  openHandlerSavepoint,
  outboxCounts,
  recordEventAttempt,
  releaseHandlerSavepoint,
  reviveDeadEvents,
  rollbackHandlerSavepoint,
  takeReceipt,
  type OutboxStats,
} from '@yiduan/core';
import { createPool, listenOn, setPlatform, withPlatform, type DB, type OutboxEvent, type Trx } from '@yiduan/db';
import { isDependencyUnavailable, silentLogger, type HandlerRegistry, type Logger } from './handlers.js';

export const OUTBOX_CHANNEL = 'outbox';
/** last_error is for people reading it; a stack trace per attempt would only bloat the table */
export const MAX_ERROR_LENGTH = 2000;

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed so retries always move
 * forward, half is random so failed events of one burst do not come back in lockstep.
 * attempt 1 → 250–500 ms, 2 → 500–1000 ms, … capped at 5 minutes.
 */
export function exponentialBackoff(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 500;
  const cap = opts.capMs ?? 5 * 60_000;
  const step = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + Math.random() * (step / 2));
}

export interface OutboxConsumerOptions {
  /** application-role database; the consumer works in platform scope */
  db: DB;
  cache: Cache;
  registry: HandlerRegistry;
  log?: Logger;
  /** events per runOnce (default 50) */
  batchSize?: number;
  /** failed attempts after which an event is `dead` (config.outboxMaxAttempts; default 8) */
  maxAttempts?: number;
  /** delay in ms before retry number `attempt` (1-based) */
  backoff?: (attempt: number) => number;
  /** fallback poll when no NOTIFY arrives (default 1000 ms) */
  pollIntervalMs?: number;
  /** application-role URL for the LISTEN connection; required by start() */
  listenUrl?: string;
  /** delay before listener reconnect number `attempt` (default: exponential, capped at 30 s) */
  reconnectBackoff?: (attempt: number) => number;
  /** longest wait between retries of an event whose handlers only met an unreachable dependency (default 30 s) */
  dependencyRetryCapMs?: number;
}

export interface RunResult {
  /** events marked done (all handlers succeeded or none was registered) */
  processed: number;
  /** events that failed and were rescheduled */
  failed: number;
  /** events that failed for the last time and are now dead */
  dead: number;
}

export type { OutboxStats } from '@yiduan/core';

type Outcome = { id: number; kind: keyof RunResult };

/** Counts of outbox events by status. */
export async function outboxStats(db: DB): Promise<OutboxStats> {
  return withPlatform(db, (trx) => outboxCounts(trx));
}

function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

function truncate(s: string): string {
  return s.length <= MAX_ERROR_LENGTH ? s : `${s.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}

/**
 * Consumes the transactional outbox at least once; receipts make every handler's
 * database work exactly once.
 *
 * Transaction design: each event runs in its own platform transaction, which claims it
 * (`FOR UPDATE SKIP LOCKED`, so the row stays locked until the outcome commits and a second
 * consumer skips it), runs its handlers, each inside a SAVEPOINT together with its receipt,
 * and records the outcome. A batch is a loop of such transactions. Compared with one
 * transaction per batch this costs a few more round trips, but a slow or failing event only
 * holds its own lock, a failed commit (say a deferred constraint a handler broke) loses only
 * that event's work, and other consumers can take the rest of the backlog meanwhile.
 */
export class OutboxConsumer {
  readonly #db: DB;
  readonly #cache: Cache;
  readonly #registry: HandlerRegistry;
  readonly #log: Logger;
  readonly #batchSize: number;
  readonly #maxAttempts: number;
  readonly #backoff: (attempt: number) => number;
  readonly #pollIntervalMs: number;
  readonly #listenUrl: string | undefined;
  readonly #reconnectBackoff: (attempt: number) => number;
  readonly #dependencyRetryCapMs: number;

  #running = false;
  #stopping = false;
  #draining: Promise<void> | null = null;
  #wakeAgain = false;
  #failing = false;
  #pollTimer: NodeJS.Timeout | null = null;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #reconnectAttempt = 0;
  #listenPool: ReturnType<typeof createPool> | null = null;
  /** settles when the released LISTEN connection's socket has closed (stop waits for it) */
  #listenerEnded: Promise<void> | null = null;
  #connecting: Promise<void> | null = null;
  #closeListener: (() => void) | null = null;

  constructor(opts: OutboxConsumerOptions) {
    this.#db = opts.db;
    this.#cache = opts.cache;
    this.#registry = opts.registry;
    this.#log = opts.log ?? silentLogger;
    this.#batchSize = Math.max(1, opts.batchSize ?? 50);
    this.#maxAttempts = Math.max(1, opts.maxAttempts ?? 8);
    this.#backoff = opts.backoff ?? ((attempt) => exponentialBackoff(attempt));
    this.#pollIntervalMs = Math.max(10, opts.pollIntervalMs ?? 1000);
    this.#listenUrl = opts.listenUrl;
    this.#reconnectBackoff = opts.reconnectBackoff ?? ((attempt) => exponentialBackoff(attempt, { capMs: 30_000 }));
    this.#dependencyRetryCapMs = Math.max(0, opts.dependencyRetryCapMs ?? 30_000);
  }

  get running(): boolean {
    return this.#running;
  }

  /** Processes up to batchSize due events, each at most once per call. */
  async runOnce(): Promise<RunResult> {
    const result: RunResult = { processed: 0, failed: 0, dead: 0 };
    // The id cursor keeps an event that failed with a zero backoff from being retried within this call.
    let after = 0;
    for (let i = 0; i < this.#batchSize && !this.#stopping; i++) {
      const outcome = await this.#processNext(after);
      if (!outcome) break;
      after = outcome.id;
      result[outcome.kind]++;
    }
    return result;
  }

  async #processNext(after: number): Promise<Outcome | null> {
    let claimed: OutboxEvent | undefined;
    try {
      return await withPlatform(this.#db, async (trx) => {
        claimed = await claimNextEvent(trx, after);
        if (!claimed) return null;
        const failures = await this.#runHandlers(trx, claimed);
        if (failures.length === 0) {
          await markEventDone(trx, claimed.id);
          return { id: claimed.id, kind: 'processed' };
        }
        const message = failures.map((f) => f.message).join('\n');
        if (failures.every((f) => f.dependency)) return this.#recordDeferral(trx, claimed, message);
        return this.#recordFailure(trx, claimed, message);
      });
    } catch (err) {
      if (!claimed) throw err;
      // The event's transaction failed outside any handler's savepoint: at commit (a deferred
      // constraint a handler broke) or because the connection dropped. Count it against the
      // event, or a poison event would be retried forever without backoff. If the database is
      // down this throws too, and the caller retries later.
      const event = claimed;
      this.#log.warn({ err, eventId: event.id, topic: event.topic }, 'outbox event transaction failed');
      return withPlatform(this.#db, async (trx): Promise<Outcome> => {
        const row = await lockEvent(trx, event.id);
        // another consumer holds it now: its outcome stands
        if (!row) return { id: event.id, kind: 'failed' };
        // the commit went through after all (the connection dropped while it was acknowledged)
        if (row.status === 'done') return { id: event.id, kind: 'processed' };
        if (row.status === 'dead') return { id: event.id, kind: 'dead' };
        return this.#recordFailure(trx, row, `[transaction] ${errorText(err)}`);
      });
    }
  }

  /** Runs every handler without a receipt; returns one entry per failed handler. */
  async #runHandlers(trx: Trx, event: OutboxEvent): Promise<{ message: string; dependency: boolean }[]> {
    const failures: { message: string; dependency: boolean }[] = [];
    for (const handler of this.#registry.for(event.topic)) {
      await openHandlerSavepoint(trx);
      try {
        if (await takeReceipt(trx, handler.name, event.id)) {
          await handler.handle(event, { trx, cache: this.#cache, log: this.#log });
          // a handler may have narrowed the scope to one tenant (setTenant); undo that for the next one
          await setPlatform(trx);
        } else {
          this.#log.debug({ eventId: event.id, handler: handler.name }, 'outbox receipt exists; handler skipped');
        }
        await releaseHandlerSavepoint(trx);
      } catch (err) {
        // Undo this handler's work and receipt only; the others' receipts stay.
        await rollbackHandlerSavepoint(trx);
        // No special case for connection-looking errors here: they may come from a handler's own
        // HTTP call; if our connection were gone, the rollback above would have thrown.
        this.#log.warn({ err, eventId: event.id, topic: event.topic, handler: handler.name }, 'outbox handler failed');
        failures.push({ message: `[${handler.name}] ${errorText(err)}`, dependency: isDependencyUnavailable(err) });
      }
    }
    return failures;
  }

  async #recordFailure(trx: Trx, event: OutboxEvent, message: string): Promise<Outcome> {
    const attempts = event.attempts + 1;
    const dead = attempts >= this.#maxAttempts;
    const delayMs = dead ? 0 : Math.max(0, Math.round(this.#backoff(attempts)));
    await recordEventAttempt(trx, event.id, { attempts, lastError: truncate(message), dead, delayMs });
    if (dead) {
      this.#log.error({ eventId: event.id, topic: event.topic, attempts, lastError: message }, 'outbox event is dead');
    }
    return { id: event.id, kind: dead ? 'dead' : 'failed' };
  }

  /**
   * Every failed handler met an unreachable dependency (DependencyUnavailable): retry later
   * without counting an attempt, so an outage of any length never dead-letters an event. The
   * wait grows with the event's age (a quarter of it, between the first backoff step and the
   * cap), so a long outage costs few retries while a short one is caught up quickly.
   */
  async #recordDeferral(trx: Trx, event: OutboxEvent, message: string): Promise<Outcome> {
    const firstMs = Math.max(0, Math.round(this.#backoff(1)));
    const capMs = Math.max(firstMs, this.#dependencyRetryCapMs);
    // the age comes from the database's clock, like created_at itself
    await deferEvent(trx, event.id, { lastError: truncate(message), firstMs, capMs });
    this.#log.debug({ eventId: event.id, topic: event.topic }, 'outbox event deferred: a dependency is unreachable');
    return { id: event.id, kind: 'failed' };
  }

  /** Moves dead events (all, or the given ids) back to pending with a fresh attempt budget. */
  async retryDead(ids?: readonly number[]): Promise<number> {
    if (ids && ids.length === 0) return 0;
    const rows = await withPlatform(this.#db, (trx) => reviveDeadEvents(trx, ids));
    // UPDATE fires no NOTIFY (the trigger is on INSERT): wake ourselves; other workers poll.
    if (rows.length > 0) this.#wake();
    return rows.length;
  }

  stats(): Promise<OutboxStats> {
    return outboxStats(this.#db);
  }

  /** LISTENs for new events and polls as a fallback; never rejects on a database outage. */
  async start(): Promise<void> {
    if (this.#running) return;
    if (!this.#listenUrl) throw new Error('OutboxConsumer.start() needs listenUrl');
    this.#running = true;
    this.#stopping = false;
    this.#reconnectAttempt = 0;
    this.#listenPool = createPool(this.#listenUrl, {
      max: 1,
      applicationName: 'yiduan-worker-listen',
      onError: (err) => this.#log.warn({ err }, 'outbox listener pool error'),
    });
    this.#pollTimer = setInterval(() => this.#wake(), this.#pollIntervalMs);
    await this.#connect();
    this.#wake(); // the backlog from before we started
  }

  /** Stops taking work, waits for the event in flight, closes the listener. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#stopping = true;
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#pollTimer = this.#reconnectTimer = null;
    await this.#connecting;
    await this.#draining;
    this.#closeListener?.();
    // a database stopped right after us must not find the connection still open (and end it with an error)
    await Promise.race([this.#listenerEnded, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    const pool = this.#listenPool;
    this.#listenPool = null;
    await pool?.end().catch((err: unknown) => this.#log.warn({ err }, 'closing the outbox listener pool failed'));
    this.#running = false;
    this.#stopping = false;
  }

  #wake(): void {
    if (!this.#running || this.#stopping) return;
    if (this.#draining) {
      this.#wakeAgain = true;
      return;
    }
    this.#draining = this.#drain().finally(() => {
      this.#draining = null;
      // a wake-up that arrived while the loop was finishing
      if (this.#wakeAgain) this.#wake();
    });
  }

  /** Runs batches until one comes back short and nothing woke us meanwhile. Never rejects. */
  async #drain(): Promise<void> {
    do {
      this.#wakeAgain = false;
      try {
        const r = await this.runOnce();
        if (r.processed + r.failed + r.dead >= this.#batchSize) this.#wakeAgain = true;
        if (this.#failing) this.#log.info({}, 'outbox processing recovered');
        this.#failing = false;
      } catch (err) {
        // database down or restarting: the poll timer tries again; warn once per outage, not per poll
        this.#wakeAgain = false;
        if (this.#failing) this.#log.debug({ err }, 'outbox batch failed again');
        else this.#log.warn({ err }, 'outbox batch failed; retrying on every poll');
        this.#failing = true;
        return;
      }
    } while (this.#wakeAgain && !this.#stopping);
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#listen().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  async #listen(): Promise<void> {
    const pool = this.#listenPool;
    if (!pool || this.#stopping) return;
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      this.#log.warn({ err }, 'outbox listener cannot connect');
      this.#scheduleReconnect();
      return;
    }
    let closed = false;
    let ended = false;
    const onNotify = (): void => this.#wake();
    // 'error' and 'end' both fire when the server goes away; release the client exactly once
    const close = (err?: Error): void => {
      if (closed) return;
      closed = true;
      client.removeListener('notification', onNotify);
      if (this.#closeListener === close) this.#closeListener = null;
      this.#listenerEnded = ended ? Promise.resolve() : new Promise((resolve) => client.once('end', () => resolve()));
      client.release(err ?? true); // destroy it: a LISTENing connection must not go back to a pool
    };
    const lost = (err?: Error): void => {
      if (closed) return;
      close(err ?? new Error('outbox listener connection ended'));
      if (this.#stopping || !this.#running) return;
      this.#log.warn({ err }, 'outbox listener connection lost; reconnecting');
      this.#scheduleReconnect();
    };
    // Without an 'error' listener a dropped connection would crash the process.
    client.on('error', lost);
    client.on('end', () => {
      ended = true;
      lost();
    });
    client.on('notification', onNotify);
    try {
      await listenOn(client, OUTBOX_CHANNEL);
    } catch (err) {
      lost(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (this.#stopping) {
      close();
      return;
    }
    this.#closeListener = close;
    if (this.#reconnectAttempt > 0) this.#log.info({}, 'outbox listener reconnected');
    this.#reconnectAttempt = 0;
    // events committed while we were not listening
    this.#wake();
  }

  #scheduleReconnect(): void {
    if (this.#stopping || !this.#running || this.#reconnectTimer) return;
    const delay = Math.max(0, this.#reconnectBackoff(++this.#reconnectAttempt));
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      void this.#connect();
    }, delay);
  }
}

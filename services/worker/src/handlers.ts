import type { Cache } from '@yiduan/cache';
import type { OutboxEvent, Trx } from '@yiduan/db';

export type { OutboxEvent } from '@yiduan/db';

/** The slice of a pino / Fastify logger the worker uses, so either can be passed in. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Thrown by a handler when something it needs outside the database (Redis, an HTTP endpoint)
 * is unreachable. The event is retried later WITHOUT spending its attempt budget: an outage is
 * not the event's fault, and dead-lettering every invalidation of a ten-minute Redis outage
 * would leave stale pages behind once Redis is back. A poison event still dies, because its
 * handler fails with an ordinary error.
 */
export class DependencyUnavailable extends Error {
  override name = 'DependencyUnavailable';
}

export const isDependencyUnavailable = (err: unknown): err is DependencyUnavailable =>
  err instanceof DependencyUnavailable;

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface HandlerContext {
  /**
   * Platform-scoped transaction, shared with the receipt of this (handler, event): database
   * work done here commits together with the receipt, or not at all. A handler may narrow it
   * with `setTenant`; the worker restores platform scope after the handler returns.
   */
  trx: Trx;
  cache: Cache;
  log: Logger;
}

export interface OutboxHandler {
  /** Stable consumer name, stored in `outbox_receipts.consumer`: renaming it re-delivers old events. */
  name: string;
  topics: readonly string[] | '*';
  /**
   * Throw to have the event retried later (only the handlers without a receipt run again).
   * Effects outside the transaction (cache, HTTP) may run more than once and must be idempotent.
   */
  handle(event: OutboxEvent, ctx: HandlerContext): Promise<void>;
}

const NAME = /^[a-z][a-z0-9_.:-]{0,99}$/;

export class HandlerRegistry {
  readonly #handlers: OutboxHandler[] = [];

  register(handler: OutboxHandler): this {
    if (!NAME.test(handler.name)) {
      throw new Error(`outbox handler name "${handler.name}" must match ${NAME}`);
    }
    // receipts are keyed by name: two handlers sharing one would skip each other's work
    if (this.#handlers.some((h) => h.name === handler.name)) {
      throw new Error(`outbox handler "${handler.name}" is already registered`);
    }
    if (handler.topics !== '*' && handler.topics.length === 0) {
      throw new Error(`outbox handler "${handler.name}" subscribes to no topic`);
    }
    this.#handlers.push(handler);
    return this;
  }

  /** Handlers for a topic, in registration order. */
  for(topic: string): OutboxHandler[] {
    return this.#handlers.filter((h) => h.topics === '*' || h.topics.includes(topic));
  }

  list(): readonly OutboxHandler[] {
    return [...this.#handlers];
  }
}

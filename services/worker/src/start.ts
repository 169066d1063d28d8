import type { FastifyInstance } from 'fastify';
import type { ServiceDeps } from '@yiduan/http';
import { build } from './app.js';
import { OutboxConsumer, type OutboxConsumerOptions } from './consumer.js';
import { defaultRegistry } from './handlers/cache-invalidation.js';
import type { HandlerRegistry, Logger } from './handlers.js';

export interface StartWorkerDeps extends ServiceDeps {
  /** application-role URL for the LISTEN connection (same database as `db`) */
  listenUrl: string;
  log: Logger;
  /** default: defaultRegistry() */
  registry?: HandlerRegistry;
  /** overrides for tests and tuning; maxAttempts defaults to config.outboxMaxAttempts */
  consumer?: Pick<OutboxConsumerOptions, 'batchSize' | 'maxAttempts' | 'backoff' | 'pollIntervalMs' | 'reconnectBackoff'>;
}

export interface RunningWorker {
  consumer: OutboxConsumer;
  /** ready, not listening: the caller decides the port (config.ports.worker) */
  app: FastifyInstance;
  /** stops the consumer (waiting for the event in flight), then closes the app; idempotent */
  stop(): Promise<void>;
}

/** Builds the worker app and starts the outbox consumer; the connections stay the caller's. */
export async function startWorker(deps: StartWorkerDeps): Promise<RunningWorker> {
  const registry = deps.registry ?? defaultRegistry();
  const app = await build({ ...deps, registry });
  const consumer = new OutboxConsumer({
    db: deps.db,
    cache: deps.cache,
    registry,
    log: deps.log,
    maxAttempts: deps.config.outboxMaxAttempts,
    ...deps.consumer,
    listenUrl: deps.listenUrl,
  });
  try {
    await app.ready();
    await consumer.start();
  } catch (err) {
    await app.close();
    throw err;
  }
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      try {
        await consumer.stop();
      } finally {
        await app.close();
      }
    })());
  return { consumer, app, stop };
}

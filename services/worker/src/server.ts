// Runs the worker alone: `tsx services/worker/src/server.ts` (outbox consumer + its small HTTP
// face on WORKER_PORT). `pnpm start` runs every service in one process instead.
//
// The LISTEN connection must reach PostgreSQL itself: behind PgBouncer in transaction mode
// LISTEN/NOTIFY does not work (the consumer would still poll every second). Point the worker's
// DATABASE_APP_URL at PostgreSQL directly (see infra/k8s/worker.yaml).
import { loadConfigOrExit } from '@yiduan/config';
import { appUrlFrom } from '@yiduan/db';
import { createDeps } from '@yiduan/http';
import { createStorage } from '@yiduan/storage';
import { warmPortal } from '@yiduan/portal';
import type { Logger } from './handlers.js';
import { startWorker } from './start.js';

const config = loadConfigOrExit();
const appUrl =
  config.databaseAppUrl ?? (config.databaseUrl ? appUrlFrom(config.databaseUrl, config.databaseAppPassword) : null);
if (!appUrl) {
  console.error('Configuration error: DATABASE_URL (or DATABASE_APP_URL) is required to run the worker alone');
  process.exit(2);
}
const deps = createDeps(config, { appUrl, log: (msg, err) => console.error('worker', msg, err) });
const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const threshold = config.logLevel === 'silent' ? Infinity : levels.indexOf(config.logLevel);
/** One JSON line per entry (like the services' pino logs), errors with their message and stack. */
const line = (level: (typeof levels)[number], obj: object, msg?: string): void => {
  if (levels.indexOf(level) < threshold) return;
  const fields: Record<string, unknown> = { ...obj };
  if (fields.err instanceof Error)
    fields.err = { type: fields.err.name, message: fields.err.message, stack: fields.err.stack };
  (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(
    `${JSON.stringify({ level, time: Date.now(), service: 'worker', msg, ...fields })}\n`,
  );
};
const log: Logger = {
  debug: (obj, msg) => line('debug', obj, msg),
  info: (obj, msg) => line('info', obj, msg),
  warn: (obj, msg) => line('warn', obj, msg),
  error: (obj, msg) => line('error', obj, msg),
};
// a portal of its own, never listening, renders warm pages into the shared cache (docs/faces-cache.md)
const warm =
  config.warmConcurrency > 0 ? await warmPortal(deps, { appUrl, concurrency: config.warmConcurrency }) : null;
const worker = await startWorker({
  ...deps,
  listenUrl: appUrl,
  log,
  renderPage: warm?.render,
  storage: createStorage(config.assets),
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  // finishes the event in flight; an event cut short is retried by another worker (receipts keep it once)
  await worker.stop();
  await warm?.close();
  await deps.close();
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
await worker.app.listen({ port: config.ports.worker, host: config.host });

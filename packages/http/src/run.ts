import type { FastifyInstance } from 'fastify';
import { createCache } from '@yiduan/cache';
import type { Config } from '@yiduan/config';
import { REPLICA_FENCE, appUrlFrom, createDb, createFence, createReplicaDb, type DB } from '@yiduan/db';
import type { ServiceDeps } from './deps.js';

/** The connections a service needs, from configuration. */
export function createDeps(
  config: Config,
  opts: { appUrl?: string; log?: (msg: string, err: unknown) => void } = {},
): ServiceDeps & { close(): Promise<void> } {
  const appUrl =
    opts.appUrl ??
    config.databaseAppUrl ??
    (config.databaseUrl ? appUrlFrom(config.databaseUrl, config.databaseAppPassword) : null);
  if (!appUrl)
    throw new Error(
      'DATABASE_URL (or DATABASE_APP_URL) is required to run a service alone; `pnpm start` provides an embedded database',
    );
  // pg-pool's end() resolves once it has asked each connection to close, not once the sockets
  // have: a database stopped right after (pnpm start's embedded one) may still end a closing
  // connection with "terminating connection", which is expected then and not worth a line
  let closing = false;
  const onError = (err: Error): void => {
    if (!closing) opts.log?.('database connection error', err);
  };
  const db = createDb(appUrl, { max: 10, onError });
  const cache = createCache({ redisUrl: config.redisUrl, sentinel: config.redisSentinel, prefix: config.redisPrefix });
  // The replica pool reads only once the replica has replayed the worker's latest fence, and
  // falls back to the primary while the replica is away (packages/db/src/replica.ts).
  let readDb: DB = db;
  let unsubscribe: (() => Promise<void>) | null = null;
  if (config.databaseReplicaUrl) {
    const fence = createFence();
    readDb = createReplicaDb(config.databaseReplicaUrl, appUrl, { max: 10, onError, fence }).db;
    void cache.get(REPLICA_FENCE).then((lsn) => fence.raise(lsn));
    void cache
      .subscribe(REPLICA_FENCE, (lsn) => fence.raise(lsn))
      .then((off) => (unsubscribe = off))
      .catch(() => undefined);
  }
  return {
    config,
    db,
    readDb,
    cache,
    async close() {
      closing = true;
      await unsubscribe?.().catch(() => undefined);
      await Promise.allSettled([db.destroy(), readDb === db ? Promise.resolve() : readDb.destroy(), cache.close()]);
    },
  };
}

/** server.ts of every service: build, listen, close gracefully on SIGINT/SIGTERM. */
export async function runService(
  name: string,
  build: (deps: ServiceDeps) => Promise<FastifyInstance>,
  port: (c: Config) => number,
  config: Config,
): Promise<void> {
  const deps = createDeps(config, { log: (msg, err) => console.error(name, msg, err) });
  const app = await build(deps);
  const close = async (): Promise<void> => {
    await app.close();
    await deps.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port: port(config), host: config.host });
}

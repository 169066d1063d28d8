// The whole platform in one process, as `pnpm start` runs it: database (configured or embedded),
// migrations, the demo seed, api, portal, worker and console. start.ts adds the signals and the
// banner; tests compose it the same way.
import type { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Config } from '@yiduan/config';
import { appUrlFrom, migrateToLatest } from '@yiduan/db';
import { seedDemo } from '@yiduan/demo';
import { createStorage } from '@yiduan/storage';
import { createDeps } from '@yiduan/http';
import { build as buildApi } from '@yiduan/api';
import { build as buildPortal, warmPortal } from '@yiduan/portal';
import { startWorker, type RunningWorker } from '@yiduan/worker';
import { build as buildConsole, ensureBuilt as ensureConsoleBuilt, OPERATIONS_MANIFEST } from '@yiduan/console';
import { ownerDatabase, type OwnerDatabase } from './database.js';

export interface PlatformOptions {
  /** the platform's own progress lines */
  log: (msg: string) => void;
  /** where the services' JSON log lines go (default stdout) */
  logStream?: Writable;
  /** seed the demo province outside production (default true) */
  seed?: boolean;
}

export interface Platform {
  api: FastifyInstance;
  portal: FastifyInstance;
  console: FastifyInstance;
  worker: RunningWorker;
  owner: OwnerDatabase;
  /** settles when the console bundle is current (built in the background when it was stale) */
  consoleBuilt: Promise<void>;
  /** stops in order: stop accepting and drain, the worker, the pools and cache, PostgreSQL last */
  stop(): Promise<void>;
}

export async function startPlatform(config: Config, opts: PlatformOptions): Promise<Platform> {
  const { log } = opts;
  // every service logs at the configured level: the portal too, so that in development the
  // one-time sign-in codes (SMS_PROVIDER=log) appear in the log as documented
  const logger = opts.logStream ? { level: config.logLevel, stream: opts.logStream } : { level: config.logLevel };

  // `pnpm install` builds the console; a bundle gone stale (an edited console) is rebuilt here in a
  // background child process, and the console answers 503 until a first bundle exists
  const building = new AbortController();
  const consoleBuilt = ensureConsoleBuilt({ log, signal: building.signal }).then(
    () => undefined,
    (err: unknown) => {
      if (!building.signal.aborted) log(`console build failed: ${err instanceof Error ? err.message : String(err)}`);
    },
  );

  const owner = await ownerDatabase(config, log);
  let deps: ReturnType<typeof createDeps> | undefined;
  const started: { close(): Promise<unknown> }[] = [];
  try {
    const applied = await migrateToLatest(owner.url, { appPassword: config.databaseAppPassword });
    if (applied.length) log(`migrated: ${applied.join(', ')}`);
    const appUrl = config.databaseAppUrl ?? appUrlFrom(owner.url, config.databaseAppPassword);
    deps = createDeps(config, {
      appUrl,
      log: (msg, err) => log(`${msg}: ${err instanceof Error ? err.message : String(err)}`),
    });

    const storage = createStorage(config.assets);
    if (config.env !== 'production' && opts.seed !== false) {
      const seedStarted = Date.now();
      const seeded = await seedDemo(deps.db, { storage });
      log(
        seeded.created
          ? `seeded the demo province 河南 with its newsrooms (${Date.now() - seedStarted} ms)`
          : 'demo province already present',
      );
    }

    let apiDeps = deps;
    if (config.graphqlPersistedOnly && !config.graphqlOperations) {
      // persisted-only without a manifest of its own: the operations of the console's bundle
      await consoleBuilt;
      apiDeps = { ...deps, config: { ...config, graphqlOperations: OPERATIONS_MANIFEST } };
      log(`persisted-queries-only: the console's operations (${OPERATIONS_MANIFEST})`);
    }
    const api = await buildApi(apiDeps, { fastify: { logger }, storage });
    started.push(api);
    const portal = await buildPortal(deps, { storage, fastify: { logger } });
    started.push(portal);
    // warm pages: a quiet portal of the worker's own, with its own pool, renders into the shared cache
    const warm =
      config.warmConcurrency > 0
        ? await warmPortal(deps, { appUrl, concurrency: config.warmConcurrency, storage })
        : null;
    if (warm) started.push(warm);
    const worker = await startWorker({ ...deps, listenUrl: appUrl, log: api.log, renderPage: warm?.render, storage });
    started.push({ close: () => worker.stop() });
    const loopback = ['0.0.0.0', '::', 'localhost'].includes(config.host) ? '127.0.0.1' : config.host;
    const consoleApp = await buildConsole(deps, {
      apiUrl: `http://${loopback}:${config.ports.api}`,
      portalUrl: `http://{host}:${config.ports.portal}`,
      fastify: { logger },
    });
    started.push(consoleApp);

    await api.listen({ port: config.ports.api, host: config.host });
    await portal.listen({ port: config.ports.portal, host: config.host });
    await worker.app.listen({ port: config.ports.worker, host: config.host });
    await consoleApp.listen({ port: config.ports.console, host: config.host });

    const closeDeps = deps;
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        building.abort();
        // stop accepting and let requests in flight finish
        await Promise.allSettled([api.close(), portal.close(), consoleApp.close()]);
        // the event in flight finishes; its LISTEN connection closes
        await worker.stop();
        await warm?.close();
        await consoleBuilt;
        await closeDeps.close();
        await owner.stop();
      })());
    return { api, portal, console: consoleApp, worker, owner, consoleBuilt, stop };
  } catch (err) {
    building.abort();
    for (const s of started.reverse()) await s.close().catch(() => undefined);
    await consoleBuilt;
    await deps?.close();
    await owner.stop();
    throw err;
  }
}

// `pnpm start`: the whole platform in one process for a first look. With no
// DATABASE_URL it runs an embedded PostgreSQL (data kept in DATA_DIR), with no
// REDIS_URL an in-memory cache. Migrates, seeds the demo province once, starts
// api, portal and worker, and prints where to look.
import { loadConfig, ConfigError } from '@yiduan/config';
import { appUrlFrom, migrateToLatest } from '@yiduan/db';
import { seedDemo, DEMO_PASSWORD } from '@yiduan/demo';
import { createStorage } from '@yiduan/core';
import { createDeps } from '@yiduan/http';
import { build as buildApi } from '@yiduan/api';
import { build as buildPortal } from '@yiduan/portal';
import { startWorker } from '@yiduan/worker';
import { build as buildConsole, ensureBuilt as ensureConsoleBuilt, OPERATIONS_MANIFEST } from '@yiduan/console';
import { DEMO_TREE } from '@yiduan/demo';
import { ownerDatabase } from './database.js';

const log = (msg: string): void => console.log(`[yiduan] ${msg}`);

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

const t0 = Date.now();
// the console's single-page app is built (Vite) only when missing or older than its sources
const consoleBuilt = ensureConsoleBuilt({ log });
consoleBuilt.catch(() => undefined); // a failed build surfaces at the await below
const owner = await ownerDatabase(config, log);
const applied = await migrateToLatest(owner.url, { appPassword: config.databaseAppPassword });
if (applied.length) log(`migrated: ${applied.join(', ')}`);
const appUrl = config.databaseAppUrl ?? appUrlFrom(owner.url, config.databaseAppPassword);
const deps = createDeps(config, { appUrl, log: (msg, err) => console.error(`[yiduan] ${msg}`, err) });

const storage = createStorage(config.assets);
if (config.env !== 'production') {
  const seedStarted = Date.now();
  const seeded = await seedDemo(deps.db, { storage });
  log(seeded.created ? `seeded the demo province 河南 with its newsrooms (${Date.now() - seedStarted} ms)` : 'demo province already present');
}

const logger = { level: config.logLevel };
let apiDeps = deps;
if (config.graphqlPersistedOnly && !config.graphqlOperations) {
  // persisted-only without a manifest of its own: the operations of the console built here
  await consoleBuilt;
  apiDeps = { ...deps, config: { ...config, graphqlOperations: OPERATIONS_MANIFEST } };
  log(`persisted-queries-only: the console's operations (${OPERATIONS_MANIFEST})`);
}
const api = await buildApi(apiDeps, { fastify: { logger }, storage });
const portal = await buildPortal(deps, { storage });
const worker = await startWorker({ ...deps, listenUrl: appUrl, log: api.log });
await consoleBuilt;
const loopback = ['0.0.0.0', '::', 'localhost'].includes(config.host) ? '127.0.0.1' : config.host;
const consoleApp = await buildConsole(deps, { apiUrl: `http://${loopback}:${config.ports.api}`, portalUrl: `http://{host}:${config.ports.portal}`, fastify: { logger } });

await api.listen({ port: config.ports.api, host: config.host });
await portal.listen({ port: config.ports.portal, host: config.host });
await worker.app.listen({ port: config.ports.worker, host: config.host });
await consoleApp.listen({ port: config.ports.console, host: config.host });

const p = config.ports;
const base = config.publicBaseDomain;
log(`ready in ${Date.now() - t0} ms`);
log(`console   http://localhost:${p.console}/   (editors' console, e.g. ruyang-editor)`);
log(`GraphQL   http://localhost:${p.api}/graphql   (GraphiQL: http://localhost:${p.api}/graphiql)`);
log(`operator  Authorization: Bearer ${config.env === 'production' ? '<BOOTSTRAP_OPERATOR_TOKEN>' : config.bootstrapOperatorToken}`);
if (config.env !== 'production') log(`staff     e.g. ruyang-editor / ${DEMO_PASSWORD} (every demo account: see README)`);
for (const t of DEMO_TREE) log(`face      http://${t.slug}.${base}:${p.portal}/   ${t.siteName}`);
log(`health    http://localhost:${p.api}/health  :${p.portal}/health  :${p.worker}/health  :${p.console}/health`);
log(`database  ${owner.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}; cache ${deps.cache.kind}. Ctrl-C stops everything.`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  await Promise.allSettled([api.close(), portal.close(), consoleApp.close()]);
  await worker.stop();
  await deps.close();
  await owner.stop();
  log('stopped');
  process.exit(0);
}
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));

// `pnpm start`: the whole platform in one process for a first look. With no
// DATABASE_URL it runs an embedded PostgreSQL (data kept in DATA_DIR), with no
// REDIS_URL an in-memory cache. Migrates, seeds the demo province once, starts
// api, portal, worker and console (platform.ts), and prints where to look.
// Ctrl-C (SIGINT), SIGTERM or SIGHUP stop it in order and exit 0.
import { loadConfigOrExit } from '@yiduan/config';
import { DEMO_PASSWORD, DEMO_TREE } from '@yiduan/demo';
import { startPlatform, type Platform } from './platform.js';

const log = (msg: string): void => console.log(`[yiduan] ${msg}`);
/** Longest a stop may take before the process gives up waiting (a request that never ends). */
const STOP_LIMIT_MS = 30_000;

const config = loadConfigOrExit();

const t0 = Date.now();
// a signal during start-up: stop as soon as what is starting can be stopped
let signalled: NodeJS.Signals | undefined;
const running: { platform?: Platform } = {};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (signalled) return; // a second Ctrl-C while stopping: the stop is already under way
    signalled = signal;
    if (running.platform) stop(running.platform, signal);
  });
}

function stop(platform: Platform, signal: NodeJS.Signals): void {
  log(`${signal}: stopping`);
  const limit = setTimeout(() => {
    log(`still stopping after ${STOP_LIMIT_MS / 1000} s; exiting`);
    process.exit(1);
  }, STOP_LIMIT_MS);
  limit.unref();
  platform.stop().then(
    () => {
      log('stopped');
      process.exit(0);
    },
    (err: unknown) => {
      log(`stop failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}

const platform = (running.platform = await startPlatform(config, { log }));
if (signalled) stop(platform, signalled);
else {
  const p = config.ports;
  const base = config.publicBaseDomain;
  log(`ready in ${Date.now() - t0} ms`);
  log(`console   http://localhost:${p.console}/   (editors' console, e.g. ruyang-editor)`);
  log(`GraphQL   http://localhost:${p.api}/graphql   (GraphiQL: http://localhost:${p.api}/graphiql)`);
  log(
    `operator  Authorization: Bearer ${config.env === 'production' ? '<BOOTSTRAP_OPERATOR_TOKEN>' : config.bootstrapOperatorToken}`,
  );
  if (config.env !== 'production')
    log(`staff     e.g. ruyang-editor / ${DEMO_PASSWORD} (every demo account: see README)`);
  for (const t of DEMO_TREE) log(`face      http://${t.slug}.${base}:${p.portal}/   ${t.siteName}`);
  log(`health    http://localhost:${p.api}/health  :${p.portal}/health  :${p.worker}/health  :${p.console}/health`);
  log(
    `database  ${platform.owner.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}; cache ${config.redisUrl ? 'redis' : 'memory'}. Ctrl-C stops everything.`,
  );
}

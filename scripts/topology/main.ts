// `pnpm topology up|down|status|smoke|staleness` (docs/topology.md): the platform on its scale-out parts on one
// machine. PostgreSQL primary + streaming replica, PgBouncer (transaction pooling), Redis primary +
// replica + three Sentinels, two API, two portal and two worker processes, HAProxy in front.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  allPorts,
  alive,
  ensurePackages,
  healthUrl,
  httpOk,
  leftovers,
  log,
  pgRunning,
  prepareDirs,
  psql,
  readServices,
  sentinelPrimary,
  serviceList,
  spawnService,
  startHaproxy,
  startPgbouncer,
  startPrimary,
  startRedis,
  startReplica,
  stopHaproxy,
  stopPg,
  stopPgbouncer,
  stopRedis,
  stopService,
  tcpOpen,
  waitService,
} from './lib.js';
import { dir, paths, ports, root, urls } from './settings.js';

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function tsx(script: string, env: NodeJS.ProcessEnv): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status})`);
}

export async function up(): Promise<number> {
  const t0 = Date.now();
  const step = async (name: string, fn: () => Promise<void> | void): Promise<void> => {
    const s = Date.now();
    await fn();
    log(`${name} (${seconds(s)})`);
  };
  await step('packages present', ensurePackages);
  await step(`state in ${dir}`, prepareDirs);
  await step(`postgres primary on :${ports.pgPrimary}`, startPrimary);
  await step(`postgres replica on :${ports.pgReplica} (pg_basebackup -R, streaming)`, startReplica);
  await step('migrations (owner, direct)', () => tsx('packages/db/src/cli.ts', { DATABASE_URL: urls.owner }));
  await step('demo seed', () =>
    tsx('test/topology/seed.ts', { DATABASE_APP_URL: urls.appDirect, ASSET_DIR: paths.assets }),
  );
  await step(`pgbouncer on :${ports.pgbouncer} (transaction pooling)`, startPgbouncer);
  await step(
    `redis :${ports.redisPrimary} + replica :${ports.redisReplica} + sentinels :${ports.sentinels.join(',')}`,
    startRedis,
  );
  await step('2 api, 2 portal, 2 worker processes', async () => {
    const running = readServices();
    const started = [];
    for (const s of serviceList()) {
      const known = running.find((r) => r.name === s.name);
      if (known && alive(known.pid)) continue;
      started.push(spawnService(s.name, s.kind, s.port));
    }
    await Promise.all(started.map((s) => waitService(s)));
  });
  await step(`haproxy: faces :${ports.lbPortal}, api :${ports.lbApi}, stats :${ports.lbStats}`, startHaproxy);
  const ms = Date.now() - t0;
  log(`up in ${seconds(t0)}: faces http://ruyang.localhost:${ports.lbPortal}/  GraphQL ${urls.lbApi}/graphql`);
  return ms;
}

export async function down(): Promise<void> {
  const t0 = Date.now();
  await stopHaproxy();
  await Promise.all(readServices().map((s) => stopService(s.name)));
  await stopPgbouncer();
  await stopRedis();
  stopPg('replica');
  stopPg('primary');
  const open: string[] = [];
  for (const p of allPorts()) if (await tcpOpen(p.port)) open.push(`${p.name} :${p.port}`);
  const left = leftovers();
  if (open.length || left.length) {
    log(`still running: ${[...open, ...left].join('; ')}`);
    process.exitCode = 1;
  } else log(`down in ${seconds(t0)}: no process of ${dir} left (ps), no topology port open`);
  if (process.argv.includes('--clean') && !open.length && !left.length) {
    rmSync(dir, { recursive: true, force: true });
    log(`removed ${dir}`);
  }
}

export async function status(): Promise<boolean> {
  const rows: [string, string, boolean, string][] = [];
  const add = (name: string, where: string, ok: boolean, note = ''): void => {
    rows.push([name, where, ok, note]);
  };
  const primaryUp = pgRunning(paths.pgPrimary) && (await tcpOpen(ports.pgPrimary));
  add('postgres primary', `:${ports.pgPrimary}`, primaryUp);
  const replicaUp = pgRunning(paths.pgReplica) && (await tcpOpen(ports.pgReplica));
  let lag = '';
  if (replicaUp && primaryUp) {
    try {
      const r = psql('primary', "SELECT state || ' ' || replay_lsn FROM pg_stat_replication LIMIT 1");
      lag = `replication: ${r || 'not connected'}; replica replay ${psql('replica', 'SELECT pg_last_wal_replay_lsn()')}`;
    } catch (err) {
      lag = String(err);
    }
  }
  add('postgres replica', `:${ports.pgReplica}`, replicaUp, lag);
  add('pgbouncer', `:${ports.pgbouncer}`, await tcpOpen(ports.pgbouncer), 'transaction pooling');
  const master = await sentinelPrimary().catch(() => null);
  add(
    'redis primary',
    `:${ports.redisPrimary}`,
    await tcpOpen(ports.redisPrimary),
    master === ports.redisPrimary ? 'sentinels: primary' : '',
  );
  add(
    'redis replica',
    `:${ports.redisReplica}`,
    await tcpOpen(ports.redisReplica),
    master === ports.redisReplica ? 'sentinels: primary' : '',
  );
  for (const [i, p] of ports.sentinels.entries()) add(`sentinel${i + 1}`, `:${p}`, await tcpOpen(p));
  const running = readServices();
  for (const s of serviceList()) {
    const known = running.find((r) => r.name === s.name);
    add(
      s.name,
      `:${s.port}`,
      Boolean(known && alive(known.pid)) && (await httpOk(healthUrl(s))),
      known ? `pid ${known.pid}` : '',
    );
  }
  add(
    'haproxy faces',
    `:${ports.lbPortal}`,
    await httpOk(`${urls.lbPortal}/health`, { headers: { host: 'ruyang.localhost' } }),
  );
  add('haproxy api', `:${ports.lbApi}`, await httpOk(`${urls.lbApi}/health`));
  for (const [name, where, ok, note] of rows)
    console.log(`${ok ? '✔' : '✖'} ${name.padEnd(18)} ${where.padEnd(7)} ${note}`);
  return rows.every((r) => r[2]);
}

const command = process.argv[2] ?? 'status';
if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith(join('topology', 'main.ts'))) {
  try {
    if (command === 'up') await up();
    else if (command === 'down') await down();
    else if (command === 'status') process.exitCode = (await status()) ? 0 : 1;
    // the checks of a running topology (test/topology/): through HAProxy, and the replica's staleness
    else if (command === 'smoke') tsx('test/topology/smoke.ts', {});
    else if (command === 'staleness') tsx('test/topology/staleness.ts', {});
    else {
      console.error(`unknown command ${command}: use up, down [--clean], status, smoke or staleness`);
      process.exitCode = 2;
    }
  } catch (err) {
    console.error(`[topology] ${command} failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

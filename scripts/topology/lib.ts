// The parts of the local topology, each started, checked and stopped on its own (docs/topology.md).
// `pnpm topology up|down|status` (main.ts) runs them in order; the fault run
// (test/topology/faults.ts) kills and restarts single parts through the same functions.
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { appPassword, database, dir, paths, pgBin, pgUser, ports, root, sentinelName, urls } from './settings.js';

export const log = (msg: string): void => console.log(`[topology] ${msg}`);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs a command to completion; throws with its output when it fails. */
export function run(cmd: string, args: string[], opts: SpawnSyncOptions & { quiet?: boolean } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  const out = `${String(r.stdout ?? '')}${String(r.stderr ?? '')}`;
  if (r.error || r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.error?.message ?? out}`);
  return out;
}

const isRoot = userInfo().uid === 0;
/** PostgreSQL and PgBouncer refuse to run as root: run them as the postgres OS user when we are root. */
function asPg(cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
  return isRoot ? run('runuser', ['-u', pgUser, '--', cmd, ...args], opts) : run(cmd, args, opts);
}

function chownToPg(path: string): void {
  if (!isRoot) return;
  const uid = Number(run('id', ['-u', pgUser]).trim());
  const gid = Number(run('id', ['-g', pgUser]).trim());
  chownSync(path, uid, gid);
}

export function tcpOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export async function httpOk(url: string, init: RequestInit = {}, timeoutMs = 2000): Promise<boolean> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`${what}: not ready after ${timeoutMs / 1000} s (logs: ${paths.logs})`);
}

// ------------------------------------------------------------------------------------ packages

const NEEDED: { bin: string; pkg: string }[] = [
  { bin: '/usr/sbin/pgbouncer', pkg: 'pgbouncer' },
  { bin: '/usr/sbin/haproxy', pkg: 'haproxy' },
  { bin: '/usr/bin/redis-server', pkg: 'redis-server' },
  { bin: '/usr/bin/redis-sentinel', pkg: 'redis-sentinel' },
];

/** Installs what is missing from Debian's packages (root: apt-get; otherwise says what to install). */
export function ensurePackages(): void {
  const missing = NEEDED.filter((n) => !existsSync(n.bin)).map((n) => n.pkg);
  if (!existsSync(join(pgBin, 'postgres'))) missing.push('postgresql-15');
  if (missing.length === 0) return;
  if (!isRoot) throw new Error(`missing packages: ${missing.join(' ')} (apt-get install -y ${missing.join(' ')})`);
  log(`installing ${missing.join(' ')} from Debian's packages`);
  // another apt-get may hold the lock for a while: wait for it instead of failing
  run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

// ------------------------------------------------------------------------------------ PostgreSQL

/**
 * The cluster's settings are infra/postgres/postgresql.conf (the file compose and the replicas
 * use), copied into the data directory and included; `local.conf`, included after it, overrides
 * only what a shared laptop-sized machine cannot take (memory, port, sockets, preload).
 */
function writePgConf(dataDir: string, port: number): void {
  writeFileSync(join(dataDir, 'infra-postgresql.conf'), readFileSync(join(root, 'infra/postgres/postgresql.conf')));
  writeFileSync(
    join(dataDir, 'local.conf'),
    [
      '# local overrides of infra-postgresql.conf (scripts/topology/lib.ts): one shared machine, not a 16 GB primary',
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dataDir}'`,
      'shared_buffers = 128MB',
      'effective_cache_size = 512MB',
      'work_mem = 4MB',
      'maintenance_work_mem = 64MB',
      'huge_pages = off',
      'max_wal_size = 1GB',
      'min_wal_size = 80MB',
      'wal_keep_size = 256MB',
      'max_worker_processes = 8',
      "log_line_prefix = '%m [%p] %q%u@%d app=%a '",
      'logging_collector = off',
      '',
    ].join('\n'),
  );
  const conf = join(dataDir, 'postgresql.conf');
  const text = readFileSync(conf, 'utf8');
  if (!text.includes("include 'local.conf'"))
    writeFileSync(conf, `${text}\ninclude 'infra-postgresql.conf'\ninclude 'local.conf'\n`);
  for (const f of ['infra-postgresql.conf', 'local.conf']) chownToPg(join(dataDir, f));
}

function pgCtl(dataDir: string, action: 'start' | 'stop', extra: string[] = []): void {
  const logFile = join(paths.logs, `${dataDir.endsWith('replica') ? 'pg-replica' : 'pg-primary'}.log`);
  asPg(join(pgBin, 'pg_ctl'), ['-D', dataDir, '-w', '-t', '120', '-l', logFile, action, ...extra]);
}

export function pgRunning(dataDir: string): boolean {
  const r = spawnSync(isRoot ? 'runuser' : join(pgBin, 'pg_ctl'), [
    ...(isRoot ? ['-u', pgUser, '--', join(pgBin, 'pg_ctl')] : []),
    '-D',
    dataDir,
    'status',
  ]);
  return r.status === 0;
}

export function prepareDirs(): void {
  for (const d of [dir, paths.logs, paths.pgbouncer, paths.redis, paths.haproxy, paths.assets]) {
    mkdirSync(d, { recursive: true });
  }
  // PostgreSQL and PgBouncer (the postgres user) write their logs and pid files here
  chownToPg(dir);
  chownToPg(paths.logs);
  chownToPg(paths.pgbouncer);
}

/** The primary: initdb once (trust on loopback only), then start. */
export async function startPrimary(): Promise<void> {
  const d = paths.pgPrimary;
  if (!existsSync(join(d, 'PG_VERSION'))) {
    mkdirSync(d, { recursive: true });
    chownToPg(d);
    asPg(join(pgBin, 'initdb'), ['-D', d, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
    writePgConf(d, ports.pgPrimary);
  }
  if (!pgRunning(d)) pgCtl(d, 'start');
  const exists = asPg(join(pgBin, 'psql'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(ports.pgPrimary),
    '-U',
    'postgres',
    '-Atc',
    `SELECT 1 FROM pg_database WHERE datname = '${database}'`,
  ]).trim();
  if (exists !== '1')
    asPg(join(pgBin, 'createdb'), ['-h', '127.0.0.1', '-p', String(ports.pgPrimary), '-U', 'postgres', database]);
}

/** The streaming replica: pg_basebackup -R from the primary once (standby.signal, primary_conninfo), then start. */
export async function startReplica(): Promise<void> {
  const d = paths.pgReplica;
  if (!existsSync(join(d, 'PG_VERSION'))) {
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d, { recursive: true, mode: 0o700 });
    chownToPg(d);
    asPg(join(pgBin, 'pg_basebackup'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(ports.pgPrimary),
      '-U',
      'postgres',
      '-D',
      d,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
    ]);
    writePgConf(d, ports.pgReplica);
  }
  if (!pgRunning(d)) pgCtl(d, 'start');
}

export function stopPg(which: 'primary' | 'replica', mode: 'fast' | 'immediate' = 'fast'): void {
  const d = which === 'primary' ? paths.pgPrimary : paths.pgReplica;
  if (existsSync(join(d, 'PG_VERSION')) && pgRunning(d)) pgCtl(d, 'stop', ['-m', mode]);
}

/** Any SQL as the owner on the primary or the replica (psql, tuples only). */
export function psql(which: 'primary' | 'replica', query: string): string {
  const port = which === 'primary' ? ports.pgPrimary : ports.pgReplica;
  return asPg(join(pgBin, 'psql'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    'postgres',
    '-d',
    database,
    '-Atc',
    query,
  ]).trim();
}

// ------------------------------------------------------------------------------------ PgBouncer

/**
 * The [pgbouncer] section is infra/pgbouncer/pgbouncer.ini's (the one k8s/pgbouncer.yaml carries),
 * with only the addresses and files of this machine replaced; [databases] names the local
 * primary and replica like the Kubernetes ConfigMap does (yiduan, yiduan_replica).
 */
export function writePgbouncerConf(): string {
  const infra = readFileSync(join(root, 'infra/pgbouncer/pgbouncer.ini'), 'utf8');
  const section = infra.slice(/^\[pgbouncer\]\s*$/m.exec(infra)?.index ?? 0);
  const local: Record<string, string> = {
    listen_addr: '127.0.0.1',
    listen_port: String(ports.pgbouncer),
    auth_file: join(paths.pgbouncer, 'userlist.txt'),
    unix_socket_dir: '',
  };
  const lines = section.split('\n').map((line) => {
    const key = /^([a-z_]+)\s*=/.exec(line)?.[1];
    return key && key in local ? `${key} = ${local[key]}` : line;
  });
  const ini = [
    '; generated by scripts/topology/lib.ts from infra/pgbouncer/pgbouncer.ini (only addresses and files differ)',
    '[databases]',
    `${database} = host=127.0.0.1 port=${ports.pgPrimary} dbname=${database}`,
    `${database}_replica = host=127.0.0.1 port=${ports.pgReplica} dbname=${database}`,
    '',
    ...lines,
    `logfile = ${join(paths.logs, 'pgbouncer.log')}`,
    `pidfile = ${join(paths.pgbouncer, 'pgbouncer.pid')}`,
    '',
  ].join('\n');
  const file = join(paths.pgbouncer, 'pgbouncer.ini');
  writeFileSync(file, ini);
  // PgBouncer answers SCRAM from the plain password; PostgreSQL trusts loopback behind it
  writeFileSync(join(paths.pgbouncer, 'userlist.txt'), `"yiduan_app" "${appPassword}"\n"postgres" ""\n`, {
    mode: 0o600,
  });
  chownToPg(join(paths.pgbouncer, 'userlist.txt'));
  chownToPg(file);
  return file;
}

export async function startPgbouncer(): Promise<void> {
  if (await tcpOpen(ports.pgbouncer)) return;
  const file = writePgbouncerConf();
  asPg('/usr/sbin/pgbouncer', ['-d', file]);
  await waitUntil('pgbouncer', () => tcpOpen(ports.pgbouncer), 15_000);
}

export function pidFrom(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function alive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopPid(pid: number | null, graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!alive(pid)) return;
  try {
    process.kill(pid!, signal);
  } catch {
    return;
  }
  const until = Date.now() + graceMs;
  while (alive(pid) && Date.now() < until) await sleep(100);
  if (alive(pid)) process.kill(pid!, 'SIGKILL');
  while (alive(pid)) await sleep(50);
}

export async function stopPgbouncer(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  await stopPid(pidFrom(join(paths.pgbouncer, 'pgbouncer.pid')), 10_000, signal);
}

// ------------------------------------------------------------------------------------ Redis

const redisPid = (name: string): string => join(paths.redis, `${name}.pid`);

/** Redis primary and replica with infra/redis/redis.conf, then three Sentinels watching the primary. */
export async function startRedis(): Promise<void> {
  // infra/redis/redis.conf with its `dir` (a container path) replaced; the rest as in production
  const conf = join(paths.redis, 'redis.conf');
  writeFileSync(
    conf,
    readFileSync(join(root, 'infra/redis/redis.conf'), 'utf8').replace(/^dir .*$/m, `dir ${paths.redis}`),
  );
  const common = (name: string, port: number): string[] => [
    conf,
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    paths.redis,
    '--dbfilename',
    `${name}.rdb`,
    '--daemonize',
    'yes',
    '--pidfile',
    redisPid(name),
    '--logfile',
    join(paths.logs, `${name}.log`),
    // local override: one shared machine
    '--maxmemory',
    '256mb',
  ];
  if (!(await tcpOpen(ports.redisPrimary))) {
    // a fresh start: Sentinels forget an earlier run's failovers (their files name the old primary)
    for (const i of [1, 2, 3]) rmSync(join(paths.redis, `sentinel${i}.conf`), { force: true });
    run('/usr/bin/redis-server', common('redis-primary', ports.redisPrimary));
  }
  if (!(await tcpOpen(ports.redisReplica)))
    run('/usr/bin/redis-server', [
      ...common('redis-replica', ports.redisReplica),
      '--replicaof',
      '127.0.0.1',
      String(ports.redisPrimary),
    ]);
  for (const [i, port] of ports.sentinels.entries()) {
    if (await tcpOpen(port)) continue;
    const name = `sentinel${i + 1}`;
    const file = join(paths.redis, `${name}.conf`);
    // Sentinel rewrites its file (known replicas, epochs): write it fresh only the first time
    if (!existsSync(file))
      writeFileSync(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${paths.redis}`,
          `sentinel monitor ${sentinelName} 127.0.0.1 ${ports.redisPrimary} 2`,
          `sentinel down-after-milliseconds ${sentinelName} 1000`,
          `sentinel failover-timeout ${sentinelName} 10000`,
          `sentinel parallel-syncs ${sentinelName} 1`,
          '',
        ].join('\n'),
      );
    run('/usr/bin/redis-server', [
      file,
      '--sentinel',
      '--daemonize',
      'yes',
      '--pidfile',
      redisPid(name),
      '--logfile',
      join(paths.logs, `${name}.log`),
    ]);
  }
  await waitUntil('redis sentinels', async () => (await sentinelPrimary()) !== null, 30_000);
}

/** What one of the Sentinels names as primary now (port), or null. */
export async function sentinelPrimary(): Promise<number | null> {
  for (const port of ports.sentinels) {
    try {
      const out = run('/usr/bin/redis-cli', ['-p', String(port), 'SENTINEL', 'get-master-addr-by-name', sentinelName]);
      const p = Number(out.trim().split('\n')[1]);
      if (p) return p;
    } catch {
      // try the next one
    }
  }
  return null;
}

export function redisCli(port: number, ...args: string[]): string {
  return run('/usr/bin/redis-cli', ['-p', String(port), ...args]).trim();
}

export async function stopRedis(): Promise<void> {
  for (const name of ['sentinel1', 'sentinel2', 'sentinel3', 'redis-replica', 'redis-primary'])
    await stopPid(pidFrom(redisPid(name)));
}

export async function stopRedisServer(
  name: 'redis-primary' | 'redis-replica',
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<void> {
  await stopPid(pidFrom(redisPid(name)), 5000, signal);
}

// ------------------------------------------------------------------------------------ services

export type ServiceKind = 'api' | 'portal' | 'worker';
export interface ServiceEntry {
  name: string;
  kind: ServiceKind;
  port: number;
  pid: number;
}

export function readServices(): ServiceEntry[] {
  try {
    return JSON.parse(readFileSync(paths.state, 'utf8')) as ServiceEntry[];
  } catch {
    return [];
  }
}

function writeServices(list: ServiceEntry[]): void {
  writeFileSync(paths.state, `${JSON.stringify(list, null, 2)}\n`);
}

/** The environment of one service process: which connection goes where, and why. */
export function serviceEnv(kind: ServiceKind, port: number): NodeJS.ProcessEnv {
  const common: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.TOPOLOGY_LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
    PUBLIC_BASE_DOMAIN: 'localhost',
    // citizens sign in on the account host, reached through the balancer like every face
    ACCOUNT_HOST: `account.localhost:${ports.lbPortal}`,
    ASSET_DIR: paths.assets,
    DATABASE_APP_PASSWORD: appPassword,
    // the cache, pub/sub and the beacon buffer follow the Sentinels' primary
    REDIS_SENTINELS: urls.sentinels,
    REDIS_SENTINEL_NAME: sentinelName,
    WARM_CONCURRENCY: process.env.TOPOLOGY_WARM_CONCURRENCY ?? '2',
  };
  if (kind === 'api')
    // through PgBouncer: the API keeps no session state (scope per transaction, unnamed statements,
    // advisory locks only transaction-scoped: pg_advisory_xact_lock)
    return { ...common, DATABASE_APP_URL: urls.appPooled, API_PORT: String(port) };
  if (kind === 'portal')
    return {
      ...common,
      DATABASE_APP_URL: urls.appPooled,
      // faces read the replica (fenced, falling back to the primary: packages/db/src/replica.ts)
      DATABASE_REPLICA_URL: urls.appReplica,
      PORTAL_PORT: String(port),
    };
  // the worker connects DIRECTLY: its outbox LISTEN needs a session, which transaction pooling
  // does not keep. It knows the replica only to raise the fence before invalidating pages.
  return {
    ...common,
    DATABASE_APP_URL: urls.appDirect,
    DATABASE_REPLICA_URL: urls.appReplica,
    WORKER_PORT: String(port),
  };
}

const SERVER: Record<ServiceKind, string> = {
  api: 'services/api/src/server.ts',
  portal: 'services/portal/src/server.ts',
  worker: 'services/worker/src/server.ts',
};

/** Starts one service process detached (its own process group), records its pid; returns at once. */
export function spawnService(
  name: string,
  kind: ServiceKind,
  port: number,
  envOverride: NodeJS.ProcessEnv = {},
): ServiceEntry {
  const out = openSync(join(paths.logs, `${name}.log`), 'a');
  // the trailing --topology-dir only marks the process as ours in `ps` (down checks it)
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER[kind], `--topology-dir=${dir}`], {
    cwd: root,
    env: { ...serviceEnv(kind, port), ...envOverride },
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  const entry = { name, kind, port, pid: child.pid! };
  writeServices([...readServices().filter((s) => s.name !== name), entry]);
  return entry;
}

export const healthUrl = (s: { port: number }): string => `http://127.0.0.1:${s.port}/health`;

export async function waitService(s: ServiceEntry, timeoutMs = 120_000): Promise<void> {
  await waitUntil(
    s.name,
    async () => {
      if (!alive(s.pid)) throw new Error(`${s.name} exited (log: ${join(paths.logs, `${s.name}.log`)})`);
      return httpOk(healthUrl(s));
    },
    timeoutMs,
  );
}

export function serviceList(): { name: string; kind: ServiceKind; port: number }[] {
  return [
    ...ports.apis.map((port, i) => ({ name: `api${i + 1}`, kind: 'api' as const, port })),
    ...ports.portals.map((port, i) => ({ name: `portal${i + 1}`, kind: 'portal' as const, port })),
    ...ports.workers.map((port, i) => ({ name: `worker${i + 1}`, kind: 'worker' as const, port })),
  ];
}

/** Drops a stopped extra process (e.g. the bench's direct API) from the records. */
export function forgetService(name: string): void {
  writeServices(readServices().filter((s) => s.name !== name));
}

export async function stopService(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const s = readServices().find((e) => e.name === name);
  if (!s) return;
  await stopPid(s.pid, 15_000, signal);
}

// ------------------------------------------------------------------------------------ HAProxy

/**
 * Round robin over the two portals and the two APIs, health-checked every second on
 * /health/ready; a request that fails to connect (a killed process) is retried on the other one.
 */
export function writeHaproxyConf(): string {
  const servers = (kind: ServiceKind, list: number[]): string[] =>
    list.map((p, i) => `  server ${kind}${i + 1} 127.0.0.1:${p} check inter 1s fall 2 rise 1`);
  const cfg = [
    '# generated by scripts/topology/lib.ts',
    'global',
    '  maxconn 4096',
    `  pidfile ${join(paths.haproxy, 'haproxy.pid')}`,
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  retries 3',
    '  option redispatch',
    '  retry-on conn-failure empty-response response-timeout',
    '  option httpchk GET /health/ready',
    'frontend faces',
    `  bind 127.0.0.1:${ports.lbPortal}`,
    '  default_backend portals',
    'frontend api',
    `  bind 127.0.0.1:${ports.lbApi}`,
    '  default_backend apis',
    'frontend stats',
    `  bind 127.0.0.1:${ports.lbStats}`,
    '  stats enable',
    '  stats uri /',
    'backend portals',
    '  balance roundrobin',
    ...servers('portal', ports.portals),
    'backend apis',
    '  balance roundrobin',
    '  timeout tunnel 1h',
    ...servers('api', ports.apis),
    '',
  ].join('\n');
  const file = join(paths.haproxy, 'haproxy.cfg');
  writeFileSync(file, cfg);
  return file;
}

export async function startHaproxy(): Promise<void> {
  if (await tcpOpen(ports.lbPortal)) return;
  const file = writeHaproxyConf();
  run('/usr/sbin/haproxy', ['-f', file, '-D', '-p', join(paths.haproxy, 'haproxy.pid')]);
  await waitUntil('haproxy', () => tcpOpen(ports.lbPortal), 10_000);
}

export async function stopHaproxy(): Promise<void> {
  await stopPid(pidFrom(join(paths.haproxy, 'haproxy.pid')));
}

/** Every port of the topology, for `status` and for `down`'s check that nothing is left. */
export function allPorts(): { name: string; port: number }[] {
  return [
    { name: 'postgres primary', port: ports.pgPrimary },
    { name: 'postgres replica', port: ports.pgReplica },
    { name: 'pgbouncer', port: ports.pgbouncer },
    { name: 'redis primary', port: ports.redisPrimary },
    { name: 'redis replica', port: ports.redisReplica },
    ...ports.sentinels.map((port, i) => ({ name: `sentinel${i + 1}`, port })),
    { name: 'haproxy faces', port: ports.lbPortal },
    { name: 'haproxy api', port: ports.lbApi },
    { name: 'haproxy stats', port: ports.lbStats },
    ...serviceList().map((s) => ({ name: s.name, port: s.port })),
  ];
}

/** Processes whose command line names the topology directory (ours), from ps. */
export function leftovers(): string[] {
  const out = run('ps', ['-eo', 'pid=,args=']);
  return out
    .split('\n')
    .filter((l) => l.includes(dir) && !l.includes(' ps -eo'))
    .map((l) => l.trim());
}

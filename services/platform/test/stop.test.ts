// `pnpm start` stops quietly: the start script runs as a process group of its own (as pnpm runs a
// script) with an embedded PostgreSQL in a temporary DATA_DIR; a signal to the whole group (a
// terminal's Ctrl-C, or SIGTERM from a supervisor) ends it in order and with status 0, without
// PostgreSQL ending connections under the services, errors or stack traces.
import t, { type Test } from 'tap';
import { freePort } from '@yiduan/db';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// a first start creates the database cluster and seeds the demo province: slow on a busy machine
t.setTimeout(300_000);

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const START = join(ROOT, 'services/platform/src/start.ts');

interface Run {
  output: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Starts the platform, waits for "ready", signals its process group, and collects everything it printed. */
async function startAndStop(dataDir: string, signal: NodeJS.Signals): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, HOST: '127.0.0.1' };
  for (const name of ['DATABASE_URL', 'DATABASE_APP_URL', 'DATABASE_REPLICA_URL', 'REDIS_URL', 'LOG_LEVEL'])
    delete env[name];
  for (const name of ['PORTAL_PORT', 'API_PORT', 'CONSOLE_PORT', 'WORKER_PORT', 'EMBEDDED_PG_PORT'])
    env[name] = String(await freePort());
  // detached: a process group of its own, which the signal below reaches as a whole
  const child = spawn(process.execPath, ['--import', 'tsx', START], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.includes('[yiduan] ready in')) ready();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<Run>((resolve) =>
    child.once('close', (code, sig) => resolve({ output, code, signal: sig })),
  );
  const early = await Promise.race([isReady.then(() => null), exited]);
  if (early) return early; // it did not come up: the assertions show its output
  process.kill(-child.pid!, signal);
  return exited;
}

function quiet(t: Test, run: Run, signal: string): void {
  t.equal(run.code, 0, `exit status 0 after ${signal}`);
  t.equal(run.signal, null, 'exited by itself, not killed by the signal');
  t.match(run.output, `[yiduan] ${signal}: stopping`);
  t.match(run.output, '[yiduan] stopped');
  t.notMatch(run.output, /terminating connection/i, 'PostgreSQL did not end connections under the services');
  t.notMatch(run.output, /ELIFECYCLE|Error:|"level":(40|50|60)/, 'no errors or warnings');
  t.notMatch(run.output, /^\s+at \S/m, 'no stack traces');
  t.ok(run.output.split('\n').length < 80, `a short output (${run.output.split('\n').length} lines)`);
}

t.test('Ctrl-C, then SIGTERM to the process group: an orderly stop with status 0 and nothing alarming', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'yd-start-stop-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));

  const first = await startAndStop(dataDir, 'SIGINT');
  quiet(t, first, 'SIGINT');
  t.notOk(existsSync(join(dataDir, 'pg', 'postmaster.pid')), 'PostgreSQL stopped (no postmaster.pid left)');

  // the second start finds the cluster and the demo province in place
  const second = await startAndStop(dataDir, 'SIGTERM');
  t.match(second.output, 'demo province already present');
  quiet(t, second, 'SIGTERM');
  t.notOk(existsSync(join(dataDir, 'pg', 'postmaster.pid')), 'PostgreSQL stopped again');
});

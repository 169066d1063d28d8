// `pnpm test`: lint, typecheck, then ONE tap run over every package, service and test/.
// PostgreSQL and Redis: the configured URLs when set, otherwise an embedded
// PostgreSQL and a redis-server from PATH, started here and stopped at the end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createDb, freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '@yiduan/db';
import { demoTemplateNames, ensureDemoTemplate, ensureTemplate, templateName } from '@yiduan/testkit';

const root = new URL('..', import.meta.url).pathname;
const started: { name: string; stop: () => Promise<void> | void }[] = [];
const t0 = Date.now();
const elapsed = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** A check run beside the others; its output is printed whole when it ends, so runs do not interleave. */
function check(name: string, cmd: string, args: string[]): Promise<{ name: string; ok: boolean }> {
  const s = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => {
      console.log(`\n▶ ${name}`);
      if (out.trim()) console.log(out.trimEnd());
      console.log(`${code === 0 ? '✔' : '✖'} ${name} ${code === 0 ? '' : 'failed '}(${elapsed(s)})`);
      resolve({ name, ok: code === 0 });
    });
  });
}

async function ensurePostgres(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const dir = mkdtempSync(join(tmpdir(), 'yiduan-test-pg-'));
  const pg: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false });
  started.push({ name: 'embedded PostgreSQL', stop: () => pg.stop() });
  process.env.DATABASE_URL = pg.url;
  console.log(`  embedded PostgreSQL on port ${pg.port}`);
}

async function ensureRedis(): Promise<void> {
  if (process.env.REDIS_URL) return;
  const which = spawnSync('sh', ['-c', 'command -v redis-server']);
  if (which.status !== 0) {
    console.log('  no REDIS_URL and no redis-server on PATH: Redis tests use redis://127.0.0.1:6379 if it answers');
    return;
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  started.push({ name: 'redis-server', stop: () => void child.kill('SIGTERM') });
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (
      spawnSync('redis-cli', ['-p', String(port), 'ping'])
        .stdout?.toString()
        .trim() === 'PONG'
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`  redis-server on port ${port}`);
}

/** Leftovers of interrupted runs: test databases, and templates of old migrations, seeds or hours. */
async function sweep(): Promise<void> {
  const db = createDb(process.env.DATABASE_URL!, { max: 1 });
  try {
    const keep = [await templateName(), ...(await demoTemplateNames())];
    const rows = await sql<{ datname: string }>`
      SELECT datname FROM pg_database WHERE datname LIKE 'yd\\_t\\_%' OR (datname LIKE 'yd\\_tpl\\_%' AND NOT datname = ANY(${keep}))`.execute(
      db,
    );
    for (const { datname } of rows.rows) await sql`DROP DATABASE IF EXISTS ${sql.id(datname)} WITH (FORCE)`.execute(db);
    // the demo pictures of old templates, and the per-test copies of interrupted runs
    for (const f of readdirSync(tmpdir())) {
      const stale =
        (f.startsWith('yd_tpl_') && f.endsWith('-assets') && !keep.includes(f.slice(0, -'-assets'.length))) ||
        f.startsWith('yd-demo-assets-');
      if (stale) rmSync(join(tmpdir(), f), { recursive: true, force: true });
    }
  } finally {
    await db.destroy();
  }
}

async function stopAll(): Promise<void> {
  for (const s of started.reverse()) {
    try {
      await s.stop();
    } catch (err) {
      console.error(`could not stop ${s.name}:`, err);
    }
  }
}

async function runTap(): Promise<number> {
  const extra = process.argv.slice(2);
  return new Promise((resolve) => {
    const child = spawn('pnpm', ['exec', 'tap', ...extra], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    });
    child.on('close', (code) => {
      // tap's summary is `# { total: N, pass: N, fail: N, skip: N }`; restate it in the plain form CI reads
      const m = /# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?(?:, skip: (\d+))?/.exec(tail);
      if (m) console.log(`\ntests: ${m[2] ?? 0} passed, ${m[3] ?? 0} failed${m[4] ? `, ${m[4]} skipped` : ''}`);
      resolve(code ?? 1);
    });
  });
}

process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

// ESLint, Prettier's check and dependency-cruiser (the same `pnpm lint` a developer runs) and the
// typecheck run beside each other and beside the database setup: each is single-threaded, and on
// two cores running them one after the other left a core idle for a minute.
const checks = Promise.all([
  check('lint', 'pnpm', ['run', '--silent', 'lint']),
  check('typecheck', 'pnpm', ['exec', 'tsc', '--noEmit', '-p', 'tsconfig.json']),
]);
let code = 1;
try {
  console.log('\n▶ services');
  await ensurePostgres();
  await ensureRedis();
  await sweep();
  const s = Date.now();
  await ensureTemplate();
  console.log(`✔ migrated template ready (${elapsed(s)})`);
  // built here, not by the first test file that needs them: tap's per-file timeouts stay honest
  const d = Date.now();
  for (const kind of ['tree', 'newsroom', 'pictures'] as const) await ensureDemoTemplate(kind);
  console.log(`✔ seeded demo templates ready (${elapsed(d)})`);
  const failed = (await checks).filter((c) => !c.ok);
  if (failed.length) {
    console.error(`✖ ${failed.map((c) => c.name).join(' and ')} failed`);
    console.log('tests: 0 passed, 1 failed');
  } else {
    console.log('\n▶ tests');
    const tap = Date.now();
    code = await runTap();
    console.log(`${code === 0 ? '✔' : '✖'} tests (${elapsed(tap)})`);
  }
} catch (err) {
  console.error(err);
  console.log('tests: 0 passed, 1 failed');
} finally {
  await stopAll();
  rmSync(join(root, '.tap', 'processinfo'), { recursive: true, force: true });
}
console.log(`\npnpm test finished in ${elapsed(t0)} with exit code ${code}`);
process.exit(code);

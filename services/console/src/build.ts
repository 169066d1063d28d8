// Builds the console's single-page app with Vite into services/console/dist, only when the
// build is missing or older than its sources (a build takes a while on two cores). The build
// goes to a temporary folder and is swapped in whole, so a server reading dist never sees half.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const WEB_ROOT = join(CONSOLE_ROOT, 'src/web');
export const DIST = join(CONSOLE_ROOT, 'dist');
/** The build's operation manifest (src/operations.ts), for the API's GRAPHQL_OPERATIONS. */
export const OPERATIONS_MANIFEST = join(DIST, 'operations.json');
const LOCK = join(CONSOLE_ROOT, '.build.lock');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Sources the bundle depends on: the web folder, this file and the package manifest (versions). */
function sourcesMtime(): number {
  return Math.max(
    newestMtime(WEB_ROOT),
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
    statSync(join(CONSOLE_ROOT, 'package.json')).mtimeMs,
  );
}

export function buildIsFresh(): boolean {
  const index = join(DIST, 'index.html');
  return existsSync(index) && existsSync(OPERATIONS_MANIFEST) && statSync(index).mtimeMs >= sourcesMtime();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Another process building at the same time: wait for it (a stale lock older than 5 minutes is taken over). */
async function withLock<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (;;) {
    signal?.throwIfAborted();
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 300_000)
        rmSync(LOCK, { recursive: true, force: true });
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface BuildResult {
  built: boolean;
  ms: number;
}

/** The Vite build itself, in this process; `out` receives index.html and static/. */
async function viteBuild(out: string): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: WEB_ROOT,
    base: '/',
    logLevel: 'warn',
    // React's automatic runtime; the root tsconfig's jsxImportSource (preact) is for the portal
    esbuild: { jsx: 'automatic', jsxImportSource: 'react' },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: out,
      emptyOutDir: true,
      // /assets/* belongs to the API (uploaded images); the bundle lives under /static/
      assetsDir: 'static',
      target: 'es2020',
      chunkSizeWarningLimit: 2_000,
      reportCompressedSize: false,
      rollupOptions: {
        // antd marks its modules "use client" (for React Server Components); meaningless in a bundle
        onwarn: (warning, warn) => {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
        },
        output: {
          manualChunks: (id) =>
            id.includes('node_modules/echarts') || id.includes('node_modules/zrender')
              ? 'echarts'
              : id.includes('node_modules')
                ? 'vendor'
                : undefined,
        },
      },
    },
  });
}

/**
 * Runs the build in a child process: Rollup works synchronously for long stretches, and the
 * process that asks (pnpm start, a test) keeps serving and keeps its database connections alive.
 * The child runs at a lower priority (nice 10), so on two cores a rebuild during `pnpm start`
 * does not starve PostgreSQL and the services; `signal` ends it (a stop during the build). It
 * runs in a process group of its own, so a terminal's Ctrl-C reaches the asking process only, which
 * then ends the whole build (Vite and its esbuild service) quietly: output stops being relayed
 * the moment the stop begins, so a stop mid-build prints no stack trace of a killed build.
 */
function buildInChild(out: string, signal?: AbortSignal): Promise<void> {
  const repoRoot = join(CONSOLE_ROOT, '../..');
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('console build stopped'));
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', out], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout.on('data', (chunk: Buffer) => void (signal?.aborted || process.stdout.write(chunk)));
    child.stderr.on('data', (chunk: Buffer) => void (signal?.aborted || process.stderr.write(chunk)));
    const stop = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    };
    signal?.addEventListener('abort', stop, { once: true });
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, 10);
      } catch {
        /* not permitted here: build at normal priority */
      }
    }
    child.once('error', reject);
    child.once('exit', (code) => {
      signal?.removeEventListener('abort', stop);
      if (signal?.aborted) reject(new Error('console build stopped'));
      else if (code === 0) resolve();
      else reject(new Error(`console build failed (exit ${String(code)})`));
    });
  });
}

export async function ensureBuilt(
  opts: { force?: boolean; log?: (msg: string) => void; signal?: AbortSignal } = {},
): Promise<BuildResult> {
  if (!opts.force && buildIsFresh()) return { built: false, ms: 0 };
  return withLock(async () => {
    if (!opts.force && buildIsFresh()) return { built: false, ms: 0 };
    const t0 = Date.now();
    // the build is stamped with the sources' time as read now: an edit made while it runs is newer
    // (rounded up to the millisecond: utimes loses the nanoseconds, and must not stamp it older)
    const stamp = Math.ceil(sourcesMtime() + 1) / 1000;
    opts.log?.('building the console (Vite)…');
    const out = `${DIST}.tmp-${process.pid}`;
    try {
      await buildInChild(out, opts.signal);
    } catch (err) {
      rmSync(out, { recursive: true, force: true });
      throw err;
    }
    utimesSync(join(out, 'index.html'), stamp, stamp);
    rmSync(`${DIST}.old`, { recursive: true, force: true });
    if (existsSync(DIST)) renameSync(DIST, `${DIST}.old`);
    renameSync(out, DIST);
    rmSync(`${DIST}.old`, { recursive: true, force: true });
    const ms = Date.now() - t0;
    opts.log?.(`console built in ${ms} ms`);
    return { built: true, ms };
  }, opts.signal);
}

// `pnpm --filter @yiduan/console build` (or `tsx services/console/src/build.ts --force`)
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const child = process.argv.indexOf('--child');
  if (child > 0) {
    const out = process.argv[child + 1]!;
    await viteBuild(out);
    // the operations this bundle can send: the API's list in persisted-queries-only mode
    const { writeManifest } = await import('./operations.js');
    console.log(`[console] ${writeManifest(WEB_ROOT, out)} operations in operations.json`);
    process.exit(0);
  }
  const r = await ensureBuilt({ force: process.argv.includes('--force'), log: (m) => console.log(`[console] ${m}`) });
  if (!r.built) console.log('[console] build is up to date');
}

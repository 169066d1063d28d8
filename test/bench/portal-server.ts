/**
 * The server side of test/bench/portal.bench.ts, run in its own process (forked with an IPC
 * channel) so that the load generator never shares an event loop with the server it measures.
 *
 *   BENCH_MODE=baseline  a bare Fastify app answering GET / with a 30 KB HTML string held in memory
 *   BENCH_MODE=portal    the portal (`build(deps, { storage })`) on the bench's database, with
 *                        BENCH_CACHE=memory|redis and BENCH_COLD=1 for a page cache that never hits
 *                        (BENCH_COUNT=1: count the statements it sends, through Kysely's log)
 *   BENCH_MODE=handpage  a hand-written story page: GET /a/:id answered from one primary-key SELECT
 *                        in one public-scoped transaction, HTML from a template string
 *                        (lib/handwritten.ts); `{ type: 'pad', bytes }` sizes its chrome
 *
 * Protocol: the child sends `{ type: 'ready', port }` once it listens on 127.0.0.1 (port 0);
 * `{ type: 'stats' }` is answered with the page-cache counters; `{ type: 'stop' }` closes the
 * app and its connections and exits 0 (so `--cpu-prof` writes its profile).
 * Not a bench itself: run.ts only runs files ending in `.bench.ts`.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Cache, CacheGuard, CacheSetOptions, GuardedRead } from '@yiduan/cache';
import type { Database } from '@yiduan/db';
import type { build as buildPortal } from '@yiduan/portal';
import type { StoryPageRow } from './lib/handwritten.js';

type FastifyInstance = Awaited<ReturnType<typeof buildPortal>>;
type FastifyFactory = (opts?: { logger?: boolean }) => FastifyInstance;

export interface PageCacheStats {
  type: 'stats';
  /** page-cache reads that found a page */
  pageHits: number;
  /** page-cache reads that found nothing (in cold mode: every read) */
  pageMisses: number;
  /** pages written to the cache, i.e. renders (in cold mode counted, then dropped) */
  renders: number;
  /** calls into the cache of any kind (each one round trip with Redis) */
  cacheCalls: number;
  /** CPU time of this process so far (user + system), microseconds */
  cpuMicros: number;
  /** statements sent to PostgreSQL so far (round trips), when counted */
  queries: number;
}

export type ChildMessage =
  | { type: 'ready'; port: number }
  | PageCacheStats
  | { type: 'profiling' }
  | { type: 'profiled'; file: string }
  | { type: 'padded' }
  | { type: 'error'; message: string };
/** profile-start/-stop: the V8 CPU profiler (what `--cpu-prof` uses) over just the measured window, written as a .cpuprofile */
export type ParentMessage =
  | { type: 'stats' }
  | { type: 'stop' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; file: string }
  | { type: 'pad'; bytes: number };

/**
 * The baseline body: an HTML document of exactly `bytes` bytes (UTF-8) shaped like the portal's
 * pages: mostly ASCII markup with Chinese titles, about a sixth of the bytes outside ASCII.
 * (Sending a string costs a UTF-8 count and encode per response; Chinese text costs more than markup.)
 */
export function baselineHtml(bytes = 30 * 1024): string {
  const head =
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>基准页面</title></head><body><main><ul class="story-list">';
  const tail = '</ul></main></body></html>';
  const titles = [
    '县委县政府召开专题会议部署重点工作',
    '全县秋粮收购工作有序推进进展顺利',
    '文旅融合发展助力乡村振兴见实效',
  ];
  let html = head;
  for (let i = 0; ; i++) {
    const id = `3f1c2a9e-7b4d-4c1e-9a2f-${String(i).padStart(12, '0')}`;
    const item =
      `<li class="story-item story-item--plain"><a class="story-item__link" href="/a/${id}">` +
      `<span class="story-item__title">${titles[i % titles.length]}</span></a>` +
      `<span class="story-item__meta"><time datetime="2026-11-27T08:00:00.000Z">11-27 08:00</time></span></li>\n`;
    if (Buffer.byteLength(html + item + tail) > bytes) break;
    html += item;
  }
  const missing = bytes - Buffer.byteLength(html + tail);
  return html + ' '.repeat(missing) + tail;
}

const PAGE_PREFIX = 'page:';

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** Counts page-cache traffic; in cold mode page reads always miss and page writes are dropped. */
function countingCache(
  inner: Cache,
  cold: boolean,
  queries: () => number,
): { cache: Cache; stats: () => PageCacheStats } {
  let pageHits = 0;
  let pageMisses = 0;
  let renders = 0;
  let calls = 0;
  const isPage = (key: string): boolean => key.startsWith(PAGE_PREFIX);
  const cache: Cache = {
    kind: inner.kind,
    async get(key: string): Promise<string | null> {
      calls++;
      if (!isPage(key)) return inner.get(key);
      if (cold) {
        pageMisses++;
        return null;
      }
      const v = await inner.get(key);
      if (v === null) pageMisses++;
      else pageHits++;
      return v;
    },
    async getBuffer(key: string): Promise<Buffer | null> {
      calls++;
      if (!isPage(key)) return inner.getBuffer(key);
      if (cold) {
        pageMisses++;
        return null;
      }
      const v = await inner.getBuffer(key);
      if (v === null) pageMisses++;
      else pageHits++;
      return v;
    },
    async getBufferIf(key: string | null, guards: readonly CacheGuard[]): Promise<GuardedRead> {
      calls++;
      if (key === null || !isPage(key)) return inner.getBufferIf(key, guards);
      // cold: the guards are still checked (the site stays cached as in production), the page is never found
      const read = await inner.getBufferIf(cold ? null : key, guards);
      if (!read.current) return read;
      if (read.value === null) pageMisses++;
      else pageHits++;
      return read;
    },
    getMany: (keys: string[]) => (
      calls++,
      cold && keys.some(isPage) ? Promise.all(keys.map((k) => cache.get(k))) : inner.getMany(keys)
    ),
    async set(key: string, value: string, opts?: CacheSetOptions): Promise<void> {
      calls++;
      if (isPage(key)) {
        renders++;
        if (cold) return;
      }
      return inner.set(key, value, opts);
    },
    del: (key) => (calls++, inner.del(key)),
    invalidateTags: (tags) => inner.invalidateTags(tags),
    publish: (channel, message) => inner.publish(channel, message),
    subscribe: (channel, handler) => inner.subscribe(channel, handler),
    incrWindow: (key, windowSeconds) => inner.incrWindow(key, windowSeconds),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return {
    cache,
    stats: () => ({
      type: 'stats',
      pageHits,
      pageMisses,
      renders,
      cacheCalls: calls,
      cpuMicros: cpuMicros(),
      queries: queries(),
    }),
  };
}

function send(msg: ChildMessage): void {
  process.send?.(msg);
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

interface ServerChild {
  app: FastifyInstance;
  close: () => Promise<void>;
  stats: () => PageCacheStats;
  pad?: (bytes: number) => void;
}

/** the test package does not depend on fastify; take the very copy (and version) the portal runs on */
async function portalFastify(): Promise<FastifyFactory> {
  const portalManifest = fileURLToPath(new URL('../../services/portal/package.json', import.meta.url));
  const entry = createRequire(portalManifest).resolve('fastify');
  const mod = (await import(pathToFileURL(entry).href)) as { default: unknown };
  if (typeof mod.default !== 'function') throw new Error('fastify: no default export');
  return mod.default as FastifyFactory;
}

const noCache =
  (queries = (): number => 0) =>
  (): PageCacheStats => ({
    type: 'stats',
    pageHits: 0,
    pageMisses: 0,
    renders: 0,
    cacheCalls: 0,
    cpuMicros: cpuMicros(),
    queries: queries(),
  });

async function baseline(): Promise<ServerChild> {
  const Fastify = await portalFastify();
  const html = baselineHtml();
  const app = Fastify({ logger: false });
  app.get('/', (_request, reply) => reply.header('content-type', 'text/html; charset=utf-8').send(html));
  return { app, close: async () => {}, stats: noCache() };
}

/**
 * The hand-written story page: the face from the Host header (`<slug>.localhost`, every face read
 * once at start, as the portal keeps its faces cached), then one statement in one public-scoped
 * transaction, then a template string. Unknown host, non-UUID or no live placement: 404.
 */
async function handPage(): Promise<ServerChild> {
  const [Fastify, { ScopedStatement, STORY_PAGE_SQL, storyPageHtml, chromeOf }, { isUuid }] = await Promise.all([
    portalFastify(),
    import('./lib/handwritten.js'),
    import('@yiduan/core'),
  ]);
  const sql = new ScopedStatement(required('BENCH_APP_URL'), 10, 'yiduan-bench-handpage');
  const faces = new Map(
    (await sql.run<{ id: string; slug: string; name: string }>({}, 'SELECT id, slug, name FROM tenants', [])).map(
      (t) => [`${t.slug}.localhost`, t],
    ),
  );
  const queriesAtStart = sql.roundTrips;
  let chrome = '';
  const app = Fastify({ logger: false });
  app.get<{ Params: { storyId: string } }>('/a/:storyId', async (request, reply) => {
    const storyId = request.params.storyId.toLowerCase();
    const face = faces.get(
      String(request.headers.host ?? '')
        .toLowerCase()
        .replace(/:\d+$/, ''),
    );
    if (!face || !isUuid(storyId))
      return reply.code(404).type('text/html; charset=utf-8').send('<!doctype html><title>404</title></html>');
    const [row] = await sql.run<StoryPageRow>({}, STORY_PAGE_SQL, [face.id, storyId]);
    if (!row) return reply.code(404).type('text/html; charset=utf-8').send('<!doctype html><title>404</title></html>');
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'public, max-age=60')
      .send(storyPageHtml(face, row, chrome));
  });
  return {
    app,
    close: () => sql.close(),
    stats: noCache(() => sql.roundTrips - queriesAtStart),
    pad: (bytes) => {
      chrome = bytes > 0 ? chromeOf(bytes) : '';
    },
  };
}

async function portal(): Promise<ServerChild> {
  const [
    { build },
    { createMemoryCache, createRedisCache },
    { loadConfig },
    { LocalDiskStorage },
    { createDb, createPool, ScopedPostgresDialect },
    { Kysely },
  ] = await Promise.all([
    import('@yiduan/portal'),
    import('@yiduan/cache'),
    import('@yiduan/config'),
    import('@yiduan/storage'),
    import('@yiduan/db'),
    import('kysely'),
  ]);
  const prefix = required('BENCH_PREFIX');
  const kind = process.env.BENCH_CACHE === 'redis' ? 'redis' : 'memory';
  const base =
    kind === 'redis' ? createRedisCache({ url: required('REDIS_URL'), prefix }) : createMemoryCache({ prefix });
  let queries = 0;
  const { cache, stats } = countingCache(base, process.env.BENCH_COLD === '1', () => queries);
  // the pool size a service gets from createDeps in production; with BENCH_COUNT the same dialect
  // as createDb, plus Kysely's log to count each statement (one client.query, one round trip)
  const poolOptions = { max: 10, applicationName: 'yiduan-bench-portal', onError: () => {} };
  const db =
    process.env.BENCH_COUNT === '1'
      ? new Kysely<Database>({
          dialect: new ScopedPostgresDialect({ pool: createPool(required('BENCH_APP_URL'), poolOptions) }),
          log: () => void queries++,
        })
      : createDb(required('BENCH_APP_URL'), poolOptions);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const app = await build(
    { config, db, readDb: db, cache },
    { storage: new LocalDiskStorage(required('BENCH_STORAGE')) },
  );
  return {
    app,
    close: async () => {
      await Promise.allSettled([db.destroy(), base.close()]);
    },
    stats,
  };
}

async function main(): Promise<void> {
  const server =
    process.env.BENCH_MODE === 'portal'
      ? await portal()
      : process.env.BENCH_MODE === 'handpage'
        ? await handPage()
        : await baseline();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  let session: Session | null = null;
  process.on('message', (raw: unknown) => {
    const msg = raw as ParentMessage;
    if (msg.type === 'stats') send(server.stats());
    if (msg.type === 'pad') {
      server.pad?.(msg.bytes);
      send({ type: 'padded' });
    }
    if (msg.type === 'profile-start') {
      void (async () => {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        send({ type: 'profiling' });
      })();
    }
    if (msg.type === 'profile-stop' && session) {
      const s = session;
      void (async () => {
        const { profile } = await s.post('Profiler.stop');
        await writeFile(msg.file, JSON.stringify(profile));
        s.disconnect();
        send({ type: 'profiled', file: msg.file });
      })();
    }
    if (msg.type === 'stop') {
      void (async () => {
        await server.app.close();
        await server.close();
        process.exit(0);
      })();
    }
  });
  // the parent went away without saying stop: do not linger
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port: address.port });
}

// only as the forked server; importing this file (for its types) starts nothing
if (process.env.BENCH_MODE) {
  main().catch((err: unknown) => {
    send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    console.error(err);
    process.exit(1);
  });
}

/**
 * Analytics benchmark: ingestion and roll-up on a real PostgreSQL database and Redis.
 *
 *   1. Sustained ingestion, on the generated province (yd_bench_10k, or yd_bench_1m with
 *      --large; its raw events are emptied before and after). The portal's beacon route (`POST
 *      /_b`, with the real Host → face resolution) runs in a child process; autocannon posts
 *      beacons (one event each, a story view, completion or share, or a page view, over the
 *      newest stories of 8 faces) for --seconds (default 15) while an AnalyticsWriter in this
 *      process moves the Redis stream into the day-partitioned table. Reported: events accepted
 *      per second (2xx answers), events written per second (until the last accepted event was
 *      committed), and events lost = accepted − rows (must be 0). Then the writer alone: 200,000
 *      events pre-filled in the stream, drained; then one incremental roll-up of the province
 *      (one day marked for every tenant). Baseline: a single primary-key SELECT, same database.
 *   2. (with --large or --year) Roll-up time for 175 tenants × 365 days: the demo tree grown to 1 + 17 + 157
 *      tenants, a year of stories, follows, comments, messages and raw events (--events,
 *      default 1,000,000, across every day), then `rollupRange` over the whole year (the
 *      first-run / repair path), and one incremental run (`rollupPending`: one day marked for
 *      every tenant, plus today and yesterday).
 *
 * Run: pnpm bench analytics [--large]   or   npx tsx test/bench/analytics.bench.ts [--large] [--year] [--seconds=N] [--events=N]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { createMemoryCache, createRedisBuffer, type EventBuffer } from '@yiduan/cache';
import { loadConfig } from '@yiduan/config';
import {
  addDays,
  AnalyticsWriter,
  dayOf,
  dayStart,
  parseBeacon,
  rollupPending,
  rollupRange,
  type RawEvent,
} from '@yiduan/core';
import { appUrlFrom, createDb, withDatabase, withPlatform, type DB } from '@yiduan/db';
import { infra } from '@yiduan/http';
import { baseUrl, ensureTemplate, seedDemo, TEST_APP_PASSWORD } from '@yiduan/testkit';
import {
  benchData,
  closedLoop,
  LARGE,
  pkSelect,
  readPrevious,
  SIZE,
  summaryTable,
  type SummaryRow,
} from './lib/kit.js';
import { beaconRoutes } from '../../services/portal/src/routes/beacon.js';
import { siteScope } from '../../services/portal/src/site/plugin.js';

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
const REDIS_URL = process.env.REDIS_URL;

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const v = arg ? Number(arg.slice(name.length + 3)) : fallback;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}
const SECONDS = option('seconds', 15);
const YEAR_EVENTS = option('events', 1_000_000);
const PREFILL = 200_000;
const log = (msg: string): void => console.log(`[analytics] ${msg}`);
const now = (): number => performance.now();
const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47';

// ---------------------------------------------------------------- the beacon server (child process)

if (process.env.BENCH_ROLE === 'server') {
  const db = createDb(process.env.BENCH_APP_URL!, { max: 4 });
  const redisBuffer = createRedisBuffer({ url: REDIS_URL, stream: process.env.BENCH_STREAM! });
  // counts what the route handed to the buffer: the events accepted
  let appended = 0;
  const buffer: EventBuffer = {
    ...redisBuffer,
    append: async (events) => {
      await redisBuffer.append(events);
      appended += events.length;
    },
  };
  const app = Fastify({ logger: false });
  await app.register(infra, {
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    db,
    cache: createMemoryCache({ prefix: 'bench:' }),
  });
  app.decorateRequest('face', null);
  app.decorateRequest('site', null);
  await app.register(siteScope(async (scope) => beaconRoutes(scope, { buffer })));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.send!({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stop') {
      void app
        .close()
        .then(() => process.send!({ type: 'stats', appended }))
        .then(() => Promise.all([redisBuffer.close(), db.destroy()]))
        .then(() => process.exit(0));
    }
  });
} else {
  await main();
}

// ---------------------------------------------------------------- helpers

async function benchDatabase(): Promise<{ name: string; db: DB; owner: DB; appUrl: string; close(): Promise<void> }> {
  const template = await ensureTemplate();
  const name = `yd_bench_analytics_${randomBytes(4).toString('hex')}`;
  const admin = createDb(baseUrl(), { max: 1 });
  try {
    await sql`CREATE DATABASE ${sql.id(name)} TEMPLATE ${sql.id(template)}`.execute(admin);
  } finally {
    await admin.destroy();
  }
  const appUrl = appUrlFrom(baseUrl(), TEST_APP_PASSWORD, name);
  const db = createDb(appUrl, { max: 6, applicationName: 'yiduan-bench-analytics' });
  const owner = createDb(withDatabase(baseUrl(), name), { max: 2, applicationName: 'yiduan-bench-analytics-owner' });
  return {
    name,
    db,
    owner,
    appUrl,
    async close() {
      await Promise.allSettled([db.destroy(), owner.destroy()]);
      const drop = createDb(baseUrl(), { max: 1 });
      try {
        await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(drop);
      } finally {
        await drop.destroy();
      }
    },
  };
}

async function rows(db: DB): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM analytics_events`.execute(db);
  return r.rows[0]!.n;
}

function startServer(appUrl: string, stream: string): Promise<{ child: ChildProcess; port: number }> {
  const file = fileURLToPath(import.meta.url);
  const child = fork(file, [], {
    env: { ...process.env, BENCH_ROLE: 'server', BENCH_APP_URL: appUrl, BENCH_STREAM: stream },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { type: string; port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`beacon server exited (${code})`)));
  });
}

// ---------------------------------------------------------------- main

interface Ingestion {
  size: number;
  measuredAt: string;
  database: string;
  faces: number;
  acceptedEvents: number;
  answered2xx: number;
  acceptedPerSec: number;
  writtenEvents: number;
  writtenPerSec: number;
  drainSeconds: number;
  lost: number;
  non2xx: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  writerAloneEvents: number;
  writerAlonePerSec: number;
  writerAloneLost: number;
  incrementalMs: number;
  incrementalPairs: number;
  pkPerSec: number;
  pkP50Ms: number;
}

interface YearRollup {
  measuredAt: string;
  tenants: number;
  days: number;
  rawEvents: number;
  stories: number;
  rollupFullSeconds: number;
  rollupTenantDays: number;
  rollupRows: number;
  rollupIncrementalMs: number;
  rollupFullSteps: unknown;
  rollupIncrementalSteps: unknown;
  provinceTreeEqualsSumOfOwn: boolean;
}

async function main(): Promise<void> {
  const load0 = loadavg();
  const started = Date.now();
  const ingestion = await ingest();
  // the year-long roll-up is a size measurement of its own (~2-3 min): with --large or --year
  const year = LARGE || process.argv.includes('--year') ? await yearRollup() : null;
  const prev = readPrevious<{ sizes?: Ingestion[]; year?: YearRollup }>('analytics');
  const sizes = [...(prev?.sizes ?? []).filter((x) => x.size !== SIZE), ingestion].sort((a, b) => a.size - b.size);
  const y = year ?? prev?.year ?? null;
  const summary: SummaryRow[] = sizes.flatMap((x) => [
    {
      bench: 'analytics',
      case: `ingestion: beacons over HTTP → Redis stream → PostgreSQL, ${x.faces} faces (events written/s; ${x.lost} lost)`,
      size: x.size,
      throughput: x.writtenPerSec,
      unit: 'events/s',
      p50Ms: x.latencyP50Ms,
      p99Ms: x.latencyP99Ms,
      rssMb: null,
      baseline: 'one primary-key SELECT (4 callers)',
      baselineThroughput: x.pkPerSec,
      baselineUnit: 'SELECTs/s',
      baselineP50Ms: x.pkP50Ms,
      ratio: Math.round((x.writtenPerSec / x.pkPerSec) * 100) / 100,
      measuredAt: x.measuredAt,
    },
    {
      bench: 'analytics',
      case: `writer alone: a backlog of ${PREFILL.toLocaleString('en-US')} events drained (${x.writerAloneLost} lost)`,
      size: x.size,
      throughput: x.writerAlonePerSec,
      unit: 'events/s',
      p50Ms: Math.round((PREFILL / x.writerAlonePerSec) * 1000),
      p99Ms: Math.round((PREFILL / x.writerAlonePerSec) * 1000),
      rssMb: null,
      baseline: 'one primary-key SELECT (4 callers)',
      baselineThroughput: x.pkPerSec,
      baselineUnit: 'SELECTs/s',
      baselineP50Ms: x.pkP50Ms,
      ratio: Math.round((x.writerAlonePerSec / x.pkPerSec) * 100) / 100,
      measuredAt: x.measuredAt,
    },
    {
      bench: 'analytics',
      case: `incremental roll-up of the province: one day marked for every tenant (${x.incrementalPairs} tenant-days)`,
      size: x.size,
      throughput: Math.round((x.incrementalPairs / (x.incrementalMs / 1000)) * 10) / 10,
      unit: 'tenant-days/s',
      p50Ms: x.incrementalMs,
      p99Ms: x.incrementalMs,
      rssMb: null,
      baseline: 'one primary-key SELECT (4 callers)',
      baselineThroughput: x.pkPerSec,
      baselineUnit: 'SELECTs/s',
      baselineP50Ms: x.pkP50Ms,
      ratio: Math.round((x.pkP50Ms / x.incrementalMs) * 10000) / 10000,
      measuredAt: x.measuredAt,
    },
  ]);
  const markdown = [
    '| stories | faces | beacons accepted/s (p50 / p99) | written/s | lost | writer alone (200,000 backlog) | incremental roll-up (every tenant, one day) | PK SELECT/s (same run) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...sizes.map(
      (x) =>
        `| ${x.size.toLocaleString('en-US')} | ${x.faces} | ${x.acceptedPerSec.toLocaleString('en-US')} (${x.latencyP50Ms} / ${x.latencyP99Ms} ms), non-2xx ${x.non2xx} | ${x.writtenPerSec.toLocaleString('en-US')} (stream empty ${x.drainSeconds} s after the load) | **${x.lost}** | ${x.writerAlonePerSec.toLocaleString('en-US')}/s, lost ${x.writerAloneLost} | ${x.incrementalMs.toLocaleString('en-US')} ms (${x.incrementalPairs} tenant-days) | ${x.pkPerSec.toLocaleString('en-US')} |`,
    ),
    '',
    ...(y
      ? [
          `Roll-up of a whole year (measured ${y.measuredAt.slice(0, 16).replace('T', ' ')} UTC, with --large or --year, in its own throwaway database: the demo tree grown to 175 tenants, a year of synthetic stories and raw events):`,
          '',
          '| measure | value |',
          '| --- | --- |',
          `| roll-up, ${y.tenants} tenants × 365 days (full recompute: story, unit, tenant and subtree rows) | **${y.rollupFullSeconds} s** for ${y.rollupTenantDays.toLocaleString('en')} tenant-days, ${y.rawEvents.toLocaleString('en')} raw events, ${y.stories.toLocaleString('en')} stories → ${y.rollupRows.toLocaleString('en')} rows |`,
          `| incremental roll-up (one day marked for every tenant + today and yesterday) | **${y.rollupIncrementalMs} ms** |`,
          `| province subtree = sum of every tenant's own views | ${y.provinceTreeEqualsSumOfOwn ? 'yes' : 'NO'} |`,
        ]
      : []),
    '',
    summaryTable(summary),
  ].join('\n');
  const load1 = loadavg();
  const notes = [
    "The beacon server (the portal's real `/_b` route with Host → face resolution, Redis stream buffer) runs in a child process; autocannon and the writer share this one. Two cores for the three.",
    "Accepted = events the beacon route handed to the Redis stream (counted by the server; autocannon's 2xx count misses the requests still in flight when it stops). Lost = accepted − rows in analytics_events once the stream is empty (the writer acknowledges only after COMMIT; a re-delivered entry is ignored by the primary key).",
    "Ingestion runs on the generated province of each size (the faces and stories of `pnpm generate`); the raw events it writes are removed afterwards, and the incremental roll-up rewrites that day's roll-up rows.",
    `Machine: 2 cores, shared (load average 1/5/15 min ${load0.map((x) => x.toFixed(1)).join('/')} at start, ${load1.map((x) => x.toFixed(1)).join('/')} at end); bench total ${Math.round((Date.now() - started) / 1000)} s.`,
  ];
  console.log(`\n${markdown}\n`);
  const outDir = new URL('./results/', import.meta.url);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    new URL('analytics.json', outDir),
    JSON.stringify(
      { large: LARGE, sizes, year: y, summary, markdown, notes, date: new Date().toISOString(), node: process.version },
      null,
      2,
    ) + '\n',
  );
  if (ingestion.lost !== 0 || ingestion.writerAloneLost !== 0) process.exitCode = 1;
}

/** Section 1 on the generated province of this size. */
async function ingest(): Promise<Ingestion> {
  const data = await benchData(log);
  const stream = `yd-bench:analytics:${randomBytes(4).toString('hex')}`;
  const cleanup = createRedisBuffer({ url: REDIS_URL, stream });
  try {
    log(`database ${data.name}, stream ${stream}`);
    await sql`TRUNCATE analytics_events, analytics_dirty`.execute(data.owner);
    const faces = await data.owner
      .selectFrom('tenants')
      .select(['id', 'slug'])
      .where('slug', 'in', [
        'henan',
        'city-01',
        'county-001',
        'county-002',
        'county-003',
        'county-004',
        'county-005',
        'county-006',
      ])
      .execute();
    const storiesOf = new Map<string, string[]>();
    for (const f of faces) {
      const rows = await data.owner
        .selectFrom('placements')
        .select('story_id')
        .where('tenant_id', '=', f.id)
        .where('status', '=', 'active')
        .orderBy('placed_at', 'desc')
        .limit(20)
        .execute();
      storiesOf.set(
        f.id,
        rows.map((r) => r.story_id),
      );
    }

    // ---- sustained ingestion through HTTP
    const { child, port } = await startServer(data.appUrl, stream);
    const requests: autocannon.Request[] = [];
    for (const t of faces) {
      for (const [i, id] of (storiesOf.get(t.id) ?? []).entries()) {
        const kind = i % 10 < 7 ? 'v' : i % 10 < 9 ? 'r' : 's';
        requests.push({
          method: 'POST',
          path: '/_b',
          headers: { host: `${t.slug}.localhost`, 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA },
          body: JSON.stringify({ k: kind, p: `/a/${id}`, ...(kind === 's' ? { c: 'wechat' } : {}) }),
        });
      }
      requests.push({
        method: 'POST',
        path: '/_b',
        headers: { host: `${t.slug}.localhost`, 'content-type': 'text/plain', 'user-agent': UA },
        body: JSON.stringify({ k: 'v', p: '/', r: 'https://www.baidu.com/' }),
      });
    }
    const buffer = createRedisBuffer({ url: REDIS_URL, stream });
    const writer = new AnalyticsWriter({
      db: data.db,
      buffer,
      consumer: 'bench-writer',
      batchSize: 2000,
      blockMs: 200,
      retentionDays: 400,
    });
    writer.start();
    let clientNo = 0;
    const t0 = now();
    const result = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: 32,
      duration: SECONDS,
      requests,
      setupClient: (client: autocannon.Client) => {
        const offset = (clientNo++ * 37) % requests.length;
        client.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
      },
    });
    const loadMs = now() - t0;
    const answered = result['2xx'];
    const non2xx = result.non2xx + result.errors + result.timeouts;
    // the server's own count of events handed to the stream (requests in flight at the end included)
    const stats = new Promise<number>((resolve) =>
      child.on('message', (m: { type: string; appended: number }) => m.type === 'stats' && resolve(m.appended)),
    );
    child.send({ type: 'stop' });
    const accepted = await stats;
    await new Promise((r) => child.once('exit', r));
    // the writer keeps going until the stream is empty
    while ((await buffer.size()) > 0) await new Promise((r) => setTimeout(r, 100));
    await writer.stop();
    const writtenMs = now() - t0;
    const written = await rows(data.owner);
    const lost = accepted - written;
    log(
      `accepted ${accepted} (2xx answers ${answered}) in ${(loadMs / 1000).toFixed(1)} s (${Math.round(accepted / (loadMs / 1000))}/s), non-2xx ${non2xx}; written ${written} by ${(writtenMs / 1000).toFixed(1)} s; lost ${lost}`,
    );

    // ---- writer alone: a backlog drained (as after a worker restart)
    await sql`TRUNCATE analytics_events, analytics_dirty`.execute(data.owner);
    const at = Date.now();
    const events: RawEvent[] = [];
    for (let i = 0; i < PREFILL; i += 1) {
      const t = faces[i % faces.length]!;
      const ids = storiesOf.get(t.id)!;
      events.push(
        ...parseBeacon(
          { k: i % 3 ? 'v' : 'r', p: `/a/${ids[i % ids.length]}` },
          { tenantId: t.id, ip: `10.${i % 250}.${(i >> 8) % 250}.1`, userAgent: UA, now: at, secret: 'bench' },
        ),
      );
      if (events.length === 10_000) await buffer.append(events.splice(0));
    }
    if (events.length) await buffer.append(events.splice(0));
    const w2 = new AnalyticsWriter({
      db: data.db,
      buffer,
      consumer: 'bench-writer-2',
      batchSize: 5000,
      retentionDays: 400,
    });
    const d0 = now();
    const drained = await w2.drain();
    const drainMs = now() - d0;
    const drainLost = PREFILL - (await rows(data.owner));
    log(
      `writer alone: ${drained} events in ${(drainMs / 1000).toFixed(2)} s (${Math.round(drained / (drainMs / 1000))}/s), lost ${drainLost}`,
    );
    await buffer.close();

    // ---- incremental roll-up of the whole province: today (the events above) marked for every tenant
    await sql`INSERT INTO analytics_dirty (tenant_id, day) SELECT id, ${dayOf(Date.now())}::date FROM tenants ON CONFLICT DO NOTHING`.execute(
      data.owner,
    );
    const i0 = now();
    const inc = await rollupPending(data.db, { retentionDays: 400 });
    const incMs = now() - i0;
    log(`incremental roll-up: ${inc?.pairs} tenant-days in ${incMs.toFixed(0)} ms`);

    // ---- baseline: one primary-key SELECT through the same role
    const keys = await data.owner.selectFrom('stories').select(['tenant_id', 'id']).limit(1000).execute();
    const pk = await closedLoop(pkSelect(data.db, keys), { seconds: 5, concurrency: 4 });
    await sql`TRUNCATE analytics_events, analytics_dirty`.execute(data.owner);
    return {
      size: SIZE,
      measuredAt: new Date().toISOString(),
      database: data.name,
      faces: faces.length,
      acceptedEvents: accepted,
      answered2xx: answered,
      acceptedPerSec: Math.round(accepted / (loadMs / 1000)),
      writtenEvents: written,
      writtenPerSec: Math.round(written / (writtenMs / 1000)),
      drainSeconds: Number(((writtenMs - loadMs) / 1000).toFixed(2)),
      lost,
      non2xx,
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      writerAloneEvents: drained,
      writerAlonePerSec: Math.round(drained / (drainMs / 1000)),
      writerAloneLost: drainLost,
      incrementalMs: Math.round(incMs),
      incrementalPairs: inc?.pairs ?? 0,
      pkPerSec: Math.round(pk.throughput),
      pkP50Ms: pk.p50Ms,
    };
  } finally {
    await cleanup.clear();
    await cleanup.close();
    await data.close();
  }
}

/** Section 2: a year of roll-ups for 175 tenants, in a throwaway database. */
async function yearRollup(): Promise<YearRollup> {
  const bench = await benchDatabase();
  try {
    const { tenants } = await seedDemo(bench.db, { withContent: false });
    const g0 = now();
    await grow(bench.owner, tenants.henan!.id);
    const tenantCount = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM tenants`.execute(bench.owner)).rows[0]!
      .n;
    const today = dayOf(Date.now());
    const first = addDays(today, -364);
    const facts = await year(bench, first, today);
    log(
      `a year of facts for ${tenantCount} tenants in ${((now() - g0) / 1000).toFixed(1)} s: ${JSON.stringify(facts)}`,
    );
    await sql`VACUUM ANALYZE`.execute(bench.owner);
    const r0 = now();
    const full = await rollupRange(bench.db, first, today, { retentionDays: 400 });
    const fullMs = now() - r0;
    const rollRows = (
      await sql<{
        n: number;
      }>`SELECT (SELECT count(*) FROM analytics_tenant_daily) + (SELECT count(*) FROM analytics_unit_daily) + (SELECT count(*) FROM analytics_story_daily) AS n`.execute(
        bench.owner,
      )
    ).rows[0]!.n;
    log(
      `full roll-up: ${full.pairs} tenant-days (+ ${full.treePairs} subtree rows) in ${(fullMs / 1000).toFixed(1)} s; ${rollRows} roll-up rows; steps ${JSON.stringify(full.steps)}`,
    );
    // incremental: yesterday marked for every tenant (as the writer would after a busy day)
    await sql`INSERT INTO analytics_dirty (tenant_id, day) SELECT id, ${addDays(today, -2)}::date FROM tenants ON CONFLICT DO NOTHING`.execute(
      bench.owner,
    );
    const i0 = now();
    const inc = await rollupPending(bench.db, { retentionDays: 400 });
    const incMs = now() - i0;
    log(`incremental run: ${inc?.pairs} pairs in ${incMs.toFixed(0)} ms; steps ${JSON.stringify(inc?.steps)}`);
    // figures still add up after both paths: the province's subtree = the sum of everyone's own
    const check = await withPlatform(bench.db, (trx) =>
      sql<{
        own: number;
        tree: number;
      }>`SELECT (SELECT sum(views) FROM analytics_tenant_daily WHERE scope = 'own')::bigint AS own,
        (SELECT sum(views) FROM analytics_tenant_daily WHERE scope = 'tree' AND tenant_id = ${tenants.henan!.id})::bigint AS tree`.execute(
        trx,
      ),
    );
    const sums = check.rows[0]!;
    return {
      measuredAt: new Date().toISOString(),
      tenants: tenantCount,
      days: 365,
      rawEvents: facts.events,
      stories: facts.stories,
      rollupFullSeconds: Number((fullMs / 1000).toFixed(2)),
      rollupTenantDays: full.pairs,
      rollupRows: rollRows,
      rollupIncrementalMs: Math.round(incMs),
      rollupFullSteps: full.steps,
      rollupIncrementalSteps: inc?.steps ?? {},
      provinceTreeEqualsSumOfOwn: Number(sums.own) === Number(sums.tree),
    };
  } finally {
    await bench.close();
  }
}

/** Grows the demo tree to 1 province + 17 cities + 157 counties, each county with 8 units. */
async function grow(owner: DB, provinceId: string): Promise<void> {
  await sql`
    INSERT INTO tenants (slug, name, level, parent_id)
    SELECT 'bench-city-' || i, '基准市' || i, 'city', ${provinceId} FROM generate_series(1, 14) i`.execute(owner);
  await sql`
    INSERT INTO tenants (slug, name, level, parent_id)
    SELECT 'bench-county-' || i, '基准县' || i, 'county', c.id
      FROM generate_series(1, 153) i
      JOIN LATERAL (SELECT id FROM tenants WHERE level = 'city' ORDER BY slug OFFSET (i % 17) LIMIT 1) c ON true`.execute(
    owner,
  );
  await sql`
    INSERT INTO units (tenant_id, slug, name, kind)
    SELECT t.id, 'unit-' || i, '单位' || i, 'bureau' FROM tenants t, generate_series(1, 8) i WHERE t.level = 'county'
    ON CONFLICT DO NOTHING`.execute(owner);
}

/** A year of everything the roll-up reads, spread over every tenant and day. */
async function year(
  bench: { owner: DB; db: DB },
  first: string,
  last: string,
): Promise<{ events: number; stories: number }> {
  const lo = dayStart(first).toISOString();
  // stories: 4 a day per county, 8 per city, 12 for the province (≈ 283k); a unit on half of the county ones
  const s = await sql<{ n: number }>`
    WITH ins AS (
      INSERT INTO stories (tenant_id, kind, status, unit_id, published_revision, first_published_at, published_at)
      SELECT t.id, 'article', 'published',
             CASE WHEN t.level = 'county' AND k % 2 = 0 THEN (SELECT u.id FROM units u WHERE u.tenant_id = t.id AND u.slug = 'unit-' || (1 + (d + k) % 8)) END,
             1, ts, ts
        FROM tenants t
        CROSS JOIN generate_series(0, 364) d
        CROSS JOIN LATERAL generate_series(1, CASE t.level WHEN 'province' THEN 12 WHEN 'city' THEN 8 ELSE 4 END) k
        CROSS JOIN LATERAL (SELECT ${lo}::timestamptz + d * interval '1 day' + (k * 37 % 86400) * interval '1 second' AS ts) x
      RETURNING tenant_id, id, first_published_at
    ), pl AS (INSERT INTO placements (tenant_id, story_id, origin_tenant_id, mode, placed_at) SELECT tenant_id, id, tenant_id, 'own', first_published_at FROM ins)
    SELECT count(*)::int AS n FROM ins`.execute(bench.owner);
  // follows, comments, messages
  await sql`INSERT INTO citizens (phone, display_name) SELECT '139' || lpad(i::text, 8, '0'), '市民' || i FROM generate_series(1, 20000) i`.execute(
    bench.owner,
  );
  await sql`
    INSERT INTO memberships (tenant_id, citizen_id, created_at, ended_at)
    SELECT t.id, c.id, ${lo}::timestamptz + ((abs(hashtext(t.id::text || c.id::text)) % 364) * interval '1 day'),
           CASE WHEN abs(hashtext(c.id::text || t.id::text)) % 5 = 0 THEN ${lo}::timestamptz + interval '364 days' END
      FROM tenants t JOIN LATERAL (SELECT id FROM citizens ORDER BY id OFFSET (abs(hashtext(t.id::text)) % 19000) LIMIT 600) c ON true`.execute(
    bench.owner,
  );
  await sql`
    INSERT INTO comments (tenant_id, story_tenant_id, story_id, author_name, body, status, created_at)
    SELECT tenant_id, tenant_id, id, '读者', '好', 'approved', first_published_at + interval '1 hour' FROM stories WHERE abs(hashtext(id::text)) % 10 = 0`.execute(
    bench.owner,
  );
  await sql`
    INSERT INTO citizen_messages (tenant_id, serial, category, title, body, due_at, status, reply, replied_at, created_at)
    SELECT t.id, 'B' || d || '-' || k, 'complaint', '留言', '留言内容', ts + interval '5 days', 'replied', '已答复',
           ts + CASE WHEN k % 7 = 0 THEN interval '6 days' ELSE interval '2 days' END, ts
      FROM tenants t CROSS JOIN generate_series(0, 360) d CROSS JOIN generate_series(1, 2) k
      CROSS JOIN LATERAL (SELECT ${lo}::timestamptz + d * interval '1 day' AS ts) x`.execute(bench.owner);
  // raw events: the partitions, then YEAR_EVENTS views/reads/shares of the year's stories, every day
  await withPlatform(bench.db, (trx) =>
    sql`SELECT analytics_ensure_partitions(${first}::date, ${last}::date)`.execute(trx),
  );
  const perDay = Math.ceil(YEAR_EVENTS / 365);
  await sql`
    WITH ds AS (
      SELECT (first_published_at AT TIME ZONE 'Asia/Shanghai')::date AS day, id, tenant_id, unit_id,
             row_number() OVER (PARTITION BY (first_published_at AT TIME ZONE 'Asia/Shanghai')::date ORDER BY id) AS rn
        FROM stories WHERE first_published_at >= ${lo}::timestamptz
    ), cnt AS (SELECT day, count(*) AS c FROM ds GROUP BY day)
    INSERT INTO analytics_events (tenant_id, day, event_id, at, kind, story_id, story_tenant_id, unit_id, visitor, path)
    SELECT ds.tenant_id, cnt.day, 'b' || cnt.day || '-' || n, (cnt.day::timestamp AT TIME ZONE 'Asia/Shanghai') + (n % 86000) * interval '1 second',
           CASE WHEN n % 10 < 7 THEN 'view' WHEN n % 10 < 9 THEN 'read' ELSE 'share' END,
           ds.id, ds.tenant_id, ds.unit_id, abs(hashtext(cnt.day || ':' || (n % 3000)))::bigint, '/a/' || ds.id
      FROM cnt CROSS JOIN generate_series(1, ${perDay}) n
      JOIN ds ON ds.day = cnt.day AND ds.rn = 1 + (n::bigint * 7919) % cnt.c
     WHERE cnt.day BETWEEN ${first}::date AND ${last}::date`.execute(bench.owner);
  return { events: perDay * 365, stories: s.rows[0]!.n };
}

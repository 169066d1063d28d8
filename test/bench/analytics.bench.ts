/**
 * Analytics benchmark: ingestion and roll-up on a real PostgreSQL database and Redis.
 *
 *   1. Sustained ingestion. The portal's beacon route (`POST /_b`, with the real Host → face
 *      resolution) runs in a child process; autocannon posts beacons (one event each, a story
 *      view, completion or share, or a page view, spread over 8 faces) for --seconds (default
 *      15) while an AnalyticsWriter in this process moves the Redis stream into the day-partitioned
 *      table. Reported: events accepted per second (2xx answers), events written per second
 *      (until the last accepted event was committed), and events lost = accepted − rows (must
 *      be 0). Then the writer alone: 200,000 events pre-filled in the stream, drained.
 *   2. Roll-up time for 175 tenants × 365 days: the province tree grown to 1 + 17 + 157
 *      tenants, a year of stories, follows, comments, messages and raw events (--events,
 *      default 1,000,000, across every day), then `rollupRange` over the whole year (the
 *      first-run / repair path), and one incremental run (`rollupPending`: one day marked for
 *      every tenant, plus today and yesterday).
 *
 * Run: pnpm bench analytics   or   npx tsx test/bench/analytics.bench.ts [--seconds=N] [--events=N]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { createMemoryCache } from '@yiduan/cache';
import { loadConfig } from '@yiduan/config';
import { addDays, AnalyticsWriter, createRedisBuffer, dayOf, dayStart, parseBeacon, rollupPending, rollupRange, type EventBuffer, type RawEvent } from '@yiduan/core';
import { appUrlFrom, createDb, withDatabase, withPlatform, type DB } from '@yiduan/db';
import { infra } from '@yiduan/http';
import { baseUrl, ensureTemplate, seedDemo, TEST_APP_PASSWORD } from '@yiduan/testkit';
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
const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47';

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
  await app.register(infra, { config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), db, cache: createMemoryCache({ prefix: 'bench:' }) });
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
  const child = fork(file, [], { env: { ...process.env, BENCH_ROLE: 'server', BENCH_APP_URL: appUrl, BENCH_STREAM: stream }, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { type: string; port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`beacon server exited (${code})`)));
  });
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const load0 = loadavg();
  const started = Date.now();
  const bench = await benchDatabase();
  const stream = `yd-bench:analytics:${randomBytes(4).toString('hex')}`;
  const cleanup = createRedisBuffer({ url: REDIS_URL, stream });
  try {
    log(`database ${bench.name}, stream ${stream}`);
    const { tenants } = await seedDemo(bench.db, { withContent: false });
    const demo = Object.values(tenants);
    // stories on every demo face, so story events resolve to an origin and a unit-less story
    const stories = await sql<{ tenant_id: string; id: string }>`
      WITH s AS (
        INSERT INTO stories (tenant_id, kind, status, published_revision, first_published_at, published_at)
        SELECT t.id, 'article', 'published', 1, now() - interval '1 hour', now() - interval '1 hour' FROM tenants t, generate_series(1, 20)
        RETURNING tenant_id, id
      ), p AS (INSERT INTO placements (tenant_id, story_id, origin_tenant_id, mode) SELECT tenant_id, id, tenant_id, 'own' FROM s)
      SELECT tenant_id, id FROM s`.execute(bench.owner);
    const storiesOf = new Map<string, string[]>();
    for (const s of stories.rows) storiesOf.set(s.tenant_id, [...(storiesOf.get(s.tenant_id) ?? []), s.id]);

    // ---- 1. sustained ingestion through HTTP
    const { child, port } = await startServer(bench.appUrl, stream);
    const requests: autocannon.Request[] = [];
    for (const t of demo) {
      for (const [i, id] of (storiesOf.get(t.id) ?? []).entries()) {
        const kind = i % 10 < 7 ? 'v' : i % 10 < 9 ? 'r' : 's';
        requests.push({ method: 'POST', path: '/_b', headers: { host: `${t.slug}.localhost`, 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA }, body: JSON.stringify({ k: kind, p: `/a/${id}`, ...(kind === 's' ? { c: 'wechat' } : {}) }) });
      }
      requests.push({ method: 'POST', path: '/_b', headers: { host: `${t.slug}.localhost`, 'content-type': 'text/plain', 'user-agent': UA }, body: JSON.stringify({ k: 'v', p: '/', r: 'https://www.baidu.com/' }) });
    }
    const buffer = createRedisBuffer({ url: REDIS_URL, stream });
    const writer = new AnalyticsWriter({ db: bench.db, buffer, consumer: 'bench-writer', batchSize: 2000, blockMs: 200, retentionDays: 400 });
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
    const stats = new Promise<number>((resolve) => child.on('message', (m: { type: string; appended: number }) => m.type === 'stats' && resolve(m.appended)));
    child.send({ type: 'stop' });
    const accepted = await stats;
    await new Promise((r) => child.once('exit', r));
    // the writer keeps going until the stream is empty
    while ((await buffer.size()) > 0) await new Promise((r) => setTimeout(r, 100));
    await writer.stop();
    const writtenMs = now() - t0;
    const written = await rows(bench.owner);
    const lost = accepted - written;
    log(`accepted ${accepted} (2xx answers ${answered}) in ${(loadMs / 1000).toFixed(1)} s (${Math.round(accepted / (loadMs / 1000))}/s), non-2xx ${non2xx}; written ${written} by ${(writtenMs / 1000).toFixed(1)} s; lost ${lost}`);

    // ---- writer alone: a backlog drained (as after a worker restart)
    await sql`TRUNCATE analytics_events, analytics_dirty`.execute(bench.owner);
    const at = Date.now();
    const events: RawEvent[] = [];
    for (let i = 0; i < PREFILL; i += 1) {
      const t = demo[i % demo.length]!;
      const ids = storiesOf.get(t.id)!;
      events.push(...parseBeacon({ k: i % 3 ? 'v' : 'r', p: `/a/${ids[i % ids.length]}` }, { tenantId: t.id, ip: `10.${i % 250}.${(i >> 8) % 250}.1`, userAgent: UA, now: at, secret: 'bench' }));
      if (events.length === 10_000) await buffer.append(events.splice(0));
    }
    if (events.length) await buffer.append(events.splice(0));
    const w2 = new AnalyticsWriter({ db: bench.db, buffer, consumer: 'bench-writer-2', batchSize: 5000, retentionDays: 400 });
    const d0 = now();
    const drained = await w2.drain();
    const drainMs = now() - d0;
    const drainLost = PREFILL - (await rows(bench.owner));
    log(`writer alone: ${drained} events in ${(drainMs / 1000).toFixed(2)} s (${Math.round(drained / (drainMs / 1000))}/s), lost ${drainLost}`);
    await buffer.close();

    // ---- 2. roll-ups: 175 tenants × 365 days
    const g0 = now();
    await grow(bench.owner, tenants.henan!.id);
    const tenantCount = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM tenants`.execute(bench.owner)).rows[0]!.n;
    const today = dayOf(Date.now());
    const first = addDays(today, -364);
    const facts = await year(bench, first, today);
    log(`a year of facts for ${tenantCount} tenants in ${((now() - g0) / 1000).toFixed(1)} s: ${JSON.stringify(facts)}`);
    await sql`VACUUM ANALYZE`.execute(bench.owner);
    const r0 = now();
    const full = await rollupRange(bench.db, first, today, { retentionDays: 400 });
    const fullMs = now() - r0;
    const rollRows = (await sql<{ n: number }>`SELECT (SELECT count(*) FROM analytics_tenant_daily) + (SELECT count(*) FROM analytics_unit_daily) + (SELECT count(*) FROM analytics_story_daily) AS n`.execute(bench.owner)).rows[0]!.n;
    log(`full roll-up: ${full.pairs} tenant-days (+ ${full.treePairs} subtree rows) in ${(fullMs / 1000).toFixed(1)} s; ${rollRows} roll-up rows; steps ${JSON.stringify(full.steps)}`);
    // incremental: yesterday marked for every tenant (as the writer would after a busy day)
    await sql`INSERT INTO analytics_dirty (tenant_id, day) SELECT id, ${addDays(today, -2)}::date FROM tenants ON CONFLICT DO NOTHING`.execute(bench.owner);
    const i0 = now();
    const inc = await rollupPending(bench.db, { retentionDays: 400 });
    const incMs = now() - i0;
    log(`incremental run: ${inc?.pairs} pairs in ${incMs.toFixed(0)} ms; steps ${JSON.stringify(inc?.steps)}`);
    // figures still add up after both paths: the province's subtree = the sum of everyone's own
    const check = await withPlatform(bench.db, (trx) =>
      sql<{ own: number; tree: number }>`SELECT (SELECT sum(views) FROM analytics_tenant_daily WHERE scope = 'own')::bigint AS own,
        (SELECT sum(views) FROM analytics_tenant_daily WHERE scope = 'tree' AND tenant_id = ${tenants.henan!.id})::bigint AS tree`.execute(trx),
    );
    const sums = check.rows[0]!;

    const load1 = loadavg();
    const r = {
      seconds: SECONDS,
      connections: 32,
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
    const markdown = [
      '| measure | value |',
      '| --- | --- |',
      `| beacons (1 event each), ${r.connections} connections, ${r.seconds} s | ${r.acceptedEvents.toLocaleString('en')} accepted, **${r.acceptedPerSec.toLocaleString('en')}/s** (p50 ${r.latencyP50Ms} ms, p99 ${r.latencyP99Ms} ms), non-2xx ${r.non2xx} |`,
      `| written to PostgreSQL (same run, until the last accepted event committed) | ${r.writtenEvents.toLocaleString('en')}, **${r.writtenPerSec.toLocaleString('en')}/s** (stream empty ${r.drainSeconds} s after the load ended) |`,
      `| **events lost** (accepted − rows) | **${r.lost}** |`,
      `| writer alone: backlog of ${PREFILL.toLocaleString('en')} events in the stream | **${r.writerAlonePerSec.toLocaleString('en')}/s**, lost ${r.writerAloneLost} |`,
      `| roll-up, ${r.tenants} tenants × 365 days (full recompute: story, unit, tenant and subtree rows) | **${r.rollupFullSeconds} s** for ${r.rollupTenantDays.toLocaleString('en')} tenant-days, ${r.rawEvents.toLocaleString('en')} raw events, ${r.stories.toLocaleString('en')} stories → ${r.rollupRows.toLocaleString('en')} rows |`,
      `| incremental roll-up (one day marked for every tenant + today and yesterday) | **${r.rollupIncrementalMs} ms** |`,
      `| province subtree = sum of every tenant's own views | ${r.provinceTreeEqualsSumOfOwn ? 'yes' : 'NO'} |`,
    ].join('\n');
    const notes = [
      'The beacon server (the portal\'s real `/_b` route with Host → face resolution, Redis stream buffer) runs in a child process; autocannon and the writer share this one. Two cores for the three.',
      'Accepted = events the beacon route handed to the Redis stream (counted by the server; autocannon\'s 2xx count misses the requests still in flight when it stops). Lost = accepted − rows in analytics_events once the stream is empty (the writer acknowledges only after COMMIT; a re-delivered entry is ignored by the primary key).',
      `Machine: 2 cores, shared (load average 1/5/15 min ${load0.map((x) => x.toFixed(1)).join('/')} at start, ${load1.map((x) => x.toFixed(1)).join('/')} at end); bench total ${Math.round((Date.now() - started) / 1000)} s.`,
    ];
    console.log(`\n${markdown}\n`);
    const outDir = new URL('./results/', import.meta.url);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(new URL('analytics.json', outDir), JSON.stringify({ ...r, markdown, notes, date: new Date().toISOString(), node: process.version }, null, 2) + '\n');
    if (r.lost !== 0 || r.writerAloneLost !== 0) process.exitCode = 1;
  } finally {
    await cleanup.clear();
    await cleanup.close();
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
      JOIN LATERAL (SELECT id FROM tenants WHERE level = 'city' ORDER BY slug OFFSET (i % 17) LIMIT 1) c ON true`.execute(owner);
  await sql`
    INSERT INTO units (tenant_id, slug, name, kind)
    SELECT t.id, 'unit-' || i, '单位' || i, 'bureau' FROM tenants t, generate_series(1, 8) i WHERE t.level = 'county'
    ON CONFLICT DO NOTHING`.execute(owner);
}

/** A year of everything the roll-up reads, spread over every tenant and day. */
async function year(bench: { owner: DB; db: DB }, first: string, last: string): Promise<{ events: number; stories: number }> {
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
  await sql`INSERT INTO citizens (phone, display_name) SELECT '139' || lpad(i::text, 8, '0'), '市民' || i FROM generate_series(1, 20000) i`.execute(bench.owner);
  await sql`
    INSERT INTO memberships (tenant_id, citizen_id, created_at, ended_at)
    SELECT t.id, c.id, ${lo}::timestamptz + ((abs(hashtext(t.id::text || c.id::text)) % 364) * interval '1 day'),
           CASE WHEN abs(hashtext(c.id::text || t.id::text)) % 5 = 0 THEN ${lo}::timestamptz + interval '364 days' END
      FROM tenants t JOIN LATERAL (SELECT id FROM citizens ORDER BY id OFFSET (abs(hashtext(t.id::text)) % 19000) LIMIT 600) c ON true`.execute(bench.owner);
  await sql`
    INSERT INTO comments (tenant_id, story_tenant_id, story_id, author_name, body, status, created_at)
    SELECT tenant_id, tenant_id, id, '读者', '好', 'approved', first_published_at + interval '1 hour' FROM stories WHERE abs(hashtext(id::text)) % 10 = 0`.execute(bench.owner);
  await sql`
    INSERT INTO citizen_messages (tenant_id, serial, category, title, body, due_at, status, reply, replied_at, created_at)
    SELECT t.id, 'B' || d || '-' || k, 'complaint', '留言', '留言内容', ts + interval '5 days', 'replied', '已答复',
           ts + CASE WHEN k % 7 = 0 THEN interval '6 days' ELSE interval '2 days' END, ts
      FROM tenants t CROSS JOIN generate_series(0, 360) d CROSS JOIN generate_series(1, 2) k
      CROSS JOIN LATERAL (SELECT ${lo}::timestamptz + d * interval '1 day' AS ts) x`.execute(bench.owner);
  // raw events: the partitions, then YEAR_EVENTS views/reads/shares of the year's stories, every day
  await withPlatform(bench.db, (trx) => sql`SELECT analytics_ensure_partitions(${first}::date, ${last}::date)`.execute(trx));
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

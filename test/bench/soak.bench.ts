/**
 * Load and soak: the real services in one process on ephemeral ports, on a throwaway database
 * seeded with the demo province, under mixed traffic for a while; reports the error rate, read
 * latency, how long a published (and a pushed) story takes to show, the outbox backlog, and
 * memory growth (RSS and heap, sampled every 10 s, slope in MB/min).
 *
 *   services  portal and api (their `build`, listening on 127.0.0.1:0), the worker (`startWorker`:
 *             the outbox consumer with the default registry and LISTEN, plus the analytics writer
 *             draining the beacon buffer), a Redis cache with a prefix of its own
 *   traffic   readers (keep-alive HTTP, Host headers of the eight faces) over home, section, story,
 *             search and RSS pages plus deliberately missing pages (404, counted apart); beacons
 *             `POST /_b` without pause; a story published through GraphQL (review chain of the
 *             demo accounts) every ~5 s on a county or city face; a provincial story pushed to
 *             every county every ~10 s; a citizen's comment every ~2 s (core: withCitizen +
 *             postComment, as the portal's route does)
 *   fails     when more than 0.1 % of requests fail (5xx, network errors, unexpected statuses)
 *             or any outbox event is dead
 *
 * The load generator shares the process (and its memory figures) with the services: the growth
 * measured is that of services plus load generator, which keeps no per-request state beyond
 * latency samples (a number each).
 *
 * Run: pnpm bench soak (60 s)   or   pnpm bench soak --soak (600 s)   or   SOAK_SECONDS=120 npx tsx test/bench/soak.bench.ts
 * Options: --seconds=N, --readers=N (default 6). Re-executes itself with --expose-gc.
 */
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { build as buildApi } from '@yiduan/api';
import { createRedisCache, type Cache } from '@yiduan/cache';
import { loadConfig } from '@yiduan/config';
import { checkerFor, faceFeed, postComment } from '@yiduan/core';
import { LocalDiskStorage } from '@yiduan/storage';
import { createDb, withCitizen, withPublic, withTenant, type DB } from '@yiduan/db';
import { DEMO_PASSWORD } from '@yiduan/demo';
import { build as buildPortal } from '@yiduan/portal';
import { createTestDatabase, seedDemo } from '@yiduan/testkit';
import { silentLogger, startWorker } from '@yiduan/worker';
import { fmt, now, option, quantile, readPrevious, REDIS_URL, round, sleep, writeResult } from './lib/kit.js';

// ------------------------------------------------------------------ settings

function seconds(): number {
  if (process.argv.some((a) => a.startsWith('--seconds='))) return option('seconds', 60);
  if (process.env.SOAK_SECONDS && Number(process.env.SOAK_SECONDS) > 0) return Number(process.env.SOAK_SECONDS);
  return process.argv.includes('--soak') ? 600 : 60;
}

const log = (m: string): void => console.log(`[soak] ${new Date().toISOString().slice(11, 19)} ${m}`);
const gc = (): void => {
  for (let i = 0; i < 3; i++) globalThis.gc?.();
};
const mb = (b: number): number => round(b / 2 ** 20, 1);

const COUNTIES = ['guancheng', 'ruyang', 'yichuan', 'zhecheng'];
const CITIES = ['zhengzhou', 'luoyang', 'shangqiu'];
const FACES = ['henan', ...CITIES, ...COUNTIES];
const SECTIONS = ['bendi', 'zhengwu', 'minsheng', 'wenlv'];
const SEARCH_TERMS = ['会议', '乡村振兴', '文旅', '民生', '汝阳', '项目', '群众', '发展'];

// ------------------------------------------------------------------ counters

type Kind = 'home' | 'section' | 'story' | 'search' | 'rss' | 'missing' | 'beacon' | 'probe' | 'graphql' | 'comment';

interface Tally {
  count: number;
  ok: number;
  /** 404 where a 404 is the right answer */
  notFound: number;
  serverErrors: number;
  networkErrors: number;
  /** any other status than the expected one (a 404 on a page that exists, a 4xx, a GraphQL error…) */
  unexpected: number;
  latencies: number[];
  samples: string[];
}

const tallies = new Map<Kind, Tally>();
function tally(kind: Kind): Tally {
  let t = tallies.get(kind);
  if (!t)
    tallies.set(
      kind,
      (t = {
        count: 0,
        ok: 0,
        notFound: 0,
        serverErrors: 0,
        networkErrors: 0,
        unexpected: 0,
        latencies: [],
        samples: [],
      }),
    );
  return t;
}
function sample(t: Tally, what: string): void {
  if (t.samples.length < 5) t.samples.push(what.slice(0, 300));
}

// ------------------------------------------------------------------ HTTP

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

interface Res {
  status: number;
  body: string;
}

function http(
  port: number,
  opts: { method?: string; path: string; host?: string; body?: string; headers?: Record<string, string> },
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: {
          ...(opts.host ? { host: opts.host } : {}),
          'user-agent': 'Mozilla/5.0 (soak bench)',
          ...opts.headers,
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

/** One measured request: `expect` is the right status (404 for missing pages). */
async function measured(
  kind: Kind,
  port: number,
  opts: Parameters<typeof http>[1],
  expect: (s: number) => boolean,
): Promise<Res | null> {
  const t = tally(kind);
  t.count++;
  const t0 = now();
  try {
    const r = await http(port, opts);
    t.latencies.push(now() - t0);
    if (r.status >= 500) {
      t.serverErrors++;
      sample(t, `${r.status} ${opts.host ?? ''}${opts.path}: ${r.body.slice(0, 200)}`);
    } else if (!expect(r.status)) {
      t.unexpected++;
      sample(t, `${r.status} ${opts.host ?? ''}${opts.path}: ${r.body.slice(0, 200)}`);
    } else if (r.status === 404) t.notFound++;
    else t.ok++;
    return r;
  } catch (err) {
    t.networkErrors++;
    sample(t, `${opts.host ?? ''}${opts.path}: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

// ------------------------------------------------------------------ GraphQL desks

interface GqlResult<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

function gqlClient(port: number, token: string | null) {
  return async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const r = await measured(
      'graphql',
      port,
      {
        method: 'POST',
        path: '/graphql',
        body: JSON.stringify({ query, variables }),
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (s) => s === 200,
    );
    if (!r) throw new Error('graphql: network error');
    const body = JSON.parse(r.body) as GqlResult<T>;
    if (body.errors?.length || !body.data) {
      const t = tally('graphql');
      if (r.status === 200) {
        t.unexpected++;
        t.ok--;
      }
      sample(t, `graphql error: ${JSON.stringify(body.errors).slice(0, 300)}`);
      throw new Error(`graphql: ${JSON.stringify(body.errors)}`);
    }
    return body.data;
  };
}

type Gql = ReturnType<typeof gqlClient>;

async function desk(port: number, slug: string, tenantId: string) {
  const login = async (who: string): Promise<Gql> => {
    const d = await gqlClient(port, null)<{ login: { token: string } }>(
      `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
      { l: `${slug}-${who}`, p: DEMO_PASSWORD },
    );
    return gqlClient(port, d.login.token);
  };
  const [reporter, editor, reviewer, chief] = [
    await login('reporter'),
    await login('editor'),
    await login('reviewer'),
    await login('chief'),
  ];
  const signer: Record<string, Gql> = { EDITOR: editor, REVIEWER: reviewer, CHIEF_EDITOR: chief };
  return {
    async publish(title: string, sharePolicy: 'UP' | 'DOWN' | 'NONE' = 'UP'): Promise<string> {
      const c = await reporter<{ createStory: { story: { id: string } } }>(
        `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`,
        {
          t: tenantId,
          i: {
            kind: 'ARTICLE',
            content: {
              title,
              body: [
                {
                  type: 'paragraph',
                  text: `${title}。会议强调，要坚持稳中求进工作总基调，压实责任，狠抓落实，确保各项任务按期完成。`,
                },
              ],
            },
          },
        },
      );
      const s = c.createStory.story.id;
      if (sharePolicy !== 'UP')
        await editor(
          `mutation($t: ID!, $s: ID!, $p: SharePolicy!) { setSharePolicy(tenantId: $t, storyId: $s, policy: $p) { story { id } } }`,
          { t: tenantId, s, p: sharePolicy },
        );
      const sub = await reporter<{ submitStory: { story: { review: { steps: string[] } | null } } }>(
        `mutation($t: ID!, $s: ID!) { submitStory(tenantId: $t, id: $s) { story { review { steps } } } }`,
        { t: tenantId, s },
      );
      for (const role of sub.submitStory.story.review?.steps ?? []) {
        await signer[role]!(`mutation($t: ID!, $s: ID!) { approveStory(tenantId: $t, id: $s) { story { id } } }`, {
          t: tenantId,
          s,
        });
      }
      const p = await editor<{ publishStory: { story: { status: string } } }>(
        `mutation($t: ID!, $s: ID!) { publishStory(tenantId: $t, id: $s) { story { status } } }`,
        { t: tenantId, s },
      );
      if (p.publishStory.story.status !== 'PUBLISHED') throw new Error(`not published: ${p.publishStory.story.status}`);
      return s;
    },
    async pushToCounties(storyId: string): Promise<void> {
      await editor(
        `mutation($t: ID!, $s: ID!, $i: PushInput!) { pushStory(tenantId: $t, storyId: $s, input: $i) { id total } }`,
        { t: tenantId, s: storyId, i: { scope: 'LEVEL', level: 'COUNTY', mandatory: true, sectionSlug: 'zhengwu' } },
      );
    },
  };
}

// ------------------------------------------------------------------ figures

interface Visibility {
  ms: number[];
  timeouts: number;
}
const vis = (): Visibility => ({ ms: [], timeouts: 0 });

function slope(points: readonly { t: number; v: number }[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.t, 0) / n;
  const my = points.reduce((a, p) => a + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mx) * (p.v - my);
    den += (p.t - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

interface RunFigures {
  seconds: number;
  readers: number;
  requests: number;
  requestsPerSecond: number;
  errors: number;
  errorRatePct: number;
  notFoundExpected: number;
  byKind: Record<
    string,
    {
      count: number;
      ok: number;
      notFound: number;
      serverErrors: number;
      networkErrors: number;
      unexpected: number;
      p50Ms: number;
      p99Ms: number;
    }
  >;
  readP50Ms: number;
  readP99Ms: number;
  published: number;
  publishVisibleP50Ms: number;
  publishVisibleMaxMs: number;
  publishTimeouts: number;
  pushed: number;
  pushVisibleP50Ms: number;
  pushVisibleMaxMs: number;
  pushTimeouts: number;
  comments: number;
  commentErrors: number;
  outboxAtEnd: Outbox;
  outboxDrained: Outbox;
  drainMs: number;
  analyticsRows: number;
  memory: {
    startRssMb: number;
    startHeapMb: number;
    endRssMb: number;
    endHeapMb: number;
    rssSlopeMbPerMin: number;
    heapSlopeMbPerMin: number;
    samples: { s: number; rssMb: number; heapMb: number }[];
  };
  loadAverage: string;
  measuredAt: string;
  failed: string[];
}

// ------------------------------------------------------------------ outbox

interface Outbox {
  /** pending and due now: the backlog */
  pending: number;
  /** pending but scheduled later (scheduled jobs, retries after a backoff) */
  later: number;
  done: number;
  dead: number;
}

async function outbox(owner: DB): Promise<Outbox> {
  const r =
    await sql<Outbox>`SELECT count(*) FILTER (WHERE status = 'pending' AND available_at <= now())::int AS pending,
      count(*) FILTER (WHERE status = 'pending' AND available_at > now())::int AS later,
      count(*) FILTER (WHERE status = 'done')::int AS done,
      count(*) FILTER (WHERE status = 'dead')::int AS dead FROM outbox`.execute(owner);
  return r.rows[0]!;
}

// ------------------------------------------------------------------ main

async function main(): Promise<number> {
  const SECONDS = seconds();
  const READERS = Math.round(option('readers', 6));
  const label = SECONDS >= 600 ? 'soak' : 'default';
  log(`${SECONDS} s of mixed traffic, ${READERS} readers (run "${label}")`);

  const tdb = await createTestDatabase();
  const prefix = `yd:bench:soak:${process.pid}:`;
  const storage = await mkdtemp(join(tmpdir(), 'yd-soak-'));
  const closers: (() => Promise<unknown>)[] = [];
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    let t0 = now();
    const seeded = await seedDemo(tdb.db);
    const tenants = seeded.tenants;
    log(`demo province seeded in ${fmt((now() - t0) / 1000)} s (${Object.keys(tenants).length} faces)`);

    // REDIS_URL stays out of the config: the beacon buffer is then the process's memory buffer,
    // shared by the portal (appending) and the worker's analytics writer (draining), as in
    // `pnpm start`; no shared Redis stream is touched. The cache is Redis, with our own prefix.
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const service = (name: string): { db: DB; cache: Cache } => {
      const db = createDb(tdb.appUrl, { max: 10, applicationName: `yiduan-soak-${name}`, onError: () => {} });
      const cache = createRedisCache({ url: REDIS_URL, prefix });
      closers.push(
        () => db.destroy(),
        () => cache.close(),
      );
      return { db, cache };
    };
    const p = service('portal');
    const a = service('api');
    const w = service('worker');
    const c = service('citizens');
    const portal = await buildPortal(
      { config, db: p.db, readDb: p.db, cache: p.cache },
      { storage: new LocalDiskStorage(storage) },
    );
    const api = await buildApi({ config, db: a.db, readDb: a.db, cache: a.cache });
    closers.unshift(
      () => portal.close(),
      () => api.close(),
    );
    await portal.listen({ host: '127.0.0.1', port: 0 });
    await api.listen({ host: '127.0.0.1', port: 0 });
    const worker = await startWorker({
      config,
      db: w.db,
      readDb: w.db,
      cache: w.cache,
      listenUrl: tdb.appUrl,
      log: silentLogger,
      analytics: true,
    });
    closers.unshift(() => worker.stop());
    const portalPort = (portal.server.address() as AddressInfo).port;
    const apiPort = (api.server.address() as AddressInfo).port;
    log(`portal on :${portalPort}, api on :${apiPort}, worker consuming`);

    // the seed's events go through the worker first
    t0 = now();
    for (;;) {
      const s = await outbox(tdb.owner);
      if (s.pending === 0 || now() - t0 > 120_000) break;
      await sleep(500);
    }
    log(`seed's outbox drained in ${fmt((now() - t0) / 1000)} s`);

    // what the readers read: the newest stories of every face
    const stories = new Map<string, string[]>();
    for (const slug of FACES) {
      const feed = await withPublic(w.db, (trx) => faceFeed(trx, tenants[slug]!.id, { limit: 30 }));
      stories.set(
        slug,
        feed.map((s) => s.storyId),
      );
    }
    const citizens = await tdb.owner
      .selectFrom('citizens')
      .select(['id', 'display_name'])
      .orderBy('created_at')
      .execute();
    log(`${[...stories.values()].reduce((n, s) => n + s.length, 0)} stories to read, ${citizens.length} citizens`);

    const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;
    const readOnce = async (): Promise<void> => {
      const slug = pick(FACES);
      const host = `${slug}.localhost`;
      const r = Math.random();
      if (r < 0.25) await measured('home', portalPort, { path: '/', host }, (s) => s === 200);
      else if (r < 0.45)
        await measured('section', portalPort, { path: `/s/${pick(SECTIONS)}`, host }, (s) => s === 200);
      else if (r < 0.8) {
        const list = stories.get(slug)!;
        if (list.length) await measured('story', portalPort, { path: `/a/${pick(list)}`, host }, (s) => s === 200);
      } else if (r < 0.9)
        await measured(
          'search',
          portalPort,
          { path: `/search?q=${encodeURIComponent(pick(SEARCH_TERMS))}`, host },
          (s) => s === 200,
        );
      else if (r < 0.95) await measured('rss', portalPort, { path: '/rss.xml', host }, (s) => s === 200);
      else
        await measured(
          'missing',
          portalPort,
          { path: Math.random() < 0.5 ? `/a/${randomUUID()}` : '/s/no-such-section', host },
          (s) => s === 404,
        );
    };

    const desks = new Map<string, Awaited<ReturnType<typeof desk>>>();
    for (const slug of ['henan', ...CITIES, ...COUNTIES]) desks.set(slug, await desk(apiPort, slug, tenants[slug]!.id));
    log('signed in the desks of every face (reporter, editor, reviewer, chief)');

    const probe = async (slug: string, title: string): Promise<boolean> => {
      const r = await measured('probe', portalPort, { path: '/', host: `${slug}.localhost` }, (s) => s === 200);
      return r !== null && r.status === 200 && r.body.includes(title);
    };
    /** ms from `from` until every face shows the title, polling every 100 ms; null after 60 s */
    const visibleOn = async (slugs: readonly string[], title: string, from: number): Promise<number | null> => {
      let waiting = [...slugs];
      while (waiting.length) {
        if (now() - from > 60_000) return null;
        const still: string[] = [];
        for (const s of waiting) if (!(await probe(s, title))) still.push(s);
        waiting = still;
        if (waiting.length) await sleep(100);
      }
      return now() - from;
    };

    // ---------------------------------------------------------------- warm-up
    const warmEnd = now() + 10_000;
    await Promise.all(
      Array.from({ length: READERS }, async () => {
        while (now() < warmEnd) await readOnce();
      }),
    );
    tallies.clear();
    gc();
    const samples: { s: number; rssMb: number; heapMb: number }[] = [];
    const start = now();
    const takeSample = (): void => {
      gc();
      const m = process.memoryUsage();
      samples.push({ s: round((now() - start) / 1000, 1), rssMb: mb(m.rss), heapMb: mb(m.heapUsed) });
    };
    takeSample();
    log(`warm; memory at start: RSS ${samples[0]!.rssMb} MB, heap ${samples[0]!.heapMb} MB`);

    // ---------------------------------------------------------------- traffic
    const end = start + SECONDS * 1000;
    const running = (): boolean => now() < end;
    const published = vis();
    const pushed = vis();
    let comments = 0;
    let commentErrors = 0;
    let nPublished = 0;
    let nPushed = 0;
    const inFlight: Promise<unknown>[] = [];

    const sampler = setInterval(takeSample, 10_000);
    const progress = setInterval(() => {
      const total = [...tallies.values()].reduce((n, t) => n + t.count, 0);
      log(
        `${round((now() - start) / 1000, 0)} s: ${total} requests, ${nPublished} published, ${nPushed} pushed, ${comments} comments, RSS ${samples.at(-1)?.rssMb} MB`,
      );
    }, 30_000);

    const readers = Array.from({ length: READERS }, async () => {
      while (running()) await readOnce();
    });
    const beacons = (async () => {
      while (running()) {
        const slug = pick(FACES);
        const list = stories.get(slug)!;
        const path = list.length && Math.random() < 0.7 ? `/a/${pick(list)}` : '/';
        const body =
          Math.random() < 0.5
            ? JSON.stringify({ k: 'v', p: path, r: null })
            : JSON.stringify([
                { k: 'v', p: path, r: 'https://www.baidu.com/' },
                { k: 'r', p: path, d: 20 + Math.floor(Math.random() * 60) },
              ]);
        await measured(
          'beacon',
          portalPort,
          { method: 'POST', path: '/_b', host: `${slug}.localhost`, body, headers: { 'content-type': 'text/plain' } },
          (s) => s === 204,
        );
        await sleep(20);
      }
    })();
    const publisher = (async () => {
      let i = 0;
      const faces = [...COUNTIES, ...CITIES];
      while (running()) {
        const next = now() + 5_000;
        const slug = faces[i % faces.length]!;
        const title = `浸泡测试稿件${slug}第${++i}号`;
        try {
          await desks.get(slug)!.publish(title);
          nPublished++;
          const t = now();
          inFlight.push(
            visibleOn([slug], title, t).then((ms) => {
              if (ms === null) published.timeouts++;
              else published.ms.push(ms);
            }),
          );
        } catch (err) {
          log(`publish failed: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`);
        }
        await sleep(Math.max(0, next - now()));
      }
    })();
    const pusher = (async () => {
      let i = 0;
      while (running()) {
        const next = now() + 10_000;
        const title = `全省浸泡测试推送第${++i}号`;
        try {
          const d = desks.get('henan')!;
          const id = await d.publish(title, 'DOWN');
          const t = now();
          await d.pushToCounties(id);
          nPushed++;
          inFlight.push(
            visibleOn(COUNTIES, title, t).then((ms) => {
              if (ms === null) pushed.timeouts++;
              else pushed.ms.push(ms);
            }),
          );
        } catch (err) {
          log(`push failed: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`);
        }
        await sleep(Math.max(0, next - now()));
      }
    })();
    const commenter = (async () => {
      let i = 0;
      const faces = [...COUNTIES, ...CITIES];
      while (running()) {
        const next = now() + 2_000;
        const slug = faces[i % faces.length]!;
        const citizen = citizens[i % citizens.length]!;
        i++;
        const faceId = tenants[slug]!.id;
        const list = stories.get(slug)!;
        const t = tally('comment');
        t.count++;
        const t1 = now();
        try {
          const checker = await withTenant(c.db, faceId, (trx) => checkerFor(trx, faceId));
          await withCitizen(c.db, citizen.id, (trx) =>
            postComment(trx, c.cache, {
              faceTenantId: faceId,
              storyId: pick(list),
              citizen,
              body: `浸泡测试评论第${i}条：支持家乡发展，点赞！`,
              checker,
            }),
          );
          t.ok++;
          comments++;
        } catch (err) {
          t.unexpected++;
          commentErrors++;
          sample(t, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
        }
        t.latencies.push(now() - t1);
        await sleep(Math.max(0, next - now()));
      }
    })();

    await Promise.all([...readers, beacons, publisher, pusher, commenter]);
    clearInterval(sampler);
    clearInterval(progress);
    await Promise.all(inFlight);
    const outboxAtEnd = await outbox(tdb.owner);
    gc();
    takeSample();
    const trafficSeconds = (now() - start) / 1000;
    t0 = now();
    let outboxDrained = outboxAtEnd;
    while (outboxDrained.pending > 0 && now() - t0 < 120_000) {
      await sleep(250);
      outboxDrained = await outbox(tdb.owner);
    }
    const drainMs = now() - t0;
    const analyticsRows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM analytics_events`
      .execute(tdb.owner)
      .then((r) => r.rows[0]?.n ?? 0)
      .catch(() => -1);

    // ---------------------------------------------------------------- figures
    const byKind: RunFigures['byKind'] = {};
    let requests = 0;
    let errors = 0;
    let notFoundExpected = 0;
    const reads: number[] = [];
    for (const [kind, t] of [...tallies.entries()].sort()) {
      byKind[kind] = {
        count: t.count,
        ok: t.ok,
        notFound: t.notFound,
        serverErrors: t.serverErrors,
        networkErrors: t.networkErrors,
        unexpected: t.unexpected,
        p50Ms: round(quantile(t.latencies, 0.5), 2),
        p99Ms: round(quantile(t.latencies, 0.99), 2),
      };
      requests += t.count;
      errors += t.serverErrors + t.networkErrors + t.unexpected;
      notFoundExpected += t.notFound;
      if (['home', 'section', 'story', 'search', 'rss'].includes(kind)) for (const x of t.latencies) reads.push(x); // no spread: hundreds of thousands of arguments overflow the stack
      if (t.samples.length) log(`${kind} problems: ${t.samples.join(' | ')}`);
    }
    const first = samples[0]!;
    const last = samples.at(-1)!;
    const errorRatePct = requests ? round((errors / requests) * 100, 4) : 0;
    const failed: string[] = [];
    if (errorRatePct > 0.1) failed.push(`error rate ${errorRatePct} % > 0.1 %`);
    if (outboxDrained.dead > 0) failed.push(`${outboxDrained.dead} dead outbox events`);
    if (outboxDrained.pending + outboxDrained.dead > 0) {
      const left = await tdb.owner
        .selectFrom('outbox')
        .select(['topic', 'status', 'attempts', 'available_at', 'last_error'])
        .where('status', '!=', 'done')
        .limit(10)
        .execute();
      log(`outbox left: ${JSON.stringify(left).slice(0, 1500)}`);
    }
    if (outboxDrained.pending > 0)
      failed.push(`${outboxDrained.pending} outbox events still pending after 120 s of draining`);
    const figures: RunFigures = {
      seconds: round(trafficSeconds, 1),
      readers: READERS,
      requests,
      requestsPerSecond: round(requests / trafficSeconds, 1),
      errors,
      errorRatePct,
      notFoundExpected,
      byKind,
      readP50Ms: round(quantile(reads, 0.5), 2),
      readP99Ms: round(quantile(reads, 0.99), 2),
      published: nPublished,
      publishVisibleP50Ms: round(quantile(published.ms, 0.5), 0),
      publishVisibleMaxMs: round(published.ms.length ? Math.max(...published.ms) : Number.NaN, 0),
      publishTimeouts: published.timeouts,
      pushed: nPushed,
      pushVisibleP50Ms: round(quantile(pushed.ms, 0.5), 0),
      pushVisibleMaxMs: round(pushed.ms.length ? Math.max(...pushed.ms) : Number.NaN, 0),
      pushTimeouts: pushed.timeouts,
      comments,
      commentErrors,
      outboxAtEnd,
      outboxDrained,
      drainMs: round(drainMs, 0),
      analyticsRows,
      memory: {
        startRssMb: first.rssMb,
        startHeapMb: first.heapMb,
        endRssMb: last.rssMb,
        endHeapMb: last.heapMb,
        rssSlopeMbPerMin: round(slope(samples.map((s) => ({ t: s.s / 60, v: s.rssMb }))), 2),
        heapSlopeMbPerMin: round(slope(samples.map((s) => ({ t: s.s / 60, v: s.heapMb }))), 2),
        samples,
      },
      loadAverage: loadavg()
        .map((x) => x.toFixed(2))
        .join(' / '),
      measuredAt: new Date().toISOString(),
      failed,
    };
    log(
      `${requests} requests (${figures.requestsPerSecond}/s), ${errors} errors (${errorRatePct} %), reads p50 ${fmt(figures.readP50Ms)} ms p99 ${fmt(figures.readP99Ms)} ms; ` +
        `published ${nPublished} (visible p50 ${fmt(figures.publishVisibleP50Ms)} ms), pushed ${nPushed} (all counties p50 ${fmt(figures.pushVisibleP50Ms)} ms); ` +
        `outbox at end ${JSON.stringify(outboxAtEnd)}, drained ${JSON.stringify(outboxDrained)}; RSS ${first.rssMb} → ${last.rssMb} MB (${figures.memory.rssSlopeMbPerMin} MB/min), heap ${first.heapMb} → ${last.heapMb} MB (${figures.memory.heapSlopeMbPerMin} MB/min)`,
    );

    const previous = readPrevious<{ runs?: Record<string, RunFigures> }>('soak');
    const runs: Record<string, RunFigures> = { ...(previous?.runs ?? {}), [label]: figures };
    writeResult('soak', { runs, markdown: markdown(runs), notes: notes() });
    log(failed.length ? `FAILED: ${failed.join('; ')}` : 'passed (error rate ≤ 0.1 %, no dead events)');
    return failed.length ? 1 : 0;
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    agent.destroy();
    await rm(storage, { recursive: true, force: true });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    } catch {
      // best effort: the keys expire anyway
    }
    redis.disconnect();
    await tdb.close();
  }
}

// ------------------------------------------------------------------ markdown

function markdown(runs: Record<string, RunFigures>): string {
  const cols = Object.entries(runs).sort(([x], [y]) =>
    x === 'default' ? -1 : y === 'default' ? 1 : x.localeCompare(y),
  );
  const head = `| measure | ${cols.map(([k, r]) => `${k === 'soak' ? '`--soak`' : '`pnpm bench soak`'} (${fmt(r.seconds)} s, ${r.measuredAt.slice(0, 16).replace('T', ' ')})`).join(' | ')} |`;
  const lines = [head, `| --- | ${cols.map(() => '---').join(' | ')} |`];
  const row = (label: string, f: (r: RunFigures) => string): void => {
    lines.push(`| ${label} | ${cols.map(([, r]) => f(r)).join(' | ')} |`);
  };
  const ms = (x: number): string => (Number.isFinite(x) ? `${fmt(x)} ms` : 'n/a');
  row('requests (per second)', (r) => `${r.requests.toLocaleString('en-US')} (${fmt(r.requestsPerSecond)}/s)`);
  const kinds = [...new Set(cols.flatMap(([, r]) => Object.keys(r.byKind)))].sort();
  for (const k of kinds)
    row(`&nbsp;&nbsp;${k}: count, p50 / p99`, (r) =>
      r.byKind[k]
        ? `${r.byKind[k].count.toLocaleString('en-US')}, ${ms(r.byKind[k].p50Ms)} / ${ms(r.byKind[k].p99Ms)}`
        : '',
    );
  row('errors (5xx, network, unexpected status)', (r) => `${r.errors} (${r.errorRatePct} %)`);
  row('404 on deliberately missing pages', (r) => String(r.notFoundExpected));
  row('reads p50 / p99 (home, section, story, search, RSS)', (r) => `${ms(r.readP50Ms)} / ${ms(r.readP99Ms)}`);
  row(
    'stories published via GraphQL; on their face after (p50 / max)',
    (r) =>
      `${r.published}; ${ms(r.publishVisibleP50Ms)} / ${ms(r.publishVisibleMaxMs)}${r.publishTimeouts ? `, ${r.publishTimeouts} not within 60 s` : ''}`,
  );
  row(
    'pushes to all counties; on all 4 after (p50 / max)',
    (r) =>
      `${r.pushed}; ${ms(r.pushVisibleP50Ms)} / ${ms(r.pushVisibleMaxMs)}${r.pushTimeouts ? `, ${r.pushTimeouts} not within 60 s` : ''}`,
  );
  row('comments posted (errors)', (r) => `${r.comments} (${r.commentErrors})`);
  row('analytics events written by the worker', (r) =>
    r.analyticsRows >= 0 ? r.analyticsRows.toLocaleString('en-US') : 'n/a',
  );
  row(
    'outbox at end of traffic: pending (due) / scheduled later / dead',
    (r) => `${r.outboxAtEnd.pending} / ${r.outboxAtEnd.later} / ${r.outboxAtEnd.dead}`,
  );
  row(
    'outbox after draining: pending (due) / scheduled later / dead (drain time)',
    (r) => `${r.outboxDrained.pending} / ${r.outboxDrained.later} / ${r.outboxDrained.dead} (${ms(r.drainMs)})`,
  );
  row(
    'RSS start → end (slope)',
    (r) => `${r.memory.startRssMb} → ${r.memory.endRssMb} MB (${r.memory.rssSlopeMbPerMin} MB/min)`,
  );
  row(
    'heap used start → end (slope)',
    (r) => `${r.memory.startHeapMb} → ${r.memory.endHeapMb} MB (${r.memory.heapSlopeMbPerMin} MB/min)`,
  );
  row('load average (1 / 5 / 15 min) at end', (r) => r.loadAverage);
  row('verdict', (r) => (r.failed.length ? `**failed**: ${r.failed.join('; ')}` : 'passed'));
  return lines.join('\n');
}

function notes(): string[] {
  return [
    `All services in one process (${availableParallelism()} cores shared with PostgreSQL, Redis and the load generator): portal and api listening on ephemeral ports, the worker consuming the outbox (LISTEN, default registry) and writing the beacons' analytics events; a Redis cache with its own prefix; a throwaway database with the demo province.`,
    "Readers: keep-alive HTTP with the faces' Host headers, closed loop (no think time): 25 % home, 20 % section, 35 % story, 10 % search, 5 % RSS, 5 % deliberately missing pages (404 expected, counted apart). Beacons: one sender, 20 ms apart. Publish: every ~5 s on a county or city face through GraphQL and the full review chain; push: a provincial story every ~10 s, mandatory to every county; comments: every ~2 s (core, citizen scope).",
    "\"On their face after\": from the publish (push) mutation's answer until the face's home page (every county's) shows the title, polled every 100 ms through the same portal — invalidation through the outbox consumer and the Redis cache.",
    "Memory: this process after a 10 s warm-up and a forced GC (run with --expose-gc), each sample (every 10 s, and the last one at the end of the traffic) taken right after a forced GC, so the heap figures are what stays reachable; slope: least squares over the samples. It includes the load generator's latency samples (8 bytes each).",
    'Outbox "scheduled later": events whose time has not come (the demo\'s scheduled stories, the daily analytics job), not a backlog. Fails (non-zero exit) when the error rate exceeds 0.1 %, any outbox event is dead, or due events are still pending 120 s after the traffic.',
  ];
}

// ------------------------------------------------------------------ re-exec with --expose-gc

if (typeof globalThis.gc !== 'function') {
  const child = spawn(
    process.execPath,
    ['--expose-gc', ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)],
    { stdio: 'inherit', env: process.env },
  );
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

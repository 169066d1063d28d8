/**
 * Push to all faces and retraction, through the worker, on the generator's province
 * (10,000 stories by default, 1,000,000 with --large): the provincial desk publishes a
 * story through the review chain and pushes it (mandatory, every descendant); the clock
 * starts at the push's commit and stops when the home page of every one of the 175 faces
 * shows it; then the same for its retraction, until no face shows it.
 *
 * As in production, the portal is a process of its own (test/bench/portal-server.ts: the real
 * portal app, Redis page cache) and the worker another (services/worker/src/server.ts, as deployed:
 * outbox consumer on LISTEN/NOTIFY, Redis invalidation, warm pages when on); this process is the
 * desk and the visitors, who poll the faces over HTTP one request at a time. (Until 2026-12-07 the
 * portal, the consumer, the warmer and the polling shared one event loop, so every render a visitor
 * caused held up the consumer's next event, and every warm render held up the visitors.)
 *
 * Baselines in the same run: 175 sequential primary-key SELECTs (database: the floor of
 * touching every face once) and 175 sequential raw Redis GETs of a home page's size
 * (cache). The bench removes its stories afterwards, so the database stays as generated.
 *
 * With --warm the worker warms pages (docs/faces-cache.md, "Warm pages"; WARM_CONCURRENCY, else 0):
 * its own quiet portal renders each touched face's pages into the cache after its invalidation, 8 at
 * a time (--warm-concurrency=N); the bench then also counts how many faces' first showing of the
 * change came from the cache (no render paid by the visitor) and the warm rate (pages/s).
 * Each mode keeps its own entry in results/push.json.
 *
 * Run: pnpm bench [--large] push [--warm]   or   npx tsx test/bench/push.bench.ts [--large] [--warm] [--rounds=N]
 */
import { sql } from 'kysely';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedisCache } from '@yiduan/cache';
import {
  accessFor,
  approveStep,
  createStory,
  publishStory,
  pushStory,
  retractStory,
  setSharePolicy,
  staffActor,
  submitForReview,
  type Access,
} from '@yiduan/core';
import { createDb, freePort, withTenant, type Staff, type Trx } from '@yiduan/db';
import { get, ServerChild } from './lib/server-child.js';
import { outboxStats, tenantTag, type WarmStats } from '@yiduan/worker';
import {
  benchData,
  fmt,
  LARGE,
  median,
  memory,
  now,
  option,
  readPrevious,
  redisGet,
  round,
  SIZE,
  sleep,
  summaryTable,
  writeResult,
  type SummaryRow,
} from './lib/kit.js';

const ROUNDS = option('rounds', 2);
const WARM = process.argv.includes('--warm');
const WARM_CONCURRENCY = option('warm-concurrency', 8);
const MODE = WARM ? 'warm' : 'cold';
const POLL_TIMEOUT_MS = 180_000;
const log = (m: string): void => console.log(`[push] ${m}`);

interface Face {
  id: string;
  slug: string;
}
interface Visibility {
  allMs: number;
  p50Ms: number;
  passes: number;
  /** faces whose first response showing the change was served from the cache (the visitor paid no render) */
  fromCache: number;
}
interface Warmed {
  /** pages the warmer rendered (not found cached), and the time it had pages in flight */
  rendered: number;
  busyMs: number;
  pagesPerSecond: number;
}
interface Round {
  push: Visibility;
  retract: Visibility;
  jobMs: number;
  pkMs: number;
  redisMs: number;
  warm?: { push: Warmed; retract: Warmed };
}
interface Stored {
  sizes?: { size: number; mode?: string; measuredAt: string; rounds: Round[]; summary: SummaryRow[]; rssMb: number }[];
}

async function main(): Promise<void> {
  const data = await benchData(log);
  const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  // one Redis page cache shared by the portal process, the consumer's invalidations and the warmer
  const prefix = `yd:bench:push:${process.pid}:`;
  const cache = createRedisCache({ url: REDIS_URL, prefix });
  const storageDir = await mkdtemp(join(tmpdir(), 'yd-bench-push-assets-'));
  // the bench's own small pool: outbox counts only
  const statsDb = createDb(data.appUrl, { max: 1, applicationName: 'yiduan-bench-push' });
  const worker = await startWorker({ appUrl: data.appUrl, redisUrl: REDIS_URL, prefix });
  const portal = await ServerChild.start('portal', {
    REDIS_URL,
    BENCH_MODE: 'portal',
    BENCH_CACHE: 'redis',
    BENCH_COLD: '0',
    BENCH_COUNT: '0',
    BENCH_APP_URL: data.appUrl,
    BENCH_STORAGE: storageDir,
    BENCH_PREFIX: prefix,
  });
  const created: string[] = [];
  let faceIds: string[] = [];
  let redis: Awaited<ReturnType<typeof redisGet>> | null = null;
  try {
    const faces: Face[] = await data.owner.selectFrom('tenants').select(['id', 'slug']).orderBy('slug').execute();
    faceIds = faces.map((f) => f.id);
    const province = await data.owner
      .selectFrom('tenants')
      .select(['id', 'slug'])
      .where('level', '=', 'province')
      .executeTakeFirstOrThrow();
    // the provincial desk as generated: a reporter writes, editor, reviewer and chief sign the three steps
    const desk = Object.fromEntries(
      await Promise.all(
        ['reporter', 'editor', 'reviewer', 'chief'].map(
          async (role) =>
            [
              role,
              await data.owner
                .selectFrom('staff')
                .selectAll()
                .where('login', '=', `${province.slug}-${role}`)
                .executeTakeFirstOrThrow(),
            ] as const,
        ),
      ),
    ) as Record<'reporter' | 'editor' | 'reviewer' | 'chief', Staff>;
    const as = <T>(who: Staff, fn: (trx: Trx, access: Access) => Promise<T>): Promise<T> =>
      withTenant(data.db, province.id, async (trx) => fn(trx, await accessFor(trx, who, province.id)));
    const editor = desk.editor;
    const actor = staffActor(editor);
    const publish = async (title: string): Promise<string> => {
      const writer = desk.reporter;
      const { story } = await as(writer, (trx, a) =>
        createStory(trx, a, staffActor(writer), {
          kind: 'article',
          title,
          summary: '省委省政府对做好当前工作作出部署，要求各地抓好落实。',
          body: [{ type: 'paragraph', text: `${title}。会议强调，要压实责任，狠抓落实，确保各项任务按期完成。` }],
        }),
      );
      created.push(story.id);
      await as(writer, (trx, a) => submitForReview(trx, a, staffActor(writer), story.id));
      for (const who of [desk.editor, desk.reviewer, desk.chief])
        await as(who, (trx, a) => approveStep(trx, a, staffActor(who), story.id));
      await as(editor, (trx, a) => setSharePolicy(trx, a, actor, story.id, 'down'));
      await as(editor, (trx, a) => publishStory(trx, a, actor, story.id));
      return story.id;
    };

    const waitIdle = async (): Promise<void> => {
      const t0 = now();
      for (;;) {
        const s = await outboxStats(statsDb);
        if (s.pending === 0 && (!WARM || (await worker.warmStats()).idle)) return;
        if (now() - t0 > POLL_TIMEOUT_MS) throw new Error(`outbox still has ${s.pending} pending events`);
        await sleep(20);
      }
    };
    await waitIdle();

    // the portal's page renders so far: a visit whose count moved paid for a render (visits are sequential)
    let renders = (await portal.stats()).renders;
    const visit = async (f: Face): Promise<{ body: string; rendered: boolean }> => {
      const r = await get(portal.port, '/', `${f.slug}.localhost`);
      if (r.status !== 200) throw new Error(`GET / on ${f.slug}: ${r.status} ${r.body.slice(0, 200)}`);
      const after = (await portal.stats()).renders;
      const rendered = after > renders;
      renders = after;
      return { body: r.body, rendered };
    };
    const page = async (f: Face): Promise<string> => (await visit(f)).body;
    const warm = async (): Promise<number> => {
      let bytes = 0;
      for (const f of faces) bytes += (await page(f)).length;
      return Math.round(bytes / faces.length);
    };
    const poll = async (title: string, want: boolean, t0: number): Promise<Visibility> => {
      const first = new Map<string, number>();
      let waiting = [...faces];
      let passes = 0;
      let fromCache = 0;
      while (waiting.length) {
        passes++;
        const still: Face[] = [];
        for (const f of waiting) {
          const seen = await visit(f);
          if (seen.body.includes(title) === want) {
            first.set(f.id, now() - t0);
            if (!seen.rendered) fromCache++;
          } else still.push(f);
        }
        waiting = still;
        if (waiting.length && now() - t0 > POLL_TIMEOUT_MS)
          throw new Error(`${waiting.length} faces still ${want ? 'lack' : 'show'} ${title}`);
        if (waiting.length) await new Promise((r) => setImmediate(r));
      }
      const times = [...first.values()];
      return { allMs: round(Math.max(...times), 1), p50Ms: round(median(times), 1), passes, fromCache };
    };
    const warmedSince = async (from: { rendered: number; busyMs: number }): Promise<Warmed> => {
      const now = WARM ? await worker.warmStats() : { rendered: 0, busyMs: 0 };
      const rendered = now.rendered - from.rendered;
      const busyMs = now.busyMs - from.busyMs;
      return {
        rendered,
        busyMs: round(busyMs, 1),
        pagesPerSecond: busyMs > 0 ? round((rendered * 1000) / busyMs, 1) : 0,
      };
    };
    const warmMark = async (): Promise<{ rendered: number; busyMs: number }> =>
      WARM ? await worker.warmStats() : { rendered: 0, busyMs: 0 };

    const pageBytes = await warm();
    redis = await redisGet('x'.repeat(pageBytes));
    const rounds: Round[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const title = `全省重点工作部署第${r}号通知（${Date.now() % 100000}）`;
      const storyId = await publish(title);
      await waitIdle();
      await warm();
      // baselines, just before: one round trip per face to the database, and to Redis
      let t0 = now();
      for (const f of faces)
        await data.db
          .selectFrom('tenants')
          .select(['id', 'slug', 'name'])
          .where('id', '=', f.id)
          .executeTakeFirstOrThrow();
      const pkMs = now() - t0;
      t0 = now();
      for (let i = 0; i < faces.length; i++) await redis.get();
      const redisMs = now() - t0;

      const markPush = await warmMark();
      const job = await as(editor, (trx, a) =>
        pushStory(trx, a, actor, { storyId, targets: { kind: 'all' }, mandatory: true, sectionSlug: 'zhengwu' }),
      );
      const tPush = now();
      const push = await poll(title, true, tPush);
      await waitIdle();
      const j = await sql<{
        ms: number;
        status: string;
      }>`SELECT extract(epoch FROM finished_at - created_at)::float8 * 1000 AS ms, status FROM syndication_jobs WHERE id = ${job.id}::uuid`.execute(
        data.owner,
      );
      if (j.rows[0]?.status !== 'finished') throw new Error(`push job ${job.id}: ${j.rows[0]?.status}`);
      const pushWarmed = await warmedSince(markPush);
      await warm();
      const markRetract = await warmMark();
      await as(desk.chief, (trx, a) => retractStory(trx, a, staffActor(desk.chief), storyId, '政策调整，稿件撤回'));
      const tRetract = now();
      const retract = await poll(title, false, tRetract);
      await waitIdle();
      const retractWarmed = await warmedSince(markRetract);
      rounds.push({
        push,
        retract,
        jobMs: round(j.rows[0].ms, 1),
        pkMs: round(pkMs, 1),
        redisMs: round(redisMs, 1),
        ...(WARM ? { warm: { push: pushWarmed, retract: retractWarmed } } : {}),
      });
      log(
        `round ${r} (${MODE}): push on all ${faces.length} faces after ${fmt(push.allMs)} ms (p50 ${fmt(push.p50Ms)}, ${push.fromCache} first showings from the cache), retraction after ${fmt(retract.allMs)} ms (p50 ${fmt(retract.p50Ms)}, ${retract.fromCache} from the cache); baselines: ${faces.length} PK SELECTs ${fmt(pkMs)} ms, ${faces.length} Redis GETs ${fmt(redisMs)} ms` +
          (WARM
            ? `; warmed ${pushWarmed.rendered} pages at ${fmt(pushWarmed.pagesPerSecond)} pages/s after the push, ${retractWarmed.rendered} at ${fmt(retractWarmed.pagesPerSecond)} after the retraction`
            : ''),
      );
    }
    const mem = memory();
    const measuredAt = new Date().toISOString();
    const med = (f: (x: Round) => number): number => round(median(rounds.map(f)), 1);
    const pk = med((x) => x.pkMs);
    const rd = med((x) => x.redisMs);
    const row = (label: string, ms: number, p50: number): SummaryRow => ({
      bench: 'push',
      case: WARM ? `${label} — warm pages on` : label,
      size: SIZE,
      throughput: round((faces.length * 1000) / ms, 1),
      unit: 'faces/s',
      p50Ms: p50,
      p99Ms: ms,
      rssMb: mem.rssMb,
      baseline: `${faces.length} sequential PK SELECTs`,
      baselineThroughput: round((faces.length * 1000) / pk, 1),
      baselineP50Ms: pk,
      ratio: round(pk / ms, 4),
      measuredAt,
    });
    const summary: SummaryRow[] = [
      row(
        `push (mandatory, all ${faces.length - 1} descendants): commit → every home page shows it`,
        med((x) => x.push.allMs),
        med((x) => x.push.p50Ms),
      ),
      row(
        'retraction: commit → no home page shows it',
        med((x) => x.retract.allMs),
        med((x) => x.retract.p50Ms),
      ),
      {
        ...row(`cache baseline: ${faces.length} sequential raw Redis GETs of a home page's size`, rd, rd),
        baseline: '—',
        ratio: round(pk / rd, 2),
      },
    ];
    const prev = readPrevious<Stored>('push');
    const modeOf = (s: { mode?: string }): string => s.mode ?? 'cold';
    const sizes = [
      ...(prev?.sizes ?? []).filter((s) => s.size !== SIZE || modeOf(s) !== MODE),
      { size: SIZE, mode: MODE, measuredAt, rounds, summary, rssMb: mem.rssMb },
    ].sort((a, b) => a.size - b.size || modeOf(a).localeCompare(modeOf(b)));
    const lines = [
      `Push and retraction seen on the home page of every face (${faces.length}), through the outbox consumer; median of ${ROUNDS} rounds. "Throughput" is faces reached per second (${faces.length} ÷ time until the last face), "p50" the median over faces of the first time each showed it, "p99" the time until the last face. Ratio: baseline time ÷ case time (how far from the floor of one database round trip per face).`,
      '',
      summaryTable(sizes.flatMap((s) => s.summary)),
    ];
    const notes = [
      ...sizes.map(
        (s) =>
          `Rounds (${s.size.toLocaleString('en-US')} stories, ${modeOf(s)}, ${s.measuredAt}): ${s.rounds
            .map(
              (x, i) =>
                `#${i + 1} push ${fmt(x.push.allMs)} ms in ${x.push.passes} passes (${x.push.fromCache ?? '—'} of ${faces.length} first showings from the cache), retraction ${fmt(x.retract.allMs)} ms in ${x.retract.passes} passes (${x.retract.fromCache ?? '—'} from the cache), fan-out job ${fmt(x.jobMs)} ms` +
                (x.warm
                  ? `, warm pages ${x.warm.push.rendered} + ${x.warm.retract.rendered} rendered at ${fmt(x.warm.push.pagesPerSecond)} / ${fmt(x.warm.retract.pagesPerSecond)} pages/s`
                  : ''),
            )
            .join('; ')}.`,
      ),
      "Three processes, as deployed: the portal (portal-server.ts: the real portal app, pool of 10, Redis page cache), the worker (services/worker/src/server.ts: outbox consumer on LISTEN/NOTIFY, FAN_OUT_CHUNK faces per fan-out transaction, default 250: the province's tree in one; warm pages with WARM_CONCURRENCY in --warm mode, else 0), and the bench (the desk and the visitors); PostgreSQL and Redis share the machine. Visitors poll sequentially over HTTP (one new connection per request) the faces still waiting, so a face's first time is bounded by one pass; since the portal renders each invalidated home page at the first visit, one pass after the invalidation costs 175 cold renders.",
      `Home pages are ~${pageBytes.toLocaleString('en-US')} bytes on average; RSS of the bench process after the rounds: ${fmt(mem.rssMb)} MiB.`,
    ];
    if (data.partial)
      notes.push(
        `The ${SIZE.toLocaleString('en-US')}-story database was measured with its generator paused after the stories phase (stories, revisions, placements, search documents all in; citizens, comments, messages and roll-ups not yet): this path does not read them.`,
      );
    writeResult('push', {
      large: LARGE,
      sizes,
      markdown: lines.join('\n'),
      notes,
      summary: sizes.flatMap((s) => s.summary),
    });
    console.log(lines.join('\n'));
  } finally {
    await worker.stop();
    if (created.length) {
      await sql`DELETE FROM syndication_jobs WHERE story_id = ANY(${created}::uuid[])`
        .execute(data.owner)
        .catch(() => undefined);
      await sql`DELETE FROM stories WHERE id = ANY(${created}::uuid[])`
        .execute(data.owner)
        .catch((e: unknown) => console.error(e));
    }
    await redis?.close();
    // the bench's pages leave Redis with it
    await cache.invalidateTags(faceIds.map(tenantTag)).catch(() => undefined);
    await portal.stop();
    await rm(storageDir, { recursive: true, force: true });
    await cache.close();
    await statsDb.destroy();
    await data.close();
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));

interface WorkerProcess {
  warmStats(): Promise<WarmStats & { idle: boolean }>;
  stop(): Promise<void>;
}

/** The worker as deployed (services/worker/src/server.ts), on the bench's database and Redis namespace. */
async function startWorker(opts: { appUrl: string; redisUrl: string; prefix: string }): Promise<WorkerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'services/worker/src/server.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      HOST: '127.0.0.1',
      WORKER_PORT: String(port),
      DATABASE_APP_URL: opts.appUrl,
      REDIS_URL: opts.redisUrl,
      REDIS_PREFIX: opts.prefix,
      WARM_CONCURRENCY: WARM ? String(WARM_CONCURRENCY) : '0',
      ...(process.env.FAN_OUT_CHUNK ? { FAN_OUT_CHUNK: process.env.FAN_OUT_CHUNK } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const t0 = now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}`);
    const up = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (now() - t0 > 60_000) throw new Error('worker not ready within 60 s');
    await sleep(100);
  }
  return {
    async warmStats() {
      const r = await fetch(`${base}/warm/stats`);
      if (!r.ok) throw new Error(`worker /warm/stats: ${r.status}`);
      return (await r.json()) as WarmStats & { idle: boolean };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

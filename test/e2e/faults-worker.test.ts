// Fault: the worker process is killed (SIGKILL: no shutdown hook runs) in the middle of a
// syndication fan-out. A new worker process finishes the job, and nothing happens twice: every
// target gets exactly one placement, every chunk is committed once (one follow-up event per
// chunk, each face invalidated once), every (handler, event) has one receipt, and nothing is lost.
//
// "In the middle" is made deterministic, not timed: the test holds row locks on the tenants of
// the second chunk, so the worker commits chunk 1 and then waits inside chunk 2's transaction
// (its INSERT's foreign-key check) until it is killed there. The worker is the real standalone
// server (services/worker/src/server.ts) in its own process, on this test's own database.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { createTenant, faceFeed, SYNDICATION_TOPICS, SYSTEM_ACTOR } from '@yiduan/core';
import { createPool, withPlatform, withPublic, type Tenant } from '@yiduan/db';
import { createTestDatabase } from '@yiduan/testkit';
import { defaultRegistry } from '@yiduan/worker';
import { deskOf, waitFor } from './faults-kit.js';

const root = new URL('../..', import.meta.url).pathname;
const COUNTIES = 57; // with 3 cities: 60 targets, chunks of 25 → 25 + 25 + 10
const CHUNK = 25;

t.test('the worker is killed mid fan-out: a new one finishes it, nothing twice, nothing lost', async (t) => {
  const tdb = await createTestDatabase(t);
  const tree = await withPlatform(tdb.db, async (trx) => {
    const province = await createTenant(trx, SYSTEM_ACTOR, { slug: 'henan', name: '河南省', level: 'province' });
    const cities: Tenant[] = [];
    for (const [slug, name] of [
      ['zhengzhou', '郑州市'],
      ['luoyang', '洛阳市'],
      ['shangqiu', '商丘市'],
    ] as const) {
      cities.push(await createTenant(trx, SYSTEM_ACTOR, { slug, name, level: 'city', parentId: province.id }));
    }
    const counties: Tenant[] = [];
    for (let i = 0; i < COUNTIES; i++) {
      counties.push(
        await createTenant(trx, SYSTEM_ACTOR, {
          slug: `x${String(i + 1).padStart(3, '0')}`,
          name: `第${i + 1}县`,
          level: 'county',
          parentId: cities[i % 3]!.id,
        }),
      );
    }
    return { province, cities, counties };
  });
  const desk = await deskOf(tdb.db, tree.province.id, 'hn');
  const storyId = await desk.publish('全省冬季安全生产工作部署');

  const workers: ChildProcess[] = [];
  t.teardown(() => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  });
  const spawnWorker = (): ChildProcess => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      HOST: '127.0.0.1',
      WORKER_PORT: '0',
      DATABASE_APP_URL: tdb.appUrl,
      // small chunks so a 60-face push takes three steps and the worker can be killed between them
      FAN_OUT_CHUNK: String(CHUNK),
    };
    const w = spawn(process.execPath, ['--import', 'tsx', 'services/worker/src/server.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    w.stderr?.on('data', (d: Buffer) => t.comment(`worker ${w.pid}: ${d.toString().trim().slice(0, 300)}`));
    workers.push(w);
    return w;
  };

  // the push: a job of 60 targets and its first fan-out event, nobody consuming yet
  const jobId = await desk.pushAll(storyId);
  const job0 = await tdb.owner
    .selectFrom('syndication_jobs')
    .selectAll()
    .where('id', '=', jobId)
    .executeTakeFirstOrThrow();
  t.equal(job0.total, 60);
  const secondChunk = job0.targets.slice(25, 50);

  // hold the second chunk's tenants: the worker's INSERT … (foreign key check) waits on them
  const lockPool = createPool(tdb.ownerUrl, { max: 1, applicationName: 'fault-locker', onError: () => undefined });
  const locker = await lockPool.connect();
  t.teardown(async () => {
    locker.release(true);
    await lockPool.end();
  });
  await locker.query('BEGIN');
  await locker.query('SELECT id FROM tenants WHERE id = ANY($1::uuid[]) FOR UPDATE', [secondChunk]);

  // worker 1: commits chunk 1, then blocks inside chunk 2
  const first = spawnWorker();
  const jobDone = async () =>
    await tdb.owner
      .selectFrom('syndication_jobs')
      .select(['done', 'status'])
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
  t.ok(await waitFor(async () => (await jobDone()).done === 25, 30_000, 100), 'worker 1 committed the first chunk');
  const blocked = await waitFor(
    async () => {
      const r = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${tdb.name} AND wait_event_type = 'Lock'`.execute(
        tdb.owner,
      );
      return r.rows[0]!.n > 0 ? r.rows[0]!.n : null;
    },
    10_000,
    50,
  );
  t.ok(blocked, 'worker 1 is inside the second chunk’s transaction');

  // --- kill it there
  const exited = new Promise<void>((resolve) => first.once('exit', () => resolve()));
  first.kill('SIGKILL');
  await exited;
  t.equal(first.signalCode, 'SIGKILL', 'worker 1 is gone without a chance to clean up');
  await locker.query('ROLLBACK');
  // its backend notices the dead client at its next read and rolls the chunk back
  t.ok(
    await waitFor(
      async () => {
        const r = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${tdb.name} AND application_name LIKE 'yiduan%' AND application_name NOT LIKE 'yiduan-test%'`.execute(
          tdb.owner,
        );
        return r.rows[0]!.n === 0;
      },
      10_000,
      100,
    ),
    'the killed worker’s sessions are gone',
  );
  const mid = await jobDone();
  t.same(mid, { done: 25, status: 'running' }, 'the job stopped half-way: chunk 2 was rolled back');
  const placedMid = await tdb.owner
    .selectFrom('placements')
    .select('tenant_id')
    .where('story_id', '=', storyId)
    .where('mode', '=', 'pushed')
    .execute();
  t.equal(placedMid.length, 25, 'exactly the first chunk is placed');

  // --- worker 2 (a fresh process) finishes the job
  spawnWorker();
  t.ok(await waitFor(async () => (await jobDone()).status === 'finished', 30_000, 100), 'worker 2 finished the job');
  t.ok(
    await waitFor(
      async () => {
        const r = await tdb.owner
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '!=', 'done')
          .executeTakeFirstOrThrow();
        return Number(r.n) === 0;
      },
      20_000,
      100,
    ),
    'every event is done (none pending, none dead)',
  );

  // --- nothing twice
  const placements = await tdb.owner
    .selectFrom('placements')
    .select(['tenant_id', 'mode', 'status'])
    .where('story_id', '=', storyId)
    .execute();
  const pushed = placements.filter((p) => p.mode === 'pushed');
  t.equal(pushed.length, 60, 'one placement per target');
  t.same(pushed.map((p) => p.tenant_id).sort(), [...job0.targets].sort(), 'on exactly the targets');
  t.ok(
    pushed.every((p) => p.status === 'active'),
    'all active',
  );
  t.equal((await jobDone()).done, 60);

  const events = await tdb.owner.selectFrom('outbox').select(['id', 'topic', 'payload']).orderBy('id').execute();
  const fanOuts = events.filter((e) => e.topic === SYNDICATION_TOPICS.fanOut);
  t.equal(
    fanOuts.length,
    3,
    'three fan-out events: the push and one follow-up per committed chunk (the killed chunk left none)',
  );
  const invalidated = events
    .filter((e) => e.topic === SYNDICATION_TOPICS.facesChanged && (e.payload as { reason?: string }).reason === 'push')
    .flatMap((e) => (e.payload as { tenantIds: string[] }).tenantIds);
  t.same([...invalidated].sort(), [...job0.targets].sort(), 'each target face invalidated exactly once');

  const receipts = await tdb.owner.selectFrom('outbox_receipts').select(['consumer', 'event_id']).execute();
  const have = new Set(receipts.map((r) => `${r.consumer}#${r.event_id}`));
  const registry = defaultRegistry({ fanOutChunk: CHUNK });
  const expected = events.flatMap((e) => registry.for(e.topic).map((h) => `${h.name}#${e.id}`));
  t.same(
    expected.filter((k) => !have.has(k)),
    [],
    `every handler ran for each of ${events.length} events`,
  );
  t.equal(receipts.length, expected.length, 'and no receipt beyond them');

  // --- nothing lost: every target face carries the story
  let shown = 0;
  for (const id of job0.targets) {
    const feed = await withPublic(tdb.db, (trx) => faceFeed(trx, id, { limit: 10 }));
    if (feed.some((s) => s.storyId === storyId)) shown++;
  }
  t.equal(shown, 60, 'the story is on all 60 faces');

  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGTERM');
  await Promise.all(
    workers.map((w) => (w.exitCode !== null || w.signalCode !== null ? null : new Promise((r) => w.once('exit', r)))),
  );
});

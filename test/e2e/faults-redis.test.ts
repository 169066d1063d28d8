// Fault: Redis stops while readers and editors are busy. Faces keep serving from PostgreSQL,
// sign-in and the whole write path keep working, the outbox holds the cache invalidations Redis
// could not take (without spending their attempt budget), and when Redis comes back with its old
// data set (a restart with persistence, a failover, a healed network partition) the outbox
// catches up: no stale page survives, nothing is dead, nothing is lost.
//
// The Redis stopped here is this test's own redis-server on a free port, never the shared one.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { sql } from 'kysely';
import { build as buildApi } from '@yiduan/api';
import { sendMessage } from '@yiduan/core';
import { createRedisCache } from '@yiduan/cache';
import { loadConfig } from '@yiduan/config';
import { withCitizen, withPlatform } from '@yiduan/db';
import { build as buildPortal } from '@yiduan/portal';
import { createDemoDatabase, graphqlClient } from '@yiduan/testkit';
import { defaultRegistry, outboxStats, silentLogger, startWorker } from '@yiduan/worker';
import { PASSWORD, staffWith } from './helpers.js';
import { deskOf, sleep, startPrivateRedis, waitFor } from './faults-kit.js';

const RUYANG = 'ruyang.localhost';

t.test('Redis stops during traffic: faces from PostgreSQL, writes work, the outbox catches up', async (t) => {
  const tdb = await createDemoDatabase(t);
  const redis = await startPrivateRedis(t);
  const cache = createRedisCache({ url: redis.url, prefix: `${tdb.name}:`, logger: { warn() {} } });
  // a small attempt budget: an outage must not spend it (it is not the event's fault)
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_URL: redis.url, OUTBOX_MAX_ATTEMPTS: '3' });
  const deps = { config, db: tdb.db, readDb: tdb.db, cache };
  const { tenants } = tdb;
  const ruyang = tenants.ruyang!.id;
  const desk = await deskOf(tdb.db, ruyang, 'ry');
  // the GraphQL desk used while Redis is down: same roles, signed in through the API
  for (const [login, roles] of [
    ['ry-gw', ['reporter', 'editor', 'chief_editor']],
    ['ry-g1', ['editor', 'reviewer']],
    ['ry-g2', ['reviewer']],
    ['ry-g3', ['chief_editor']],
  ] as const) {
    await staffWith(tdb.db, login, ruyang, [...roles]);
  }

  const portal = await buildPortal(deps);
  const api = await buildApi(deps);
  const worker = await startWorker({
    ...deps,
    listenUrl: tdb.appUrl,
    log: silentLogger,
    consumer: { backoff: () => 100, pollIntervalMs: 100 },
  });
  let closed = false;
  const closeAll = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await worker.stop();
    await Promise.allSettled([portal.close(), api.close()]);
    await cache.close();
  };
  t.teardown(closeAll);

  const page = async (path = '/') => portal.inject({ url: path, headers: { host: RUYANG } });
  const drained = async () => {
    const s = await outboxStats(tdb.db);
    return s.pending === 0 ? s : null;
  };
  const redisKeys = (): number =>
    Number(
      spawnSync('redis-cli', ['-p', String(redis.port), 'dbsize'])
        .stdout.toString()
        .trim() || '0',
    );

  // --- before: a published story, its face cached in Redis
  const before = await desk.publish('汝阳县秋季植树造林启动');
  t.ok(await waitFor(drained, 10_000), 'outbox drained before the fault');
  const home0 = await page();
  t.equal(home0.statusCode, 200);
  t.match(home0.body, '汝阳县秋季植树造林启动');
  await page(`/a/${before}`);
  t.ok(redisKeys() > 0, 'the face’s pages are cached in Redis');

  // --- traffic on the face (home and story page) for the whole test
  const statuses: number[] = [];
  let traffic = true;
  const readers = Array.from({ length: 3 }, async (_, i) => {
    while (traffic) {
      const r = await page(i % 2 ? '/' : `/a/${before}`);
      statuses.push(r.statusCode);
      await sleep(20);
    }
  });
  await sleep(200);

  // --- Redis stops
  await redis.stop();
  t.equal(await cache.ping(), 'down', 'Redis is gone');
  const servedBefore = statuses.length;

  const outage = await page();
  t.equal(outage.statusCode, 200, 'the face answers from PostgreSQL');
  t.match(outage.body, '汝阳县秋季植树造林启动');
  const ready = await portal.inject('/health/ready');
  t.equal(ready.statusCode, 200, 'still ready: Redis only degrades');
  t.match(ready.json(), { status: 'degraded', database: 'ok', redis: 'down' });

  // the whole write path through the API: sign-in (its throttle lives in Redis), write, three reviews, publish
  const signIn = async (login: string) => {
    const r = await graphqlClient(api)<{ login: { token: string } }>(
      `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
      { l: login, p: PASSWORD },
    );
    t.equal(r.errors, undefined, `${login} signs in without Redis`);
    return graphqlClient(api, { token: r.data!.login.token });
  };
  const [w, r1, r2, r3] = [await signIn('ry-gw'), await signIn('ry-g1'), await signIn('ry-g2'), await signIn('ry-g3')];
  const created = await w<{ createStory: { story: { id: string } } }>(
    `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`,
    {
      t: ruyang,
      i: {
        kind: 'ARTICLE',
        content: {
          title: '汝阳县暴雨预警期间公交线路调整',
          body: [{ type: 'paragraph', text: '受强降雨影响，部分公交线路临时调整。' }],
        },
      },
    },
  );
  t.equal(created.errors, undefined, JSON.stringify(created.errors));
  const during = created.data!.createStory.story.id;
  const steps = [
    [w, `mutation($t: ID!, $s: ID!) { submitStory(tenantId: $t, id: $s) { story { id } } }`],
    [r1, `mutation($t: ID!, $s: ID!) { approveStory(tenantId: $t, id: $s) { story { id } } }`],
    [r2, `mutation($t: ID!, $s: ID!) { approveStory(tenantId: $t, id: $s) { story { id } } }`],
    [r3, `mutation($t: ID!, $s: ID!) { approveStory(tenantId: $t, id: $s) { story { id } } }`],
  ] as const;
  for (const [who, m] of steps) {
    const r = await who(m, { t: ruyang, s: during });
    t.equal(r.errors, undefined, JSON.stringify(r.errors));
  }
  const published = await w<{ publishStory: { story: { status: string } } }>(
    `mutation($t: ID!, $s: ID!) { publishStory(tenantId: $t, id: $s) { story { status } } }`,
    { t: ruyang, s: during },
  );
  t.equal(published.data?.publishStory.story.status, 'PUBLISHED', 'published while Redis is down');
  // and one more through the core path, as a second newsroom would
  const during2 = await desk.publish('汝阳县城区道路积水点排查完毕');

  // a citizen's message (留言) while Redis is down: it must be taken, never refused for a cache
  const citizen = await tdb.owner
    .insertInto('citizens')
    .values({ phone: '13800000001', display_name: '市民甲' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const message = await withCitizen(tdb.db, citizen.id, (trx) =>
    sendMessage(trx, cache, {
      tenantId: ruyang,
      citizenId: citizen.id,
      category: 'suggestion',
      title: '暴雨期间公交站台积水',
      body: '建议在城关镇公交站台增设排水设施。',
      allowPublic: false,
      ip: '203.0.113.7',
    }),
  ).then(
    (m) => m.id,
    (err: unknown) => `refused: ${err instanceof Error ? err.message : String(err)}`,
  );
  // the audience rate limiter counts in-process while the shared counters are unreachable
  t.notMatch(message, /^refused/, `a citizen's message is taken while Redis is down (${message})`);

  const fresh = await page();
  t.match(
    fresh.body,
    '汝阳县暴雨预警期间公交线路调整',
    'the face shows the new story at once (rendered from PostgreSQL)',
  );
  t.match(fresh.body, '汝阳县城区道路积水点排查完毕');

  // the invalidations cannot reach Redis: they wait, far longer than their attempt budget would last
  await sleep(1_500);
  const waiting = await outboxStats(tdb.db);
  t.ok(waiting.pending > 0, `invalidations wait in the outbox (${waiting.pending} pending)`);
  t.equal(waiting.dead, 0, 'none is dead-lettered for an outage that is not its fault');
  const attempts = await withPlatform(tdb.db, (trx) =>
    trx.selectFrom('outbox').select(['attempts', 'last_error']).where('status', '=', 'pending').execute(),
  );
  t.ok(
    attempts.every((a) => a.attempts < 3),
    'the outage does not spend the attempt budget',
  );
  t.ok(
    attempts.some((a) => a.last_error !== null && /cache unreachable/.test(a.last_error)),
    'the reason is on the event',
  );

  // --- Redis is back, with its old data set: the cached home page predates the two stories
  await redis.start();
  t.ok(redisKeys() > 0, 'Redis came back with the pages cached before the outage');
  t.ok(
    await waitFor(async () => (await cache.ping()) === 'ok', 10_000, 100),
    'the services reconnect to Redis by themselves',
  );
  t.ok(await waitFor(drained, 15_000, 100), 'the outbox catches up once Redis is back');
  const after = await page();
  t.equal(after.statusCode, 200);
  t.match(after.body, '汝阳县暴雨预警期间公交线路调整', 'no stale page: the old cached home page was invalidated');
  t.match(after.body, '汝阳县城区道路积水点排查完毕');
  t.match(after.body, '汝阳县秋季植树造林启动');

  traffic = false;
  await Promise.all(readers);
  t.ok(
    statuses.length > servedBefore,
    `readers were served during the outage (${statuses.length - servedBefore} responses)`,
  );
  const bad = statuses.filter((s) => s !== 200);
  t.same(bad, [], `all ${statuses.length} reader responses were 200`);

  // --- nothing lost: every story published, every event done, every handler's receipt there
  const stories = await tdb.owner
    .selectFrom('stories')
    .select(['id', 'status'])
    .where('id', 'in', [before, during, during2])
    .execute();
  t.same(
    stories.map((s) => s.status).sort(),
    ['published', 'published', 'published'],
    'all three stories are published',
  );
  const stats = await outboxStats(tdb.db);
  t.same(
    { pending: stats.pending, dead: stats.dead },
    { pending: 0, dead: 0 },
    `outbox: ${stats.done} done, none pending or dead`,
  );
  const registry = defaultRegistry();
  const events = await tdb.owner.selectFrom('outbox').select(['id', 'topic']).execute();
  const receipts = await tdb.owner.selectFrom('outbox_receipts').select(['consumer', 'event_id']).execute();
  const have = new Set(receipts.map((r) => `${r.consumer}#${r.event_id}`));
  const missing = events
    .flatMap((e) => registry.for(e.topic).map((h) => `${h.name}#${e.id}`))
    .filter((k) => !have.has(k));
  t.same(missing, [], `every handler of every one of ${events.length} events ran (${receipts.length} receipts)`);
  const dup = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM (SELECT consumer, event_id FROM outbox_receipts GROUP BY 1, 2 HAVING count(*) > 1) d`.execute(
    tdb.owner,
  );
  t.equal(dup.rows[0]!.n, 0, 'no handler ran twice for one event');

  await closeAll();
});

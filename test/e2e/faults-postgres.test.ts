// Fault: PostgreSQL restarts under running services. While it is down, requests that need it
// fail fast with 503 (no hang until a client timeout, no crash), liveness stays green while
// readiness turns red, and a write either committed before the stop or left nothing behind. When
// it is back, the SAME processes (apps, pools, worker with its LISTEN connection) serve again:
// no restart of ours. Nothing is lost: the story written before the stop is there, the events
// written before and after are all consumed.
//
// The PostgreSQL restarted here is an embedded one of this test alone (its own data folder and
// port), stopped with a fast shutdown (what `pg_ctl restart` and a failover do to clients) and
// started again on the same folder: a real restart, never the shared server on :5432.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build as buildApi } from '@yiduan/api';
import { createMemoryCache } from '@yiduan/cache';
import { loadConfig } from '@yiduan/config';
import { appUrlFrom, createDb, migrateToLatest, startEmbeddedPostgres, type EmbeddedPostgres } from '@yiduan/db';
import { build as buildPortal } from '@yiduan/portal';
import { graphqlClient, seedDemo } from '@yiduan/testkit';
import { outboxStats, silentLogger, startWorker } from '@yiduan/worker';
import { PASSWORD } from './helpers.js';
import { deskOf, freePort, waitFor } from './faults-kit.js';

const APP_PASSWORD = 'fault-test-app-password';
/** "fast": far below the pool's 5 s connection timeout, let alone a client's patience */
const FAST_MS = 3_000;

t.test('PostgreSQL restarts: 503 fast while it is down, recovery without a process restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'yiduan-fault-pg-'));
  const port = await freePort();
  let pg: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: dir, port, persistent: true });
  t.teardown(async () => {
    await pg.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  await migrateToLatest(pg.url, { appPassword: APP_PASSWORD });
  const appUrl = appUrlFrom(pg.url, APP_PASSWORD);
  // what createDeps does in production: pools that report idle-client errors instead of crashing
  const poolErrors: Error[] = [];
  const db = createDb(appUrl, { max: 5, onError: (e) => poolErrors.push(e) });
  const owner = createDb(pg.url, { max: 1, onError: (e) => poolErrors.push(e) });
  const cache = createMemoryCache();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const deps = { config, db, readDb: db, cache };

  const { tenants } = await seedDemo(db, { withContent: false });
  const ruyang = tenants.ruyang!.id;
  const desk = await deskOf(db, ruyang, 'ry');
  const kept = await desk.publish('汝阳县重点项目集中开工');
  const unread = await desk.publish('汝阳县文化馆冬季公益课程开班');

  const api = await buildApi(deps);
  const portal = await buildPortal(deps);
  const worker = await startWorker({
    ...deps,
    listenUrl: appUrl,
    log: silentLogger,
    consumer: { backoff: () => 100, pollIntervalMs: 200, reconnectBackoff: () => 200 },
  });
  let closed = false;
  const closeAll = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await worker.stop();
    await Promise.allSettled([api.close(), portal.close()]);
    await Promise.allSettled([db.destroy(), owner.destroy(), cache.close()]);
  };
  t.teardown(closeAll);

  const face = (host: string, path = '/') => portal.inject({ url: path, headers: { host } });
  const timed = async <T>(fn: () => Promise<T>): Promise<{ r: T; ms: number }> => {
    const t0 = Date.now();
    const r = await fn();
    return { r, ms: Date.now() - t0 };
  };
  const drained = async () => ((await outboxStats(db)).pending === 0 ? true : null);

  const login = await graphqlClient(api)<{ login: { token: string } }>(
    `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
    { l: 'ry-w', p: PASSWORD },
  );
  const editor = graphqlClient(api, { token: login.data!.login.token });
  const MINE = `query($t: ID!, $s: ID!) { story(tenantId: $t, id: $s) { id status currentRevision { title } } }`;
  const CREATE = `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`;
  const draft = (title: string) => ({
    t: ruyang,
    i: { kind: 'ARTICLE', content: { title, body: [{ type: 'paragraph', text: `${title}。` }] } },
  });

  t.ok(await waitFor(drained, 10_000), 'outbox drained before the fault');
  t.equal((await portal.inject('/health/ready')).statusCode, 200);
  t.equal((await face('ruyang.localhost')).statusCode, 200, 'ruyang’s home page, now cached');
  t.equal(
    (await editor<{ story: { currentRevision: { title: string } } }>(MINE, { t: ruyang, s: kept })).data?.story
      .currentRevision.title,
    '汝阳县重点项目集中开工',
  );

  // --- PostgreSQL stops (fast shutdown: sessions are terminated, new connections refused)
  await pg.stop();

  const ready = await timed(() => portal.inject('/health/ready'));
  t.equal(ready.r.statusCode, 503, 'readiness: 503 while the database is down');
  t.match(ready.r.json(), { status: 'down', database: 'down' });
  t.ok(ready.ms < FAST_MS, `readiness answers fast (${ready.ms} ms)`);
  for (const app of [api, portal, worker.app]) {
    t.equal((await app.inject('/health/live')).statusCode, 200, 'liveness stays 200: no pointless restart');
    t.equal((await app.inject('/health')).statusCode, 503);
  }

  const uncachedStory = await timed(() => face('ruyang.localhost', `/a/${unread}`));
  t.equal(uncachedStory.r.statusCode, 503, 'a page that needs the database: 503');
  t.match(uncachedStory.r.body, '服务暂时不可用', 'with the Chinese error page');
  t.ok(uncachedStory.ms < FAST_MS, `fast (${uncachedStory.ms} ms)`);
  const unknownFace = await timed(() => face('zhecheng.localhost'));
  t.equal(unknownFace.r.statusCode, 503, 'a face not resolved yet: 503, not 404');
  t.ok(unknownFace.ms < FAST_MS, `fast (${unknownFace.ms} ms)`);
  t.equal((await face('ruyang.localhost')).statusCode, 200, 'a cached page is still served');

  const signedIn = await timed(() => editor(MINE, { t: ruyang, s: kept }));
  t.equal(signedIn.r.status, 503, 'an authenticated API request: 503 (the session cannot be checked)');
  t.ok(signedIn.ms < FAST_MS, `fast (${signedIn.ms} ms)`);
  const anonymous = await timed(() => graphqlClient(api)(`{ tenantTree { name } }`));
  t.equal(anonymous.r.errors?.[0]?.extensions?.code, 'SERVICE_UNAVAILABLE', 'an anonymous query: SERVICE_UNAVAILABLE');
  t.equal(anonymous.r.status, 503, 'with HTTP 503, as the pages');
  t.ok(anonymous.ms < FAST_MS, `fast (${anonymous.ms} ms)`);
  const lostWrite = await timed(() => editor(CREATE, draft('停机期间的稿件')));
  t.equal(lostWrite.r.status, 503, 'a write fails cleanly with 503');
  t.ok(lostWrite.ms < FAST_MS, `fast (${lostWrite.ms} ms)`);

  // --- PostgreSQL is back: same processes, same pools
  pg = await startEmbeddedPostgres({ dataDir: dir, port, persistent: true });
  const back = await waitFor(
    async () => ((await portal.inject('/health/ready')).statusCode === 200 ? true : null),
    10_000,
    100,
  );
  t.ok(back, 'ready again without restarting the service');
  t.equal((await face('ruyang.localhost', `/a/${unread}`)).statusCode, 200, 'the page renders again');
  t.equal((await face('zhecheng.localhost')).statusCode, 200, 'the other face resolves again');
  const again = await editor<{ story: { currentRevision: { title: string } } }>(MINE, { t: ruyang, s: kept });
  t.equal(
    again.data?.story.currentRevision.title,
    '汝阳县重点项目集中开工',
    'the session made before the restart still works',
  );
  const written = await editor<{ createStory: { story: { id: string } } }>(CREATE, draft('恢复后的稿件'));
  t.equal(written.errors, undefined, 'writes work again');
  const after = await desk.publish('汝阳县恢复供水通告');
  t.ok(await waitFor(drained, 15_000, 100), 'the worker (same process, listener reconnected) consumes the new events');
  t.ok(worker.consumer.running, 'the worker never stopped');

  // --- nothing lost, nothing half-written
  const titles = (await owner.selectFrom('story_revisions').select('title').distinct().execute())
    .map((r) => r.title)
    .sort();
  t.same(
    titles,
    ['恢复后的稿件', '汝阳县恢复供水通告', '汝阳县文化馆冬季公益课程开班', '汝阳县重点项目集中开工'].sort(),
    'every committed story is there; the write refused during the outage left nothing',
  );
  const published = await owner.selectFrom('stories').select('id').where('status', '=', 'published').execute();
  t.same(published.map((s) => s.id).sort(), [kept, unread, after].sort(), 'the three published stories are published');
  const stats = await outboxStats(db);
  t.same(
    { pending: stats.pending, dead: stats.dead },
    { pending: 0, dead: 0 },
    `outbox: ${stats.done} done, none pending or dead`,
  );
  t.ok(poolErrors.length > 0, `the pools reported the dropped connections (${poolErrors.length}) instead of crashing`);

  await closeAll();
});

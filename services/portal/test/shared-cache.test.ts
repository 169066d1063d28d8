/**
 * Two portal instances sharing one Redis, as two processes behind a load balancer would: each
 * has its own Redis connections and its own in-process memo of sites and generation tokens
 * (site/memo.ts). An invalidation made by a third client (the worker) must be honoured by both
 * on their very next request, with no wait for any message: the memo is proven current in the
 * same round trip that reads the page.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createMemoryCache, createRedisCache, type Cache, type GuardedRead } from '@yiduan/cache';
import { loadConfig } from '@yiduan/config';
import { addDomain, removeDomain, SYSTEM_ACTOR, updateFace, updateTenant } from '@yiduan/core';
import { LocalDiskStorage } from '@yiduan/storage';
import { withPlatform } from '@yiduan/db';
import { createDemoDatabase } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { generationKey, pageFor, pageKey, type PageRead } from '../src/http/page-cache.js';
import { CheckBatcher } from '../src/site/checks.js';
import { currentSite } from '../src/site/current.js';
import { SiteMemo } from '../src/site/memo.js';
import { siteKey } from '../src/site/resolve.js';
import type { Portal } from './helpers.js';
import { desk, publish, retract } from './newsroom.js';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) {
  t.comment('REDIS_URL is not set: these tests need a shared Redis');
  process.exit(0);
}

interface Pair {
  a: FastifyInstance;
  b: FastifyInstance;
  /** the worker's own connection, as in production */
  worker: Cache;
  tenants: Portal['tenants'];
  /** for the newsroom helpers (desk, publish, retract): instance a's view */
  portal: Portal;
  id(slug: string): string;
}

interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

async function pair(tt: Teardown): Promise<Pair> {
  const tdb = await createDemoDatabase(tt);
  const { tenants } = tdb;
  const dir = await mkdtemp(join(tmpdir(), 'yd-portal-shared-'));
  const storage = new LocalDiskStorage(dir);
  const prefix = `yd-portal-shared-${randomBytes(4).toString('hex')}:`;
  const caches = [0, 1, 2].map(() => createRedisCache({ url: REDIS_URL!, prefix }));
  const [a, b] = await Promise.all(
    [0, 1].map((i) => build({ config: loadConfig({}), db: tdb.db, cache: caches[i]! }, { storage })),
  );
  tt.teardown(async () => {
    await Promise.all([a!.close(), b!.close()]);
    await caches[2]!.invalidateTags(['hosts', ...Object.values(tenants).map((x) => `tenant:${x.id}`)]);
    await Promise.all(caches.map((c) => c.close()));
    await rm(dir, { recursive: true, force: true });
  });
  const id = (slug: string): string => {
    const tenant = tenants[slug];
    if (!tenant) throw new Error(`demo tenant ${slug} missing`);
    return tenant.id;
  };
  return {
    a: a!,
    b: b!,
    worker: caches[2]!,
    tenants,
    portal: { app: a!, tdb, cache: caches[0]!, tenants, storage },
    id,
  };
}

const get = (app: FastifyInstance, host: string, url = '/') => app.inject({ method: 'GET', url, headers: { host } });

t.test('a face change invalidated by the worker shows on both instances at once', async (t) => {
  const p = await pair(t);
  const id = p.id('ruyang');
  const before = await get(p.a, 'ruyang.localhost');
  t.match(before.body, '汝阳县融媒体中心');
  // b reads what a rendered, and both now hold the site and token in memory
  for (let i = 0; i < 2; i++) {
    t.equal((await get(p.a, 'ruyang.localhost')).headers.etag, before.headers.etag, 'a: cached');
    t.equal((await get(p.b, 'ruyang.localhost')).headers.etag, before.headers.etag, 'b: the same cached page');
  }

  await withPlatform(p.portal.tdb.db, (trx) => updateFace(trx, SYSTEM_ACTOR, id, { siteName: '汝阳融媒' }));
  t.equal(
    (await get(p.b, 'ruyang.localhost')).headers.etag,
    before.headers.etag,
    'until invalidated, the cached page is served',
  );

  await p.worker.invalidateTags([`tenant:${id}`]);
  // no wait of any kind here: the next request must already be right
  const b = await get(p.b, 'ruyang.localhost');
  t.match(b.body, '<span class="site-name">汝阳融媒</span>', 'b: the new face on the next request');
  t.not(b.headers.etag, before.headers.etag);
  const a = await get(p.a, 'ruyang.localhost');
  t.match(a.body, '<span class="site-name">汝阳融媒</span>', 'a: the new face too');
  t.equal(a.headers.etag, b.headers.etag, 'a serves the page b rendered');
  // a burst on both, as from many visitors at once (their proofs are shared; see the last test)
  await p.worker.invalidateTags([`tenant:${id}`]);
  const burst = await Promise.all([p.a, p.b, p.a, p.b, p.a, p.b].map((app) => get(app, 'ruyang.localhost')));
  for (const res of burst) t.match(res.body, '<span class="site-name">汝阳融媒</span>');
  await withPlatform(p.portal.tdb.db, (trx) => updateFace(trx, SYSTEM_ACTOR, id, { siteName: '汝阳融媒二' }));
  await p.worker.invalidateTags([`tenant:${id}`]);
  const again = await Promise.all([p.b, p.a, p.b, p.a].map((app) => get(app, 'ruyang.localhost')));
  for (const res of again)
    t.match(
      res.body,
      '<span class="site-name">汝阳融媒二</span>',
      'every request of the next burst sees the next change',
    );
  const notFound = await get(p.a, 'ruyang.localhost', '/no-such-page');
  t.match(notFound.body, '汝阳融媒二', 'uncached pages (the 404) show the new face as well');
});

t.test('a retraction invalidated by the worker is a 410 on both instances at once', async (t) => {
  const p = await pair(t);
  const d = await desk(p.portal);
  const id = p.id('ruyang');
  const story = await publish(d, id, { title: '跨进程撤稿测试' });
  const path = `/a/${story.id}`;
  for (const app of [p.a, p.b, p.a, p.b]) t.equal((await get(app, 'ruyang.localhost', path)).statusCode, 200);

  await retract(d, id, story.id, '测试撤稿');
  await p.worker.invalidateTags([`tenant:${id}`]);
  for (const [name, app] of [
    ['b', p.b],
    ['a', p.a],
  ] as const) {
    const res = await get(app, 'ruyang.localhost', path);
    t.equal(res.statusCode, 410, `${name}: gone on the next request`);
  }
});

t.test('the hosts tag alone moves a host to another face on both instances at once', async (t) => {
  const p = await pair(t);
  await withPlatform(p.portal.tdb.db, (trx) => addDomain(trx, SYSTEM_ACTOR, p.id('yichuan'), 'news.example.cn'));
  for (const app of [p.a, p.b, p.a, p.b]) t.match((await get(app, 'news.example.cn')).body, '伊川县融媒体中心');

  await withPlatform(p.portal.tdb.db, async (trx) => {
    await removeDomain(trx, SYSTEM_ACTOR, 'news.example.cn');
    await addDomain(trx, SYSTEM_ACTOR, p.id('ruyang'), 'news.example.cn');
  });
  // only the hosts tag: yichuan's pages and generation stay, so the site entry's stamp is what tells
  await p.worker.invalidateTags(['hosts']);
  for (const [name, app] of [
    ['b', p.b],
    ['a', p.a],
  ] as const) {
    const res = await get(app, 'news.example.cn');
    t.equal(res.statusCode, 200);
    t.match(res.body, '汝阳县融媒体中心', `${name}: the host names its new face`);
    t.notMatch(res.body, '伊川县融媒体中心');
  }

  const shangqiu = p.id('shangqiu');
  for (const app of [p.a, p.b, p.a]) t.equal((await get(app, 'shangqiu.localhost')).statusCode, 200);
  await withPlatform(p.portal.tdb.db, (trx) => updateTenant(trx, SYSTEM_ACTOR, shangqiu, { status: 'closed' }));
  await p.worker.invalidateTags(['hosts']);
  for (const app of [p.b, p.a])
    t.equal((await get(app, 'shangqiu.localhost')).statusCode, 404, 'a closed face is gone at once');
});

t.test('a render that outlives an invalidation is never served by the other instance', async (t) => {
  const prefix = `yd-portal-shared-race-${randomBytes(4).toString('hex')}:`;
  const [one, two, worker] = [0, 1, 2].map(() => createRedisCache({ url: REDIS_URL!, prefix }));
  t.teardown(async () => {
    await worker!.invalidateTags(['hosts', 'tenant:race']);
    await Promise.all([one, two, worker].map((c) => c!.close()));
  });
  const host = 'race.example.cn';
  // a site entry as the portal writes it, so the lookup never needs the database
  const site = {
    tenant: { id: 'race', slug: 'race', name: '赛', level: 'county', status: 'active' },
    face: { version: 1, siteName: '赛', updatedAt: new Date().toISOString() },
    host,
  };
  const seedSite = () =>
    worker!.set(siteKey(host), `s1\n${JSON.stringify(site)}`, { ttlSeconds: 60, tags: ['hosts', 'tenant:race'] });
  await seedSite();
  const lookup = (cache: Cache) => ({ readDb: null as never, cache, baseDomain: 'localhost' });
  const [memoOne, memoTwo] = [new SiteMemo({ shared: one! }), new SiteMemo({ shared: two! })];
  const requestAt = async (
    cache: Cache,
    memo: SiteMemo,
    path: string,
    render: () => Promise<string>,
  ): Promise<string> => {
    const current = await currentSite(lookup(cache), memo, host, path);
    if (!current) throw new Error('no site');
    const page = await pageFor(
      cache,
      { tenantId: 'race', path, version: current.site.face.version },
      current.page,
      render,
    );
    if ('status' in page) throw new Error('refused');
    return page.body.toString();
  };
  const request = (cache: Cache, memo: SiteMemo, render: () => Promise<string>) =>
    requestAt(cache, memo, '/a/x', render);

  t.equal(await request(one!, memoOne, async () => 'v1'), 'v1', 'one renders v1');
  t.equal(
    await request(two!, memoTwo, async () => 'never'),
    'v1',
    'two reads it: both memos now hold the site and token',
  );
  t.equal(await request(two!, memoTwo, async () => 'never'), 'v1', 'two, from its memo in one round trip');

  // one starts a render of another page on the old state; the worker invalidates; the render finishes and is stored
  const requestY = (cache: Cache, memo: SiteMemo, render: () => Promise<string>) =>
    requestAt(cache, memo, '/a/y', render);
  const stale = await requestY(one!, memoOne, async () => {
    await worker!.invalidateTags(['tenant:race']);
    t.equal(await worker!.get(generationKey('race')), null, 'the invalidation removed the generation');
    await seedSite(); // the face is looked up again, as any instance would
    return 'old';
  });
  t.equal(stale, 'old', 'the request that rendered it gets what it read');
  let rendered = 0;
  t.equal(
    await requestY(two!, memoTwo, async () => (rendered++, 'new')),
    'new',
    'two renders afresh on its next request',
  );
  t.equal(rendered, 1);
  t.equal(await requestY(one!, memoOne, async () => 'never'), 'new', 'and one serves that');
  t.equal(await request(two!, memoTwo, async () => 'x2'), 'x2', 'the other pages are gone too');

  // the same race with a miss: the late render must land where no request looks
  const read: PageRead = (await currentSite(lookup(one!), memoOne, host, null))!.page;
  await worker!.invalidateTags(['tenant:race']);
  await seedSite();
  const late = await pageFor(one!, { tenantId: 'race', path: '/a/late', version: 1 }, read, async () => 'old-late');
  t.match(late, { body: 'old-late' }, 'the request that rendered it gets what it read');
  t.ok(
    await worker!.get(pageKey({ tenantId: 'race', path: '/a/late', version: 1 }, read.token)),
    'stored under the dropped token',
  );
  for (const [cache, memo] of [
    [two!, memoTwo],
    [one!, memoOne],
  ] as const) {
    const current = (await currentSite(lookup(cache), memo, host, '/a/late'))!;
    t.not(current.page.token, read.token, 'a new generation');
    t.equal(current.page.value, null, 'the late render is not what the next request finds');
  }
});

t.test('concurrent requests share a check only if it is sent after they arrived', async (t) => {
  const memory = createMemoryCache({ prefix: `yd-portal-batch-${randomBytes(4).toString('hex')}:` });
  t.teardown(() => memory.close());
  await memory.set('g', 'tok');
  const calls: { release: () => void }[] = [];
  // runs each check at once (as Redis does on arrival) but holds its answer until the test releases it
  const held: Cache = {
    ...memory,
    getBufferIf: (key, guards) => {
      const answer = memory.getBufferIf(key, guards);
      return new Promise<GuardedRead>((resolve) => {
        calls.push({ release: () => void answer.then(resolve) });
      });
    },
  };
  const batcher = new CheckBatcher(held);
  const guards = [{ key: 'g', prefix: 'tok' }];
  const first = [batcher.check('x', guards), batcher.check('x', guards), batcher.check('x', guards)];
  const other = batcher.check('y', [{ key: 'g', prefix: 'other' }]);
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(calls.length, 2, 'three identical checks of one turn went as one call (plus the different one)');

  // this request arrives while that call is on its way: it must not take the older answer
  const late = batcher.check('x', guards);
  await memory.del('g'); // the invalidation completes before the late request's check is sent
  calls[0]!.release();
  calls[1]!.release();
  t.same(await Promise.all(first), [true, true, true], 'the early requests get the early answer');
  t.equal(await other, false);
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(calls.length, 3, 'the late request got a call of its own');
  calls[2]!.release();
  t.equal(await late, false, 'and it sees the invalidation');
});

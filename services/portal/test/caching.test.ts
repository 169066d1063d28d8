import t from 'tap';
import { SYSTEM_ACTOR, updateFace } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { createMemoryCache, createRedisCache, type Cache } from '@yiduan/cache';
import { cachedPage, currentPageKey } from '../src/http/page-cache.js';
import { get, portal, tenantId } from './helpers.js';
import { desk, invalidate, place, publish, retract } from './newsroom.js';

const CACHE_CONTROL = 'public, max-age=0, s-maxage=60, stale-while-revalidate=300';

t.test('ETag and conditional requests', async (t) => {
  const p = await portal(t);
  const first = await get(p, 'ruyang.localhost');
  const etag = first.headers.etag;
  t.type(etag, 'string');
  t.match(etag, /^"[\w-]+"$/, 'a strong validator');
  t.equal(first.headers['cache-control'], CACHE_CONTROL);

  const again = await get(p, 'ruyang.localhost');
  t.equal(again.headers.etag, etag, 'same page, same ETag');
  t.equal(again.body, first.body);

  const notModified = await get(p, 'ruyang.localhost', '/', { 'if-none-match': String(etag) });
  t.equal(notModified.statusCode, 304);
  t.equal(notModified.body, '', 'no body');
  t.equal(notModified.headers.etag, etag);
  t.equal(notModified.headers['cache-control'], CACHE_CONTROL);

  for (const header of [`"other", ${etag}`, `W/${etag}`, '*']) {
    t.equal(
      (await get(p, 'ruyang.localhost', '/', { 'if-none-match': header })).statusCode,
      304,
      `If-None-Match: ${header}`,
    );
  }
  const changed = await get(p, 'ruyang.localhost', '/', { 'if-none-match': '"something-else"' });
  t.equal(changed.statusCode, 200, 'another tag gets the page');
  t.equal(changed.body, first.body);

  const otherFace = await get(p, 'yichuan.localhost', '/', { 'if-none-match': String(etag) });
  t.equal(otherFace.statusCode, 200, "one face's ETag does not match another's page");

  const head = await p.app.inject({ method: 'HEAD', url: '/', headers: { host: 'ruyang.localhost' } });
  t.equal(head.statusCode, 200);
  t.equal(head.headers.etag, etag, 'HEAD carries the same validator');
});

t.test('rendered pages are cached per tenant, path and face version', async (t) => {
  const p = await portal(t);
  const id = tenantId(p, 'ruyang');
  await get(p, 'ruyang.localhost');
  const home = await currentPageKey(p.cache, { tenantId: id, path: '/', version: 2 });
  t.match(home, new RegExp(`^page:${id}:[\\w-]+:2:/$`), 'keyed by tenant, generation, face version and path');
  t.ok(await p.cache.get(String(home)), 'home page cached');
  const query = await get(p, 'ruyang.localhost', '/?utm_source=weixin');
  t.equal(query.statusCode, 200);
  t.notOk(
    await p.cache.get(String(home).replace(':/', ':/?utm_source=weixin')),
    'query strings do not make new entries',
  );
});

const caches = [{ name: 'memory', redis: false }, ...(process.env.REDIS_URL ? [{ name: 'redis', redis: true }] : [])];

for (const { name, redis } of caches)
  t.test(`a face change shows after the tenant tag is invalidated (${name} cache)`, async (t) => {
    const p = await portal(t, { redis });
    const id = tenantId(p, 'ruyang');
    const before = await get(p, 'ruyang.localhost');
    t.match(before.body, '汝阳县融媒体中心');

    await withPlatform(p.tdb.db, (trx) =>
      updateFace(trx, SYSTEM_ACTOR, id, {
        siteName: '汝阳融媒',
        theme: { primary: '#1a237e', accent: '#ffd54f', background: '#ffffff', text: '#1f2328', headerText: '#ffffff' },
      }),
    );
    const stale = await get(p, 'ruyang.localhost');
    t.equal(stale.headers.etag, before.headers.etag, 'until invalidated, the cached page is served');

    // what the worker does on face.changed
    await p.cache.invalidateTags([`tenant:${id}`]);
    const after = await get(p, 'ruyang.localhost');
    t.equal(after.statusCode, 200);
    t.match(after.body, '<span class="site-name">汝阳融媒</span>');
    t.match(after.body, '--primary:#1a237e;');
    t.not(after.headers.etag, before.headers.etag, 'a new ETag');
    const old = await get(p, 'ruyang.localhost', '/', { 'if-none-match': String(before.headers.etag) });
    t.equal(old.statusCode, 200, 'the old ETag no longer matches');

    const neighbour = await get(p, 'yichuan.localhost');
    t.match(neighbour.body, '伊川县融媒体中心', 'other faces are untouched');
  });

t.test('the hosts tag drops host resolution', async (t) => {
  const p = await portal(t);
  await get(p, 'ruyang.localhost');
  t.ok(await p.cache.get('site:ruyang.localhost'), 'resolution cached');
  await p.cache.invalidateTags(['hosts']);
  t.notOk(await p.cache.get('site:ruyang.localhost'), 'and dropped with the hosts tag');
  t.equal((await get(p, 'ruyang.localhost')).statusCode, 200);
});

t.test('errors and 404s are not cacheable', async (t) => {
  const p = await portal(t);
  t.equal((await get(p, 'ruyang.localhost', '/nope')).headers['cache-control'], 'no-store');
  t.equal((await get(p, 'unknown.example.com')).headers['cache-control'], 'no-store');
});

t.test('story pages are cached under the tenant tag and gone after its invalidation', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const [ruyang, yichuan] = [tenantId(p, 'ruyang'), tenantId(p, 'yichuan')];
  const story = await publish(d, ruyang, { title: '缓存测试稿件' });
  await place(d, story, yichuan);
  const path = `/a/${story.id}`;
  const first = await get(p, 'ruyang.localhost', path);
  t.equal(first.statusCode, 200);
  t.equal(first.headers['cache-control'], CACHE_CONTROL);
  t.equal((await get(p, 'ruyang.localhost', path, { 'if-none-match': String(first.headers.etag) })).statusCode, 304);
  const key = await currentPageKey(p.cache, { tenantId: ruyang, path, version: 2 });
  t.ok(key && (await p.cache.get(key)), 'cached');

  await p.cache.invalidateTags([`tenant:${ruyang}`]);
  t.notOk(await p.cache.get(String(key)), 'the entry is gone after invalidateTags');
  t.equal(await currentPageKey(p.cache, { tenantId: ruyang, path, version: 2 }), null, 'and so is the generation');

  await get(p, 'yichuan.localhost', path);
  await retract(d, ruyang, story.id, '测试撤稿');
  await invalidate(p, ruyang, yichuan);
  for (const host of ['ruyang.localhost', 'yichuan.localhost']) {
    const gone = await get(p, host, path);
    t.equal(gone.statusCode, 410, `${host}: never the page after its invalidation`);
    t.equal(gone.headers['cache-control'], 'no-store', '410 is not cacheable');
    t.notOk(gone.headers.etag);
  }
  t.equal(
    await currentPageKey(p.cache, { tenantId: ruyang, path, version: 2 }).then((k) => (k ? p.cache.get(k) : null)),
    null,
    'nor stored',
  );
});

for (const { name, redis } of caches)
  t.test(`a render that outlives an invalidation is never served (${name} cache)`, async (t) => {
    const prefix = `yd-portal-race-${process.pid}-${Date.now()}:`;
    const redisUrl = process.env.REDIS_URL;
    const cache: Cache =
      redis && redisUrl ? createRedisCache({ url: redisUrl, prefix }) : createMemoryCache({ prefix });
    t.teardown(async () => {
      await cache.invalidateTags(['tenant:race']);
      await cache.close();
    });
    const key = { tenantId: 'race', path: '/a/x', version: 1 };
    // the render read the old state, then the worker invalidated, then the render finished
    const stale = await cachedPage(cache, key, async () => {
      await cache.invalidateTags(['tenant:race']);
      return 'old';
    });
    t.match(stale, { body: 'old' }, 'the request that rendered it gets what it read');
    const next = await cachedPage(cache, key, async () => 'new');
    t.match(next, { body: 'new' }, 'the next request renders again');
    const third = await cachedPage(cache, key, async () => 'never');
    t.match(third, { body: 'new' }, 'and that render is cached');
  });

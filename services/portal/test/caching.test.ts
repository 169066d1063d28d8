import t from 'tap';
import { SYSTEM_ACTOR, updateFace } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { get, portal, tenantId } from './helpers.js';

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
    t.equal((await get(p, 'ruyang.localhost', '/', { 'if-none-match': header })).statusCode, 304, `If-None-Match: ${header}`);
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
  t.ok(await p.cache.get(`page:${id}:/:2`), 'home page cached under the tenant, the path and the face version');
  const query = await get(p, 'ruyang.localhost', '/?utm_source=weixin');
  t.equal(query.statusCode, 200);
  t.ok(await p.cache.get(`page:${id}:/:2`));
  t.notOk(await p.cache.get(`page:${id}:/?utm_source=weixin:2`), 'query strings do not make new entries');
});

const caches = [{ name: 'memory', redis: false }, ...(process.env.REDIS_URL ? [{ name: 'redis', redis: true }] : [])];

for (const { name, redis } of caches) t.test(`a face change shows after the tenant tag is invalidated (${name} cache)`, async (t) => {
  const p = await portal(t, { redis });
  const id = tenantId(p, 'ruyang');
  const before = await get(p, 'ruyang.localhost');
  t.match(before.body, '汝阳县融媒体中心');

  await withPlatform(p.tdb.db, (trx) => updateFace(trx, SYSTEM_ACTOR, id, { siteName: '汝阳融媒', theme: { primary: '#1a237e', accent: '#ffd54f', background: '#ffffff', text: '#1f2328', headerText: '#ffffff' } }));
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

import t from 'tap';
import { addDomain, removeDomain, SYSTEM_ACTOR, updateTenant } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { get, LEAK, portal, tenantId } from './helpers.js';

t.test('the Host header chooses the face', async (t) => {
  const p = await portal(t);

  const exact = await get(p, 'ruyang.localhost');
  t.equal(exact.statusCode, 200, 'a primary domain resolves');
  t.match(exact.body, '<span class="site-name">汝阳县融媒体中心</span>');

  await withPlatform(p.tdb.db, (trx) => addDomain(trx, SYSTEM_ACTOR, tenantId(p, 'yichuan'), 'news.yichuan.gov.cn'));
  const extra = await get(p, 'news.yichuan.gov.cn');
  t.equal(extra.statusCode, 200, 'a further exact domain resolves');
  t.match(extra.body, '伊川县融媒体中心');

  const upper = await get(p, 'RUYANG.LOCALHOST:3000');
  t.equal(upper.statusCode, 200, 'host names are case-insensitive and the port is ignored');
  t.match(upper.body, '汝阳县融媒体中心');

  const trailing = await get(p, 'ruyang.localhost.:3000');
  t.equal(trailing.statusCode, 200, 'a fully qualified name (trailing dot) resolves too');
});

t.test('<slug>.<base domain> works without a domain row', async (t) => {
  const p = await portal(t);
  // the tenant's only (primary) domain may go; then only the slug fallback can find it
  await withPlatform(p.tdb.db, (trx) => removeDomain(trx, SYSTEM_ACTOR, 'zhecheng.localhost'));
  const res = await get(p, 'zhecheng.localhost:3000');
  t.equal(res.statusCode, 200);
  t.match(res.body, '柘城县融媒体中心');
});

t.test('unknown hosts get the platform 404 page', async (t) => {
  const p = await portal(t);
  for (const host of [
    'nowhere.example.com',
    'nobody.localhost:3000',
    'a.b.localhost',
    '127.0.0.1:3000',
    'www.localhost',
  ]) {
    const res = await get(p, host);
    t.equal(res.statusCode, 404, `${host} → 404`);
    t.match(res.headers['content-type'], 'text/html; charset=utf-8');
    t.match(res.body, '<html lang="zh-CN">');
    t.match(res.body, '未找到该站点');
    t.notMatch(res.body, LEAK, 'no internals on the page');
    t.notMatch(res.body, 'site-header', 'no face is used');
  }
  const path = await get(p, 'nowhere.example.com', '/some/page');
  t.equal(path.statusCode, 404, 'any path of an unknown host');
  t.match(path.body, '未找到该站点');
});

t.test('a closed tenant has no face, even when it was cached', async (t) => {
  const p = await portal(t);
  const id = tenantId(p, 'shangqiu');
  t.equal((await get(p, 'shangqiu.localhost')).statusCode, 200, 'open: served (and cached)');
  await withPlatform(p.tdb.db, (trx) => updateTenant(trx, SYSTEM_ACTOR, id, { status: 'closed' }));
  // what the worker does on tenant.changed
  await p.cache.invalidateTags([`tenant:${id}`]);
  const res = await get(p, 'shangqiu.localhost');
  t.equal(res.statusCode, 404);
  t.match(res.body, '未找到该站点');
});

t.test('/health answers without resolving a face', async (t) => {
  const p = await portal(t);
  for (const host of ['ruyang.localhost', 'unknown.example.com']) {
    const res = await get(p, host, '/health');
    t.equal(res.statusCode, 200, `health on ${host}`);
    t.match(res.json(), { status: 'ok', service: 'portal', database: 'ok', redis: 'memory' });
  }
});

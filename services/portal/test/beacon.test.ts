import t from 'tap';
import { AnalyticsWriter } from '@yiduan/core';
import { sharedMemoryBuffer } from '@yiduan/cache';
import { get, portal, tenantId } from './helpers.js';

const UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36';

t.test('faces load the reading script and accept beacons without a cookie', async (t) => {
  const p = await portal(t);
  const buffer = sharedMemoryBuffer();
  const home = await get(p, 'ruyang.localhost');
  t.match(home.body, '<script src="/_b.js" defer></script>', 'every face page loads the first-party script');
  t.match(
    String(home.headers['content-security-policy']),
    "script-src 'self'",
    'and the policy allows only same-origin scripts',
  );
  t.notMatch(home.body, /<script>/, 'no inline script');

  const js = await p.app.inject({ method: 'GET', url: '/_b.js', headers: { host: 'ruyang.localhost' } });
  t.equal(js.statusCode, 200);
  t.match(String(js.headers['content-type']), 'text/javascript');
  t.match(js.body, 'sendBeacon');
  const again = await p.app.inject({
    method: 'GET',
    url: '/_b.js',
    headers: { host: 'ruyang.localhost', 'if-none-match': String(js.headers.etag) },
  });
  t.equal(again.statusCode, 304);

  const before = await buffer.size();
  const post = (body: string, headers: Record<string, string> = {}) =>
    p.app.inject({
      method: 'POST',
      url: '/_b',
      headers: { host: 'ruyang.localhost', 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA, ...headers },
      payload: body,
    });
  const story = '/a/0b0e7f4e-1c5a-4f3e-9d7a-2f1f0c8e9a11';
  const r = await post(
    JSON.stringify([
      { k: 'v', p: story, r: 'https://m.baidu.com/s?word=x' },
      { k: 'r', p: story },
      { k: 's', p: story, c: 'wechat' },
    ]),
  );
  t.equal(r.statusCode, 204);
  t.notOk(r.headers['set-cookie'], 'no cookie');
  t.equal(await buffer.size(), before + 3, 'three events buffered');

  t.equal(
    (
      await post(JSON.stringify({ k: 'v', p: '/' }), {
        'user-agent': 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
      })
    ).statusCode,
    204,
  );
  t.equal((await post(JSON.stringify({ k: 'v', p: '/' }), { 'user-agent': 'curl/8.5.0' })).statusCode, 204);
  t.equal(await buffer.size(), before + 3, 'bots are answered but not counted');
  t.equal((await post('not json')).statusCode, 204, 'garbage is answered 204 and dropped');
  t.equal((await post(JSON.stringify({ k: 'r', p: '/' }))).statusCode, 204);
  t.equal(await buffer.size(), before + 3, 'a completion outside a story page is dropped');
  const json = await p.app.inject({
    method: 'POST',
    url: '/_b',
    headers: { host: 'ruyang.localhost', 'content-type': 'application/json', 'user-agent': UA },
    payload: { k: 'v', p: '/s/bendi' },
  });
  t.equal(json.statusCode, 204, 'application/json works too');
  const unknown = await p.app.inject({
    method: 'POST',
    url: '/_b',
    headers: { host: 'nowhere.localhost', 'content-type': 'text/plain', 'user-agent': UA },
    payload: '{"k":"v","p":"/"}',
  });
  t.equal(unknown.statusCode, 404, 'an unknown host has no face to count for');
  t.equal(await buffer.size(), before + 4);

  // the worker's writer takes them from the same buffer (one process: `pnpm start` without Redis)
  const writer = new AnalyticsWriter({ db: p.tdb.db, buffer, consumer: 'portal-test', retentionDays: 400 });
  await writer.drain();
  const rows = await p.tdb.owner
    .selectFrom('analytics_events')
    .select(['tenant_id', 'kind', 'path', 'referrer', 'story_id'])
    .orderBy('kind')
    .orderBy('path')
    .execute();
  // the story is not placed on this face: its completion and share are dropped, the views kept (without a story)
  t.same(rows, [
    { tenant_id: tenantId(p, 'ruyang'), kind: 'view', path: story, referrer: 'm.baidu.com', story_id: null },
    { tenant_id: tenantId(p, 'ruyang'), kind: 'view', path: '/s/bendi', referrer: null, story_id: null },
  ]);
});

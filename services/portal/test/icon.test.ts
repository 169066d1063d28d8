import t from 'tap';
import { SYSTEM_ACTOR, updateFace } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { get, portal, tenantId } from './helpers.js';

t.test('every face answers /favicon.ico with its own icon', async (t) => {
  const p = await portal(t);
  const icons = new Map<string, string>();
  for (const [slug, initial, colour] of [
    ['ruyang', '汝', '#bf360c'],
    ['yichuan', '伊', '#01579b'],
    ['henan', '河', '#b71c1c'],
  ] as const) {
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const res = await get(p, `${slug}.localhost`, path);
      t.equal(res.statusCode, 200, `${slug} ${path}`);
      t.equal(res.headers['content-type'], 'image/svg+xml', 'an SVG, said so');
      t.match(res.body, `fill="${colour}"`, 'in the face’s primary colour');
      t.match(res.body, `>${initial}</text>`, 'with its first character');
      t.match(String(res.headers['cache-control']), /^public, max-age=3600/, 'cached like the other assets');
      const again = await get(p, `${slug}.localhost`, path, { 'if-none-match': String(res.headers.etag) });
      t.equal(again.statusCode, 304, 'revalidated by ETag');
      icons.set(slug, res.body);
    }
    const home = await get(p, `${slug}.localhost`);
    t.match(home.body, '<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>', 'the head names it');
  }
  t.equal(new Set(icons.values()).size, 3, 'three faces, three icons');
});

t.test('a face naming its own icon; a name that is not text', async (t) => {
  const p = await portal(t);
  const ruyang = tenantId(p, 'ruyang');
  const yichuan = tenantId(p, 'yichuan');
  await withPlatform(p.tdb.db, async (trx) => {
    await updateFace(trx, SYSTEM_ACTOR, ruyang, { faviconUrl: 'https://static.example.cn/ruyang/icon.png' });
    await updateFace(trx, SYSTEM_ACTOR, yichuan, { siteName: '<b>伊川</b>' });
  });
  await p.cache.invalidateTags([`tenant:${ruyang}`, `tenant:${yichuan}`]);
  const own = await get(p, 'ruyang.localhost', '/favicon.ico');
  t.equal(own.statusCode, 302);
  t.equal(own.headers.location, 'https://static.example.cn/ruyang/icon.png', 'sent to the icon it names');
  t.match(
    (await get(p, 'ruyang.localhost')).body,
    '<link rel="icon" href="https://static.example.cn/ruyang/icon.png"/>',
  );
  const escaped = await get(p, 'yichuan.localhost', '/favicon.ico');
  t.match(escaped.body, '>&lt;</text>', 'the character is escaped');
  t.notMatch(escaped.body, '<b>');
});

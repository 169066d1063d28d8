import t from 'tap';
import { get, portal, tenantId } from './helpers.js';
import { desk, draft, image, invalidate, para, place, publish, retract } from './newsroom.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

t.test('/media serves images of live stories and shared images only', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const [ruyang, yichuan] = [tenantId(p, 'ruyang'), tenantId(p, 'yichuan')];
  const cover = await image(d, ruyang, { width: 80, height: 60 });
  const inBody = await image(d, ruyang);
  const poster = await image(d, ruyang);
  const drafted = await image(d, ruyang);
  const unused = await image(d, ruyang);
  const shared = await image(d, ruyang, { shared: true });
  const story = await publish(d, ruyang, {
    coverAssetId: cover.id,
    body: [para('正文'), { type: 'image', assetId: inBody.id }, { type: 'video', url: 'https://v.example.cn/a.mp4', posterAssetId: poster.id }],
  });
  await draft(d, ruyang, { coverAssetId: drafted.id });

  const res = await get(p, 'ruyang.localhost', `/media/${cover.id}`);
  t.equal(res.statusCode, 200, "a live story's cover");
  t.equal(res.headers['content-type'], 'image/png');
  t.equal(res.headers['cache-control'], IMMUTABLE);
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers.etag, `"${cover.id}"`);
  t.same(res.rawPayload, await p.storage.get(cover.storage_key), 'the stored bytes');

  t.equal((await get(p, 'ruyang.localhost', `/media/${cover.id}`, { 'if-none-match': `"${cover.id}"` })).statusCode, 304);
  const head = await p.app.inject({ method: 'HEAD', url: `/media/${cover.id}`, headers: { host: 'ruyang.localhost' } });
  t.equal(head.statusCode, 200);
  t.equal(head.headers['content-type'], 'image/png');
  t.equal(head.body, '');

  t.equal((await get(p, 'ruyang.localhost', `/media/${inBody.id}`)).statusCode, 200, 'an image block');
  t.equal((await get(p, 'ruyang.localhost', `/media/${poster.id}`)).statusCode, 200, 'a video poster');
  t.equal((await get(p, 'yichuan.localhost', `/media/${shared.id}`)).statusCode, 200, 'a shared image, on any face');

  for (const [what, id] of [['a draft’s image', drafted.id], ['an unused image', unused.id], ['no such asset', '00000000-0000-4000-8000-000000000000'], ['not an id', 'x.png']] as const) {
    const miss = await get(p, 'ruyang.localhost', `/media/${id}`);
    t.equal(miss.statusCode, 404, `${what} → 404`);
    t.equal(miss.headers['cache-control'], 'no-store');
  }

  t.equal((await get(p, 'yichuan.localhost', `/media/${cover.id}`)).statusCode, 404, 'a face that does not carry the story');
  await place(d, story, yichuan);
  t.equal((await get(p, 'yichuan.localhost', `/media/${cover.id}`)).statusCode, 200, 'served as soon as it is carried (refusals are not remembered)');

  await t.test('never anything but a raster image', async (t) => {
    const svg = await image(d, ruyang);
    await publish(d, ruyang, { coverAssetId: svg.id });
    await p.tdb.owner.updateTable('assets').set({ mime: 'image/svg+xml' }).where('id', '=', svg.id).execute();
    t.equal((await get(p, 'ruyang.localhost', `/media/${svg.id}`)).statusCode, 404);
  });

  await t.test('bytes missing from the store: 404, not 500', async (t) => {
    const lost = await image(d, ruyang);
    await publish(d, ruyang, { coverAssetId: lost.id });
    await p.storage.delete(lost.storage_key);
    t.equal((await get(p, 'ruyang.localhost', `/media/${lost.id}`)).statusCode, 404);
  });

  await t.test('a retraction takes the permission with it', async (t) => {
    await retract(d, ruyang, story.id, '图片侵权');
    await invalidate(p, ruyang, yichuan);
    t.equal((await get(p, 'ruyang.localhost', `/media/${cover.id}`)).statusCode, 404);
    t.equal((await get(p, 'yichuan.localhost', `/media/${inBody.id}`)).statusCode, 404);
    t.equal((await get(p, 'ruyang.localhost', `/media/${shared.id}`)).statusCode, 200, 'shared images stay');
  });
});

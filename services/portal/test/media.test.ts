import t from 'tap';
import { readdir } from 'node:fs/promises';
import { probeImage, sampleGif, sampleJpeg } from '@yiduan/core';
import { get, LEAK, portal, tenantId } from './helpers.js';
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
    body: [
      para('正文'),
      { type: 'image', assetId: inBody.id },
      { type: 'video', url: 'https://v.example.cn/a.mp4', posterAssetId: poster.id },
    ],
  });
  await draft(d, ruyang, { coverAssetId: drafted.id });

  const res = await get(p, 'ruyang.localhost', `/media/${cover.id}`);
  t.equal(res.statusCode, 200, "a live story's cover");
  t.equal(res.headers['content-type'], 'image/png');
  t.equal(res.headers['cache-control'], IMMUTABLE);
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers.etag, `"${cover.id}"`);
  t.same(res.rawPayload, await p.storage.get(cover.storage_key), 'the stored bytes');

  t.equal(
    (await get(p, 'ruyang.localhost', `/media/${cover.id}`, { 'if-none-match': `"${cover.id}"` })).statusCode,
    304,
  );
  const head = await p.app.inject({ method: 'HEAD', url: `/media/${cover.id}`, headers: { host: 'ruyang.localhost' } });
  t.equal(head.statusCode, 200);
  t.equal(head.headers['content-type'], 'image/png');
  t.equal(head.body, '');

  t.equal((await get(p, 'ruyang.localhost', `/media/${inBody.id}`)).statusCode, 200, 'an image block');
  t.equal((await get(p, 'ruyang.localhost', `/media/${poster.id}`)).statusCode, 200, 'a video poster');
  t.equal((await get(p, 'yichuan.localhost', `/media/${shared.id}`)).statusCode, 200, 'a shared image, on any face');

  for (const [what, id] of [
    ['a draft’s image', drafted.id],
    ['an unused image', unused.id],
    ['no such asset', '00000000-0000-4000-8000-000000000000'],
    ['not an id', 'x.png'],
  ] as const) {
    const miss = await get(p, 'ruyang.localhost', `/media/${id}`);
    t.equal(miss.statusCode, 404, `${what} → 404`);
    t.equal(miss.headers['cache-control'], 'no-store');
  }

  t.equal(
    (await get(p, 'yichuan.localhost', `/media/${cover.id}`)).statusCode,
    404,
    'a face that does not carry the story',
  );
  await place(d, story, yichuan);
  t.equal(
    (await get(p, 'yichuan.localhost', `/media/${cover.id}`)).statusCode,
    200,
    'served as soon as it is carried (refusals are not remembered)',
  );

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

/** Width, height and format, read from the bytes alone. */
const dimensions = (body: Buffer) => {
  const { width, height, format } = probeImage(body);
  return { width, height, format };
};

t.test('/media?w= serves responsive copies under the same rules', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const [ruyang, yichuan] = [tenantId(p, 'ruyang'), tenantId(p, 'yichuan')];
  const cover = await image(d, ruyang, { width: 1600, height: 900 });
  const small = await image(d, ruyang, { width: 64, height: 48 });
  // a phone photo, stored 400×200 with EXIF orientation 6: shown 200×400
  const turned = await image(d, ruyang, { data: sampleJpeg(400, 200, { orientation: 6 }) });
  const gif = await image(d, ruyang, { data: sampleGif(500, 300) });
  const drafted = await image(d, ruyang, { width: 1600, height: 900 });
  const unused = await image(d, ruyang, { width: 1600, height: 900 });
  const shared = await image(d, ruyang, { width: 1000, height: 500, shared: true });
  const story = await publish(d, ruyang, {
    coverAssetId: cover.id,
    body: [
      para('正文'),
      { type: 'image', assetId: small.id },
      { type: 'image', assetId: turned.id },
      { type: 'image', assetId: gif.id },
    ],
  });
  await draft(d, ruyang, { coverAssetId: drafted.id });
  const variantsOf = (key: string) => p.storage.exists(`${key}.w640.webp`);

  const res = await get(p, 'ruyang.localhost', `/media/${cover.id}?w=640`);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'image/webp');
  t.equal(res.headers['cache-control'], IMMUTABLE, 'immutable: the width is part of the URL');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers.etag, `"${cover.id}.w640"`);
  t.equal(res.headers.vary, undefined, 'no Vary');
  t.same(dimensions(res.rawPayload), { width: 640, height: 360, format: 'webp' }, 'at most 640 wide, in proportion');
  t.ok(await variantsOf(cover.storage_key), 'stored beside the original');
  const again = await get(p, 'ruyang.localhost', `/media/${cover.id}?w=640`);
  t.same(again.rawPayload, res.rawPayload, 'read back, the same bytes');

  for (const w of [320, 960, 1280]) {
    const r = await get(p, 'ruyang.localhost', `/media/${cover.id}?w=${w}`);
    t.equal(dimensions(r.rawPayload).width, w, `?w=${w}`);
  }
  t.equal(
    (await get(p, 'ruyang.localhost', `/media/${cover.id}`)).headers['content-type'],
    'image/png',
    'without ?w the original',
  );

  const tiny = await get(p, 'ruyang.localhost', `/media/${small.id}?w=960`);
  t.equal(tiny.statusCode, 200);
  t.same(dimensions(tiny.rawPayload), { width: 64, height: 48, format: 'webp' }, 'never enlarged');

  const upright = await get(p, 'ruyang.localhost', `/media/${turned.id}?w=320`);
  t.same(dimensions(upright.rawPayload), { width: 200, height: 400, format: 'webp' }, 'turned upright');
  t.notOk(upright.rawPayload.toString('latin1').includes('Exif'), 'no EXIF left');

  const animated = await get(p, 'ruyang.localhost', `/media/${gif.id}?w=320`);
  t.equal(animated.statusCode, 200);
  t.equal(animated.headers['content-type'], 'image/gif', 'a GIF is served as it is');
  t.same(animated.rawPayload, await p.storage.get(gif.storage_key));

  await t.test('ETag and HEAD', async (t) => {
    t.equal(
      (await get(p, 'ruyang.localhost', `/media/${cover.id}?w=640`, { 'if-none-match': `"${cover.id}.w640"` }))
        .statusCode,
      304,
    );
    t.equal(
      (await get(p, 'ruyang.localhost', `/media/${cover.id}?w=640`, { 'if-none-match': `"${cover.id}"` })).statusCode,
      200,
      "the original's tag is not the copy's",
    );
    const head = await p.app.inject({
      method: 'HEAD',
      url: `/media/${cover.id}?w=320`,
      headers: { host: 'ruyang.localhost' },
    });
    t.equal(head.statusCode, 200);
    t.equal(head.headers['content-type'], 'image/webp');
    t.equal(head.body, '');
  });

  await t.test('only the fixed widths', async (t) => {
    const before = (await readdir(p.storage.root, { recursive: true })).length;
    for (const q of [
      'w=641',
      'w=0',
      'w=',
      'w=abc',
      'w=640.0',
      'w=0640',
      'w=99999',
      'w=-640',
      'w=1e3',
      'w=320&w=640',
      'w=%36%34%30%20',
    ]) {
      const r = await get(p, 'ruyang.localhost', `/media/${cover.id}?${q}`);
      t.equal(r.statusCode, 400, `?${q} → 400`);
      t.equal(r.headers['cache-control'], 'no-store');
      t.notMatch(r.body, LEAK);
    }
    t.equal((await readdir(p.storage.root, { recursive: true })).length, before, 'nothing stored for them');
    t.equal(
      (await get(p, 'ruyang.localhost', `/media/${cover.id}?w=640&x=1`)).statusCode,
      200,
      'other parameters are ignored, as without ?w',
    );
  });

  await t.test('the same access rules as the original', async (t) => {
    for (const [what, id] of [
      ['a draft’s image', drafted.id],
      ['an unused image', unused.id],
      ['no such asset', '00000000-0000-4000-8000-000000000000'],
    ] as const) {
      const miss = await get(p, 'ruyang.localhost', `/media/${id}?w=640`);
      t.equal(miss.statusCode, 404, `${what} → 404`);
      t.equal(miss.headers['cache-control'], 'no-store');
    }
    t.notOk(await variantsOf(drafted.storage_key), 'no copy is made of a draft’s image');
    t.notOk(await variantsOf(unused.storage_key), 'nor of an unused one');
    t.equal(
      (await get(p, 'yichuan.localhost', `/media/${cover.id}?w=640`)).statusCode,
      404,
      'a face that does not carry the story',
    );
    const elsewhere = await get(p, 'yichuan.localhost', `/media/${shared.id}?w=640`);
    t.equal(elsewhere.statusCode, 200, 'a shared image, on any face');
    t.equal(dimensions(elsewhere.rawPayload).width, 640);
    await place(d, story, yichuan);
    t.equal((await get(p, 'yichuan.localhost', `/media/${cover.id}?w=640`)).statusCode, 200, 'served once carried');
  });

  await t.test('an original the copier cannot read is served as it is, briefly', async (t) => {
    const broken = await image(d, ruyang, { width: 900, height: 600 });
    await publish(d, ruyang, { coverAssetId: broken.id });
    const bytes = (await p.storage.get(broken.storage_key))!;
    // the row says PNG, the bytes stop after the header: nothing to decode
    await p.storage.put(broken.storage_key, bytes.subarray(0, 60), 'image/png');
    const r = await get(p, 'ruyang.localhost', `/media/${broken.id}?w=640`);
    t.equal(r.statusCode, 200);
    t.equal(r.headers['content-type'], 'image/png');
    t.equal(r.headers['cache-control'], 'public, max-age=3600', 'not promised for a year');
    t.equal(r.headers.etag, undefined);
    t.notOk(await variantsOf(broken.storage_key));

    const lost = await image(d, ruyang, { width: 900, height: 600 });
    await publish(d, ruyang, { coverAssetId: lost.id });
    await p.storage.delete(lost.storage_key);
    t.equal((await get(p, 'ruyang.localhost', `/media/${lost.id}?w=640`)).statusCode, 404, 'bytes missing: 404');
  });

  await t.test('a retraction takes the copies with it', async (t) => {
    await retract(d, ruyang, story.id, '图片侵权');
    await invalidate(p, ruyang, yichuan);
    t.ok(await variantsOf(cover.storage_key), 'the stored copy is still there');
    t.equal((await get(p, 'ruyang.localhost', `/media/${cover.id}?w=640`)).statusCode, 404, 'but not served');
    t.equal((await get(p, 'yichuan.localhost', `/media/${cover.id}?w=320`)).statusCode, 404);
  });
});

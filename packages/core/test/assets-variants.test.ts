import t, { type Test } from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import {
  imageVariant,
  ImageVariantError,
  isVariantWidth,
  pngChunk,
  sampleGif,
  sampleJpeg,
  samplePng,
  variantKey,
  variantKeys,
  VARIANT_WIDTHS,
  type VariantSource,
  type VariantWidth,
} from '../src/assets/index.js';
import { LocalDiskStorage, type AssetStorage } from '@yiduan/storage';
import { failure } from '@yiduan/testkit';

/** A store that counts what is asked of it. */
class CountingStorage implements AssetStorage {
  puts: string[] = [];
  gets = 0;
  constructor(private readonly inner: AssetStorage) {}
  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    this.puts.push(key);
    await this.inner.put(key, body, contentType);
  }
  get(key: string): Promise<Buffer | null> {
    this.gets++;
    return this.inner.get(key);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
  exists(key: string): Promise<boolean> {
    return this.inner.exists(key);
  }
}

async function setup(t: Test) {
  const dir = await mkdtemp(join(tmpdir(), 'yd-variants-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const storage = new CountingStorage(new LocalDiskStorage(dir));
  let n = 0;
  /** stores bytes as an asset would be, and returns the part a variant needs */
  const store = async (data: Buffer, mime: string, width: number): Promise<VariantSource> => {
    const storage_key = `tenant-1/2026/05/asset-${++n}.${mime.split('/')[1]}`;
    await storage.put(storage_key, data, mime);
    storage.puts = [];
    return { storage_key, mime, width };
  };
  return { storage, store };
}

/** A citizen's photo as phones write it: EXIF with a camera, a time and a GPS position. */
function phonePhoto(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 90, g: 140, b: 200 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'SecretPhone', Model: 'X1', Copyright: 'Zhang San' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '34/1 9/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '112/1 28/1 0/1' },
    })
    .toBuffer();
}

t.test('the width set', async (t) => {
  t.same([...VARIANT_WIDTHS], [320, 640, 960, 1280]);
  t.ok(isVariantWidth(640));
  for (const w of [0, 1, 641, 2000, -320, 640.5, '640', null])
    t.notOk(isVariantWidth(w), `${String(w)} is not a variant width`);
  const source = { storage_key: 't/2026/05/a.jpg', width: 800 };
  t.equal(variantKey(source, 640), 't/2026/05/a.jpg.w640.webp');
  t.equal(variantKey(source, 1280), 't/2026/05/a.jpg.w800.webp', 'at most the original width');
  t.same(
    variantKeys(source),
    ['t/2026/05/a.jpg.w320.webp', 't/2026/05/a.jpg.w640.webp', 't/2026/05/a.jpg.w800.webp'],
    'every key, once',
  );
});

t.test('a resized WebP copy, stored once and read back afterwards', async (t) => {
  const { storage, store } = await setup(t);
  const photo = await phonePhoto(2000, 1000);
  t.ok((await sharp(photo).metadata()).exif, 'the original carries EXIF');
  t.ok(photo.toString('latin1').includes('SecretPhone'), 'with the camera in plain bytes');
  const source = await store(photo, 'image/jpeg', 2000);

  const first = await imageVariant(storage, source, 640);
  if (!first) throw new Error('no variant');
  t.equal(first.key, `${source.storage_key}.w640.webp`);
  t.equal(first.mime, 'image/webp');
  t.equal(first.resized, true);
  const meta = await sharp(first.body).metadata();
  t.equal(meta.format, 'webp');
  t.equal(meta.width, 640);
  t.equal(meta.height, 320, 'the aspect ratio kept');
  t.same(storage.puts, [first.key], 'stored under the derived key');

  await t.test('no metadata leaks', async (t) => {
    t.notOk(meta.exif, 'no EXIF');
    t.notOk(meta.xmp, 'no XMP');
    t.notOk(meta.iptc, 'no IPTC');
    const text = first.body.toString('latin1');
    for (const s of ['Exif', 'SecretPhone', 'Zhang San', 'GPS']) t.notOk(text.includes(s), `no "${s}" in the bytes`);
  });

  const second = await imageVariant(storage, source, 640);
  t.same(second?.body, first.body, 'the same bytes');
  t.same(storage.puts, [first.key], 'the second call does not write again');

  const small = await imageVariant(storage, source, 320);
  t.equal((await sharp(small!.body).metadata()).width, 320);
  t.equal(storage.puts.length, 2, 'each width once');
});

t.test('never larger than the original', async (t) => {
  const { storage, store } = await setup(t);
  const source = await store(samplePng(800, 600), 'image/png', 800);
  const big = await imageVariant(storage, source, 1280);
  const meta = await sharp(big!.body).metadata();
  t.equal(meta.width, 800);
  t.equal(meta.height, 600);
  t.equal(meta.format, 'webp', 'still a clean re-encoded copy, not the original');
  t.equal(big!.key, `${source.storage_key}.w800.webp`);
  const mid = await imageVariant(storage, source, 960);
  t.equal(mid!.key, big!.key, '960 and 1280 share the copy at the original width');
  t.same(storage.puts, [big!.key], 'made once for both');
  t.equal(
    (await sharp((await imageVariant(storage, source, 320))!.body).metadata()).width,
    320,
    'smaller widths still shrink',
  );
});

t.test('turned upright by the EXIF orientation, which is then dropped', async (t) => {
  const { storage, store } = await setup(t);
  // stored 400×200, shown 200×400 (orientation 6 turns it a quarter)
  const source = await store(sampleJpeg(400, 200, { orientation: 6 }), 'image/jpeg', 200);
  const v = await imageVariant(storage, source, 320);
  const meta = await sharp(v!.body).metadata();
  t.equal(meta.width, 200);
  t.equal(meta.height, 400);
  t.notOk(meta.orientation, 'no orientation left to apply twice');
});

t.test('GIFs are served as they are', async (t) => {
  const { storage, store } = await setup(t);
  const gif = sampleGif(500, 300);
  const source = await store(gif, 'image/gif', 500);
  const v = await imageVariant(storage, source, 320);
  t.same(v, { key: source.storage_key, body: gif, mime: 'image/gif', resized: false });
  t.same(storage.puts, [], 'nothing stored');
});

t.test('animated WebPs are served as they are', async (t) => {
  const { storage, store } = await setup(t);
  const frames = await Promise.all(
    ['#c03', '#0c3', '#30c'].map((background) =>
      sharp({ create: { width: 400, height: 200, channels: 3, background } })
        .png()
        .toBuffer(),
    ),
  );
  const animated = await sharp(frames, { join: { animated: true } })
    .webp({ loop: 0, delay: [100, 100, 100] })
    .toBuffer();
  t.equal((await sharp(animated).metadata()).pages, 3, 'an animation');
  const source = await store(animated, 'image/webp', 400);
  const v = await imageVariant(storage, source, 320);
  t.same(v, { key: source.storage_key, body: animated, mime: 'image/webp', resized: false });
  t.same(storage.puts, [], 'nothing stored');
});

t.test('simultaneous requests in one process make the copy once', async (t) => {
  const { storage, store } = await setup(t);
  const source = await store(await phonePhoto(1600, 900), 'image/jpeg', 1600);
  const results = await Promise.all(Array.from({ length: 5 }, () => imageVariant(storage, source, 960)));
  t.same(storage.puts, [`${source.storage_key}.w960.webp`]);
  for (const r of results) t.same(r?.body, results[0]?.body);
});

t.test('missing, damaged and oversized originals', async (t) => {
  const { storage, store } = await setup(t);
  t.equal(
    await imageVariant(storage, { storage_key: 'tenant-1/2026/05/gone.png', mime: 'image/png', width: 900 }, 640),
    null,
    'missing bytes: null',
  );

  const cut = samplePng(900, 600).subarray(0, 60);
  const damaged = await store(cut, 'image/png', 900);
  const err = await failure(imageVariant(storage, damaged, 640));
  t.type(err, ImageVariantError, 'a damaged original');
  t.same(storage.puts, [], 'nothing stored for it');

  // a decompression bomb: a header declaring 20000×20000 over a few bytes of data
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20_000, 0);
  ihdr.writeUInt32BE(20_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const bomb = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1000))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
  const bombErr = await failure(imageVariant(storage, await store(bomb, 'image/png', 20_000), 640));
  t.type(bombErr, ImageVariantError, 'refused');
  t.match(String((bombErr as ImageVariantError).cause), /pixel limit/i, 'by the pixel limit, before decoding');

  await t.rejects(imageVariant(storage, damaged, 641 as VariantWidth), RangeError, 'only widths of the set');
});

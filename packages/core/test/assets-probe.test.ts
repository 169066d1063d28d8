import t, { type Test } from 'tap';
import {
  AssetRejectedError,
  crc32,
  probeImage,
  sampleGif,
  sampleJpeg,
  samplePng,
  sampleWebp,
  sniffFormat,
  type AssetRejection,
} from '../src/assets/index.js';

/** The reason a probe refused the bytes, or null when it accepted them. */
function refusal(data: Buffer, limits = {}): AssetRejectedError | null {
  try {
    probeImage(data, limits);
    return null;
  } catch (err) {
    if (err instanceof AssetRejectedError) return err;
    throw err;
  }
}

function refuses(t: Test, data: Buffer, reason: AssetRejection, text: string, limits = {}): void {
  const err = refusal(data, limits);
  t.equal(err?.reason, reason, `refused as ${reason}`);
  t.equal(err?.code, 'BAD_USER_INPUT');
  t.match(err?.message, text);
  t.same(
    err?.problems.map((p) => p.path),
    ['file'],
  );
}

/** A PNG whose IHDR declares another size, with a valid CRC (a decompression bomb header). */
function pngDeclaring(width: number, height: number): Buffer {
  const png = Buffer.from(samplePng(1, 1));
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

t.test('reads the real format and dimensions of each accepted type', async (t) => {
  t.match(probeImage(samplePng(5, 3)), { format: 'png', mime: 'image/png', ext: 'png', width: 5, height: 3 });
  t.match(probeImage(sampleJpeg(17, 9)), { format: 'jpeg', mime: 'image/jpeg', ext: 'jpg', width: 17, height: 9 });
  t.match(probeImage(sampleGif(7, 4)), { format: 'gif', mime: 'image/gif', ext: 'gif', width: 7, height: 4 });
  t.match(probeImage(sampleWebp(9, 6)), { format: 'webp', mime: 'image/webp', ext: 'webp', width: 9, height: 6 });
  const png = samplePng(2, 2);
  t.equal(probeImage(png).bytes, png.length);
});

t.test('a JPEG rotated by EXIF reports its displayed size', async (t) => {
  t.match(probeImage(sampleJpeg(3, 2, { orientation: 6 })), { width: 2, height: 3 });
  t.match(probeImage(sampleJpeg(3, 2, { orientation: 1 })), { width: 3, height: 2 });
});

t.test('only magic bytes decide the type', async (t) => {
  t.equal(sniffFormat(Buffer.from('hello, this is not a picture')), null);
  refuses(
    t,
    Buffer.from('hello, this is not a picture at all'),
    'ASSET_TYPE_INVALID',
    '只支持 JPEG、PNG、WebP、GIF 图片',
  );
  refuses(t, Buffer.from('<html><body><img src=x onerror=alert(1)></body></html>'), 'ASSET_TYPE_INVALID', '只支持');
});

t.test('SVG is refused, with or without an XML prolog', async (t) => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>';
  refuses(t, Buffer.from(svg), 'ASSET_TYPE_INVALID', '只支持');
  refuses(t, Buffer.from(`<?xml version="1.0"?>\n${svg}`), 'ASSET_TYPE_INVALID', '只支持');
});

t.test('other image types are refused too', async (t) => {
  const bmp = Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]);
  refuses(t, bmp, 'ASSET_TYPE_INVALID', '只支持');
});

t.test('empty and oversized files are refused', async (t) => {
  refuses(t, Buffer.alloc(0), 'ASSET_EMPTY', '文件为空');
  const png = samplePng(20, 20);
  refuses(t, png, 'ASSET_TOO_LARGE', '文件过大', { maxBytes: png.length - 1 });
  t.equal(refusal(png, { maxBytes: png.length }), null, 'exactly at the limit is fine');
  refuses(t, Buffer.alloc(10 * 1024 * 1024 + 1, 0xff), 'ASSET_TOO_LARGE', '文件过大', {});
});

t.test('declared dimensions beyond the limits are refused (decompression bombs)', async (t) => {
  const png = pngDeclaring(50_000, 50_000);
  t.ok(png.length < 100, 'a tiny file');
  refuses(t, png, 'ASSET_DIMENSIONS_TOO_LARGE', '图片尺寸过大');
  refuses(t, pngDeclaring(12_001, 1), 'ASSET_DIMENSIONS_TOO_LARGE', '每边不超过 12000 像素');
  refuses(t, pngDeclaring(10_000, 9_000), 'ASSET_DIMENSIONS_TOO_LARGE', '8000 万', {});
  t.equal(refusal(samplePng(12_000, 1)), null, '12000 px on a side is allowed');
  refuses(t, samplePng(30, 30), 'ASSET_DIMENSIONS_TOO_LARGE', '图片尺寸过大', { maxPixels: 899 });
});

t.test('a GIF frame larger than its screen is checked too', async (t) => {
  const gif = Buffer.from(sampleGif(2, 2));
  const descriptor = gif.indexOf(0x2c, 13);
  gif.writeUInt16LE(60_000, descriptor + 5);
  refuses(t, gif, 'ASSET_DIMENSIONS_TOO_LARGE', '图片尺寸过大');
});

t.test('truncated and corrupt files are refused', async (t) => {
  const cases: Record<string, Buffer> = {
    'png cut after its header': samplePng(8, 8).subarray(0, 40),
    'png cut in the data': samplePng(64, 64).subarray(0, -20),
    'png without IEND': samplePng(8, 8).subarray(0, -12),
    'png signature then garbage': Buffer.concat([
      samplePng(1, 1).subarray(0, 8),
      Buffer.from('garbage garbage garbage'),
    ]),
    'jpeg without end marker': sampleJpeg(16, 16).subarray(0, -2),
    'jpeg cut before its scan': sampleJpeg(16, 16).subarray(0, 120),
    'jpeg magic then garbage': Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(40, 0x41)]),
    'gif without trailer': sampleGif(8, 8).subarray(0, -1),
    'gif cut in its data': sampleGif(40, 30).subarray(0, 200),
    'webp cut short': sampleWebp(9, 6).subarray(0, -2),
    'riff header only': Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8L', 'latin1'),
    'zero width png': pngDeclaring(0, 5),
  };
  for (const [name, data] of Object.entries(cases)) {
    t.equal(refusal(data)?.reason, 'ASSET_CORRUPT', name);
  }
  refuses(t, samplePng(8, 8).subarray(0, 40), 'ASSET_CORRUPT', '图片文件已损坏');
});

t.test('each refusal has its own message', async (t) => {
  const messages = [
    refusal(Buffer.alloc(0)),
    refusal(samplePng(4, 4), { maxBytes: 10 }),
    refusal(Buffer.from('plain text')),
    refusal(pngDeclaring(50_000, 50_000)),
    refusal(samplePng(4, 4).subarray(0, 50)),
  ].map((e) => e?.message.split('：')[0]);
  t.same(messages, ['文件为空', '文件过大', '只支持 JPEG、PNG、WebP、GIF 图片', '图片尺寸过大', '图片文件已损坏']);
});

import { deflateSync } from 'node:zlib';

/**
 * Tiny, real, solid-colour images built byte by byte: for demo data and tests
 * without binary fixtures or an image library. Each one decodes in browsers.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as PNG uses it (node:zlib's crc32 needs Node 20.15). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u16be = (n: number): Buffer => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u16le = (n: number): Buffer => Buffer.from([n & 0xff, (n >> 8) & 0xff]);
const u32be = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const u32le = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

export function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([u32be(data.length), body, u32be(crc32(body))]);
}

export function samplePng(width: number, height: number, rgb: [number, number, number] = [200, 30, 30]): Buffer {
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const ihdr = Buffer.concat([u32be(width), u32be(height), Buffer.from([8, 2, 0, 0, 0])]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const segment = (marker: number, data: Buffer): Buffer =>
  Buffer.concat([Buffer.from([0xff, marker]), u16be(data.length + 2), data]);

/**
 * A mid-grey baseline JPEG: every block's DC difference and AC run are the
 * single symbol 0 of one-code Huffman tables, so each 8×8 block costs 2 bits.
 */
export function sampleJpeg(width: number, height: number, opts: { orientation?: number } = {}): Buffer {
  const parts = [Buffer.from([0xff, 0xd8]), segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'))];
  if (opts.orientation !== undefined) {
    // EXIF: big-endian TIFF header, one IFD entry 0x0112 (orientation), SHORT
    const tiff = Buffer.concat([
      Buffer.from('MM\0*', 'latin1'),
      u32be(8),
      u16be(1),
      u16be(0x0112),
      u16be(3),
      u32be(1),
      u16be(opts.orientation),
      u16be(0),
      u32be(0),
    ]);
    parts.push(segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])));
  }
  const oneCodeTable = (classAndId: number): Buffer =>
    Buffer.concat([Buffer.from([classAndId, 1]), Buffer.alloc(15), Buffer.from([0])]);
  parts.push(
    segment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])),
    segment(0xc0, Buffer.concat([Buffer.from([8]), u16be(height), u16be(width), Buffer.from([1, 1, 0x11, 0])])),
    segment(0xc4, oneCodeTable(0x00)),
    segment(0xc4, oneCodeTable(0x10)),
    segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
  );
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const scan = Buffer.alloc(Math.ceil((blocks * 2) / 8));
  const usedBits = (blocks * 2) % 8;
  if (usedBits) scan[scan.length - 1] = 0xff >> usedBits; // pad the last byte with 1 bits
  parts.push(scan, Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}

class BitWriter {
  private bytes: number[] = [];
  private bit = 0;
  write(value: number, count: number): this {
    for (let i = 0; i < count; i++) {
      if (this.bit === 0) this.bytes.push(0);
      if ((value >> i) & 1) this.bytes[this.bytes.length - 1]! |= 1 << this.bit;
      this.bit = (this.bit + 1) % 8;
    }
    return this;
  }
  buffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

/** A two-colour GIF filled with the first colour; LZW codes stay 3 bits wide because every pixel follows a clear code. */
export function sampleGif(width: number, height: number, rgb: [number, number, number] = [30, 120, 200]): Buffer {
  const lzw = new BitWriter();
  for (let i = 0; i < width * height; i++) lzw.write(4, 3).write(0, 3);
  const data = lzw.write(5, 3).buffer();
  const subBlocks: Buffer[] = [];
  for (let i = 0; i < data.length; i += 255) {
    const part = data.subarray(i, i + 255);
    subBlocks.push(Buffer.from([part.length]), part);
  }
  return Buffer.concat([
    Buffer.from('GIF89a', 'latin1'),
    u16le(width),
    u16le(height),
    Buffer.from([0x80, 0, 0]),
    Buffer.from([...rgb, 0, 0, 0]),
    Buffer.from([0x2c]),
    u16le(0),
    u16le(0),
    u16le(width),
    u16le(height),
    Buffer.from([0, 2]),
    ...subBlocks,
    Buffer.from([0, 0x3b]),
  ]);
}

/** A lossless WebP whose five prefix codes each hold one symbol: every pixel costs 0 bits. */
export function sampleWebp(width: number, height: number, rgb: [number, number, number] = [30, 160, 60]): Buffer {
  const bits = new BitWriter()
    .write(0x2f, 8)
    .write(width - 1, 14)
    .write(height - 1, 14)
    .write(0, 1)
    .write(0, 3);
  bits.write(0, 1).write(0, 1).write(0, 1); // no transform, no colour cache, no meta prefix codes
  const [r, g, b] = rgb;
  for (const symbol of [g, r, b, 0xff]) bits.write(1, 1).write(0, 1).write(1, 1).write(symbol, 8);
  bits.write(1, 1).write(0, 1).write(0, 1).write(0, 1); // distance code: the one symbol 0
  const vp8l = bits.buffer();
  const chunk = Buffer.concat([Buffer.from('VP8L', 'latin1'), u32le(vp8l.length), vp8l, Buffer.alloc(vp8l.length % 2)]);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), u32le(4 + chunk.length), Buffer.from('WEBP', 'latin1'), chunk]);
}

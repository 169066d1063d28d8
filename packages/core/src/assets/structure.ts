/**
 * Cheap structural walks over the container of each accepted format. image-size
 * reads only the header, so a file cut short after its header would pass it;
 * these walks make sure the file is whole (reaches its end marker) without
 * decoding any pixels.
 */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

export interface FrameSize {
  width: number;
  height: number;
}

export interface Structure {
  /** frames the file declares with their own size (GIF); empty for the others */
  frames: FrameSize[];
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Which of the accepted formats the bytes are, by magic number only. */
export function sniffFormat(data: Buffer): ImageFormat | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (data.length >= 16 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 15) === 'WEBPVP8')
    return 'webp';
  if (/^GIF8[79]a$/.test(data.toString('latin1', 0, 6))) return 'gif';
  return null;
}

/** null when the file is truncated or malformed. */
export function checkStructure(format: ImageFormat, data: Buffer): Structure | null {
  try {
    switch (format) {
      case 'png':
        return walkPng(data) ? { frames: [] } : null;
      case 'jpeg':
        return walkJpeg(data) ? { frames: [] } : null;
      case 'webp':
        return checkRiff(data) ? { frames: [] } : null;
      case 'gif':
        return walkGif(data);
    }
  } catch {
    // Buffer reads past the end throw RangeError: the file is cut short
    return null;
  }
}

/** Chunks from IHDR to IEND, each fully present. */
function walkPng(data: Buffer): boolean {
  let off = 8;
  let first = true;
  let sawData = false;
  while (off + 12 <= data.length) {
    const len = data.readUInt32BE(off);
    const type = data.toString('latin1', off + 4, off + 8);
    if (first && (type !== 'IHDR' || len !== 13)) return false;
    first = false;
    if (off + 12 + len > data.length) return false;
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') return sawData;
    off += 12 + len;
  }
  return false;
}

/** Marker segments up to the first scan, then an end-of-image marker after it. */
function walkJpeg(data: Buffer): boolean {
  let off = 2;
  while (off + 4 <= data.length) {
    if (data[off] !== 0xff) return false;
    const marker = data[off + 1]!;
    if (marker === 0xff) {
      off += 1;
      continue;
    } // fill byte
    if (marker === 0xd9) return false; // ended before any scan
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      off += 2;
      continue;
    }
    const len = data.readUInt16BE(off + 2);
    if (len < 2 || off + 2 + len > data.length) return false;
    // Scan data byte-stuffs 0xFF, so FF D9 after the first scan is the real end
    // (an EXIF thumbnail's own FF D9 sits before the scan and is not counted).
    if (marker === 0xda) return lastEoi(data) > off;
    off += 2 + len;
  }
  return false;
}

function lastEoi(data: Buffer): number {
  for (let i = data.length - 2; i >= 0; i--) if (data[i] === 0xff && data[i + 1] === 0xd9) return i;
  return -1;
}

/** The RIFF header says how long the file is. */
function checkRiff(data: Buffer): boolean {
  const size = data.readUInt32LE(4);
  return size >= 12 && size + 8 <= data.length;
}

const colorTableBytes = (packed: number): number => (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);

/** Blocks from the screen descriptor to the trailer, collecting frame sizes. */
function walkGif(data: Buffer): Structure | null {
  let off = 13 + colorTableBytes(data.readUInt8(10));
  const frames: FrameSize[] = [];
  const skipSubBlocks = (): void => {
    for (let n = data.readUInt8(off); n !== 0; n = data.readUInt8(off)) off += 1 + n;
    off += 1;
  };
  for (;;) {
    const block = data.readUInt8(off);
    if (block === 0x3b) return frames.length > 0 ? { frames } : null;
    if (block === 0x21) {
      off += 2; // introducer + label
      skipSubBlocks();
    } else if (block === 0x2c) {
      frames.push({ width: data.readUInt16LE(off + 5), height: data.readUInt16LE(off + 7) });
      off += 10 + colorTableBytes(data.readUInt8(off + 9)) + 1; // descriptor, local table, LZW code size
      skipSubBlocks();
    } else {
      return null;
    }
  }
}

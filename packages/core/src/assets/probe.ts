import { imageSize } from 'image-size';
import { AssetRejectedError } from './errors.js';
import { checkStructure, sniffFormat, type ImageFormat } from './structure.js';

export type { ImageFormat } from './structure.js';
export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';

export interface ProbeLimits {
  /** bytes; default 10 MiB */
  maxBytes?: number;
  /** pixels per side; default 12000 */
  maxSide?: number;
  /** width × height; default 80 megapixels */
  maxPixels?: number;
}

export const DEFAULT_PROBE_LIMITS: Required<ProbeLimits> = {
  maxBytes: 10 * 1024 * 1024,
  maxSide: 12_000,
  maxPixels: 80_000_000,
};

export interface ProbedImage {
  format: ImageFormat;
  mime: ImageMime;
  ext: string;
  bytes: number;
  /** as displayed: JPEG EXIF rotations of 90° swap the stored width and height */
  width: number;
  height: number;
}

const FORMATS: Record<ImageFormat, { mime: ImageMime; ext: string; sizeType: string }> = {
  jpeg: { mime: 'image/jpeg', ext: 'jpg', sizeType: 'jpg' },
  png: { mime: 'image/png', ext: 'png', sizeType: 'png' },
  webp: { mime: 'image/webp', ext: 'webp', sizeType: 'webp' },
  gif: { mime: 'image/gif', ext: 'gif', sizeType: 'gif' },
};

const mib = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

/**
 * Decides what an upload really is from its bytes alone: the filename and the
 * declared type are never trusted (a "photo.png" may be HTML or SVG with
 * scripts). Refuses empty, oversized, unknown, truncated files and
 * decompression bombs (huge declared dimensions in a small file).
 */
export function probeImage(data: Buffer, limits: ProbeLimits = {}): ProbedImage {
  const { maxBytes, maxSide, maxPixels } = { ...DEFAULT_PROBE_LIMITS, ...limits };
  if (data.length === 0) throw new AssetRejectedError('ASSET_EMPTY');
  if (data.length > maxBytes) throw new AssetRejectedError('ASSET_TOO_LARGE', `不能超过 ${mib(maxBytes)}`);
  const format = sniffFormat(data);
  if (!format) throw new AssetRejectedError('ASSET_TYPE_INVALID');
  const info = FORMATS[format];

  let width: number;
  let height: number;
  try {
    const size = imageSize(data);
    if (size.type !== info.sizeType) throw new TypeError(`read as ${String(size.type)}`);
    const turned = size.orientation !== undefined && size.orientation >= 5 && size.orientation <= 8;
    width = turned ? size.height : size.width;
    height = turned ? size.width : size.height;
  } catch {
    throw new AssetRejectedError('ASSET_CORRUPT');
  }
  if (!(width > 0 && height > 0)) throw new AssetRejectedError('ASSET_CORRUPT');

  const tooBig = (w: number, h: number): boolean => w > maxSide || h > maxSide || w * h > maxPixels;
  const limitText = `每边不超过 ${maxSide} 像素，总像素不超过 ${Math.floor(maxPixels / 10_000)} 万`;
  if (tooBig(width, height)) throw new AssetRejectedError('ASSET_DIMENSIONS_TOO_LARGE', limitText);

  const structure = checkStructure(format, data);
  if (!structure) throw new AssetRejectedError('ASSET_CORRUPT');
  // a GIF frame may declare a size of its own, larger than the screen
  if (structure.frames.some((f) => tooBig(f.width, f.height)))
    throw new AssetRejectedError('ASSET_DIMENSIONS_TOO_LARGE', limitText);

  return { format, mime: info.mime, ext: info.ext, bytes: data.length, width, height };
}

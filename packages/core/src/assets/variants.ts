import type Sharp from 'sharp';
import type { Asset } from '@yiduan/db';
import { DEFAULT_PROBE_LIMITS } from './probe.js';
import type { AssetStorage } from '@yiduan/storage';

/**
 * Responsive copies of stored images.
 *
 * Widths: a fixed set, never an arbitrary number, so the copies per asset are
 * bounded (at most four) and a crawler cannot fill the store by asking for
 * `?w=1`, `?w=2` … The set covers a phone thumbnail at 2× (320), a phone-wide
 * image (640), a tablet or laptop column (960) and the 62rem story column at
 * high density (1280).
 *
 * Never larger than the original: a width at or above the original's makes a
 * copy at the original's width, stored under that width, so `?w=960` and
 * `?w=1280` of an 800-pixel photo share one stored copy (`….w800.webp`).
 *
 * Format: WebP for every still image (JPEG, PNG, WebP). Every browser the
 * portal targets decodes it (Safari since 14), and it is 25–35 % smaller than
 * JPEG at the same quality; quality 80 suits news photos, and alpha is kept
 * for PNG logos and charts. GIFs and animated WebPs are not resized: they are
 * served as they are (a still copy would lose the animation, and re-encoding
 * every frame costs too much for the little there is to gain).
 *
 * Privacy: sharp writes no metadata unless asked, so the copies carry no
 * EXIF (GPS position, camera serial, time taken), XMP, IPTC or ICC profile;
 * the pixels are first turned upright by the EXIF orientation, which is
 * dropped with the rest.
 */
export const VARIANT_WIDTHS = [320, 640, 960, 1280] as const;
export type VariantWidth = (typeof VARIANT_WIDTHS)[number];

export const VARIANT_MIME = 'image/webp';
const WEBP = { quality: 80, alphaQuality: 90, effort: 4 } as const;

/** Whether a number is one of the widths copies are made for. */
export function isVariantWidth(n: unknown): n is VariantWidth {
  return typeof n === 'number' && (VARIANT_WIDTHS as readonly number[]).includes(n);
}

/** The part of an asset a copy is made from; `width` is as displayed (after EXIF rotation), as stored on the row. */
export type VariantSource = Pick<Asset, 'storage_key' | 'mime' | 'width'>;

export interface ImageVariant {
  /** where the bytes are stored; the original's key when the image is served as it is */
  key: string;
  body: Buffer;
  mime: string;
  /** false when the original is served as it is (GIF, animated WebP) */
  resized: boolean;
}

/** Kept as they are: resizing would lose the animation. */
const AS_IS = new Set(['image/gif']);

/** The width a copy for `requested` really has: never above the original's. */
export function variantWidthFor(source: Pick<VariantSource, 'width'>, requested: VariantWidth): number {
  return Math.max(1, Math.min(requested, source.width));
}

/** The storage key of a copy; beside the original, so listing or deleting by prefix finds both. */
export function variantKey(source: Pick<VariantSource, 'storage_key' | 'width'>, requested: VariantWidth): string {
  return `${source.storage_key}.w${variantWidthFor(source, requested)}.webp`;
}

/** Every key a copy of this asset may be stored under (for deleting an asset with its copies). */
export function variantKeys(source: Pick<VariantSource, 'storage_key' | 'width'>): string[] {
  return [...new Set(VARIANT_WIDTHS.map((w) => variantKey(source, w)))];
}

/** The original could not be decoded or resized; the caller may fall back to the original bytes. */
export class ImageVariantError extends Error {
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot make image variant ${key}`, options);
    this.name = 'ImageVariantError';
  }
}

/**
 * sharp (libvips, a native library) is loaded on the first copy made, not when
 * core is imported: the API, console and worker import core but never resize.
 */
let loadedSharp: Promise<typeof Sharp> | undefined;
const loadSharp = () => (loadedSharp ??= import('sharp').then((m) => m.default));

/** Copies being made right now, per store: simultaneous requests in one process share one job. */
const inFlight = new WeakMap<AssetStorage, Map<string, Promise<ImageVariant | null>>>();

/**
 * A copy of a stored image `width` pixels wide (or the original's width when
 * smaller), made on first use and stored under a derived key; later calls
 * read it back. Null when the original's bytes are missing.
 *
 * Two processes asking at once may both make the copy: each writes the same
 * bytes under the same key (stores replace objects whole), so the loser's
 * write is harmless. Within one process, concurrent calls share one job.
 *
 * Throws ImageVariantError when the original cannot be decoded; storage
 * errors pass through unchanged.
 */
export async function imageVariant(
  storage: AssetStorage,
  source: VariantSource,
  width: VariantWidth,
): Promise<ImageVariant | null> {
  if (!isVariantWidth(width)) throw new RangeError(`not a variant width: ${String(width)}`);
  if (AS_IS.has(source.mime)) return original(storage, source);

  const key = variantKey(source, width);
  // get, not exists + get: one round trip to the store on the common path
  const stored = await storage.get(key);
  if (stored) return { key, body: stored, mime: VARIANT_MIME, resized: true };

  let jobs = inFlight.get(storage);
  if (!jobs) inFlight.set(storage, (jobs = new Map()));
  const running = jobs.get(key);
  if (running) return running;
  const job = makeVariant(storage, source, key, variantWidthFor(source, width)).finally(() => jobs.delete(key));
  jobs.set(key, job);
  return job;
}

async function original(storage: AssetStorage, source: VariantSource): Promise<ImageVariant | null> {
  const body = await storage.get(source.storage_key);
  return body ? { key: source.storage_key, body, mime: source.mime, resized: false } : null;
}

async function makeVariant(
  storage: AssetStorage,
  source: VariantSource,
  key: string,
  width: number,
): Promise<ImageVariant | null> {
  const input = await storage.get(source.storage_key);
  if (!input) return null;
  let body: Buffer;
  try {
    const sharp = await loadSharp();
    // the same pixel ceiling as uploads: a decompression bomb that slipped past is refused before decoding
    const options = { limitInputPixels: DEFAULT_PROBE_LIMITS.maxPixels };
    const meta = await sharp(input, options).metadata();
    if ((meta.pages ?? 1) > 1) return { key: source.storage_key, body: input, mime: source.mime, resized: false };
    body = await sharp(input, options).autoOrient().resize({ width, withoutEnlargement: true }).webp(WEBP).toBuffer();
  } catch (err) {
    throw new ImageVariantError(key, { cause: err });
  }
  await storage.put(key, body, VARIANT_MIME);
  return { key, body, mime: VARIANT_MIME, resized: true };
}

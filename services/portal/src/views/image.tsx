import { VARIANT_WIDTHS } from '@yiduan/core';
import type { ImageMap, ImageMeta } from '../data/images.js';
import { mediaPath } from '../site/urls.js';

/** `sizes` for an image as wide as the content column (.wrap: 64rem less 1rem padding each side). */
export const COLUMN_SIZES = '(min-width: 64rem) 62rem, calc(100vw - 2rem)';
/** `sizes` for a list thumbnail (.thumb: 7.5rem, 10rem from 48rem up). */
export const THUMB_SIZES = '(min-width: 48rem) 10rem, 7.5rem';

/** Width asked for in `src`, for browsers without srcset: a phone-wide copy. */
const DEFAULT_WIDTH = 640;

export interface ResponsiveSource {
  src: string;
  /** absent when only the original is served (GIF) */
  srcset?: string;
}

/**
 * `src` and `srcset` for a stored image. Each fixed width up to the
 * original's is offered once, described by the width the copy really has
 * (the media route never enlarges: `?w=960` of an 800-pixel photo is 800 wide).
 */
export function responsiveSource(assetId: string, meta: Pick<ImageMeta, 'width' | 'mime'>): ResponsiveSource {
  if (meta.mime === 'image/gif') return { src: mediaPath(assetId) };
  const offered: { asked: number; real: number }[] = [];
  for (const asked of VARIANT_WIDTHS) {
    const real = Math.min(asked, meta.width);
    offered.push({ asked, real });
    if (real === meta.width) break;
  }
  const fallback = offered.find((o) => o.asked >= DEFAULT_WIDTH) ?? offered[offered.length - 1]!;
  return {
    src: mediaPath(assetId, fallback.asked),
    srcset: offered.map((o) => `${mediaPath(assetId, o.asked)} ${o.real}w`).join(', '),
  };
}

export interface StoredImageProps {
  assetId: string | null | undefined;
  images: ImageMap;
  /** empty for decorative images (a thumbnail beside its own title) */
  alt: string;
  class?: string;
  /** how wide the image is laid out, for choosing among the srcset; the content column by default */
  sizes?: string;
  /** not lazy: the image is usually in view when the page opens */
  eager?: boolean;
  /** the page's main image (largest contentful paint): eager and fetched first */
  priority?: boolean;
}

/**
 * An image from the face's media route, in responsive sizes, sized to avoid
 * layout shift, lazy unless told otherwise; nothing when its asset is gone.
 */
export function StoredImage({
  assetId,
  images,
  alt,
  class: className,
  sizes = COLUMN_SIZES,
  eager,
  priority,
}: StoredImageProps) {
  const meta = assetId ? images.get(assetId) : undefined;
  if (!assetId || !meta) return null;
  const { src, srcset } = responsiveSource(assetId, meta);
  return (
    <img
      class={className}
      src={src}
      srcset={srcset}
      sizes={srcset ? sizes : undefined}
      width={meta.width}
      height={meta.height}
      alt={alt}
      loading={eager || priority ? undefined : 'lazy'}
      fetchpriority={priority ? 'high' : undefined}
      decoding="async"
    />
  );
}

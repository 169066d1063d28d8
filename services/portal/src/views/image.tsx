import type { ImageMap } from '../data/images.js';
import { mediaPath } from '../site/urls.js';

export interface StoredImageProps {
  assetId: string | null | undefined;
  images: ImageMap;
  /** empty for decorative images (a thumbnail beside its own title) */
  alt: string;
  class?: string;
  /** the first image on a page is not lazy: it is usually in view */
  eager?: boolean;
}

/** An image from the face's media route, sized to avoid layout shift; nothing when its asset is gone. */
export function StoredImage({ assetId, images, alt, class: className, eager }: StoredImageProps) {
  const meta = assetId ? images.get(assetId) : undefined;
  if (!assetId || !meta) return null;
  return <img class={className} src={mediaPath(assetId)} width={meta.width} height={meta.height} alt={alt} loading={eager ? undefined : 'lazy'} decoding="async" />;
}

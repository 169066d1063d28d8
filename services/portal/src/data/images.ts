import { faceCoverImages, type FaceImage } from '@yiduan/core';
import type { Executor } from '@yiduan/db';

/** What a page needs to draw an image: its size (no layout shift) and its stored description. */
export interface ImageMeta {
  width: number;
  height: number;
  alt: string;
  /** GIFs are served as they are, so they get no srcset (optional: maps built elsewhere may leave it out) */
  mime?: string;
}

export type ImageMap = ReadonlyMap<string, ImageMeta>;

export function imageMap(images: readonly FaceImage[]): ImageMap {
  return new Map(images.map((i) => [i.id, { width: i.width, height: i.height, alt: i.alt, mime: i.mime }]));
}

/**
 * Sizes of the covers a list page of this face shows, in one statement of the page's own
 * public-scope transaction (core's faceCoverImages); no statement when there is nothing to look up.
 */
export async function coverMeta(
  ex: Executor,
  tenantId: string,
  ids: readonly (string | null | undefined)[],
): Promise<ImageMap> {
  return imageMap(await faceCoverImages(ex, tenantId, ids));
}

import { imageSizes, isUuid } from '@yiduan/core';
import { withPlatform, type DB } from '@yiduan/db';

/** What a page needs to draw an image: its size (no layout shift) and its stored description. */
export interface ImageMeta {
  width: number;
  height: number;
  alt: string;
  /** GIFs are served as they are, so they get no srcset (optional: maps built elsewhere may leave it out) */
  mime?: string;
}

export type ImageMap = ReadonlyMap<string, ImageMeta>;

/**
 * Sizes of images, in one query. Platform scope, because row-level security
 * hides a tenant's unshared assets from the public even when a published story
 * shows them. Callers pass only ids taken from stories live on the face, and
 * only sizes and descriptions leave this function.
 */
export async function imageMeta(db: DB, ids: readonly (string | null | undefined)[]): Promise<ImageMap> {
  // no transaction at all when there is nothing to look up
  if (!ids.some((id) => typeof id === 'string' && isUuid(id))) return new Map();
  const rows = await withPlatform(db, (trx) => imageSizes(trx, ids));
  return new Map(rows.map((r) => [r.id, { width: r.width, height: r.height, alt: r.alt, mime: r.mime }]));
}

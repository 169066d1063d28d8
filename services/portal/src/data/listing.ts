import { faceFeed, faceFeedCount, sectionsOf, unitsOf, type FaceStory, type FeedQuery } from '@yiduan/core';
import { withPublic, type DB, type Executor } from '@yiduan/db';
import { coverMeta, type ImageMap } from './images.js';

export const PAGE_SIZE = 20;

export interface Listing {
  stories: FaceStory[];
  total: number;
  page: number;
  pages: number;
  images: ImageMap;
}

export type ListingFilter = Pick<FeedQuery, 'sectionId' | 'unitId' | 'tag'>;

/** One page of a filtered feed with its covers' sizes; null past the last page (page 1 always exists, perhaps empty). */
async function page(ex: Executor, tenantId: string, filter: ListingFilter, n: number): Promise<Listing | null> {
  const total = await faceFeedCount(ex, tenantId, filter);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (n > pages) return null;
  const stories = await faceFeed(ex, tenantId, { ...filter, limit: PAGE_SIZE, offset: (n - 1) * PAGE_SIZE });
  const images = await coverMeta(
    ex,
    tenantId,
    stories.map((s) => s.coverAssetId),
  );
  return { stories, total, page: n, pages, images };
}

export interface Titled<T> {
  title: string;
  listing: T;
}

export async function sectionListing(
  db: DB,
  tenantId: string,
  slug: string,
  n: number,
): Promise<Titled<Listing> | null> {
  const found = await withPublic(db, async (trx) => {
    const section = (await sectionsOf(trx, tenantId)).find((s) => s.slug === slug);
    if (!section) return null;
    const listing = await page(trx, tenantId, { sectionId: section.id }, n);
    return listing && { title: section.name, listing };
  });
  return found;
}

export async function unitListing(db: DB, tenantId: string, slug: string, n: number): Promise<Titled<Listing> | null> {
  const found = await withPublic(db, async (trx) => {
    // row-level security already hides closed units from the public
    const unit = (await unitsOf(trx, tenantId)).find((u) => u.slug === slug);
    if (!unit) return null;
    const listing = await page(trx, tenantId, { unitId: unit.id }, n);
    return listing && { title: unit.name, listing };
  });
  return found;
}

/** A tag no live story of the face carries is a 404: arbitrary tags must not make pages (or cache entries). */
export async function tagListing(db: DB, tenantId: string, tag: string, n: number): Promise<Listing | null> {
  const listing = await withPublic(db, (trx) => page(trx, tenantId, { tag }, n));
  if (!listing || listing.total === 0) return null;
  return listing;
}

import type { Listing } from '../data/listing.js';
import type { FaceView } from './face-view.js';
import { FaceLayout } from './face-layout.js';
import { HeadMeta, type PageMeta } from './head-meta.js';
import { Pagination } from './pagination.js';
import { EmptyState, StoryList } from './story-list.js';

export interface ListingPageProps {
  face: FaceView;
  /** section name, unit name or 标签：… */
  heading: string;
  /** the listing's path without `?page`, for pagination and the current navigation entry */
  path: string;
  listing: Listing;
  meta: PageMeta;
}

/** A section, unit or tag page: one page of stories, 20 at a time. */
export function ListingPage({ face, heading, path, listing, meta }: ListingPageProps) {
  const title = listing.page > 1 ? `${heading}（第 ${listing.page} 页）` : heading;
  return (
    <FaceLayout face={face} title={title} path={path} head={<HeadMeta meta={meta} />}>
      <h1 class="page-title">{heading}</h1>
      {listing.stories.length ? (
        <StoryList stories={listing.stories} images={listing.images} level={2} />
      ) : (
        <EmptyState />
      )}
      <Pagination path={path} page={listing.page} pages={listing.pages} />
    </FaceLayout>
  );
}

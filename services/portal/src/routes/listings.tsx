import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sectionListing, tagListing, unitListing, type Listing } from '../data/listing.js';
import { sendPageNotFound } from '../http/errors.js';
import { NOT_FOUND } from '../http/page-cache.js';
import { servePage } from '../http/serve.js';
import type { Site } from '../site/site.js';
import { pagedPath, sectionPath, tagPath, unitPath } from '../site/urls.js';
import { renderDocument } from '../views/document.js';
import { faceView } from '../views/face-view.js';
import { ListingPage } from '../views/listing-page.js';
import { websiteMeta } from '../views/page-meta.js';
import { pageLinks } from '../views/pagination.js';
import { originFor, pageParam, SLUG } from './params.js';

interface Found {
  heading: string;
  listing: Listing;
  /** the RSS feed of a section */
  feed?: string;
}

/** One listing route: validates the page, loads, renders with canonical and prev/next links. */
function listingRoute(
  path: (param: string) => string,
  valid: (param: string) => boolean,
  load: (site: Site, param: string, page: number) => Promise<Found | null>,
) {
  return (request: FastifyRequest<{ Params: { param: string } }>, reply: FastifyReply) => {
    const page = pageParam(request);
    const { param } = request.params;
    if (page === null || !valid(param)) return sendPageNotFound(request, reply);
    const base = path(param);
    return servePage(request, reply, {
      path: pagedPath(base, page),
      render: async (site) => {
        const found = await load(site, param, page);
        if (!found) return NOT_FOUND;
        const face = faceView(site.face);
        const links = pageLinks(base, page, found.listing.pages);
        const meta = websiteMeta(face, originFor(request, site), {
          path: pagedPath(base, page),
          title: found.heading,
          ...links,
          feed: found.feed ? { title: `${face.siteName} - ${found.heading}`, path: found.feed } : null,
        });
        return renderDocument(
          <ListingPage face={face} heading={found.heading} path={base} listing={found.listing} meta={meta} />,
        );
      },
    });
  };
}

const validTag = (tag: string): boolean => tag.length >= 1 && tag.length <= 20 && tag.trim() === tag;

export async function listingRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/s/:param',
    listingRoute(
      sectionPath,
      (s) => SLUG.test(s),
      async (site, slug, page) => {
        const found = await sectionListing(app.readDb, site.tenant.id, slug, page);
        return found && { heading: found.title, listing: found.listing, feed: `${sectionPath(slug)}/rss.xml` };
      },
    ),
  );
  app.get(
    '/u/:param',
    listingRoute(
      unitPath,
      (s) => SLUG.test(s),
      async (site, slug, page) => {
        const found = await unitListing(app.readDb, site.tenant.id, slug, page);
        return found && { heading: found.title, listing: found.listing };
      },
    ),
  );
  app.get(
    '/t/:param',
    listingRoute(tagPath, validTag, async (site, tag, page) => {
      const listing = await tagListing(app.readDb, site.tenant.id, tag, page);
      return listing && { heading: `标签：${tag}`, listing };
    }),
  );
}

import type { FastifyInstance } from 'fastify';
import { loadRss } from '../data/rss.js';
import { loadNewsSitemap, loadSitemap } from '../data/sitemap.js';
import { sendPageNotFound } from '../http/errors.js';
import { NOT_FOUND } from '../http/page-cache.js';
import { servePage } from '../http/serve.js';
import type { Site } from '../site/site.js';
import { sectionPath } from '../site/urls.js';
import { faceView } from '../views/face-view.js';
import { renderRss } from '../xml/rss.js';
import { renderNewsSitemap, renderRobots, renderSitemap } from '../xml/sitemap.js';
import { originFor, SLUG } from './params.js';

/** RSS, sitemaps and robots.txt: cached and invalidated like the pages they describe. */
export async function feedRoutes(app: FastifyInstance): Promise<void> {
  const rss = async (site: Site, origin: string, slug: string | null) => {
    const data = await loadRss(app.readDb, app.config, site.tenant.id, slug);
    if (!data) return NOT_FOUND;
    const face = faceView(site.face);
    const path = data.section ? sectionPath(data.section.slug) : '/';
    return renderRss({
      title: data.section ? `${face.siteName} - ${data.section.name}` : face.siteName,
      description: face.tagline || face.siteName,
      link: `${origin}${path}`,
      self: `${origin}${data.section ? `${path}/rss.xml` : '/rss.xml'}`,
      origin,
      stories: data.stories,
      origins: data.origins,
      videos: data.videos,
    });
  };

  app.get('/rss.xml', (request, reply) =>
    servePage(request, reply, {
      path: '/rss.xml',
      kind: 'rss',
      render: (site) => rss(site, originFor(request, site), null),
    }),
  );

  app.get<{ Params: { slug: string } }>('/s/:slug/rss.xml', (request, reply) => {
    const { slug } = request.params;
    if (!SLUG.test(slug)) return sendPageNotFound(request, reply);
    return servePage(request, reply, {
      path: `${sectionPath(slug)}/rss.xml`,
      kind: 'rss',
      render: (site) => rss(site, originFor(request, site), slug),
    });
  });

  app.get('/sitemap.xml', (request, reply) =>
    servePage(request, reply, {
      path: '/sitemap.xml',
      kind: 'xml',
      render: async (site) => {
        const { sections, stories, videos } = await loadSitemap(app.readDb, site.tenant.id);
        return renderSitemap(originFor(request, site), sections, stories, videos);
      },
    }),
  );

  app.get('/sitemap-news.xml', (request, reply) =>
    servePage(request, reply, {
      path: '/sitemap-news.xml',
      kind: 'xml',
      render: async (site) =>
        renderNewsSitemap(
          originFor(request, site),
          faceView(site.face).siteName,
          await loadNewsSitemap(app.readDb, site.tenant.id),
        ),
    }),
  );

  app.get('/robots.txt', (request, reply) =>
    servePage(request, reply, {
      path: '/robots.txt',
      kind: 'text',
      render: async (site) => renderRobots(originFor(request, site)),
    }),
  );
}

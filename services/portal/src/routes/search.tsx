import type { FastifyInstance } from 'fastify';
import { MAX_SEARCH_PAGE, searchFace, SEARCH_PER_PAGE } from '@yiduan/core';
import { withPublic } from '@yiduan/db';
import { sendPageNotFound } from '../http/errors.js';
import { NO_STORE, sendHtml } from '../http/html.js';
import { requireSite } from '../site/require.js';
import { renderDocument } from '../views/document.js';
import { faceView } from '../views/face-view.js';
import { SearchPage } from '../views/search-page.js';
import { pageParam } from './params.js';

/**
 * `GET /search?q=…&page=N`. Rendered on every request, never cached: queries
 * are unbounded (a cache keyed by them could be filled at will) and a retracted
 * story must leave results at once, as it leaves every other page.
 */
export async function searchRoutes(app: FastifyInstance): Promise<void> {
  app.get('/search', async (request, reply) => {
    const page = pageParam(request);
    if (page === null || page > MAX_SEARCH_PAGE) return sendPageNotFound(request, reply);
    const raw = (request.query as Record<string, unknown> | undefined)?.q;
    // a repeated ?q= is not a query anyone typed
    const query = typeof raw === 'string' ? raw.trim() : '';
    const site = requireSite(request);
    const result = query
      ? await withPublic(app.readDb, (trx) =>
          searchFace(trx, site.tenant.id, query, { page, perPage: SEARCH_PER_PAGE }),
        )
      : null;
    if (!result?.searched && page > 1) return sendPageNotFound(request, reply);
    // past the listed matches (at most the newest 500): a 404 that says why and keeps the form
    const beyond = result !== null && page > result.pages;
    const html = renderDocument(
      <SearchPage face={faceView(site.face)} query={result?.query ?? query} result={result} beyond={beyond} />,
    );
    return sendHtml(reply.header('x-robots-tag', 'noindex'), beyond ? 404 : 200, html, NO_STORE);
  });
}

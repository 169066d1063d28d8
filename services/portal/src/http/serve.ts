import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireSite } from '../site/require.js';
import type { Site } from '../site/site.js';
import { sendPageNotFound } from './errors.js';
import { sendBody, sendHtml, sendNotModified, type BodyKind } from './html.js';
import {
  cachedPage,
  isRefusal,
  matchesIfNoneMatch,
  pageFor,
  PUBLIC_PAGE_CACHE,
  type CachedPage,
  type RenderedPage,
  type Refusal,
} from './page-cache.js';

export interface PageRoute {
  /** the cache key's path: the route's path plus normalised query parameters, never the raw URL */
  path: string;
  kind?: BodyKind;
  /** loads and renders on a cache miss; a Refusal answers 404/410 uncached */
  render: (site: Site) => Promise<string | Refusal>;
}

export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: RenderedPage | CachedPage,
  kind: BodyKind = 'html',
): FastifyReply {
  if (matchesIfNoneMatch(request.headers['if-none-match'], page.etag))
    return sendNotModified(reply, page.etag, PUBLIC_PAGE_CACHE, kind);
  return sendBody(reply.header('etag', page.etag), kind, 200, page.body, PUBLIC_PAGE_CACHE);
}

/** Every cached page of a face: per tenant, path and face version, with ETag/304; refusals are never stored. */
export async function servePage(request: FastifyRequest, reply: FastifyReply, route: PageRoute): Promise<FastifyReply> {
  const site = requireSite(request);
  const key = { tenantId: site.tenant.id, path: route.path, version: site.face.version };
  const render = () => route.render(site);
  // the site hook always sets pageRead with the site; the fallback only serves a route mounted elsewhere
  const result = request.pageRead
    ? await pageFor(request.server.cache, key, request.pageRead, render)
    : await cachedPage(request.server.cache, key, render);
  if (!isRefusal(result)) {
    // a render returns the body as a string, the cache as bytes
    if (typeof result.body === 'string') request.server.pageStats.rendered++;
    else request.server.pageStats.cached++;
    return sendPage(request, reply, result, route.kind);
  }
  if (result.html === null) return sendPageNotFound(request, reply);
  return sendHtml(reply, result.status, result.html);
}

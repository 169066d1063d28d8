import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Cache } from '@yiduan/cache';
import { tenantTag } from '../site/site.js';
import { sendHtml, sendNotModified } from './html.js';

/** Browsers revalidate every time (cheap with ETag); a CDN may keep a page a minute and serve it stale while refreshing. */
export const PUBLIC_PAGE_CACHE = 'public, max-age=0, s-maxage=60, stale-while-revalidate=300';
/** A safety net: rendered pages leave the cache through tag invalidation, not age. */
const PAGE_TTL_SECONDS = 3600;

export interface RenderedPage {
  etag: string;
  html: string;
}

export interface PageKey {
  tenantId: string;
  /** the route's path, never the raw URL: query strings must not multiply cache entries */
  path: string;
  /** the face version; a face edit changes the key even before the invalidation arrives */
  version: number;
}

export function etagOf(html: string): string {
  return `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
}

export function pageKey(k: PageKey): string {
  return `page:${k.tenantId}:${k.path}:${k.version}`;
}

function decode(raw: string | null): RenderedPage | null {
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<RenderedPage>;
    return typeof v.etag === 'string' && typeof v.html === 'string' ? { etag: v.etag, html: v.html } : null;
  } catch {
    return null;
  }
}

/** The cached page, or render it, cache it under the tenant's tag and return it. */
export async function cachedPage(cache: Cache, key: PageKey, render: () => string): Promise<RenderedPage> {
  const k = pageKey(key);
  const hit = decode(await cache.get(k));
  if (hit) return hit;
  const html = render();
  const page = { etag: etagOf(html), html };
  await cache.set(k, JSON.stringify(page), { ttlSeconds: PAGE_TTL_SECONDS, tags: [tenantTag(key.tenantId)] });
  return page;
}

/** If-None-Match per RFC 9110: a list of tags or `*`, compared weakly. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export function sendPage(request: FastifyRequest, reply: FastifyReply, page: RenderedPage, cacheControl = PUBLIC_PAGE_CACHE): FastifyReply {
  if (matchesIfNoneMatch(request.headers['if-none-match'], page.etag)) return sendNotModified(reply, page.etag, cacheControl);
  return sendHtml(reply.header('etag', page.etag), 200, page.html, cacheControl);
}

import { createHash, randomBytes } from 'node:crypto';
import type { Cache } from '@yiduan/cache';
import { tenantTag } from '../site/site.js';

/** Browsers revalidate every time (cheap with ETag); a CDN may keep a page a minute and serve it stale while refreshing. */
export const PUBLIC_PAGE_CACHE = 'public, max-age=0, s-maxage=60, stale-while-revalidate=300';
/** A safety net: rendered pages leave the cache through tag invalidation, not age. */
const PAGE_TTL_SECONDS = 3600;
/** Outlives the pages rendered under it; when it expires anyway, pages are merely rendered again. */
const GENERATION_TTL_SECONDS = 2 * PAGE_TTL_SECONDS;

export interface RenderedPage {
  etag: string;
  /** HTML or XML, as rendered */
  body: string;
}

/** A page as read from the cache: the body's UTF-8 bytes, sent as they are (no decoding, no re-encoding, no byte count). */
export interface CachedPage {
  etag: string;
  body: Buffer;
}

/**
 * What a request learned in its first cache round trip (see site/current.ts): the tenant's
 * generation token, proven current at that moment, and the page read under it for the path
 * the URL suggested (`key`), or nothing read (`key` null).
 */
export interface PageRead {
  token: string;
  key: string | null;
  value: Buffer | null;
  /** this process's copies of cached pages (site/memo.ts), when it keeps any */
  pages?: PageStore;
}

/**
 * Pages this process already holds, by page key. A key names one tenant generation, so a copy
 * is as good as the shared entry for exactly as long as that generation is current; it is only
 * used under a token proven current for the request.
 */
export interface PageStore {
  get(key: string): Buffer | undefined;
  /** keeps a copy of `raw` (the cached form, `<etag>\n<body>`) and returns it */
  keep(key: string, raw: Buffer): Buffer;
}

export interface PageKey {
  tenantId: string;
  /** the route's path (plus a normalised `?page=`), never the raw URL: query strings must not multiply cache entries */
  path: string;
  /** the face version; a face edit changes the key even before the invalidation arrives */
  version: number;
}

/** A render that must not be cached: 404 (html null: the face's standard page) or 410. */
export interface Refusal {
  status: 404 | 410;
  html: string | null;
}

export const NOT_FOUND: Refusal = { status: 404, html: null };

export function isRefusal(v: RenderedPage | CachedPage | Refusal): v is Refusal {
  return 'status' in v;
}

export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

export const generationKey = (tenantId: string): string => `pagegen:${tenantId}`;

/**
 * A token per tenant, tagged like its pages and part of every page key. The
 * tenant tag's invalidation deletes it, so a render that read the database
 * before the invalidation but finishes after it is stored under the old token,
 * where no request looks: a stale page is never served after its invalidation.
 * The token is read or created before any data is read, which is what makes this hold.
 */
export async function generation(cache: Cache, tenantId: string): Promise<string> {
  const hit = await cache.get(generationKey(tenantId));
  if (hit) return hit;
  const token = randomBytes(6).toString('base64url');
  await cache.set(generationKey(tenantId), token, { ttlSeconds: GENERATION_TTL_SECONDS, tags: [tenantTag(tenantId)] });
  return token;
}

export function pageKey(k: PageKey, token: string): string {
  // the path goes last: it is the only part that may contain colons
  return `page:${k.tenantId}:${token}:${k.version}:${k.path}`;
}

/** The key a page is cached under right now, or null when nothing of the tenant is cached (for tests and tools). */
export async function currentPageKey(cache: Cache, k: PageKey): Promise<string | null> {
  const token = await cache.get(generationKey(k.tenantId));
  return token ? pageKey(k, token) : null;
}

// Stored as `<etag>\n<html>`: parsing JSON of a 30 KB page on every hit was a fifth of a
// cached hit's CPU (test/bench/portal.bench.ts profile); an ETag never holds a newline.
const encode = (page: RenderedPage): string => `${page.etag}\n${page.body}`;

function decode(raw: string | null): RenderedPage | null {
  if (raw === null) return null;
  const nl = raw.indexOf('\n');
  if (nl <= 0 || (raw[0] !== '"' && !raw.startsWith('W/'))) return null;
  return { etag: raw.slice(0, nl), body: raw.slice(nl + 1) };
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;

function decodeBytes(raw: Buffer | null): CachedPage | null {
  if (raw === null) return null;
  const nl = raw.indexOf(NEWLINE);
  if (nl <= 0 || (raw[0] !== QUOTE && !(raw[0] === 0x57 && raw[1] === 0x2f))) return null; // '"' or 'W/'
  // an ETag is ASCII; the body is a view on the same bytes, not a copy
  return { etag: raw.toString('latin1', 0, nl), body: raw.subarray(nl + 1) };
}

/** Renders, caches under the tenant's tag and returns the page; refusals are returned, never cached. */
async function renderAndStore(
  cache: Cache,
  k: string,
  tenantId: string,
  render: () => Promise<string | Refusal>,
): Promise<RenderedPage | Refusal> {
  const body = await render();
  if (typeof body !== 'string') return body;
  const page = { etag: etagOf(body), body };
  await cache.set(k, encode(page), { ttlSeconds: PAGE_TTL_SECONDS, tags: [tenantTag(tenantId)] });
  return page;
}

/**
 * The request's page: the one its first round trip already read when the key matches, else
 * read now under the token that round trip proved current (which was read before any data,
 * as `generation` requires); on a miss rendered and cached. Refusals are never cached.
 */
export async function pageFor(
  cache: Cache,
  key: PageKey,
  read: PageRead,
  render: () => Promise<string | Refusal>,
): Promise<CachedPage | RenderedPage | Refusal> {
  const k = pageKey(key, read.token);
  let raw = read.key === k ? read.value : (read.pages?.get(k) ?? null);
  if (raw === null && read.key !== k) {
    raw = await cache.getBuffer(k);
    if (raw && read.pages) raw = read.pages.keep(k, raw);
  }
  const hit = decodeBytes(raw);
  if (hit) return hit;
  const page = await renderAndStore(cache, k, key.tenantId, render);
  if (read.pages && !isRefusal(page)) read.pages.keep(k, Buffer.from(encode(page)));
  return page;
}

/** The cached page, or render it, cache it under the tenant's tag and return it. Refusals are never cached. */
export async function cachedPage(
  cache: Cache,
  key: PageKey,
  render: () => Promise<string | Refusal>,
): Promise<RenderedPage | Refusal> {
  const k = pageKey(key, await generation(cache, key.tenantId));
  const hit = decode(await cache.get(k));
  if (hit) return hit;
  return renderAndStore(cache, k, key.tenantId, render);
}

/** If-None-Match per RFC 9110: a list of tags or `*`, compared weakly. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

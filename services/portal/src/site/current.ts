import { normalizeHost } from '@yiduan/core';
import { generation, generationKey, pageKey, type PageRead } from '../http/page-cache.js';
import type { SiteMemo } from './memo.js';
import { resolveSite, siteKey, type SiteLookup } from './resolve.js';
import { stampPrefix, type Site } from './site.js';

/** Longer paths are not worth guessing a page key for (and no cached page has one). */
const MAX_GUESSED_PATH = 512;

export interface CurrentSite {
  site: Site;
  page: PageRead;
}

/**
 * The cache path a URL most likely has: its path without the query. Routes key pages by
 * their own normalised path; when that differs (`?page=2`, an upper-case id) the route
 * simply reads its page itself.
 */
export function guessPagePath(url: string): string | null {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path.length <= MAX_GUESSED_PATH ? path : null;
}

/**
 * The site a Host names and the tenant's page-generation token, both current as of one
 * read of the shared cache, plus the page at `path` read in that same round trip.
 *
 * Fast path: the memo knows the host. One `getBufferIf` checks that the site entry still
 * carries the stamp the memo decoded and that the generation token is unchanged, and reads
 * the page under that token, atomically. Any invalidation of the tenant's tag (or of the
 * hosts tag) deletes the site entry and the token, so once it has been processed no process
 * can pass the check with its old copy.
 *
 * Slow path (first request, after an invalidation, after the site entry's TTL, or when the
 * cache cannot answer): the site from the cache or the database, then the token: read (or
 * created) before any page data is read, as the page cache's guarantee requires.
 */
export async function currentSite(
  lookup: SiteLookup,
  memo: SiteMemo,
  hostname: string,
  path: string | null,
): Promise<CurrentSite | null> {
  const host = memo.normalised(hostname) ?? normalizeHost(hostname);
  if (!host) return null;
  const known = memo.get(host);
  if (known) {
    const tenantId = known.site.tenant.id;
    const key = path === null ? null : pageKey({ tenantId, path, version: known.site.face.version }, known.token);
    const guards = [
      { key: siteKey(host), prefix: stampPrefix(known.stamp) },
      { key: generationKey(tenantId), prefix: known.token },
    ];
    // a copy held here needs only the proof, which concurrent requests may share; otherwise the page comes with it
    const copy = key === null ? undefined : memo.pages?.get(key);
    if (copy && memo.checks) {
      if (await memo.checks.check(`${host}\n${known.stamp}\n${known.token}`, guards)) {
        return { site: known.site, page: { token: known.token, key, value: copy, pages: memo.pages } };
      }
    } else {
      const read = await lookup.cache.getBufferIf(key, guards);
      if (read.current) {
        const value = read.value && key !== null && memo.pages ? memo.pages.keep(key, read.value) : read.value;
        return { site: known.site, page: { token: known.token, key, value, pages: memo.pages } };
      }
    }
    memo.forget(host, tenantId);
  }
  const resolved = await resolveSite(lookup, host);
  if (!resolved) return null;
  const token = await generation(lookup.cache, resolved.site.tenant.id);
  memo.remember(hostname, host, resolved, token);
  return { site: resolved.site, page: { token, key: null, value: null, pages: memo.pages } };
}

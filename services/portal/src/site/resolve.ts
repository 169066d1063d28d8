import type { Cache } from '@yiduan/cache';
import { domainsOf, faceHost, faceOf, resolveHost } from '@yiduan/core';
import { withPublic, type DB } from '@yiduan/db';
import { decodeSite, encodeSite, HOSTS_TAG, newStamp, tenantTag, type Site, type StampedSite } from './site.js';

/**
 * A safety net only: changes reach the cache through tag invalidation. The TTL
 * bounds how long a race (a read replica lagging behind the invalidation) can
 * keep an old face alive.
 */
const SITE_TTL_SECONDS = 60;

export interface SiteLookup {
  readDb: DB;
  cache: Cache;
  baseDomain: string;
}

/** The cache key of a host's resolution (the host normalised). */
export const siteKey = (host: string): string => `site:${host}`;

/**
 * The site a (normalised) host names, from cache or the database, with the
 * stamp of the cache entry that holds it. Unknown hosts are not cached: random
 * Host headers would fill the cache, and a newly added domain must work at once.
 */
export async function resolveSite(lookup: SiteLookup, host: string): Promise<StampedSite | null> {
  const key = siteKey(host);
  const cached = decodeSite(await lookup.cache.get(key));
  if (cached) return cached;
  const site = await withPublic(lookup.readDb, async (trx): Promise<Site | null> => {
    const tenant = await resolveHost(trx, host, lookup.baseDomain);
    if (!tenant) return null;
    const face = await faceOf(trx, tenant.id);
    if (!face) return null;
    const { id, slug, name, level, status } = tenant;
    return {
      tenant: { id, slug, name, level, status },
      face,
      host: faceHost(tenant, await domainsOf(trx, id), lookup.baseDomain),
    };
  });
  if (!site) return null;
  const stamp = newStamp();
  await lookup.cache.set(key, encodeSite(site, stamp), {
    ttlSeconds: SITE_TTL_SECONDS,
    tags: [HOSTS_TAG, tenantTag(site.tenant.id)],
  });
  return { site, stamp };
}

import type { Cache } from '@yiduan/cache';
import { domainsOf, faceHost, faceOf, normalizeHost, resolveHost } from '@yiduan/core';
import { withPublic, type DB } from '@yiduan/db';
import { decodeSite, encodeSite, HOSTS_TAG, tenantTag, type Site } from './site.js';

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

/**
 * The site a Host header names, from cache or the database. Unknown hosts are
 * not cached: random Host headers would fill the cache, and a newly added
 * domain must work at once.
 */
export async function resolveSite(lookup: SiteLookup, rawHost: string): Promise<Site | null> {
  const host = normalizeHost(rawHost);
  if (!host) return null;
  const key = `site:${host}`;
  const cached = decodeSite(await lookup.cache.get(key));
  if (cached) return cached;
  const site = await withPublic(lookup.readDb, async (trx): Promise<Site | null> => {
    const tenant = await resolveHost(trx, host, lookup.baseDomain);
    if (!tenant) return null;
    const face = await faceOf(trx, tenant.id);
    if (!face) return null;
    const { id, slug, name, level, status } = tenant;
    return { tenant: { id, slug, name, level, status }, face, host: faceHost(tenant, await domainsOf(trx, id), lookup.baseDomain) };
  });
  if (site) {
    await lookup.cache.set(key, encodeSite(site), { ttlSeconds: SITE_TTL_SECONDS, tags: [HOSTS_TAG, tenantTag(site.tenant.id)] });
  }
  return site;
}

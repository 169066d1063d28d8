import type { Site, StampedSite } from './site.js';

/** Enough for every host and tenant of a province many times over; past it the oldest go first. */
const DEFAULT_MAX = 2000;

/**
 * What this process last learned from the shared cache: per host the decoded site and the
 * stamp of the cache entry it came from, per tenant the page-generation token.
 *
 * Nothing here is trusted on its own. Each request proves its copy current against the
 * shared cache (`getBufferIf`, guarded by the site entry's stamp and the token) in the same
 * round trip that reads its page, so an invalidation processed anywhere is honoured by every
 * process from the next request on, with no wait for a message. What the memo saves is the
 * work, not the check: the two extra round trips and the JSON parse of a face per request.
 */
export class SiteMemo {
  /** raw Host header (as Fastify's `hostname`) → normalised host, for hosts that named a site */
  private readonly hostnames = new Map<string, string>();
  private readonly sites = new Map<string, StampedSite>();
  private readonly tokens = new Map<string, string>();

  constructor(private readonly max = DEFAULT_MAX) {}

  normalised(hostname: string): string | undefined {
    return this.hostnames.get(hostname);
  }

  /** the site and token last seen for a host, if both are known */
  get(host: string): { site: Site; stamp: string; token: string } | null {
    const known = this.sites.get(host);
    if (!known) return null;
    const token = this.tokens.get(known.site.tenant.id);
    return token ? { site: known.site, stamp: known.stamp, token } : null;
  }

  remember(hostname: string, host: string, resolved: StampedSite, token: string): void {
    deepFreeze(resolved.site);
    put(this.hostnames, hostname, host, this.max);
    put(this.sites, host, resolved, this.max);
    put(this.tokens, resolved.site.tenant.id, token, this.max);
  }

  /** drops what a failed check showed to be out of date */
  forget(host: string, tenantId: string): void {
    this.sites.delete(host);
    this.tokens.delete(tenantId);
  }
}

function put<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) break;
    map.delete(oldest.value);
  }
}

/** Shared by every request that hits the memo: a render that changed it would change the others'. */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

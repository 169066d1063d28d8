import type { Cache } from '@yiduan/cache';
import type { PageStore } from '../http/page-cache.js';
import { CheckBatcher } from './checks.js';
import type { Site, StampedSite } from './site.js';

/** Enough for every host and tenant of a province many times over; past it the oldest go first. */
const DEFAULT_MAX = 2000;
/** Page copies: the hot pages of every face, within a bounded share of the process's memory. */
const DEFAULT_MAX_PAGE_BYTES = 32 * 1024 * 1024;
const MAX_PAGE_BYTES_EACH = 1024 * 1024;
/** A copy is dropped after this long even while its generation lives: the shared entry's TTL stays the safety net. */
const PAGE_LIFETIME_MS = 60_000;

interface PageCopy {
  raw: Buffer;
  expiresAt: number;
}

/** Copies of pages read from or written to the shared cache, FIFO within a byte budget. */
class PageCopies implements PageStore {
  private readonly copies = new Map<string, PageCopy>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Buffer | undefined {
    const copy = this.copies.get(key);
    if (!copy) return undefined;
    if (copy.expiresAt > Date.now()) return copy.raw;
    this.drop(key, copy);
    return undefined;
  }

  keep(key: string, raw: Buffer): Buffer {
    // a copy of its own: a reply Buffer may be a view on a larger socket chunk
    const own = Buffer.from(raw);
    if (own.length > MAX_PAGE_BYTES_EACH) return own;
    const old = this.copies.get(key);
    if (old) this.drop(key, old);
    this.copies.set(key, { raw: own, expiresAt: Date.now() + PAGE_LIFETIME_MS });
    this.bytes += own.length;
    for (const [k, copy] of this.copies) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k, copy);
    }
    return own;
  }

  private drop(key: string, copy: PageCopy): void {
    this.copies.delete(key);
    this.bytes -= copy.raw.length;
  }
}

/**
 * What this process last learned from the shared cache: per host the decoded site and the
 * stamp of the cache entry it came from, per tenant the page-generation token.
 *
 * Nothing here is trusted on its own. Each request proves its copy current against the
 * shared cache (`getBufferIf`, guarded by the site entry's stamp and the token) in the same
 * round trip that reads its page, so an invalidation processed anywhere is honoured by every
 * process from the next request on, with no wait for a message. What the memo saves is the
 * work, not the check: the two extra round trips and the JSON parse of a face per request.
 *
 * With a shared (Redis) cache it also keeps copies of pages (`pages`), so a hit moves a few
 * bytes of proof instead of the page: a copy is keyed by its generation token, which the same
 * check proves current. (The in-process memory cache hands out its own bytes; no copies there.)
 */
export class SiteMemo {
  readonly pages: PageStore | undefined;
  /** with a shared cache: identical checks of concurrent requests go as one (site/checks.ts) */
  readonly checks: CheckBatcher | undefined;
  /** raw Host header (as Fastify's `hostname`) → normalised host, for hosts that named a site */
  private readonly hostnames = new Map<string, string>();
  private readonly sites = new Map<string, StampedSite>();
  private readonly tokens = new Map<string, string>();

  /** `shared`: the cache is shared with other processes (Redis): keep page copies and batch checks */
  constructor(opts: { shared: Cache | null; max?: number; maxPageBytes?: number }) {
    this.max = opts.max ?? DEFAULT_MAX;
    this.pages = opts.shared ? new PageCopies(opts.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES) : undefined;
    this.checks = opts.shared ? new CheckBatcher(opts.shared) : undefined;
  }

  private readonly max: number;

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

import type { Config } from '@yiduan/config';
import { faceHost } from '@yiduan/core';
import type { Tenant, TenantDomain } from '@yiduan/db';

export type UrlConfig = Pick<Config, 'env' | 'publicBaseDomain'> & { ports: Pick<Config['ports'], 'portal'> };

/**
 * `scheme://host[:port]` of a face. Production is https behind a proxy on the
 * default port; in development the portal listens on its own port, so hosts
 * under the public base domain (`ruyang.localhost`) need it spelled out.
 */
export function originOf(config: UrlConfig, host: string): string {
  const scheme = config.env === 'production' ? 'https' : 'http';
  const base = config.publicBaseDomain;
  const local = host === base || host.endsWith(`.${base}`);
  const port = config.env === 'development' && local && config.ports.portal !== 80 ? `:${config.ports.portal}` : '';
  return `${scheme}://${host}${port}`;
}

/** The origin of any tenant's face, from its domains. */
export function faceOriginOf(
  config: UrlConfig,
  tenant: Pick<Tenant, 'slug'>,
  domains: readonly TenantDomain[],
): string {
  return originOf(config, faceHost(tenant, domains, config.publicBaseDomain));
}

export const storyPath = (storyId: string): string => `/a/${storyId}`;
export const sectionPath = (slug: string): string => `/s/${slug}`;
export const unitPath = (slug: string): string => `/u/${slug}`;
export const tagPath = (tag: string): string => `/t/${encodeURIComponent(tag)}`;
/** An asset's original, or its copy at one of the fixed widths (`VARIANT_WIDTHS`). */
export const mediaPath = (assetId: string, width?: number): string =>
  width ? `/media/${assetId}?w=${width}` : `/media/${assetId}`;

/** A listing page's path: page 1 has no query, so it has one URL only. */
export function pagedPath(path: string, page: number): string {
  return page > 1 ? `${path}?page=${page}` : path;
}

/** Who the visitor is (private, no-store), and the script that writes the name into a cached page's header (routes/whoami.ts). */
export const WHOAMI_PATH = '/_me';
export const WHOAMI_SCRIPT_PATH = '/_me.js';

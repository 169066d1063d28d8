import { randomBytes } from 'node:crypto';
import type { StoredFace } from '@yiduan/core';
import type { Tenant } from '@yiduan/db';

/** What the portal needs of a tenant; the rest (settings, parent) stays out of caches. */
export type SiteTenant = Pick<Tenant, 'id' | 'slug' | 'name' | 'level' | 'status'>;

/** A resolved public front: whose it is and how it looks. */
export interface Site {
  tenant: SiteTenant;
  face: StoredFace;
  /** the face's canonical host (primary domain or `<slug>.<base>`), whatever alias the request used */
  host: string;
}

/** A site as cached: `stamp` names this very cache entry (a new one per write), so a process can tell it is still the one it decoded. */
export interface StampedSite {
  site: Site;
  stamp: string;
}

/** Cache tags: the worker invalidates `tenant:<id>` on any face, tenant or domain change. */
export const HOSTS_TAG = 'hosts';
export const tenantTag = (tenantId: string): string => `tenant:${tenantId}`;

export const newStamp = (): string => randomBytes(6).toString('base64url');

/** What a cached site entry starts with: its stamp and a newline (a stamp never holds one). */
export const stampPrefix = (stamp: string): string => `${stamp}\n`;

/** `<stamp>\n<JSON>` */
export function encodeSite(site: Site, stamp: string): string {
  return stampPrefix(stamp) + JSON.stringify(site);
}

/** Reads a cached site back; anything malformed (or unstamped) counts as a miss rather than an error. */
export function decodeSite(raw: string | null): StampedSite | null {
  if (raw === null) return null;
  const nl = raw.indexOf('\n');
  if (nl <= 0 || raw[0] === '{') return null;
  let value: unknown;
  try {
    value = JSON.parse(raw.slice(nl + 1));
  } catch {
    return null;
  }
  if (!isRecord(value) || !isRecord(value.tenant) || !isRecord(value.face)) return null;
  const { tenant, face } = value;
  if (
    typeof tenant.id !== 'string' ||
    typeof face.version !== 'number' ||
    typeof face.siteName !== 'string' ||
    typeof value.host !== 'string'
  )
    return null;
  const updatedAt = new Date(typeof face.updatedAt === 'string' ? face.updatedAt : Number.NaN);
  if (Number.isNaN(updatedAt.getTime())) return null;
  return {
    site: {
      tenant: tenant as unknown as SiteTenant,
      face: { ...(face as unknown as StoredFace), updatedAt },
      host: value.host,
    },
    stamp: raw.slice(0, nl),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

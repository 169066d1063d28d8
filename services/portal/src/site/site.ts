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

/** Cache tags: the worker invalidates `tenant:<id>` on any face, tenant or domain change. */
export const HOSTS_TAG = 'hosts';
export const tenantTag = (tenantId: string): string => `tenant:${tenantId}`;

export function encodeSite(site: Site): string {
  return JSON.stringify(site);
}

/** Reads a cached site back; anything malformed counts as a miss rather than an error. */
export function decodeSite(raw: string | null): Site | null {
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isRecord(value) || !isRecord(value.tenant) || !isRecord(value.face)) return null;
  const { tenant, face } = value;
  if (typeof tenant.id !== 'string' || typeof face.version !== 'number' || typeof face.siteName !== 'string' || typeof value.host !== 'string') return null;
  const updatedAt = new Date(typeof face.updatedAt === 'string' ? face.updatedAt : Number.NaN);
  if (Number.isNaN(updatedAt.getTime())) return null;
  return { tenant: tenant as unknown as SiteTenant, face: { ...(face as unknown as StoredFace), updatedAt }, host: value.host };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

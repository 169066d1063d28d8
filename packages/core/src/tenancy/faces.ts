import type { Executor, FaceRow } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { enqueue, TOPICS } from '../events/index.js';
import { appendAudit } from '../governance/index.js';
import { validateFace, type Face } from './face-schema.js';
import { isUuid } from './tenants.js';

export interface StoredFace extends Face {
  tenantId: string;
  version: number;
  updatedAt: Date;
}

export function faceFromRow(row: FaceRow): StoredFace {
  return {
    tenantId: row.tenant_id,
    siteName: row.site_name,
    tagline: row.tagline,
    logoUrl: row.logo_url,
    faviconUrl: row.favicon_url,
    theme: row.theme as unknown as Face['theme'],
    navigation: row.navigation as Face['navigation'],
    homeLayout: row.home_layout as Face['homeLayout'],
    footer: row.footer as Face['footer'],
    version: row.version,
    updatedAt: row.updated_at,
  };
}

export async function faceOf(ex: Executor, tenantId: string): Promise<StoredFace | undefined> {
  if (!isUuid(tenantId)) return undefined;
  const row = await ex.selectFrom('faces').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  return row && faceFromRow(row);
}

export async function facesByTenantIds(ex: Executor, ids: readonly string[]): Promise<StoredFace[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return (await ex.selectFrom('faces').selectAll().where('tenant_id', 'in', valid).execute()).map(faceFromRow);
}

export type FacePatch = Partial<Face>;

/** Merges the patch into the current face, validates the whole, bumps the version. */
export async function updateFace(ex: Executor, actor: Actor, tenantId: string, patch: FacePatch): Promise<StoredFace> {
  const current = await faceOf(ex, tenantId);
  if (!current) throw new DomainError('TENANT_NOT_FOUND');
  const { tenantId: _t, version: _v, updatedAt: _u, ...base } = current;
  const merged = validateFace({ ...base, ...stripUndefined(patch) });
  const row = await ex
    .updateTable('faces')
    .set({
      site_name: merged.siteName,
      tagline: merged.tagline,
      logo_url: merged.logoUrl,
      favicon_url: merged.faviconUrl,
      theme: JSON.stringify(merged.theme),
      navigation: JSON.stringify(merged.navigation),
      home_layout: JSON.stringify(merged.homeLayout),
      footer: JSON.stringify(merged.footer),
      version: current.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const changedFields = Object.keys(stripUndefined(patch));
  await appendAudit(ex, actor, { tenantId, action: 'face.update', targetKind: 'face', targetId: tenantId, detail: { fields: changedFields, version: row.version } });
  await enqueue(ex, { tenantId, topic: TOPICS.faceChanged, payload: { tenantId, version: row.version } });
  return faceFromRow(row);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

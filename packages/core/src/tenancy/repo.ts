import type { Executor, FaceRow, Tenant, TenantDomain, TenantLevel, TenantStatus } from '@yiduan/db';
import { LEVELS, isUuid, type Face } from './model.js';

// ── tenants and the tree ──────────────────────────────────────────────────────

export async function tenantById(ex: Executor, id: string): Promise<Tenant | undefined> {
  if (!isUuid(id)) return undefined;
  return ex.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function tenantBySlug(ex: Executor, slug: string): Promise<Tenant | undefined> {
  return ex.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function tenantsByIds(ex: Executor, ids: readonly string[]): Promise<Tenant[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return ex.selectFrom('tenants').selectAll().where('id', 'in', valid).execute();
}

/** The children of several tenants in one query, by slug (the batched Tenant.children). */
export async function childrenOfTenants(ex: Executor, parentIds: readonly string[]): Promise<Tenant[]> {
  const valid = parentIds.filter(isUuid);
  if (valid.length === 0) return [];
  return ex.selectFrom('tenants').selectAll().where('parent_id', 'in', valid).orderBy('slug').execute();
}

/** The whole tree, parents before children. */
export async function listTenants(ex: Executor): Promise<Tenant[]> {
  return ex
    .selectFrom('tenants')
    .selectAll()
    .orderBy((eb) => eb.fn('array_position', [eb.val(LEVELS as unknown as string[]), eb.cast('level', 'text')]))
    .orderBy('slug')
    .execute();
}

/** All descendants in one indexed lookup on the closure table. */
export async function descendants(
  ex: Executor,
  id: string,
  opts: { includeSelf?: boolean; maxDepth?: number } = {},
): Promise<Tenant[]> {
  if (!isUuid(id)) return [];
  let q = ex
    .selectFrom('tenant_tree as t')
    .innerJoin('tenants', 'tenants.id', 't.descendant_id')
    .selectAll('tenants')
    .where('t.ancestor_id', '=', id)
    .where('t.depth', '>=', opts.includeSelf ? 0 : 1);
  if (opts.maxDepth !== undefined) q = q.where('t.depth', '<=', opts.maxDepth);
  return q.orderBy('t.depth').orderBy('tenants.slug').execute();
}

/** All ancestors, nearest first. */
export async function ancestors(ex: Executor, id: string, opts: { includeSelf?: boolean } = {}): Promise<Tenant[]> {
  if (!isUuid(id)) return [];
  return ex
    .selectFrom('tenant_tree as t')
    .innerJoin('tenants', 'tenants.id', 't.ancestor_id')
    .selectAll('tenants')
    .where('t.descendant_id', '=', id)
    .where('t.depth', '>=', opts.includeSelf ? 0 : 1)
    .orderBy('t.depth')
    .execute();
}

export async function isAncestor(ex: Executor, ancestorId: string, descendantId: string): Promise<boolean> {
  if (!isUuid(ancestorId) || !isUuid(descendantId)) return false;
  const row = await ex
    .selectFrom('tenant_tree')
    .select('depth')
    .where('ancestor_id', '=', ancestorId)
    .where('descendant_id', '=', descendantId)
    .where('depth', '>', 0)
    .executeTakeFirst();
  return row !== undefined;
}

export interface TenantRowInput {
  slug: string;
  name: string;
  level: TenantLevel;
  parentId: string | null;
  settings: Record<string, unknown>;
}

export async function insertTenant(ex: Executor, t: TenantRowInput): Promise<Tenant> {
  return ex
    .insertInto('tenants')
    .values({ slug: t.slug, name: t.name, level: t.level, parent_id: t.parentId, settings: JSON.stringify(t.settings) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The columns an update may change (already checked); settings as JSON text. */
export interface TenantRowPatch {
  name?: string;
  status?: TenantStatus;
  settings?: string;
  parent_id?: string | null;
}

export async function updateTenantRow(ex: Executor, id: string, values: TenantRowPatch): Promise<Tenant> {
  return ex
    .updateTable('tenants')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ── domains ───────────────────────────────────────────────────────────────────

export async function domainsOf(ex: Executor, tenantId: string): Promise<TenantDomain[]> {
  if (!isUuid(tenantId)) return [];
  return ex
    .selectFrom('tenant_domains')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('is_primary', 'desc')
    .orderBy('host')
    .execute();
}

export async function domainsByTenantIds(ex: Executor, ids: readonly string[]): Promise<TenantDomain[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return ex
    .selectFrom('tenant_domains')
    .selectAll()
    .where('tenant_id', 'in', valid)
    .orderBy('is_primary', 'desc')
    .orderBy('host')
    .execute();
}

/** The tenant an exact (normalised) host belongs to. */
export async function tenantOfHost(ex: Executor, host: string): Promise<Tenant | undefined> {
  return ex
    .selectFrom('tenant_domains')
    .innerJoin('tenants', 'tenants.id', 'tenant_domains.tenant_id')
    .selectAll('tenants')
    .where('tenant_domains.host', '=', host)
    .executeTakeFirst();
}

export async function domainByHost(ex: Executor, host: string): Promise<TenantDomain | undefined> {
  return ex.selectFrom('tenant_domains').selectAll().where('host', '=', host).executeTakeFirst();
}

/** Whether any tenant uses the host already. */
export async function hostTaken(ex: Executor, host: string): Promise<boolean> {
  return (
    (await ex.selectFrom('tenant_domains').select('tenant_id').where('host', '=', host).executeTakeFirst()) !==
    undefined
  );
}

/** Whether the tenant has a domain other than this host. */
export async function hasOtherDomain(ex: Executor, tenantId: string, host: string): Promise<boolean> {
  return (
    (await ex
      .selectFrom('tenant_domains')
      .select('host')
      .where('tenant_id', '=', tenantId)
      .where('host', '<>', host)
      .executeTakeFirst()) !== undefined
  );
}

/** No primary domain for the tenant (inside a transaction: the deferred check wants one again by commit). */
export async function clearPrimaryDomain(ex: Executor, tenantId: string): Promise<void> {
  await ex.updateTable('tenant_domains').set({ is_primary: false }).where('tenant_id', '=', tenantId).execute();
}

export async function insertDomain(
  ex: Executor,
  host: string,
  tenantId: string,
  isPrimary: boolean,
): Promise<TenantDomain> {
  return ex
    .insertInto('tenant_domains')
    .values({ host, tenant_id: tenantId, is_primary: isPrimary })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteDomain(ex: Executor, host: string): Promise<void> {
  await ex.deleteFrom('tenant_domains').where('host', '=', host).execute();
}

export async function markPrimaryDomain(ex: Executor, host: string): Promise<TenantDomain> {
  return ex
    .updateTable('tenant_domains')
    .set({ is_primary: true })
    .where('host', '=', host)
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ── faces ─────────────────────────────────────────────────────────────────────

export async function faceRowOf(ex: Executor, tenantId: string): Promise<FaceRow | undefined> {
  return ex.selectFrom('faces').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
}

export async function faceRowsByTenantIds(ex: Executor, tenantIds: readonly string[]): Promise<FaceRow[]> {
  return ex.selectFrom('faces').selectAll().where('tenant_id', 'in', tenantIds).execute();
}

export async function insertFace(ex: Executor, tenantId: string, face: Face): Promise<void> {
  await ex
    .insertInto('faces')
    .values({
      tenant_id: tenantId,
      site_name: face.siteName,
      tagline: face.tagline,
      theme: JSON.stringify(face.theme),
      navigation: JSON.stringify(face.navigation),
      home_layout: JSON.stringify(face.homeLayout),
      footer: JSON.stringify(face.footer),
    })
    .execute();
}

/** Writes a whole (validated) face with its next version. */
export async function writeFace(ex: Executor, tenantId: string, face: Face, version: number): Promise<FaceRow> {
  return ex
    .updateTable('faces')
    .set({
      site_name: face.siteName,
      tagline: face.tagline,
      logo_url: face.logoUrl,
      favicon_url: face.faviconUrl,
      theme: JSON.stringify(face.theme),
      navigation: JSON.stringify(face.navigation),
      home_layout: JSON.stringify(face.homeLayout),
      footer: JSON.stringify(face.footer),
      version,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

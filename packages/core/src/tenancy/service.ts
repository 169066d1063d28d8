import { isUniqueViolation, type Executor, type Tenant, type TenantDomain, type TenantLevel } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { enqueue } from '../events/index.js';
import { appendAudit } from '../governance/index.js';
import { badHost, tenantWriteError } from './errors.js';
import {
  TENANCY_TOPICS,
  type DomainChangedPayload,
  type FaceChangedPayload,
  type TenantChangedPayload,
} from './events.js';
import {
  checkName,
  checkSlug,
  defaultFace,
  faceFromRow,
  isUuid,
  LEVELS,
  levelName,
  normalizeHost,
  parentLevelAllowed,
  stripUndefined,
  validateFace,
  type FacePatch,
  type NewTenantInput,
  type StoredFace,
  type TenantPatch,
} from './model.js';
import {
  clearPrimaryDomain,
  deleteDomain,
  domainByHost,
  domainsOf,
  faceRowOf,
  faceRowsByTenantIds,
  hasOtherDomain,
  hostTaken,
  insertDomain,
  insertFace,
  insertTenant,
  isAncestor,
  markPrimaryDomain,
  tenantById,
  tenantBySlug,
  tenantOfHost,
  updateTenantRow,
  writeFace,
  type TenantRowPatch,
} from './repo.js';

// ── tenants ───────────────────────────────────────────────────────────────────

async function checkParent(
  ex: Executor,
  level: TenantLevel,
  parentId: string | null | undefined,
): Promise<Tenant | null> {
  if (!LEVELS.includes(level)) throw new DomainError('TENANT_LEVEL_INVALID');
  if (parentId === null || parentId === undefined) {
    if (level !== 'province') throw new DomainError('TENANT_LEVEL_INVALID', `${levelName(level)}必须有上级租户`);
    return null;
  }
  const parent = await tenantById(ex, parentId);
  if (!parent) throw new DomainError('TENANT_PARENT_NOT_FOUND');
  if (!parentLevelAllowed(level, parent.level)) {
    throw new DomainError('TENANT_LEVEL_INVALID', `${levelName(level)}不能隶属于${levelName(parent.level)}`);
  }
  return parent;
}

const tenantChanged = (ex: Executor, tenantId: string) =>
  enqueue(ex, { tenantId, topic: TENANCY_TOPICS.tenantChanged, payload: { tenantId } satisfies TenantChangedPayload });

/** Creates a tenant with a default face. Runs inside the caller's (platform) transaction. */
export async function createTenant(ex: Executor, actor: Actor, input: NewTenantInput): Promise<Tenant> {
  checkSlug(input.slug);
  const name = checkName(input.name);
  await checkParent(ex, input.level, input.parentId);
  if (await tenantBySlug(ex, input.slug)) throw new DomainError('SLUG_TAKEN');
  let tenant: Tenant;
  try {
    tenant = await insertTenant(ex, {
      slug: input.slug,
      name,
      level: input.level,
      parentId: input.parentId ?? null,
      settings: input.settings ?? {},
    });
  } catch (err) {
    tenantWriteError(err);
  }
  await insertFace(ex, tenant.id, defaultFace(name));
  await appendAudit(ex, actor, {
    tenantId: tenant.id,
    action: 'tenant.create',
    targetKind: 'tenant',
    targetId: tenant.id,
    detail: { slug: tenant.slug, level: tenant.level },
  });
  await tenantChanged(ex, tenant.id);
  return tenant;
}

export async function updateTenant(ex: Executor, actor: Actor, id: string, patch: TenantPatch): Promise<Tenant> {
  const current = await tenantById(ex, id);
  if (!current) throw new DomainError('TENANT_NOT_FOUND');
  const values: TenantRowPatch = {};
  if (patch.name !== undefined) values.name = checkName(patch.name);
  if (patch.status !== undefined) {
    if (!['active', 'suspended', 'closed'].includes(patch.status))
      throw new DomainError('BAD_USER_INPUT', '状态不正确');
    values.status = patch.status;
  }
  if (patch.settings !== undefined) values.settings = JSON.stringify(patch.settings);
  if (patch.parentId !== undefined && patch.parentId !== current.parent_id) {
    await checkParent(ex, current.level, patch.parentId);
    if (patch.parentId && (patch.parentId === id || (await isAncestor(ex, id, patch.parentId)))) {
      throw new DomainError('TENANT_CYCLE');
    }
    values.parent_id = patch.parentId;
  }
  if (Object.keys(values).length === 0) return current;
  let updated: Tenant;
  try {
    updated = await updateTenantRow(ex, id, values);
  } catch (err) {
    tenantWriteError(err);
  }
  await appendAudit(ex, actor, {
    tenantId: id,
    action: 'tenant.update',
    targetKind: 'tenant',
    targetId: id,
    detail: { fields: Object.keys(values) },
  });
  await tenantChanged(ex, id);
  return updated;
}

// ── domains ───────────────────────────────────────────────────────────────────

/**
 * Which tenant a request's Host names: an exact domain first, then
 * `<slug>.<public base domain>`. Closed tenants have no face.
 */
export async function resolveHost(ex: Executor, rawHost: string, baseDomain: string): Promise<Tenant | null> {
  const host = normalizeHost(rawHost);
  if (!host) return null;
  let tenant: Tenant | undefined = await tenantOfHost(ex, host);
  if (!tenant) {
    const suffix = `.${baseDomain.toLowerCase()}`;
    if (!host.endsWith(suffix)) return null;
    const slug = host.slice(0, -suffix.length);
    if (!slug || slug.includes('.')) return null;
    tenant = await tenantBySlug(ex, slug);
  }
  return tenant && tenant.status !== 'closed' ? tenant : null;
}

async function changed(ex: Executor, actor: Actor, tenantId: string, action: string, host: string): Promise<void> {
  await appendAudit(ex, actor, { tenantId, action, targetKind: 'domain', targetId: host });
  await enqueue(ex, {
    tenantId,
    topic: TENANCY_TOPICS.domainChanged,
    payload: { tenantId, host } satisfies DomainChangedPayload,
  });
}

/** Adds a domain; the tenant's first domain becomes its primary. */
export async function addDomain(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  rawHost: string,
  makePrimary = false,
): Promise<TenantDomain> {
  const host = normalizeHost(rawHost);
  if (!host) throw badHost();
  if (!(await tenantById(ex, tenantId))) throw new DomainError('TENANT_NOT_FOUND');
  if (await hostTaken(ex, host)) throw new DomainError('DOMAIN_TAKEN');
  const existing = await domainsOf(ex, tenantId);
  const primary = makePrimary || existing.length === 0;
  if (primary) await clearPrimaryDomain(ex, tenantId);
  let row: TenantDomain;
  try {
    row = await insertDomain(ex, host, tenantId, primary);
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('DOMAIN_TAKEN');
    throw err;
  }
  await changed(ex, actor, tenantId, 'domain.add', host);
  return row;
}

/** Removes a domain. A primary can go only when it is the tenant's last domain. */
export async function removeDomain(ex: Executor, actor: Actor, rawHost: string): Promise<TenantDomain> {
  const host = normalizeHost(rawHost);
  const row = host ? await domainByHost(ex, host) : undefined;
  if (!row) throw new DomainError('DOMAIN_NOT_FOUND');
  if (row.is_primary && (await hasOtherDomain(ex, row.tenant_id, row.host)))
    throw new DomainError('DOMAIN_PRIMARY_REQUIRED');
  await deleteDomain(ex, row.host);
  await changed(ex, actor, row.tenant_id, 'domain.remove', row.host);
  return row;
}

export async function setPrimaryDomain(ex: Executor, actor: Actor, rawHost: string): Promise<TenantDomain> {
  const host = normalizeHost(rawHost);
  const row = host ? await domainByHost(ex, host) : undefined;
  if (!row) throw new DomainError('DOMAIN_NOT_FOUND');
  if (row.is_primary) return row;
  await clearPrimaryDomain(ex, row.tenant_id);
  const updated = await markPrimaryDomain(ex, row.host);
  await changed(ex, actor, row.tenant_id, 'domain.primary', row.host);
  return updated;
}

// ── faces ─────────────────────────────────────────────────────────────────────

export async function faceOf(ex: Executor, tenantId: string): Promise<StoredFace | undefined> {
  if (!isUuid(tenantId)) return undefined;
  const row = await faceRowOf(ex, tenantId);
  return row && faceFromRow(row);
}

export async function facesByTenantIds(ex: Executor, ids: readonly string[]): Promise<StoredFace[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return (await faceRowsByTenantIds(ex, valid)).map(faceFromRow);
}

/** Merges the patch into the current face, validates the whole, bumps the version. */
export async function updateFace(ex: Executor, actor: Actor, tenantId: string, patch: FacePatch): Promise<StoredFace> {
  const current = await faceOf(ex, tenantId);
  if (!current) throw new DomainError('TENANT_NOT_FOUND');
  const { tenantId: _t, version: _v, updatedAt: _u, ...base } = current;
  const merged = validateFace({ ...base, ...stripUndefined(patch) });
  const row = await writeFace(ex, tenantId, merged, current.version + 1);
  const changedFields = Object.keys(stripUndefined(patch));
  await appendAudit(ex, actor, {
    tenantId,
    action: 'face.update',
    targetKind: 'face',
    targetId: tenantId,
    detail: { fields: changedFields, version: row.version },
  });
  await enqueue(ex, {
    tenantId,
    topic: TENANCY_TOPICS.faceChanged,
    payload: { tenantId, version: row.version } satisfies FaceChangedPayload,
  });
  return faceFromRow(row);
}

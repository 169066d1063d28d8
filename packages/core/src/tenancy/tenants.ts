import { isCheckViolation, isUniqueViolation, type Executor, type Tenant, type TenantLevel, type TenantStatus } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { enqueue, TOPICS } from '../events/index.js';
import { appendAudit } from '../governance/index.js';
import { defaultFace } from './face-schema.js';

export const LEVELS: readonly TenantLevel[] = ['province', 'city', 'county'];
const SLUG = /^[a-z][a-z0-9-]{1,39}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Slugs that name platform hosts (`<slug>.<base domain>`), never a tenant. */
export const RESERVED_SLUGS = new Set(['www', 'api', 'console', 'sso', 'login', 'admin', 'static', 'assets', 'cdn', 'mail']);

export const isUuid = (v: string): boolean => UUID.test(v);

/** Which parent levels each level accepts: a city under the province, a county under a city or the province. */
export function parentLevelAllowed(level: TenantLevel, parent: TenantLevel | null): boolean {
  if (level === 'province') return parent === null;
  if (level === 'city') return parent === 'province';
  return parent === 'province' || parent === 'city';
}

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
export async function descendants(ex: Executor, id: string, opts: { includeSelf?: boolean; maxDepth?: number } = {}): Promise<Tenant[]> {
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

export interface NewTenantInput {
  slug: string;
  name: string;
  level: TenantLevel;
  parentId?: string | null;
  settings?: Record<string, unknown>;
}

function checkSlug(slug: string): void {
  if (!SLUG.test(slug)) {
    throw new DomainError('BAD_USER_INPUT', '标识只能使用小写字母、数字和连字符，以字母开头，长 2 到 40 个字符', [{ path: 'slug', message: '格式不正确' }]);
  }
  if (RESERVED_SLUGS.has(slug)) throw new DomainError('SLUG_TAKEN', `标识 ${slug} 为平台保留`);
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 64) {
    throw new DomainError('BAD_USER_INPUT', '名称长度应为 1 到 64 个字符', [{ path: 'name', message: '长度不正确' }]);
  }
  return trimmed;
}

async function checkParent(ex: Executor, level: TenantLevel, parentId: string | null | undefined): Promise<Tenant | null> {
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

export function levelName(level: TenantLevel): string {
  return { province: '省级租户', city: '市级租户', county: '县级租户' }[level];
}

/** Maps constraint failures that slipped past the checks (races) to domain errors. */
function mapWriteError(err: unknown): never {
  if (isUniqueViolation(err, 'tenants_slug_key')) throw new DomainError('SLUG_TAKEN');
  if (isCheckViolation(err)) {
    const msg = err instanceof Error ? err.message : '';
    if (msg.includes('tenant_cycle')) throw new DomainError('TENANT_CYCLE');
    if (msg.includes('tenant_level_rule')) throw new DomainError('TENANT_LEVEL_INVALID');
    throw new DomainError('BAD_USER_INPUT');
  }
  throw err;
}

/** Creates a tenant with a default face. Runs inside the caller's (platform) transaction. */
export async function createTenant(ex: Executor, actor: Actor, input: NewTenantInput): Promise<Tenant> {
  checkSlug(input.slug);
  const name = checkName(input.name);
  await checkParent(ex, input.level, input.parentId);
  if (await tenantBySlug(ex, input.slug)) throw new DomainError('SLUG_TAKEN');
  let tenant: Tenant;
  try {
    tenant = await ex
      .insertInto('tenants')
      .values({
        slug: input.slug,
        name,
        level: input.level,
        parent_id: input.parentId ?? null,
        settings: JSON.stringify(input.settings ?? {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    mapWriteError(err);
  }
  const face = defaultFace(name);
  await ex
    .insertInto('faces')
    .values({
      tenant_id: tenant.id,
      site_name: face.siteName,
      tagline: face.tagline,
      theme: JSON.stringify(face.theme),
      navigation: JSON.stringify(face.navigation),
      home_layout: JSON.stringify(face.homeLayout),
      footer: JSON.stringify(face.footer),
    })
    .execute();
  await appendAudit(ex, actor, { tenantId: tenant.id, action: 'tenant.create', targetKind: 'tenant', targetId: tenant.id, detail: { slug: tenant.slug, level: tenant.level } });
  await enqueue(ex, { tenantId: tenant.id, topic: TOPICS.tenantChanged, payload: { tenantId: tenant.id } });
  return tenant;
}

export interface TenantPatch {
  name?: string;
  status?: TenantStatus;
  parentId?: string | null;
  settings?: Record<string, unknown>;
}

export async function updateTenant(ex: Executor, actor: Actor, id: string, patch: TenantPatch): Promise<Tenant> {
  const current = await tenantById(ex, id);
  if (!current) throw new DomainError('TENANT_NOT_FOUND');
  const values: Record<string, unknown> = {};
  if (patch.name !== undefined) values.name = checkName(patch.name);
  if (patch.status !== undefined) {
    if (!['active', 'suspended', 'closed'].includes(patch.status)) throw new DomainError('BAD_USER_INPUT', '状态不正确');
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
    updated = await ex
      .updateTable('tenants')
      .set({ ...values, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    mapWriteError(err);
  }
  await appendAudit(ex, actor, { tenantId: id, action: 'tenant.update', targetKind: 'tenant', targetId: id, detail: { fields: Object.keys(values) } });
  await enqueue(ex, { tenantId: id, topic: TOPICS.tenantChanged, payload: { tenantId: id } });
  return updated;
}

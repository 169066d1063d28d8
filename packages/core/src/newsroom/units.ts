import { isUniqueViolation, type Executor, type Unit } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';
import { isUuid } from '../tenancy/index.js';

export const UNIT_KINDS = ['bureau', 'township', 'institution', 'enterprise', 'other'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
const SLUG = /^[a-z][a-z0-9-]{1,39}$/;

export interface UnitInput {
  slug: string;
  name: string;
  kind: UnitKind;
}

function check(input: Partial<UnitInput>): void {
  if (input.slug !== undefined && !SLUG.test(input.slug)) throw new DomainError('BAD_USER_INPUT', '标识格式不正确', [{ path: 'slug', message: '格式不正确' }]);
  if (input.name !== undefined && (input.name.trim().length < 1 || input.name.length > 60)) throw new DomainError('BAD_USER_INPUT', '名称长度应为 1 到 60 个字符', [{ path: 'name', message: '长度不正确' }]);
  if (input.kind !== undefined && !UNIT_KINDS.includes(input.kind)) throw new DomainError('BAD_USER_INPUT', '政务号类型不正确', [{ path: 'kind', message: '类型不正确' }]);
}

/** A government unit (政务号) hosted by a tenant; it publishes only through the tenant's review. */
export async function createUnit(ex: Executor, actor: Actor, tenantId: string, input: UnitInput): Promise<Unit> {
  check(input);
  try {
    const unit = await ex.insertInto('units').values({ tenant_id: tenantId, slug: input.slug, name: input.name.trim(), kind: input.kind }).returningAll().executeTakeFirstOrThrow();
    await appendAudit(ex, actor, { tenantId, action: 'unit.create', targetKind: 'unit', targetId: unit.id, detail: { name: unit.name } });
    return unit;
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('SLUG_TAKEN');
    throw err;
  }
}

export async function updateUnit(ex: Executor, actor: Actor, tenantId: string, id: string, patch: Partial<UnitInput> & { status?: 'active' | 'suspended' | 'closed' }): Promise<Unit> {
  check(patch);
  if (!isUuid(id)) throw new DomainError('UNIT_NOT_FOUND');
  const unit = await ex
    .updateTable('units')
    .set({
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!unit) throw new DomainError('UNIT_NOT_FOUND');
  await appendAudit(ex, actor, { tenantId, action: 'unit.update', targetKind: 'unit', targetId: id, detail: { fields: Object.keys(patch) } });
  return unit;
}

export async function unitsOf(ex: Executor, tenantId: string): Promise<Unit[]> {
  return ex.selectFrom('units').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
}

export async function unitById(ex: Executor, tenantId: string, id: string): Promise<Unit | undefined> {
  if (!isUuid(id)) return undefined;
  return ex.selectFrom('units').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function unitsByIds(ex: Executor, ids: readonly string[]): Promise<Unit[]> {
  const valid = ids.filter(isUuid);
  return valid.length ? ex.selectFrom('units').selectAll().where('id', 'in', valid).execute() : [];
}

import type { Executor, Grant, StaffRole } from '@yiduan/db';
import { isUniqueViolation } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';
import { isUuid } from '../tenancy/index.js';

export const STAFF_ROLES: readonly StaffRole[] = ['reporter', 'editor', 'reviewer', 'chief_editor', 'tenant_admin'];

export interface GrantInput {
  tenantId: string;
  role: StaffRole;
  staffId?: string | null;
  orgId?: string | null;
  unitId?: string | null;
  /** the caller already verified the person or organisation in platform scope (staff rows are not tenant rows) */
  skipPartyCheck?: boolean;
}

/** Grants a role in a tenant to a person or an operator organisation, optionally limited to a unit. */
export async function grantRole(ex: Executor, actor: Actor, input: GrantInput): Promise<Grant> {
  if (!STAFF_ROLES.includes(input.role)) throw new DomainError('BAD_USER_INPUT', '角色不正确');
  // a unit drafts; review and publishing stay with the tenant's own staff
  if (input.unitId && input.role !== 'reporter') throw new DomainError('BAD_USER_INPUT', '限定政务号的授权只能是记者（撰稿）角色', [{ path: 'role', message: '政务号成员只能撰稿' }]);
  if (!input.staffId === !input.orgId) throw new DomainError('BAD_USER_INPUT', '请指定工作人员或代运营机构之一');
  if (!input.skipPartyCheck && input.staffId && !(isUuid(input.staffId) && (await ex.selectFrom('staff').select('id').where('id', '=', input.staffId).executeTakeFirst()))) {
    throw new DomainError('STAFF_NOT_FOUND');
  }
  if (!input.skipPartyCheck && input.orgId && !(isUuid(input.orgId) && (await ex.selectFrom('organisations').select('id').where('id', '=', input.orgId).executeTakeFirst()))) {
    throw new DomainError('ORGANISATION_NOT_FOUND');
  }
  if (input.unitId && !(isUuid(input.unitId) && (await ex.selectFrom('units').select('id').where('tenant_id', '=', input.tenantId).where('id', '=', input.unitId).executeTakeFirst()))) {
    throw new DomainError('UNIT_NOT_FOUND');
  }
  let grant: Grant;
  try {
    grant = await ex
      .insertInto('grants')
      .values({ tenant_id: input.tenantId, role: input.role, staff_id: input.staffId ?? null, org_id: input.orgId ?? null, unit_id: input.unitId ?? null, granted_by: actor.id })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('BAD_USER_INPUT', '该角色已授予');
    throw err;
  }
  await appendAudit(ex, actor, { tenantId: input.tenantId, action: 'grant.add', targetKind: grant.staff_id ? 'staff' : 'organisation', targetId: grant.staff_id ?? grant.org_id ?? '', detail: { role: grant.role, unitId: grant.unit_id, grantId: grant.id } });
  return grant;
}

export async function revokeGrant(ex: Executor, actor: Actor, tenantId: string, grantId: string): Promise<Grant> {
  if (!isUuid(grantId)) throw new DomainError('NOT_FOUND');
  const g = await ex.updateTable('grants').set({ revoked_at: new Date() }).where('id', '=', grantId).where('tenant_id', '=', tenantId).where('revoked_at', 'is', null).returningAll().executeTakeFirst();
  if (!g) throw new DomainError('NOT_FOUND', '找不到该授权');
  await appendAudit(ex, actor, { tenantId, action: 'grant.revoke', targetKind: g.staff_id ? 'staff' : 'organisation', targetId: g.staff_id ?? g.org_id ?? '', detail: { role: g.role, grantId } });
  return g;
}

export async function grantsOfTenant(ex: Executor, tenantId: string): Promise<Grant[]> {
  return ex.selectFrom('grants').selectAll().where('tenant_id', '=', tenantId).where('revoked_at', 'is', null).orderBy('created_at').execute();
}

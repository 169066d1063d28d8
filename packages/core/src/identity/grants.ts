import type { Executor, Grant, Organisation, StaffRole } from '@yiduan/db';
import { isUniqueViolation } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/audit.js';
import { isUuid } from '../tenancy/tenants.js';

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

export interface OrganisationInput {
  name: string;
  licenceNo: string;
  validUntil: string;
}

function checkOrg(input: Partial<OrganisationInput>): void {
  if (input.name !== undefined && (input.name.trim().length < 1 || input.name.length > 100)) throw new DomainError('BAD_USER_INPUT', '机构名称长度应为 1 到 100 个字符');
  if (input.licenceNo !== undefined && (input.licenceNo.trim().length < 1 || input.licenceNo.length > 64)) throw new DomainError('BAD_USER_INPUT', '资质证号不能为空');
  if (input.validUntil !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(input.validUntil) || Number.isNaN(Date.parse(input.validUntil)))) {
    throw new DomainError('BAD_USER_INPUT', '有效期格式应为 YYYY-MM-DD');
  }
}

/** Operator organisations (代运营) are platform records with a qualification on file. */
export async function createOrganisation(ex: Executor, actor: Actor, input: OrganisationInput): Promise<Organisation> {
  checkOrg(input);
  const org = await ex
    .insertInto('organisations')
    .values({ name: input.name.trim(), licence_no: input.licenceNo.trim(), valid_until: input.validUntil })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(ex, actor, { tenantId: null, action: 'organisation.create', targetKind: 'organisation', targetId: org.id, detail: { licenceNo: org.licence_no, validUntil: input.validUntil } });
  return org;
}

export async function updateQualification(ex: Executor, actor: Actor, orgId: string, input: Partial<OrganisationInput> & { status?: 'active' | 'suspended' }): Promise<Organisation> {
  checkOrg(input);
  if (!isUuid(orgId)) throw new DomainError('ORGANISATION_NOT_FOUND');
  const org = await ex
    .updateTable('organisations')
    .set({
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.licenceNo !== undefined ? { licence_no: input.licenceNo.trim() } : {}),
      ...(input.validUntil !== undefined ? { valid_until: input.validUntil } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', orgId)
    .returningAll()
    .executeTakeFirst();
  if (!org) throw new DomainError('ORGANISATION_NOT_FOUND');
  await appendAudit(ex, actor, { tenantId: null, action: 'organisation.update', targetKind: 'organisation', targetId: orgId, detail: { ...input } });
  return org;
}

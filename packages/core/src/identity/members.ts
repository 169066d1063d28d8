import type { Executor, Grant, Staff } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { isUuid } from '../tenancy/index.js';
import { grantRole } from './grants.js';
import { createStaff } from './staff.js';

export interface UnitMemberInput {
  tenantId: string;
  unitId: string;
  login: string;
  displayName: string;
  password: string;
}

/**
 * A tenant admin's way to add a unit member (政务号通讯员): a new person of no organisation and
 * never an operator, granted REPORTER on one unit of the tenant; both audited. Runs in platform
 * scope (staff are platform rows), inside the caller's transaction: a refused grant leaves no
 * account behind. The caller has checked that the actor administers `tenantId`; the unit is
 * checked here to be that tenant's and open.
 */
export async function addUnitMember(ex: Executor, actor: Actor, input: UnitMemberInput): Promise<{ staff: Staff; grant: Grant }> {
  // platform scope sees every tenant's units: the tenant is named explicitly
  const unit = isUuid(input.unitId) ? await ex.selectFrom('units').select(['id', 'status']).where('tenant_id', '=', input.tenantId).where('id', '=', input.unitId).executeTakeFirst() : undefined;
  if (!unit) throw new DomainError('UNIT_NOT_FOUND');
  if (unit.status === 'closed') throw new DomainError('BAD_USER_INPUT', '该政务号已关停，不能添加成员');
  const staff = await createStaff(ex, actor, { login: input.login, displayName: input.displayName, password: input.password, isOperator: false, orgId: null });
  const grant = await grantRole(ex, actor, { tenantId: input.tenantId, role: 'reporter', staffId: staff.id, unitId: unit.id, skipPartyCheck: true });
  return { staff, grant };
}

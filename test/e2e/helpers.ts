import { createStaff, grantRole, createUnit, createRule, staffActor, SYSTEM_ACTOR, type Actor } from '@yiduan/core';
import { withPlatform, withTenant, type DB, type Staff, type StaffRole, type Unit } from '@yiduan/db';

export const PASSWORD = 'Passw0rd-e2e';

/** A staff member with roles in one tenant (optionally limited to a unit). */
export async function staffWith(
  db: DB,
  login: string,
  tenantId: string,
  roles: StaffRole[],
  unitId: string | null = null,
): Promise<Staff> {
  const staff = await withPlatform(db, (trx) =>
    createStaff(trx, SYSTEM_ACTOR, { login, displayName: login, password: PASSWORD }),
  );
  await withTenant(db, tenantId, async (trx) => {
    for (const role of roles)
      await grantRole(trx, SYSTEM_ACTOR, { tenantId, role, staffId: staff.id, unitId, skipPartyCheck: true });
  });
  return staff;
}

export async function unitIn(db: DB, tenantId: string, slug: string, name: string): Promise<Unit> {
  return withTenant(db, tenantId, (trx) => createUnit(trx, SYSTEM_ACTOR, tenantId, { slug, name, kind: 'bureau' }));
}

export async function blockRule(db: DB, tenantId: string, pattern: string, actor: Actor = SYSTEM_ACTOR): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    createRule(trx, actor, tenantId, { pattern, kind: 'literal', severity: 'block', note: '错误的政治表述' }),
  );
}

export { staffActor };

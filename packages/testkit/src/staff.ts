import { createStaff, grantRole, SYSTEM_ACTOR } from '@yiduan/core';
import { withPlatform, withTenant, type DB, type Staff, type StaffRole } from '@yiduan/db';

/** The password of every staff member staffWith creates. */
export const STAFF_PASSWORD = 'Passw0rd-test';

/** A staff member with roles in one tenant (optionally limited to a unit), signing in with STAFF_PASSWORD. */
export async function staffWith(
  db: DB,
  login: string,
  tenantId: string,
  roles: StaffRole[],
  unitId: string | null = null,
): Promise<Staff> {
  const staff = await withPlatform(db, (trx) =>
    createStaff(trx, SYSTEM_ACTOR, { login, displayName: login, password: STAFF_PASSWORD }),
  );
  await withTenant(db, tenantId, async (trx) => {
    for (const role of roles)
      await grantRole(trx, SYSTEM_ACTOR, { tenantId, role, staffId: staff.id, unitId, skipPartyCheck: true });
  });
  return staff;
}

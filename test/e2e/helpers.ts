import { createUnit, createRule, staffActor, SYSTEM_ACTOR, type Actor } from '@yiduan/core';
import { withTenant, type DB, type Unit } from '@yiduan/db';

// staff with roles in one tenant: testkit's staffWith, signing in with PASSWORD
export { staffWith, STAFF_PASSWORD as PASSWORD } from '@yiduan/testkit';

export async function unitIn(db: DB, tenantId: string, slug: string, name: string): Promise<Unit> {
  return withTenant(db, tenantId, (trx) => createUnit(trx, SYSTEM_ACTOR, tenantId, { slug, name, kind: 'bureau' }));
}

export async function blockRule(db: DB, tenantId: string, pattern: string, actor: Actor = SYSTEM_ACTOR): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    createRule(trx, actor, tenantId, { pattern, kind: 'literal', severity: 'block', note: '错误的政治表述' }),
  );
}

export { staffActor };

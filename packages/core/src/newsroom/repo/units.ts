import type { Executor, Unit } from '@yiduan/db';
import { isUuid } from '../../tenancy/index.js';
import type { UnitKind } from '../model.js';

export async function insertUnit(
  ex: Executor,
  values: { tenant_id: string; slug: string; name: string; kind: UnitKind },
): Promise<Unit> {
  return ex.insertInto('units').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateUnitRow(
  ex: Executor,
  tenantId: string,
  id: string,
  values: { name?: string; kind?: UnitKind; status?: 'active' | 'suspended' | 'closed' },
): Promise<Unit | undefined> {
  return ex
    .updateTable('units')
    .set(values)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function unitsOf(ex: Executor, tenantId: string): Promise<Unit[]> {
  return ex.selectFrom('units').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
}

/** Units of several tenants that are not closed, by name (loaders). */
export async function openUnitsOfTenants(ex: Executor, tenantIds: readonly string[]): Promise<Unit[]> {
  if (!tenantIds.length) return [];
  return ex
    .selectFrom('units')
    .selectAll()
    .where('tenant_id', 'in', tenantIds)
    .where('status', '<>', 'closed')
    .orderBy('name')
    .execute();
}

export async function unitById(ex: Executor, tenantId: string, id: string): Promise<Unit | undefined> {
  if (!isUuid(id)) return undefined;
  return ex.selectFrom('units').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function unitsByIds(ex: Executor, ids: readonly string[]): Promise<Unit[]> {
  const valid = ids.filter(isUuid);
  return valid.length ? ex.selectFrom('units').selectAll().where('id', 'in', valid).execute() : [];
}

import { isUniqueViolation, type Executor, type Unit } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { DomainError } from '../../errors.js';
import { appendAudit } from '../../governance/index.js';
import { isUuid } from '../../tenancy/index.js';
import { checkUnit, type UnitInput, type UnitPatch } from '../model.js';
import { insertUnit, updateUnitRow } from '../repo/index.js';

/** A government unit (政务号) hosted by a tenant; it publishes only through the tenant's review. */
export async function createUnit(ex: Executor, actor: Actor, tenantId: string, input: UnitInput): Promise<Unit> {
  checkUnit(input);
  try {
    const unit = await insertUnit(ex, {
      tenant_id: tenantId,
      slug: input.slug,
      name: input.name.trim(),
      kind: input.kind,
    });
    await appendAudit(ex, actor, {
      tenantId,
      action: 'unit.create',
      targetKind: 'unit',
      targetId: unit.id,
      detail: { name: unit.name },
    });
    return unit;
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('SLUG_TAKEN');
    throw err;
  }
}

export async function updateUnit(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  id: string,
  patch: UnitPatch,
): Promise<Unit> {
  checkUnit(patch);
  if (!isUuid(id)) throw new DomainError('UNIT_NOT_FOUND');
  const unit = await updateUnitRow(ex, tenantId, id, {
    ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
    ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
  });
  if (!unit) throw new DomainError('UNIT_NOT_FOUND');
  await appendAudit(ex, actor, {
    tenantId,
    action: 'unit.update',
    targetKind: 'unit',
    targetId: id,
    detail: { fields: Object.keys(patch) },
  });
  return unit;
}

import { ancestors, DomainError, isUuid, tenantById, tenantsOfStaff } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { isOperator, requireViewer } from '../auth.js';
import type { GraphQLContext } from '../context.js';

/**
 * The nearest tenant, the target itself or an ancestor, where the viewer holds a role: the scope a
 * subtree read (the accounts registry, the statistics) runs in. `refusal` says what cannot be read.
 */
export async function nearestHeldTenant(
  ctx: Pick<GraphQLContext, 'viewer' | 'db'>,
  target: string,
  refusal: string,
): Promise<string> {
  const viewer = requireViewer(ctx);
  if (!isUuid(target) || !(await tenantById(ctx.db, target))) throw new DomainError('TENANT_NOT_FOUND');
  if (isOperator(viewer) || !viewer.staff) return target;
  const staff = viewer.staff;
  const via = await withPlatform(ctx.db, async (trx) => {
    const held = new Set((await tenantsOfStaff(trx, staff)).map((g) => g.tenant_id));
    // the target itself first, then its ancestors nearest first
    return (await ancestors(trx, target, { includeSelf: true })).find((a) => held.has(a.id))?.id ?? null;
  });
  if (!via) throw new DomainError('FORBIDDEN', refusal);
  return via;
}

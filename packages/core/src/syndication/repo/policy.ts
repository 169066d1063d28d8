import type { Executor } from '@yiduan/db';

/** Same tree: the two tenants share a root (one province platform may host several trees). */
export async function sameTree(ex: Executor, a: string, b: string): Promise<boolean> {
  const row = await ex
    .selectFrom('tenant_tree as x')
    .innerJoin('tenant_tree as y', 'y.ancestor_id', 'x.ancestor_id')
    .select('x.ancestor_id')
    .where('x.descendant_id', '=', a)
    .where('y.descendant_id', '=', b)
    .executeTakeFirst();
  return row !== undefined;
}

/** A tenant's settings document (tenants.settings). */
export async function tenantSettings(ex: Executor, tenantId: string): Promise<unknown> {
  const t = await ex.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
  return t?.settings;
}

import type { Executor, ReviewRole, Section } from '@yiduan/db';
import { isUuid } from '../../tenancy/index.js';

export async function nextSectionPosition(ex: Executor, tenantId: string): Promise<number> {
  const row = await ex
    .selectFrom('sections')
    .select((eb) => eb.fn.coalesce(eb.fn.max('position'), eb.lit(0)).as('p'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(row?.p ?? 0) + 10;
}

export async function insertSection(
  ex: Executor,
  values: { tenant_id: string; slug: string; name: string; position: number; review_steps: ReviewRole[] | null },
): Promise<Section> {
  return ex.insertInto('sections').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateSectionRow(
  ex: Executor,
  tenantId: string,
  id: string,
  values: { name?: string; position?: number; review_steps?: ReviewRole[] | null },
): Promise<Section | undefined> {
  return ex
    .updateTable('sections')
    .set(values)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function sectionsOf(ex: Executor, tenantId: string): Promise<Section[]> {
  return ex
    .selectFrom('sections')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('position')
    .orderBy('slug')
    .execute();
}

/** Sections of several tenants by position (loaders); each tenant's in its own order. */
export async function sectionsOfTenants(ex: Executor, tenantIds: readonly string[]): Promise<Section[]> {
  if (!tenantIds.length) return [];
  return ex.selectFrom('sections').selectAll().where('tenant_id', 'in', tenantIds).orderBy('position').execute();
}

export async function sectionById(ex: Executor, tenantId: string, id: string): Promise<Section | undefined> {
  if (!isUuid(id)) return undefined;
  return ex
    .selectFrom('sections')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function sectionsByIds(ex: Executor, ids: readonly string[]): Promise<Section[]> {
  const valid = ids.filter(isUuid);
  return valid.length ? ex.selectFrom('sections').selectAll().where('id', 'in', valid).execute() : [];
}

/** A section's own review chain, if it overrides the tenant's. */
export async function sectionChain(ex: Executor, tenantId: string, sectionId: string): Promise<ReviewRole[] | null> {
  const s = await ex
    .selectFrom('sections')
    .select('review_steps')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sectionId)
    .executeTakeFirst();
  return s?.review_steps ?? null;
}

export async function tenantChainRow(ex: Executor, tenantId: string): Promise<ReviewRole[] | undefined> {
  const row = await ex.selectFrom('review_chains').select('steps').where('tenant_id', '=', tenantId).executeTakeFirst();
  return row?.steps;
}

export async function upsertTenantChain(ex: Executor, tenantId: string, steps: ReviewRole[]): Promise<void> {
  await ex
    .insertInto('review_chains')
    .values({ tenant_id: tenantId, steps })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ steps, updated_at: new Date() }))
    .execute();
}

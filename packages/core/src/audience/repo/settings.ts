import type { Executor } from '@yiduan/db';

/** Audience settings: one row per tenant, readable in any scope. */

export async function settingsRow(ex: Executor, tenantId: string) {
  return ex.selectFrom('audience_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
}

export async function upsertSettings(
  ex: Executor,
  tenantId: string,
  values: { comments_premoderated: boolean; comments_enabled: boolean; message_due_days: number; updated_at: Date },
): Promise<void> {
  await ex
    .insertInto('audience_settings')
    .values({ tenant_id: tenantId, ...values })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
    .execute();
}

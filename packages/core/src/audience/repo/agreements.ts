import { sql, type Insertable } from 'kysely';
import type { AgreementKind, AgreementStatus, Database, Executor } from '@yiduan/db';

/** A tenant's newest published version of an agreement. */
export async function newestPublished(ex: Executor, tenantId: string, kind: AgreementKind) {
  return ex
    .selectFrom('agreements')
    .select(['version', 'title', 'body', 'published_at'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('status', '=', 'published')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Every version of both agreements of a tenant, newest first. */
export async function agreementRows(ex: Executor, tenantId: string) {
  return ex.selectFrom('agreements').selectAll().where('tenant_id', '=', tenantId).orderBy('version', 'desc').execute();
}

/** One writer per tenant and kind at a time: version numbers are taken in order. */
export async function lockAgreementKind(ex: Executor, tenantId: string, kind: AgreementKind): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`agreements:${tenantId}:${kind}`}))`.execute(ex);
}

export async function draftVersion(ex: Executor, tenantId: string, kind: AgreementKind): Promise<number | undefined> {
  const draft = await ex
    .selectFrom('agreements')
    .select('version')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return draft?.version;
}

export async function highestVersion(ex: Executor, tenantId: string, kind: AgreementKind): Promise<number> {
  const top = await ex
    .selectFrom('agreements')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return top?.v ?? 0;
}

export async function updateAgreement(
  ex: Executor,
  key: { tenantId: string; kind: AgreementKind; version: number },
  set: { title: string; body: string; status: AgreementStatus; updated_at: Date; published_at: Date | null },
): Promise<void> {
  await ex
    .updateTable('agreements')
    .set(set)
    .where('tenant_id', '=', key.tenantId)
    .where('kind', '=', key.kind)
    .where('version', '=', key.version)
    .execute();
}

export async function insertAgreement(ex: Executor, values: Insertable<Database['agreements']>): Promise<void> {
  await ex.insertInto('agreements').values(values).execute();
}

export async function insertAcceptances(
  ex: Executor,
  rows: { citizen_id: string; tenant_id: string | null; kind: AgreementKind; version: number }[],
): Promise<void> {
  await ex.insertInto('agreement_acceptances').values(rows).execute();
}

export async function acceptancesOf(ex: Executor, citizenId: string) {
  return ex
    .selectFrom('agreement_acceptances')
    .selectAll()
    .where('citizen_id', '=', citizenId)
    .orderBy('id', 'desc')
    .execute();
}

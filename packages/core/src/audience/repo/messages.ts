import { sql, type Insertable, type Updateable } from 'kysely';
import type {
  CitizenMessage,
  CitizenMessageEvent,
  Database,
  Executor,
  MessageCategory,
  MessageStatus,
} from '@yiduan/db';
import type { MessageQuery } from '../model.js';

/**
 * The next message number of a tenant: LY + Beijing date + a five-digit daily sequence
 * (LY2026120700001), taken in the caller's transaction (see the message_serials migration).
 */
export async function nextMessageSerial(ex: Executor, tenantId: string, at: Date): Promise<string> {
  const r = await sql<{
    serial: string;
  }>`SELECT next_message_serial(${tenantId}::uuid, ${at}::timestamptz) AS serial`.execute(ex);
  return r.rows[0]!.serial;
}

export async function insertMessage(
  ex: Executor,
  values: Insertable<Database['citizen_messages']>,
): Promise<CitizenMessage> {
  return ex.insertInto('citizen_messages').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function insertMessageEvent(
  ex: Executor,
  values: Insertable<Database['citizen_message_events']>,
): Promise<void> {
  await ex.insertInto('citizen_message_events').values(values).execute();
}

export async function messageRow(
  ex: Executor,
  tenantId: string,
  id: string,
  opts: { forUpdate?: boolean; citizenId?: string } = {},
): Promise<CitizenMessage | undefined> {
  let q = ex.selectFrom('citizen_messages').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (opts.citizenId !== undefined) q = q.where('citizen_id', '=', opts.citizenId);
  return (opts.forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export async function updateMessage(
  ex: Executor,
  tenantId: string,
  id: string,
  set: Updateable<Database['citizen_messages']>,
): Promise<CitizenMessage> {
  return ex
    .updateTable('citizen_messages')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A contact-free copy of a deleted citizen's messages: the tenant keeps what it handled. */
export async function forgetMessageContacts(ex: Executor, citizenId: string, at: Date): Promise<void> {
  await ex
    .updateTable('citizen_messages')
    .set({ contact_name: null, contact_phone: null, updated_at: at })
    .where('citizen_id', '=', citizenId)
    .execute();
}

/** Whether a staff member holds a standing grant in the tenant (a message may be assigned to them). */
export async function holdsGrant(ex: Executor, tenantId: string, staffId: string): Promise<boolean> {
  const g = await ex
    .selectFrom('grants')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('staff_id', '=', staffId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return g !== undefined;
}

/**
 * A page of a tenant's inbox and its total; `unitScope` limits it to those units (an empty list
 * to nothing), null to none.
 */
export async function messagePage(
  ex: Executor,
  tenantId: string,
  unitScope: readonly string[] | null,
  q: MessageQuery,
  now: Date,
): Promise<{ rows: CitizenMessage[]; total: number }> {
  let base = ex.selectFrom('citizen_messages').where('tenant_id', '=', tenantId);
  if (unitScope) base = unitScope.length ? base.where('unit_id', 'in', unitScope) : base.where(sql<boolean>`false`);
  if (q.status) base = base.where('status', '=', q.status);
  if (q.unitId) base = base.where('unit_id', '=', q.unitId);
  if (q.overdueOnly) base = base.where('status', 'in', ['received', 'assigned']).where('due_at', '<', now);
  const total = await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('due_at')
    .orderBy('id')
    .limit(Math.min(q.limit ?? 50, 200))
    .offset(q.offset ?? 0)
    .execute();
  return { rows, total: total.n };
}

export async function messageEvents(ex: Executor, tenantId: string, messageId: string): Promise<CitizenMessageEvent[]> {
  return ex
    .selectFrom('citizen_message_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('message_id', '=', messageId)
    .orderBy('id')
    .execute();
}

/** The events of several messages of one tenant, oldest first (one statement for a loader's batch). */
export async function eventsOfMessages(
  ex: Executor,
  tenantId: string,
  messageIds: string[],
): Promise<CitizenMessageEvent[]> {
  return ex
    .selectFrom('citizen_message_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('message_id', 'in', messageIds)
    .orderBy('id')
    .execute();
}

/** Overdue messages of a tenant's subtree without the citizens' text (a definer function). */
export async function overdueMessageRows(ex: Executor, tenantId: string) {
  const r = await sql<{
    tenant_id: string;
    id: string;
    serial: string;
    unit_id: string | null;
    category: MessageCategory;
    status: MessageStatus;
    created_at: Date;
    due_at: Date;
  }>`
    SELECT * FROM overdue_messages(${tenantId}::uuid) LIMIT 500`.execute(ex);
  return r.rows;
}

/** A citizen's own messages, newest first (citizen scope). */
export async function myMessages(
  ex: Executor,
  citizenId: string,
): Promise<(CitizenMessage & { tenant_name: string })[]> {
  return ex
    .selectFrom('citizen_messages as m')
    .innerJoin('tenants as t', 't.id', 'm.tenant_id')
    .selectAll('m')
    .select('t.name as tenant_name')
    .where('m.citizen_id', '=', citizenId)
    .orderBy('m.created_at', 'desc')
    .limit(200)
    .execute();
}

/** The replies a face shows on its message board, newest first, and their total. */
export async function publicReplyPage(ex: Executor, tenantId: string, limit: number, offset: number) {
  const base = ex
    .selectFrom('citizen_messages')
    .where('tenant_id', '=', tenantId)
    .where('reply_public', '=', true)
    .where('status', 'in', ['replied', 'closed']);
  const total = await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select(['id', 'serial', 'category', 'title', 'body', 'unit_id', 'reply', 'created_at', 'replied_at', 'rating'])
    .orderBy('replied_at', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return { rows, total: total.n };
}

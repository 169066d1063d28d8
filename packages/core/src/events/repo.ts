import { sql } from 'kysely';
import type { Executor, OutboxEvent, Trx } from '@yiduan/db';
import type { EventAttempt, EventDeferral, OutboxMessage, OutboxStats } from './model.js';

/*
 * The outbox table's whole life in one file: producers' inserts (enqueue) and the consumer's
 * claim, acknowledgement, retry, deferral, receipts and savepoints. These live in core and not
 * in packages/db because they are queries on one table of the events context (its columns,
 * statuses and receipts), not connection or scope machinery; packages/db keeps the table's type
 * and its row-level security. The worker's consumer keeps the control flow (at least once,
 * one transaction per event, a savepoint per handler) and calls these one statement at a time.
 */

const row = (msg: OutboxMessage) => ({
  tenant_id: msg.tenantId,
  topic: msg.topic,
  payload: JSON.stringify(msg.payload ?? {}),
  ...(msg.availableAt ? { available_at: msg.availableAt } : {}),
});

/**
 * One statement: no RETURNING, because a tenant may write events but not read the outbox (RLS
 * would refuse the returned row), and no follow-up currval (one more round trip per write).
 */
export async function enqueue(ex: Executor, msg: OutboxMessage): Promise<void> {
  await ex.insertInto('outbox').values(row(msg)).execute();
}

/** The same, giving the event's id: for platform-scoped callers (the worker's tests, tools). */
export async function enqueueReturningId(ex: Executor, msg: OutboxMessage): Promise<number> {
  const r = await ex.insertInto('outbox').values(row(msg)).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Counts by status (platform scope); a status with no event counts 0. */
export async function outboxCounts(ex: Executor): Promise<OutboxStats> {
  const rows = await ex
    .selectFrom('outbox')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .groupBy('status')
    .execute();
  const stats: OutboxStats = { pending: 0, done: 0, dead: 0 };
  for (const r of rows) stats[r.status] = r.n;
  return stats;
}

/**
 * Claims the next due event after the id cursor: locked until the caller's transaction ends,
 * skipped by other consumers meanwhile (FOR UPDATE SKIP LOCKED).
 */
export async function claimNextEvent(trx: Trx, after: number): Promise<OutboxEvent | undefined> {
  return trx
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('available_at', '<=', sql<Date>`now()`)
    .where('id', '>', after)
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** Locks one event again whatever its status (after its transaction failed); undefined when another consumer holds it. */
export async function lockEvent(trx: Trx, id: number): Promise<OutboxEvent | undefined> {
  return trx.selectFrom('outbox').selectAll().where('id', '=', id).forUpdate().skipLocked().executeTakeFirst();
}

export async function markEventDone(trx: Trx, id: number): Promise<void> {
  await trx
    .updateTable('outbox')
    .set({ status: 'done', processed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Records a failed attempt: dead, or pending again after delayMs (from the database's clock). */
export async function recordEventAttempt(trx: Trx, id: number, a: EventAttempt): Promise<void> {
  await trx
    .updateTable('outbox')
    .set({
      attempts: a.attempts,
      last_error: a.lastError,
      status: a.dead ? 'dead' : 'pending',
      ...(a.dead ? {} : { available_at: sql<Date>`now() + ${a.delayMs}::double precision * interval '1 millisecond'` }),
    })
    .where('id', '=', id)
    .execute();
}

/** Postpones an event without spending an attempt; the age comes from the database's clock, like created_at itself. */
export async function deferEvent(trx: Trx, id: number, d: EventDeferral): Promise<void> {
  const ms = (v: number) => sql`${v}::double precision * interval '1 millisecond'`;
  await trx
    .updateTable('outbox')
    .set({
      last_error: d.lastError,
      available_at: sql<Date>`now() + least(${ms(d.capMs)}, greatest(${ms(d.firstMs)}, (now() - created_at) / 4))`,
    })
    .where('id', '=', id)
    .execute();
}

/** Moves dead events (all, or the given ids) back to pending with a fresh attempt budget; returns their ids. */
export async function reviveDeadEvents(ex: Executor, ids?: readonly number[]): Promise<number[]> {
  let q = ex
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, available_at: sql<Date>`now()` })
    .where('status', '=', 'dead');
  if (ids) q = q.where('id', 'in', [...ids]);
  return (await q.returning('id').execute()).map((r) => r.id);
}

/** Writes the (handler, event) receipt; false when it existed already (the handler ran before). */
export async function takeReceipt(trx: Trx, consumer: string, eventId: number): Promise<boolean> {
  const receipt = await trx
    .insertInto('outbox_receipts')
    .values({ consumer, event_id: eventId })
    .onConflict((oc) => oc.doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return receipt !== undefined;
}

/** One handler's savepoint: its work and its receipt commit or roll back together. */
const HANDLER_SAVEPOINT = sql.id('yd_outbox_handler');

export async function openHandlerSavepoint(trx: Trx): Promise<void> {
  await sql`SAVEPOINT ${HANDLER_SAVEPOINT}`.execute(trx);
}

export async function releaseHandlerSavepoint(trx: Trx): Promise<void> {
  await sql`RELEASE SAVEPOINT ${HANDLER_SAVEPOINT}`.execute(trx);
}

/** Undoes the handler's work and receipt only (two statements: roll back to it, then release it). */
export async function rollbackHandlerSavepoint(trx: Trx): Promise<void> {
  await sql`ROLLBACK TO SAVEPOINT ${HANDLER_SAVEPOINT}`.execute(trx);
  await sql`RELEASE SAVEPOINT ${HANDLER_SAVEPOINT}`.execute(trx);
}

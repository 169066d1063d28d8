import type { Executor } from '@yiduan/db';

/**
 * Side effects leave through the outbox, written in the same transaction as
 * the change: if the change commits, the event exists; if not, neither does.
 */
export interface OutboxMessage {
  tenantId: string | null;
  topic: string;
  payload?: Record<string, unknown>;
  /** deliver no earlier than this (scheduled work) */
  availableAt?: Date;
}

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

/** Topics written by the tenancy context. */
export const TOPICS = {
  tenantChanged: 'tenant.changed',
  faceChanged: 'face.changed',
  domainChanged: 'domain.changed',
} as const;

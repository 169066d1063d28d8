import { sql } from 'kysely';
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

export async function enqueue(ex: Executor, msg: OutboxMessage): Promise<number> {
  await ex
    .insertInto('outbox')
    .values({
      tenant_id: msg.tenantId,
      topic: msg.topic,
      payload: JSON.stringify(msg.payload ?? {}),
      ...(msg.availableAt ? { available_at: msg.availableAt } : {}),
    })
    .execute();
  // No RETURNING: a tenant may write events but not read the outbox (RLS would refuse the returned row).
  const r = await sql<{ id: number }>`SELECT currval(pg_get_serial_sequence('outbox', 'id'))::int AS id`.execute(ex);
  return r.rows[0]!.id;
}

/** Topics written by the tenancy context. */
export const TOPICS = {
  tenantChanged: 'tenant.changed',
  faceChanged: 'face.changed',
  domainChanged: 'domain.changed',
} as const;

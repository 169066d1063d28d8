import type { PoolClient } from 'pg';

/**
 * LISTEN on a dedicated connection (the outbox's wake-up channel). It must be a session-level
 * connection straight to PostgreSQL: a transaction-pooling PgBouncer would drop the registration.
 */
export async function listenOn(client: PoolClient, channel: string): Promise<void> {
  await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
}

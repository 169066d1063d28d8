import { sql } from 'kysely';
import { createDb } from './connect.js';

/**
 * Creates the database `name` on the server behind `serverUrl` (an owner or superuser URL to any
 * database there) unless it exists; true when it was created. Used by `pnpm start` for the
 * embedded server's one database. Two callers racing on a fresh server would both try CREATE
 * DATABASE and one fail; start-up is a single process, so that is not guarded.
 */
export async function ensureDatabase(serverUrl: string, name: string): Promise<boolean> {
  const admin = createDb(serverUrl, { max: 1 });
  try {
    const found = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_database WHERE datname = ${name}`.execute(
      admin,
    );
    if (found.rows[0]?.n !== 0) return false;
    await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin);
    return true;
  } finally {
    await admin.destroy();
  }
}

import { sql } from 'kysely';
import type { DB, Trx } from './connect.js';

/**
 * Tenant-scoped transactions. Row-level security reads these settings; they
 * are transaction-local (`set_config(..., true)`), so a pooled connection never
 * carries one tenant's scope into the next request.
 */
export async function withTenant<T>(db: DB, tenantId: string, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('app.tenant_id', ${tenantId}, true)`.execute(trx);
    return fn(trx);
  });
}

/** Platform scope: operators and the worker act across tenants. */
export async function withPlatform<T>(db: DB, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('app.platform', 'on', true)`.execute(trx);
    return fn(trx);
  });
}

/**
 * Citizen scope: a signed-in citizen acting on their own rows (memberships, comments,
 * messages, their account). Public rows stay visible as in the public scope.
 */
export async function withCitizen<T>(db: DB, citizenId: string, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('app.citizen_id', ${citizenId}, true)`.execute(trx);
    return fn(trx);
  });
}

/** Public scope: no tenant, no platform; only public rows are visible. */
export async function withPublic<T>(db: DB, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}

/** Narrow an open transaction to one tenant (e.g. a platform job acting for a tenant). */
export async function setTenant(trx: Trx, tenantId: string): Promise<void> {
  await sql`SELECT set_config('app.tenant_id', ${tenantId}, true), set_config('app.platform', '', true)`.execute(trx);
}

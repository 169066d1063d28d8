import { sql } from 'kysely';
import pg from 'pg';
import type { DB, Trx } from './connect.js';
import { takePendingScope, withPendingScope } from './scope-driver.js';

/**
 * Scoped transactions. Row-level security reads these settings; they are transaction-local
 * (`set_config(..., true)`), so a pooled connection never carries one scope into the next
 * request. On a database from createDb the settings go to PostgreSQL in the same round trip as
 * BEGIN (scope-driver.ts).
 */
export interface Scope {
  /** app.tenant_id: the tenant whose private rows are visible */
  tenantId?: string | null;
  /** app.staff_id: the staff member acting (policies let them read their own staff row) */
  staffId?: string | null;
  /** app.citizen_id: a signed-in citizen acting on their own rows */
  citizenId?: string | null;
  /** app.platform: operators and the worker act across tenants */
  platform?: boolean;
}

/** A scope value that is not a UUID: the same SQLSTATE PostgreSQL gives when a policy casts it. */
export class InvalidScopeError extends Error {
  readonly code = '22P02';
  constructor(setting: string) {
    super(`invalid scope: ${setting} must be a UUID`);
    this.name = 'InvalidScopeError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidLiteral(setting: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return "''";
  if (!UUID.test(value)) throw new InvalidScopeError(setting);
  // only hex digits and hyphens are left; quoted by pg's escaper all the same
  return pg.escapeLiteral(value.toLowerCase());
}

/**
 * The one statement that sets a whole scope, every setting named (unused ones cleared). Values
 * are inlined, not bound: the statement travels in a multi-statement simple-protocol string,
 * which takes no parameters. Each id must match a strict UUID pattern first; platform is a
 * constant. Throws InvalidScopeError before anything is sent.
 */
export function scopeStatement(scope: Scope): string {
  const settings: [string, string][] = [
    ['app.tenant_id', uuidLiteral('tenant', scope.tenantId)],
    ['app.staff_id', uuidLiteral('staff', scope.staffId)],
    ['app.citizen_id', uuidLiteral('citizen', scope.citizenId)],
    ['app.platform', scope.platform ? "'on'" : "''"],
  ];
  return `SELECT ${settings.map(([name, value]) => `set_config('${name}', ${value}, true)`).join(', ')}`;
}

/** Runs fn in a transaction opened with the scope: one round trip for BEGIN and every setting. */
export async function withScope<T>(db: DB, scope: Scope, fn: (trx: Trx) => Promise<T>): Promise<T> {
  const statement = scopeStatement(scope);
  return withPendingScope(statement, (store) =>
    db.transaction().execute(async (trx) => {
      // a database whose driver did not send the scope with BEGIN (e.g. a plain PostgresDialect): one statement more
      const left = takePendingScope(store);
      if (left) await sql.raw(left).execute(trx);
      return fn(trx);
    }),
  );
}

export async function withTenant<T>(db: DB, tenantId: string, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return withScope(db, { tenantId }, fn);
}

/** A staff member acting in a tenant: the tenant's rows and their own staff row. */
export async function withStaff<T>(db: DB, tenantId: string, staffId: string | null, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return withScope(db, { tenantId, staffId }, fn);
}

/** Platform scope: operators and the worker act across tenants. */
export async function withPlatform<T>(db: DB, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return withScope(db, { platform: true }, fn);
}

/**
 * Citizen scope: a signed-in citizen acting on their own rows (memberships, comments,
 * messages, their account). Public rows stay visible as in the public scope.
 */
export async function withCitizen<T>(db: DB, citizenId: string, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return withScope(db, { citizenId }, fn);
}

/** Public scope: no tenant, no platform; only public rows are visible. */
export async function withPublic<T>(db: DB, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return withScope(db, {}, fn);
}

/** Changes the scope of an open transaction (e.g. after a platform-scoped check); one statement. */
export async function setScope(trx: Trx, scope: Scope): Promise<void> {
  await sql.raw(scopeStatement(scope)).execute(trx);
}

/** Narrow an open transaction to one tenant (e.g. a platform job acting for a tenant). */
export async function setTenant(trx: Trx, tenantId: string): Promise<void> {
  await setScope(trx, { tenantId });
}

/** Back to platform scope in an open transaction (e.g. after a handler narrowed it with setTenant). */
export async function setPlatform(trx: Trx): Promise<void> {
  await setScope(trx, { platform: true });
}

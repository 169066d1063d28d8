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
  return openWith(db, scopeStatement(scope), (trx) => fn(trx));
}

/** Runs the opening statement with BEGIN (or, on a plain dialect, as the first statement) and hands fn its first row. */
async function openWith<T>(
  db: DB,
  statement: string,
  fn: (trx: Trx, opened: Record<string, unknown> | undefined) => Promise<T>,
): Promise<T> {
  return withPendingScope(statement, (store) =>
    db.transaction().execute(async (trx) => {
      // a database whose driver did not send the scope with BEGIN (e.g. a plain PostgresDialect): one statement more
      const left = takePendingScope(store);
      const opened = left ? (await sql.raw<Record<string, unknown>>(left).execute(trx)).rows[0] : store.opened;
      return fn(trx, opened);
    }),
  );
}

const SESSION_DIGEST = /^[0-9a-f]{64}$/;

/** A staff session (by the hex SHA-256 digest of its token) entering one tenant. */
export interface SessionEntry {
  sessionDigest: string;
  tenantId: string;
}

/**
 * The statement that checks a staff session's access in a tenant and scopes the transaction
 * accordingly (the definer function app_open_staff_scope, migration 2026_12_07_0600): the
 * tenant and the session's staff member when the session is open and the person holds a role
 * there, else no scope at all. Its one row: the tenant's columns (nulls when there is no such
 * tenant; tenants are public rows), `_me_id`, `_me_name`, `_me_operator` (nulls when the session
 * is not open) and `_grants` (`[role, unit_id]` pairs). Values are validated literals, as in
 * scopeStatement: the digest 64 hex digits, the tenant a UUID.
 */
export function sessionScopeStatement(entry: SessionEntry): string {
  if (!SESSION_DIGEST.test(entry.sessionDigest)) throw new InvalidScopeError('session');
  const digest = pg.escapeLiteral(entry.sessionDigest);
  const tenant = uuidLiteral('tenant', entry.tenantId);
  if (tenant === "''") throw new InvalidScopeError('tenant');
  return `SELECT t.*, o.* FROM app_open_staff_scope(${digest}, ${tenant}::uuid) AS o LEFT JOIN tenants AS t ON t.id = ${tenant}::uuid`;
}

/**
 * Opens a transaction with a staff session's access check in the same round trip as BEGIN
 * (sessionScopeStatement) and hands fn the check's row; fn must refuse (throw) when the row says
 * the session is not open or the person holds no role there, since the transaction then runs
 * in no scope at all. Row-level security applies to every statement fn sends, as in withScope.
 */
export async function withSessionScope<T, R = Record<string, unknown>>(
  db: DB,
  entry: SessionEntry,
  fn: (trx: Trx, row: R) => Promise<T>,
): Promise<T> {
  return openWith(db, sessionScopeStatement(entry), (trx, opened) => {
    if (!opened) throw new Error('the session check returned no row');
    return fn(trx, opened as R);
  });
}

export async function withTenant<T>(db: DB, tenantId: string, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return withScope(db, { tenantId }, fn);
}

/** A staff member acting in a tenant: the tenant's rows and their own staff row. */
export async function withStaff<T>(
  db: DB,
  tenantId: string,
  staffId: string | null,
  fn: (trx: Trx) => Promise<T>,
): Promise<T> {
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

import { Kysely, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { ScopedPostgresDialect } from './scope-driver.js';

export type DB = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Repositories take either the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export const APP_ROLE = 'yiduan_app';

// int8 (ids, counts) as numbers: our identities stay far below 2^53.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface PoolOptions {
  max?: number;
  /** called for errors of idle clients (e.g. the server restarted); never crash on them */
  onError?: (err: Error) => void;
  applicationName?: string;
  statementTimeoutMs?: number;
}

export function createPool(url: string, opts: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'yiduan',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    types,
  });
  // Without a listener an idle client's error (server restart) kills the process.
  pool.on('error', (err) => opts.onError?.(err));
  // pg-pool listens only while a client is idle: one checked out between two statements of a
  // transaction would emit the server's "terminating connection" with no listener and crash the
  // process. The statement that follows fails with the error anyway, and the pool drops the
  // broken client when it comes back, so here it only needs a listener.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

/** Transactions of this database open with their scope in one round trip (scope.ts). */
export function createDb(url: string, opts: PoolOptions = {}): DB {
  return new Kysely<Database>({ dialect: new ScopedPostgresDialect({ pool: createPool(url, opts) }) });
}

/** The application connects as the non-owner role; derive its URL from the owner's. */
export function appUrlFrom(ownerUrl: string, password: string, database?: string): string {
  const u = new URL(ownerUrl);
  u.username = APP_ROLE;
  u.password = encodeURIComponent(password);
  if (database) u.pathname = `/${database}`;
  return u.toString();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  PostgresDialect,
  PostgresDriver,
  type DatabaseConnection,
  type Driver,
  type PostgresDialectConfig,
  type PostgresPool,
  type PostgresPoolClient,
  type TransactionSettings,
} from 'kysely';

/**
 * Opening a scoped transaction in one round trip (docs/data-layer.md, "Scope per transaction").
 *
 * Kysely's PostgreSQL driver sends BEGIN on its own; the scope's `set_config` calls would be a
 * second round trip. This driver sends them in the same simple-protocol string as BEGIN. The scope
 * reaches the driver per transaction through an AsyncLocalStorage store that belongs to one call
 * of withScope (scope.ts) and is taken by the first BEGIN in that call, so neither a concurrent
 * transaction (another store) nor a later transaction started inside the callback (the store is
 * already empty) can pick it up. The text it carries is built only from validated values (scope.ts).
 */
interface PendingScope {
  /** the scope's statement, until a BEGIN took it */
  statement: string | null;
  /** the first row the scope's statement returned (an access check's answer), once BEGIN ran it */
  opened?: Record<string, unknown> | undefined;
}

const pending = new AsyncLocalStorage<PendingScope>();

/** Runs `open` (which begins one transaction) with the scope statement waiting for its BEGIN. */
export function withPendingScope<T>(statement: string, open: (store: PendingScope) => Promise<T>): Promise<T> {
  const store: PendingScope = { statement };
  return pending.run(store, () => open(store));
}

/** The waiting scope statement, at most once per withPendingScope. */
export function takePendingScope(store: PendingScope | undefined = pending.getStore()): string | null {
  if (!store?.statement) return null;
  const statement = store.statement;
  store.statement = null;
  return statement;
}

function beginStatement(settings: TransactionSettings): string {
  // as PostgresDriver (Kysely has validated both settings against its fixed lists)
  if (!settings.isolationLevel && !settings.accessMode) return 'BEGIN';
  return [
    'START TRANSACTION',
    settings.isolationLevel ? `ISOLATION LEVEL ${settings.isolationLevel}` : '',
    settings.accessMode ?? '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The opening string's shape (beginStatement, then the scope statement): Kysely itself never sends one. */
const OPENING = /^(BEGIN|START TRANSACTION[A-Z ]*); /;
const PATCHED = Symbol('lastResultOfOpening');

/**
 * pg answers a multi-statement string with an array of results, which Kysely's connection reads
 * as no rows; for the opening string only, the client hands back the last one (the scope
 * statement's), so an access check riding with BEGIN can return its row.
 */
function lastResultOfOpening(client: PostgresPoolClient): PostgresPoolClient {
  const patched = client as PostgresPoolClient & { [PATCHED]?: true };
  if (patched[PATCHED]) return client;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  // anything else (a cursor, a callback, a config object) passes through untouched
  const wrapped = (...args: unknown[]): unknown => {
    const [text] = args;
    if (typeof text !== 'string' || !OPENING.test(text)) return query(...args);
    return (query(...args) as Promise<unknown>).then((result) =>
      Array.isArray(result) ? result[result.length - 1] : result,
    );
  };
  Object.assign(patched, { query: wrapped, [PATCHED]: true });
  return client;
}

function openingPool(pool: PostgresPool): PostgresPool {
  return { connect: async () => lastResultOfOpening(await pool.connect()), end: () => pool.end() };
}

export class ScopedPostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const store = pending.getStore();
    const scope = takePendingScope(store);
    if (!scope) return super.beginTransaction(connection, settings);
    // no parameters: pg sends one simple-protocol Query message, which may hold several statements
    try {
      const { rows } = await connection.executeQuery<Record<string, unknown>>(
        CompiledQuery.raw(`${beginStatement(settings)}; ${scope}`),
      );
      if (store) store.opened = rows[0];
    } catch (err) {
      // BEGIN may have succeeded before the scope failed: Kysely rolls back only a transaction whose
      // beginTransaction returned, so end it here lest the pooled connection stay inside an aborted one
      await connection.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => undefined);
      throw err;
    }
  }
}

/** PostgresDialect whose transactions open with their scope in one round trip. */
export class ScopedPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;

  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    const { pool } = this.#config;
    return new ScopedPostgresDriver({
      ...this.#config,
      pool: typeof pool === 'function' ? async () => openingPool(await pool()) : openingPool(pool),
    });
  }
}

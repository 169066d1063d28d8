import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type PostgresDialectConfig, type TransactionSettings } from 'kysely';

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
  return ['START TRANSACTION', settings.isolationLevel ? `ISOLATION LEVEL ${settings.isolationLevel}` : '', settings.accessMode ?? ''].filter(Boolean).join(' ');
}

export class ScopedPostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const scope = takePendingScope();
    if (!scope) return super.beginTransaction(connection, settings);
    // no parameters: pg sends one simple-protocol Query message, which may hold several statements
    try {
      await connection.executeQuery(CompiledQuery.raw(`${beginStatement(settings)}; ${scope}`));
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
    return new ScopedPostgresDriver(this.#config);
  }
}

/** PostgreSQL error helpers: map driver errors to domain decisions. */
export interface PgError extends Error {
  code?: string;
  constraint?: string;
  detail?: string;
}

export function pgCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as PgError).code) : undefined;
}

export const isUniqueViolation = (err: unknown, constraint?: string): boolean =>
  pgCode(err) === '23505' && (constraint === undefined || (err as PgError).constraint === constraint);

export const isCheckViolation = (err: unknown): boolean => pgCode(err) === '23514';
export const isForeignKeyViolation = (err: unknown): boolean => pgCode(err) === '23503';
export const isRlsViolation = (err: unknown): boolean => pgCode(err) === '42501';

/** Connection-level failures: the database is down or restarting. */
export function isConnectionError(err: unknown): boolean {
  const code = pgCode(err);
  if (code && /^(08|57P0[1-3])/.test(code)) return true;
  const msg = err instanceof Error ? err.message : '';
  return /ECONNREFUSED|ECONNRESET|Connection terminated|timeout exceeded when trying to connect|the database system is (starting|shutting) up/i.test(
    msg,
  );
}

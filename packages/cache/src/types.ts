export interface CacheSetOptions {
  ttlSeconds?: number;
  tags?: string[];
}

/** A condition of getBufferIf: `key` holds a value that starts with `prefix` ('' means: the key merely exists). */
export interface CacheGuard {
  key: string;
  prefix: string;
}

/** What getBufferIf found: `current: false` when a guard failed (or the cache could not answer), and then nothing was read. */
export type GuardedRead = { current: true; value: Buffer | null } | { current: false };

export interface Cache {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /**
   * The value as UTF-8 bytes, with no decoding on the way (for bodies sent as they are).
   * The memory cache may hand every caller the same Buffer: never modify it.
   */
  getBuffer(key: string): Promise<Buffer | null>;
  /**
   * Checks every guard and reads `key` (null: read nothing) in one atomic step, one round trip
   * in Redis. Lets a process keep derived state in memory (a decoded record, a token) and
   * prove it still current against the shared cache in the same round trip that reads the data.
   * Fails soft like get: an unreachable cache answers `current: false`.
   */
  getBufferIf(key: string | null, guards: readonly CacheGuard[]): Promise<GuardedRead>;
  /** several keys at once; missing → null at that index */
  getMany(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, opts?: CacheSetOptions): Promise<void>;
  del(key: string): Promise<void>;
  /** delete every key that was set with any of these tags; returns how many keys were removed */
  invalidateTags(tags: string[]): Promise<number>;
  publish(channel: string, message: string): Promise<void>;
  /** returns an unsubscribe function */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  /** fixed-window counter for rate limits: increments key, sets expiry on first hit, returns the count */
  incrWindow(key: string, windowSeconds: number): Promise<number>;
  ping(): Promise<'ok' | 'down'>;
  close(): Promise<void>;
}

export interface CacheLogger {
  warn(obj: unknown, msg?: string): void;
}

export const DEFAULT_PREFIX = 'yd:';

/** A TTL is only meaningful as a positive whole number of seconds; anything else means "no expiry". */
export function normalizeTtl(ttlSeconds: number | undefined): number | null {
  if (ttlSeconds === undefined || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0) return null;
  return Math.max(1, Math.ceil(ttlSeconds));
}

/** Deduplicated tags, so a repeated tag does not cost a second index update. */
export function uniqueTags(tags: string[] | undefined): string[] {
  return tags && tags.length > 0 ? [...new Set(tags)] : [];
}

export function assertWindow(windowSeconds: number): number {
  if (!Number.isFinite(windowSeconds) || windowSeconds <= 0) {
    throw new RangeError(`incrWindow: windowSeconds must be a positive number, got ${windowSeconds}`);
  }
  return Math.max(1, Math.ceil(windowSeconds));
}

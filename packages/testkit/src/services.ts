import { createMemoryCache, type Cache } from '@yiduan/cache';
import { loadConfig, type Config } from '@yiduan/config';
import type { ServiceDeps } from '@yiduan/http';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestDeps extends ServiceDeps {
  tdb: TestDatabase;
  cache: Cache;
  config: Config;
}

interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

/** A fresh database, an in-memory cache (own prefix) and a test configuration. */
export async function createTestDeps(t: Teardown, env: Record<string, string> = {}): Promise<TestDeps> {
  const tdb = await createTestDatabase(t);
  const cache = createMemoryCache({ prefix: `${tdb.name}:` });
  t.teardown(() => cache.close());
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  return { tdb, db: tdb.db, readDb: tdb.db, cache, config };
}

import { createMemoryCache, type Cache } from '@yiduan/cache';
import { loadConfig, type Config } from '@yiduan/config';
import type { ServiceDeps } from '@yiduan/http';
import { createTestDatabase, type Teardown, type TestDatabase } from './database.js';
import { createDemoDatabase, type DemoDatabase, type DemoKind, type PicturedDemoDatabase } from './demo.js';

export interface TestDeps extends ServiceDeps {
  tdb: TestDatabase;
  cache: Cache;
  config: Config;
}

export interface DemoDeps extends TestDeps, Pick<DemoDatabase, 'tenants' | 'staff'> {
  tdb: DemoDatabase;
}

export interface PicturedDemoDeps extends DemoDeps, Pick<PicturedDemoDatabase, 'storage'> {
  tdb: PicturedDemoDatabase;
}

/** A fresh database, an in-memory cache (own prefix) and a test configuration. */
export async function createTestDeps(t: Teardown, env: Record<string, string> = {}): Promise<TestDeps> {
  return depsOn(t, await createTestDatabase(t), env);
}

/** createTestDeps on a clone of the seeded demo province (see demo.ts for the kinds). */
export async function createDemoDeps(
  t: Teardown,
  kind?: 'tree' | 'newsroom',
  env?: Record<string, string>,
): Promise<DemoDeps>;
export async function createDemoDeps(
  t: Teardown,
  kind: 'pictures',
  env?: Record<string, string>,
): Promise<PicturedDemoDeps>;
export async function createDemoDeps(
  t: Teardown,
  kind: DemoKind = 'tree',
  env: Record<string, string> = {},
): Promise<DemoDeps | PicturedDemoDeps> {
  if (kind === 'pictures') {
    const tdb = await createDemoDatabase(t, kind);
    return { ...depsOn(t, tdb, env), tdb, tenants: tdb.tenants, staff: tdb.staff, storage: tdb.storage };
  }
  const tdb = await createDemoDatabase(t, kind);
  return { ...depsOn(t, tdb, env), tdb, tenants: tdb.tenants, staff: tdb.staff };
}

function depsOn(t: Teardown, tdb: TestDatabase, env: Record<string, string>): TestDeps {
  const cache = createMemoryCache({ prefix: `${tdb.name}:` });
  t.teardown(() => cache.close());
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  return { tdb, db: tdb.db, readDb: tdb.db, cache, config };
}

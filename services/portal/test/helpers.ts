import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { createMemoryCache, createRedisCache, type Cache } from '@yiduan/cache';
import { loadConfig } from '@yiduan/config';
import { LocalDiskStorage } from '@yiduan/storage';
import type { DB, Tenant } from '@yiduan/db';
import { createDemoDatabase, type TestDatabase } from '@yiduan/testkit';
import { build } from '../src/app.js';

interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

export interface Portal {
  app: FastifyInstance;
  tdb: TestDatabase;
  cache: Cache;
  tenants: Record<string, Tenant>;
  /** asset bytes, in a temporary folder removed in teardown */
  storage: LocalDiskStorage;
}

export interface PortalSetup {
  /** replace parts of the dependencies (a broken read database, a failing cache) */
  readDb?: DB;
  /** wrap the test database used for reads (e.g. to count queries) */
  wrapReadDb?: (db: DB) => DB;
  cache?: (memory: Cache) => Cache;
  /** use Redis (REDIS_URL) instead of the memory cache */
  redis?: boolean;
  fastify?: FastifyServerOptions;
}

/** A seeded test database and a portal on it. The memory cache gets its own prefix: same-prefix stores are shared per process. */
export async function portal(t: Teardown, setup: PortalSetup = {}): Promise<Portal> {
  // the demo tree without content: each test writes the stories it needs
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const dir = await mkdtemp(join(tmpdir(), 'yd-portal-assets-'));
  const storage = new LocalDiskStorage(dir);
  const prefix = `yd-portal-test-${randomBytes(4).toString('hex')}:`;
  const redisUrl = process.env.REDIS_URL;
  if (setup.redis && !redisUrl) throw new Error('REDIS_URL is not set');
  const base = setup.redis && redisUrl ? createRedisCache({ url: redisUrl, prefix }) : createMemoryCache({ prefix });
  const cache = setup.cache ? setup.cache(base) : base;
  const app = await build(
    { config: loadConfig({}), db: tdb.db, readDb: setup.readDb ?? setup.wrapReadDb?.(tdb.db), cache },
    { fastify: setup.fastify, storage },
  );
  t.teardown(async () => {
    await app.close();
    // leave nothing behind in a shared Redis
    await base.invalidateTags(['hosts', ...Object.values(tenants).map((x) => `tenant:${x.id}`)]);
    await base.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { app, tdb, cache, tenants, storage };
}

export function tenantId(p: Portal, slug: string): string {
  const tenant = p.tenants[slug];
  if (!tenant) throw new Error(`demo tenant ${slug} missing`);
  return tenant.id;
}

/** GET a path on a host, the way a browser behind the port-3000 dev server would. */
export function get(p: Portal, host: string, url = '/', headers: Record<string, string> = {}) {
  return p.app.inject({ method: 'GET', url, headers: { host, ...headers } });
}

/** Signs of leaked internals: stack frames, error class names, driver messages. */
export const LEAK = /\bat \S+ \(|Error:|ECONNREFUSED|node_modules|\.ts:\d+/;

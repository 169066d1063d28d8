import { randomBytes, randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { createRedisCache, type Cache } from '@yiduan/cache';
import { HOSTS_TAG, OutboxConsumer, cacheInvalidation, defaultRegistry, tenantTag } from '../src/index.js';
import { enqueueEvent, outboxRow, setup } from './helpers.js';

const quiet = { warn() {} };

async function seedCache(cache: Cache, a: string, b: string): Promise<void> {
  await cache.set('a:home', 'A', { tags: [tenantTag(a)] });
  await cache.set('a:story', 'A', { tags: [tenantTag(a)] });
  await cache.set('b:home', 'B', { tags: [tenantTag(b)] });
  await cache.set('host:a.example', a, { tags: [HOSTS_TAG] });
}

async function present(cache: Cache): Promise<string[]> {
  const keys = ['a:home', 'a:story', 'b:home', 'host:a.example'];
  const values = await cache.getMany(keys);
  return keys.filter((_, i) => values[i] !== null);
}

async function exercise(t: Tap, cache: Cache): Promise<void> {
  const { tdb } = await setup(t);
  const consumer = new OutboxConsumer({ db: tdb.db, cache, registry: defaultRegistry(), backoff: () => 0 });
  const a = randomUUID();
  const b = randomUUID();

  await seedCache(cache, a, b);
  await enqueueEvent(tdb.db, 'face.changed', { tenantId: a, version: 3 });
  t.same(await consumer.runOnce(), { processed: 1, failed: 0, dead: 0 });
  t.same(await present(cache), ['b:home', 'host:a.example'], "face.changed drops the tenant's pages only");

  await seedCache(cache, a, b);
  await enqueueEvent(tdb.db, 'domain.changed', { tenantId: a, host: 'a.example' });
  await consumer.runOnce();
  t.same(await present(cache), ['b:home'], 'domain.changed also drops host resolutions');

  await seedCache(cache, a, b);
  await enqueueEvent(tdb.db, 'tenant.changed', { tenantId: b });
  await consumer.runOnce();
  t.same(await present(cache), ['a:home', 'a:story'], 'tenant.changed drops that tenant and host resolutions');

  await seedCache(cache, a, b);
  await enqueueEvent(tdb.db, 'message.received', { tenantId: a });
  await consumer.runOnce();
  t.same((await present(cache)).length, 4, 'other topics are not its business');
}

type Tap = Test;

t.test('cache invalidation with the memory cache', async (t) => {
  const { cache } = await setup(t);
  await exercise(t, cache);
});

t.test('cache invalidation with Redis', { skip: process.env.REDIS_URL ? false : 'REDIS_URL not set' }, async (t) => {
  const cache = createRedisCache({
    url: process.env.REDIS_URL ?? '',
    prefix: `wt${randomBytes(4).toString('hex')}:`,
    logger: quiet,
  });
  t.teardown(() => cache.close());
  await exercise(t, cache);
});

t.test('an unreachable Redis leaves the event to be retried, not done', async (t) => {
  const { tdb } = await setup(t);
  const cache = createRedisCache({
    url: 'redis://127.0.0.1:1',
    logger: quiet,
    connectTimeoutMs: 200,
    commandTimeoutMs: 200,
  });
  t.teardown(() => cache.close());
  const consumer = new OutboxConsumer({ db: tdb.db, cache, registry: defaultRegistry(), backoff: () => 0 });
  const id = await enqueueEvent(tdb.db, 'face.changed', { tenantId: randomUUID() });
  t.same(await consumer.runOnce(), { processed: 0, failed: 1, dead: 0 });
  const row = await outboxRow(tdb, id);
  t.equal(row.status, 'pending');
  t.match(row.last_error, /cache unreachable/);
});

t.test('an event naming no tenant fails loudly', async (t) => {
  const { tdb, cache } = await setup(t);
  const consumer = new OutboxConsumer({ db: tdb.db, cache, registry: defaultRegistry(), maxAttempts: 1 });
  const id = await enqueueEvent(tdb.db, 'face.changed', {});
  t.same(await consumer.runOnce(), { processed: 0, failed: 0, dead: 1 });
  t.match((await outboxRow(tdb, id)).last_error, /names no tenant/);
  t.equal(cacheInvalidation.name, 'cache-invalidation');
});

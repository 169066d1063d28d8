import t from 'tap';
import { build, HandlerRegistry, type Logger } from '../src/index.js';
import { enqueueEvent, setup, testConfig } from './helpers.js';

t.test('the worker app: health and outbox stats', async (t) => {
  const { tdb, cache } = await setup(t);
  const app = await build({ config: testConfig(), db: tdb.db, cache });
  t.teardown(() => app.close());
  // a Fastify logger is usable wherever the worker wants a Logger
  const log: Logger = app.log;
  t.ok(log);

  const health = await app.inject({ method: 'GET', url: '/health' });
  t.equal(health.statusCode, 200);
  t.match(health.json(), { status: 'ok', service: 'worker', database: 'ok', redis: 'memory' });

  await enqueueEvent(tdb.db, 'thing.happened');
  const stats = await app.inject({ method: 'GET', url: '/outbox/stats' });
  t.equal(stats.statusCode, 200);
  t.same(stats.json(), { pending: 1, done: 0, dead: 0 });

  const none = await app.inject({ method: 'GET', url: '/outbox/handlers' });
  t.equal(none.statusCode, 404, 'no registry, no handler list');
});

t.test('the worker app lists its handlers when given a registry', async (t) => {
  const { tdb, cache } = await setup(t);
  const registry = new HandlerRegistry().register({ name: 'any', topics: '*', handle: async () => {} });
  const app = await build({ config: testConfig(), db: tdb.db, cache, registry });
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'GET', url: '/outbox/handlers' });
  t.same(res.json(), [{ name: 'any', topics: '*' }]);
});

import t from 'tap';
import { sql } from 'kysely';
import type { TestDatabase } from '@yiduan/testkit';
import { HandlerRegistry, OutboxConsumer, silentLogger, startWorker, tenantTag } from '../src/index.js';
import { enqueueEvent, outboxRow, recorder, setup, testConfig, waitFor } from './helpers.js';

const LISTENER_APP = 'yiduan-worker-listen';

/** Backend pids of this test database's LISTEN connection. */
async function listenerPids(tdb: TestDatabase): Promise<number[]> {
  const r = await sql<{ pid: number }>`
    SELECT pid FROM pg_stat_activity WHERE datname = ${tdb.name} AND application_name = ${LISTENER_APP}`.execute(
    tdb.owner,
  );
  return r.rows.map((row) => row.pid);
}

t.test('start() wakes on NOTIFY without waiting for the poll, and stop() resolves', async (t) => {
  const { tdb, cache } = await setup(t);
  const h = recorder('rec', ['thing.happened']);
  const consumer = new OutboxConsumer({
    db: tdb.db,
    cache,
    registry: new HandlerRegistry().register(h),
    listenUrl: tdb.appUrl,
    pollIntervalMs: 10 * 60_000, // so only a notification can wake it within the test
    reconnectBackoff: () => 50,
  });
  t.teardown(() => consumer.stop());

  const backlog = await enqueueEvent(tdb.db, 'thing.happened');
  await consumer.start();
  t.ok(consumer.running);
  await waitFor('the backlog from before start()', async () => (await outboxRow(tdb, backlog)).status === 'done');

  const id = await enqueueEvent(tdb.db, 'thing.happened');
  await waitFor('the notified event', async () => (await outboxRow(tdb, id)).status === 'done', 3_000);
  t.same(h.calls, [backlog, id], 'each once');

  // the database drops the listener (as in a restart): the worker reconnects and keeps listening
  const [pid] = await listenerPids(tdb);
  t.ok(pid, 'one listener connection');
  await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${tdb.name} AND application_name = ${LISTENER_APP}`.execute(
    tdb.owner,
  );
  await waitFor('a new listener connection that has issued LISTEN', async () => {
    const r = await sql<{ pid: number }>`
      SELECT pid FROM pg_stat_activity
       WHERE datname = ${tdb.name} AND application_name = ${LISTENER_APP} AND state = 'idle' AND query = 'LISTEN "outbox"'`.execute(
      tdb.owner,
    );
    return r.rows.length === 1 && r.rows[0]?.pid !== pid;
  });
  const afterDrop = await enqueueEvent(tdb.db, 'thing.happened');
  await waitFor('an event after the reconnect', async () => (await outboxRow(tdb, afterDrop)).status === 'done', 3_000);

  await consumer.stop();
  t.notOk(consumer.running);
  await consumer.stop(); // idempotent
  await waitFor('the listener to close', async () => (await listenerPids(tdb)).length === 0);
  const ignored = await enqueueEvent(tdb.db, 'thing.happened');
  await new Promise((r) => setTimeout(r, 300));
  t.equal((await outboxRow(tdb, ignored)).status, 'pending', 'a stopped consumer takes no work');
  t.equal(h.calls.length, 3);
});

t.test('stop() waits for the event in flight', async (t) => {
  const { tdb, cache } = await setup(t);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered = false;
  const slow = {
    name: 'slow',
    topics: '*' as const,
    async handle() {
      entered = true;
      await gate;
    },
  };
  const consumer = new OutboxConsumer({
    db: tdb.db,
    cache,
    registry: new HandlerRegistry().register(slow),
    listenUrl: tdb.appUrl,
    pollIntervalMs: 60_000,
  });
  t.teardown(() => consumer.stop());
  const a = await enqueueEvent(tdb.db, 'x.a');
  const b = await enqueueEvent(tdb.db, 'x.b');
  await consumer.start();
  await waitFor('the handler to start', () => entered);
  let stopped = false;
  const stopping = consumer.stop().then(() => (stopped = true));
  await new Promise((r) => setTimeout(r, 100));
  t.notOk(stopped, 'stop() is still waiting for the handler');
  release();
  await stopping;
  t.equal((await outboxRow(tdb, a)).status, 'done', 'the event in flight finished');
  t.equal((await outboxRow(tdb, b)).status, 'pending', 'no new event was taken after stop()');
});

t.test('start() survives an unreachable database and catches up', async (t) => {
  const { tdb, cache } = await setup(t);
  const h = recorder('rec', '*');
  const bad = new URL(tdb.appUrl);
  bad.password = 'wrong-password';
  const consumer = new OutboxConsumer({
    db: tdb.db,
    cache,
    registry: new HandlerRegistry().register(h),
    listenUrl: bad.toString(),
    pollIntervalMs: 100,
    reconnectBackoff: () => 100,
  });
  t.teardown(() => consumer.stop());
  await consumer.start();
  t.ok(consumer.running, 'no exception though the listener cannot connect');
  const id = await enqueueEvent(tdb.db, 'thing.happened');
  await waitFor('the poll to pick the event up', async () => (await outboxRow(tdb, id)).status === 'done');
  await consumer.stop();
});

t.test('startWorker: the consumer runs the default handlers and the app reports', async (t) => {
  const { tdb, cache } = await setup(t);
  const worker = await startWorker({
    config: testConfig(),
    db: tdb.db,
    cache,
    listenUrl: tdb.appUrl,
    log: silentLogger,
    consumer: { pollIntervalMs: 60_000 },
  });
  t.teardown(() => worker.stop());
  const tenantId = '6f1c1c52-3b8e-4c3e-9a51-000000000001';
  await cache.set('page:/', '<html>', { tags: [tenantTag(tenantId)] });
  const id = await enqueueEvent(tdb.db, 'face.changed', { tenantId, version: 2 });
  await waitFor('the face.changed event', async () => (await outboxRow(tdb, id)).status === 'done', 3_000);
  t.equal(await cache.get('page:/'), null, 'the tagged page is gone');

  const stats = await worker.app.inject({ method: 'GET', url: '/outbox/stats' });
  t.equal(stats.statusCode, 200);
  t.same(stats.json(), { pending: 0, done: 1, dead: 0 });
  const handlers = await worker.app.inject({ method: 'GET', url: '/outbox/handlers' });
  const listed = handlers.json() as { name: string; topics: string[] }[];
  t.same(
    listed.map((h) => h.name),
    [
      'cache-invalidation',
      'review-notify',
      'scheduled-publish',
      'syndication-fan-out',
      'syndication-reach',
      'inbox-notify',
      'planning-notify',
    ],
  );
  t.ok(
    listed[0]!.topics.includes('face.changed') && listed[0]!.topics.includes('faces.changed'),
    'cache invalidation covers face changes and fan-out',
  );

  await worker.stop();
  await worker.stop();
  t.notOk(worker.consumer.running);
});

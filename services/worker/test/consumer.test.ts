import t from 'tap';
import { sql } from 'kysely';
import { enqueueReturningId } from '@yiduan/core';
import { createDb, withPlatform } from '@yiduan/db';
import {
  HandlerRegistry,
  OutboxConsumer,
  exponentialBackoff,
  MAX_ERROR_LENGTH,
  type OutboxHandler,
} from '../src/index.js';
import {
  createSideEffects,
  enqueueEvent,
  enqueueMany,
  outboxRow,
  receiptsOf,
  recorder,
  resetToPending,
  setup,
  sideEffects,
} from './helpers.js';

t.test('registry: names are unique, topics select handlers, * takes every topic', async (t) => {
  const noop = async (): Promise<void> => {};
  const registry = new HandlerRegistry()
    .register({ name: 'a', topics: ['x.one'], handle: noop })
    .register({ name: 'b', topics: ['x.one', 'x.two'], handle: noop })
    .register({ name: 'all', topics: '*', handle: noop });
  t.same(
    registry.for('x.one').map((h) => h.name),
    ['a', 'b', 'all'],
  );
  t.same(
    registry.for('x.two').map((h) => h.name),
    ['b', 'all'],
  );
  t.same(
    registry.for('x.three').map((h) => h.name),
    ['all'],
  );
  t.throws(() => registry.register({ name: 'a', topics: ['y'], handle: noop }), /already registered/);
  t.throws(() => registry.register({ name: 'Bad Name', topics: ['y'], handle: noop }), /must match/);
  t.throws(() => registry.register({ name: 'empty', topics: [], handle: noop }), /no topic/);
});

t.test('exponential backoff: grows from 500 ms, jittered, capped at 5 minutes', async (t) => {
  for (let i = 0; i < 50; i++) {
    const first = exponentialBackoff(1);
    t.ok(first >= 250 && first <= 500, `attempt 1 → ${first}`);
    const third = exponentialBackoff(3);
    t.ok(third >= 1000 && third <= 2000, `attempt 3 → ${third}`);
    const late = exponentialBackoff(40);
    t.ok(late >= 150_000 && late <= 300_000, `attempt 40 → ${late}`);
  }
});

t.test('a handler gets each event once and the event ends done', async (t) => {
  const { tdb, cache } = await setup(t);
  const h = recorder('rec', ['thing.happened']);
  const consumer = new OutboxConsumer({
    db: tdb.db,
    cache,
    registry: new HandlerRegistry().register(h),
    backoff: () => 0,
  });

  const ids = await enqueueMany(tdb.db, 'thing.happened', 3);
  const orphan = await enqueueEvent(tdb.db, 'nobody.listens');
  const later = await withPlatform(tdb.db, (trx) =>
    enqueueReturningId(trx, { tenantId: null, topic: 'thing.happened', availableAt: new Date(Date.now() + 3_600_000) }),
  );

  t.same(
    await consumer.runOnce(),
    { processed: 4, failed: 0, dead: 0 },
    'three handled, the orphan done too; the future one waits',
  );
  t.same(h.calls, ids, 'each event once, in id order');
  for (const id of ids) {
    const row = await outboxRow(tdb, id);
    t.equal(row.status, 'done');
    t.ok(row.processed_at instanceof Date, 'processed_at set');
    t.equal(row.attempts, 0);
    t.same(await receiptsOf(tdb, id), ['rec'], 'one receipt');
  }
  t.equal((await outboxRow(tdb, orphan)).status, 'done', 'an event without a handler is done');
  t.equal((await outboxRow(tdb, later)).status, 'pending', 'an event not yet available is left alone');

  t.same(await consumer.runOnce(), { processed: 0, failed: 0, dead: 0 }, 'nothing left to do');
  t.equal(h.calls.length, 3);
  t.same(await consumer.stats(), { pending: 1, done: 4, dead: 0 });
});

t.test('batchSize bounds one run', async (t) => {
  const { tdb, cache } = await setup(t);
  const h = recorder('rec', '*');
  const consumer = new OutboxConsumer({ db: tdb.db, cache, registry: new HandlerRegistry().register(h), batchSize: 4 });
  await enqueueMany(tdb.db, 'thing.happened', 10);
  t.equal((await consumer.runOnce()).processed, 4);
  t.equal((await consumer.runOnce()).processed, 4);
  t.equal((await consumer.runOnce()).processed, 2);
  t.equal(h.calls.length, 10);
});

t.test('a throwing handler is retried with backoff, then dead, while other events flow', async (t) => {
  const { tdb, cache } = await setup(t);
  const good = recorder('good', ['ok.event']);
  let broken = true;
  const bad = recorder('bad', ['bad.event'], { fail: () => broken });
  const backoffCalls: number[] = [];
  let delayMs = 60_000;
  const consumer = new OutboxConsumer({
    db: tdb.db,
    cache,
    registry: new HandlerRegistry().register(good).register(bad),
    maxAttempts: 3,
    backoff: (attempt) => {
      backoffCalls.push(attempt);
      return delayMs;
    },
  });

  const first = await enqueueEvent(tdb.db, 'ok.event');
  const poison = await enqueueEvent(tdb.db, 'bad.event');
  const last = await enqueueEvent(tdb.db, 'ok.event');
  const queuedAt = (await outboxRow(tdb, poison)).available_at;

  t.same(await consumer.runOnce(), { processed: 2, failed: 1, dead: 0 }, 'the events around the failing one are done');
  t.same(good.calls, [first, last]);
  let row = await outboxRow(tdb, poison);
  t.equal(row.status, 'pending');
  t.equal(row.attempts, 1, 'attempt counted');
  t.match(row.last_error, /\[bad\] Error: bad failed on purpose/);
  t.ok(row.available_at.getTime() >= queuedAt.getTime() + 59_000, 'available_at moved forward by the backoff');
  t.same(await receiptsOf(tdb, poison), [], 'no receipt for the failed handler');

  t.same(await consumer.runOnce(), { processed: 0, failed: 0, dead: 0 }, 'not retried before its time');

  delayMs = 0;
  await tdb.owner
    .updateTable('outbox')
    .set({ available_at: sql<Date>`now()` })
    .where('id', '=', poison)
    .execute();
  t.same(await consumer.runOnce(), { processed: 0, failed: 1, dead: 0 }, 'second attempt fails');
  t.equal((await outboxRow(tdb, poison)).attempts, 2);
  t.same(await consumer.runOnce(), { processed: 0, failed: 0, dead: 1 }, 'third attempt: dead');
  row = await outboxRow(tdb, poison);
  t.equal(row.status, 'dead');
  t.equal(row.attempts, 3);
  t.match(row.last_error, /bad failed on purpose/);
  t.same(backoffCalls, [1, 2], 'backoff asked for each retry, not for the final failure');
  t.equal(bad.calls.length, 3);

  t.same(await consumer.runOnce(), { processed: 0, failed: 0, dead: 0 }, 'dead events stay put');
  t.same(await consumer.stats(), { pending: 0, done: 2, dead: 1 });

  // the operator fixes the cause and retries
  broken = false;
  t.equal(await consumer.retryDead([]), 0, 'an empty id list retries nothing');
  t.equal(await consumer.retryDead([poison]), 1);
  row = await outboxRow(tdb, poison);
  t.equal(row.status, 'pending');
  t.equal(row.attempts, 0, 'a fresh attempt budget');
  t.same(await consumer.runOnce(), { processed: 1, failed: 0, dead: 0 });
  t.equal((await outboxRow(tdb, poison)).status, 'done');
  t.same(good.calls, [first, last], 'the good handler never saw the bad topic');
});

t.test('retryDead without ids revives every dead event', async (t) => {
  const { tdb, cache } = await setup(t);
  const consumer = new OutboxConsumer({ db: tdb.db, cache, registry: new HandlerRegistry() });
  const a = await enqueueEvent(tdb.db, 'x.a');
  const b = await enqueueEvent(tdb.db, 'x.b');
  await tdb.owner.updateTable('outbox').set({ status: 'dead', attempts: 8 }).execute();
  t.equal(await consumer.retryDead(), 2);
  t.same(await consumer.stats(), { pending: 2, done: 0, dead: 0 });
  t.same(await consumer.runOnce(), { processed: 2, failed: 0, dead: 0 });
  t.equal((await outboxRow(tdb, a)).status, 'done');
  t.equal((await outboxRow(tdb, b)).status, 'done');
});

t.test('last_error is truncated', async (t) => {
  const { tdb, cache } = await setup(t);
  const loud: OutboxHandler = {
    name: 'loud',
    topics: '*',
    handle: async () => {
      throw new Error('x'.repeat(10_000));
    },
  };
  const consumer = new OutboxConsumer({
    db: tdb.db,
    cache,
    registry: new HandlerRegistry().register(loud),
    backoff: () => 0,
  });
  const id = await enqueueEvent(tdb.db, 'x.loud');
  await consumer.runOnce();
  t.equal((await outboxRow(tdb, id)).last_error?.length, MAX_ERROR_LENGTH);
});

t.test("a handler's own connection error (say, an HTTP call) counts as an attempt", async (t) => {
  const { tdb, cache } = await setup(t);
  const caller: OutboxHandler = {
    name: 'caller',
    topics: '*',
    handle: async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    },
  };
  const consumer = new OutboxConsumer({
    db: tdb.db,
    cache,
    registry: new HandlerRegistry().register(caller),
    backoff: () => 60_000,
  });
  const id = await enqueueEvent(tdb.db, 'thing.happened');
  t.same(await consumer.runOnce(), { processed: 0, failed: 1, dead: 0 });
  const row = await outboxRow(tdb, id);
  t.equal(row.attempts, 1, 'not mistaken for the worker losing its database');
  t.match(row.last_error, /ECONNREFUSED/);
});

t.test('a duplicate delivery changes nothing', async (t) => {
  const { tdb, cache } = await setup(t);
  await createSideEffects(tdb);
  const h = recorder('writer', ['thing.happened'], { write: true });
  const consumer = new OutboxConsumer({ db: tdb.db, cache, registry: new HandlerRegistry().register(h) });
  const id = await enqueueEvent(tdb.db, 'thing.happened');

  t.same(await consumer.runOnce(), { processed: 1, failed: 0, dead: 0 });
  t.equal((await sideEffects(tdb, id)).length, 1);

  // as if the worker crashed after the handler's commit but before the status was written
  await resetToPending(tdb, id);
  t.same(await consumer.runOnce(), { processed: 1, failed: 0, dead: 0 }, 'the event is delivered again and ends done');
  t.equal(h.calls.length, 1, 'the handler did not run again');
  t.equal((await sideEffects(tdb, id)).length, 1, 'its side effect happened once');
  t.same(await receiptsOf(tdb, id), ['writer']);
  t.equal((await outboxRow(tdb, id)).status, 'done');

  // a second worker with its own connections sees the same receipt
  const other = new OutboxConsumer({
    db: tdb.db,
    cache,
    registry: new HandlerRegistry().register(recorder('writer', '*', { write: true })),
  });
  await resetToPending(tdb, id);
  await other.runOnce();
  t.equal((await sideEffects(tdb, id)).length, 1, 'still once');
});

t.test('one failing handler of two keeps the other receipt; the retry runs only the failed one', async (t) => {
  const { tdb, cache } = await setup(t);
  await createSideEffects(tdb);
  const steady = recorder('steady', ['thing.happened'], { write: true });
  let flaky = true;
  const shaky = recorder('shaky', ['thing.happened'], { write: true, fail: () => flaky });
  // shaky first, so a failure in the middle of the event must not undo what comes after either
  const registry = new HandlerRegistry().register(shaky).register(steady);
  const consumer = new OutboxConsumer({ db: tdb.db, cache, registry, backoff: () => 0 });
  const id = await enqueueEvent(tdb.db, 'thing.happened');

  t.same(await consumer.runOnce(), { processed: 0, failed: 1, dead: 0 });
  t.same(await receiptsOf(tdb, id), ['steady'], 'the successful handler kept its receipt');
  t.same(
    (await sideEffects(tdb, id)).map((r) => r.handler),
    ['steady'],
    "the failed handler's write was rolled back, the other's kept",
  );
  const row = await outboxRow(tdb, id);
  t.equal(row.attempts, 1);
  t.match(row.last_error, /^\[shaky\]/);

  flaky = false;
  t.same(await consumer.runOnce(), { processed: 1, failed: 0, dead: 0 });
  t.equal(steady.calls.length, 1, 'the handler that had succeeded did not run again');
  t.equal(shaky.calls.length, 2, 'the failed one ran again');
  t.same(await receiptsOf(tdb, id), ['shaky', 'steady']);
  t.same(
    (await sideEffects(tdb, id)).map((r) => r.handler),
    ['shaky', 'steady'],
  );
  t.equal((await outboxRow(tdb, id)).status, 'done');
});

t.test('a handler that narrows the scope to a tenant does not break the next one', async (t) => {
  const { tdb, cache } = await setup(t);
  const narrowing: OutboxHandler = {
    name: 'narrowing',
    topics: '*',
    async handle(_e, { trx }) {
      await sql`SELECT set_config('app.tenant_id', '00000000-0000-0000-0000-000000000001', true), set_config('app.platform', '', true)`.execute(
        trx,
      );
    },
  };
  const after = recorder('after', '*');
  const consumer = new OutboxConsumer({
    db: tdb.db,
    cache,
    registry: new HandlerRegistry().register(narrowing).register(after),
  });
  const id = await enqueueEvent(tdb.db, 'thing.happened');
  t.same(await consumer.runOnce(), { processed: 1, failed: 0, dead: 0 });
  t.same(await receiptsOf(tdb, id), ['after', 'narrowing']);
});

t.test('a failure at commit counts as an attempt instead of looping', async (t) => {
  const { tdb, cache } = await setup(t);
  // a deferred constraint: the handler's write passes, the commit fails
  await sql`CREATE TABLE deferred_check (v int NOT NULL)`.execute(tdb.owner);
  await sql`
    CREATE FUNCTION deferred_check_fail() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'checked at commit' USING ERRCODE = '23514'; END $$`.execute(tdb.owner);
  await sql`
    CREATE CONSTRAINT TRIGGER deferred_check_fail AFTER INSERT ON deferred_check
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION deferred_check_fail()`.execute(tdb.owner);
  await sql`GRANT INSERT ON deferred_check TO yiduan_app`.execute(tdb.owner);
  const h: OutboxHandler = {
    name: 'defers',
    topics: '*',
    async handle(_e, { trx }) {
      await sql`INSERT INTO deferred_check (v) VALUES (1)`.execute(trx);
    },
  };
  const consumer = new OutboxConsumer({
    db: tdb.db,
    cache,
    registry: new HandlerRegistry().register(h),
    maxAttempts: 2,
    backoff: () => 0,
  });
  const id = await enqueueEvent(tdb.db, 'thing.happened');
  t.same(await consumer.runOnce(), { processed: 0, failed: 1, dead: 0 });
  let row = await outboxRow(tdb, id);
  t.equal(row.attempts, 1);
  t.match(row.last_error, /^\[transaction\].*checked at commit/);
  t.same(await receiptsOf(tdb, id), [], 'the receipt went with the failed commit');
  t.same(await consumer.runOnce(), { processed: 0, failed: 0, dead: 1 });
  row = await outboxRow(tdb, id);
  t.equal(row.status, 'dead');
});

t.test('two consumers running at once process each of 200 events exactly once', async (t) => {
  const { tdb, cache } = await setup(t);
  await createSideEffects(tdb);
  // separate pools, as two worker processes would have
  const db1 = createDb(tdb.appUrl, { max: 2 });
  const db2 = createDb(tdb.appUrl, { max: 2 });
  t.teardown(async () => {
    await db1.destroy();
    await db2.destroy();
  });
  const seen: number[] = [];
  const counting = (name: string): OutboxHandler => ({
    name: 'counter', // one logical consumer running twice
    topics: ['bulk.event'],
    async handle(event, { trx }) {
      seen.push(event.id);
      await sql`INSERT INTO side_effects (event_id, handler) VALUES (${event.id}, ${name})`.execute(trx);
    },
  });
  const c1 = new OutboxConsumer({
    db: db1,
    cache,
    registry: new HandlerRegistry().register(counting('one')),
    batchSize: 25,
  });
  const c2 = new OutboxConsumer({
    db: db2,
    cache,
    registry: new HandlerRegistry().register(counting('two')),
    batchSize: 25,
  });
  const ids = await enqueueMany(tdb.db, 'bulk.event', 200);

  const drain = async (c: OutboxConsumer): Promise<number> => {
    let n = 0;
    for (;;) {
      const r = await c.runOnce();
      const k = r.processed + r.failed + r.dead;
      if (k === 0) return n;
      n += k;
    }
  };
  const [n1, n2] = await Promise.all([drain(c1), drain(c2)]);
  t.comment(`consumer one took ${n1}, consumer two ${n2}`);
  t.equal(n1 + n2, 200, 'every event claimed once');
  t.ok(n1 > 0 && n2 > 0, 'both consumers took part');
  t.equal(seen.length, 200, 'the handler ran 200 times');
  t.same(
    [...seen].sort((a, b) => a - b),
    ids,
    'each event exactly once',
  );
  const effects = await sideEffects(tdb);
  t.equal(effects.length, 200);
  t.equal(new Set(effects.map((e) => e.event_id)).size, 200);
  t.same(await c1.stats(), { pending: 0, done: 200, dead: 0 });
});

// Fault: poison messages in the outbox. Events whose handlers can never succeed (a malformed
// payload, a job that does not exist) are retried OUTBOX_MAX_ATTEMPTS times and then
// dead-lettered with their payload and last error kept for an operator, while every other event
// flows past them meanwhile: no head-of-line blocking, nothing lost, nothing done twice.
import t from 'tap';
import { createMemoryCache } from '@yiduan/cache';
import { loadConfig } from '@yiduan/config';
import { enqueueReturningId, SYNDICATION_TOPICS } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { build as buildPortal } from '@yiduan/portal';
import { createDemoDatabase } from '@yiduan/testkit';
import { defaultRegistry, silentLogger, startWorker } from '@yiduan/worker';
import { deskOf, waitFor } from './faults-kit.js';

t.test('poison events are dead-lettered after OUTBOX_MAX_ATTEMPTS; the rest flows past them', async (t) => {
  const tdb = await createDemoDatabase(t);
  const cache = createMemoryCache({ prefix: `${tdb.name}:` });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', OUTBOX_MAX_ATTEMPTS: '4' });
  const deps = { config, db: tdb.db, readDb: tdb.db, cache };
  const { tenants } = tdb;
  const ruyang = tenants.ruyang!.id;
  const desk = await deskOf(tdb.db, ruyang, 'ry');
  const portal = await buildPortal(deps);
  // a slow retry (1 s between attempts) so the poison is still alive while the rest flows
  const worker = await startWorker({
    ...deps,
    listenUrl: tdb.appUrl,
    log: silentLogger,
    consumer: { backoff: () => 1_000, pollIntervalMs: 100 },
  });
  let closed = false;
  const closeAll = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await worker.stop();
    await portal.close();
    await cache.close();
  };
  t.teardown(closeAll);
  const home = async () => (await portal.inject({ url: '/', headers: { host: 'ruyang.localhost' } })).body;
  const statusOf = async (ids: number[]) =>
    tdb.owner
      .selectFrom('outbox')
      .select(['id', 'status', 'attempts', 'last_error', 'payload'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();

  const first = await desk.publish('汝阳县杜康文化节开幕');
  t.match(await home(), '汝阳县杜康文化节开幕', 'the face is warm (cached) with the first story');

  // two poison events between real work: a malformed payload and a job that does not exist
  const poison = await withPlatform(tdb.db, async (trx) => [
    await enqueueReturningId(trx, {
      tenantId: null,
      topic: SYNDICATION_TOPICS.facesChanged,
      payload: { tenantIds: 'not-a-list' },
    }),
    await enqueueReturningId(trx, {
      tenantId: ruyang,
      topic: SYNDICATION_TOPICS.fanOut,
      payload: { tenantId: ruyang, jobId: '00000000-0000-4000-8000-000000000000' },
    }),
  ]);
  const maxBefore = Math.max(...poison);
  const second = await desk.publish('汝阳县冬季供暖正式开始');
  const third = await desk.publish('汝阳县新建三所幼儿园投入使用');

  // the rest flows while the poison is still being retried
  const goodIds = async () =>
    (await tdb.owner.selectFrom('outbox').select('id').where('id', 'not in', poison).execute()).map((r) => r.id);
  const goodDone = async () => {
    const ids = await goodIds();
    const rows = await tdb.owner.selectFrom('outbox').select('status').where('id', 'in', ids).execute();
    return rows.every((r) => r.status === 'done') ? rows.length : null;
  };
  const flowed = await waitFor(goodDone, 15_000, 50);
  t.ok(flowed, `all ${flowed} other events are done`);
  const meanwhile = await statusOf(poison);
  t.ok(
    meanwhile.every((p) => p.status === 'pending'),
    'while the poison is still pending (retrying): no head-of-line blocking',
  );
  t.ok(
    (await goodIds()).some((id) => id > maxBefore),
    'events enqueued after the poison went through',
  );
  const page = await home();
  t.match(page, '汝阳县冬季供暖正式开始', 'the face was invalidated for the later stories');
  t.match(page, '汝阳县新建三所幼儿园投入使用');

  // the poison dies after exactly OUTBOX_MAX_ATTEMPTS deliveries
  t.ok(
    await waitFor(async () => ((await statusOf(poison)).every((p) => p.status === 'dead') ? true : null), 20_000, 100),
    'the poison is dead-lettered',
  );
  const dead = await statusOf(poison);
  t.same(
    dead.map((d) => d.attempts),
    [4, 4],
    'after OUTBOX_MAX_ATTEMPTS (4) attempts each',
  );
  t.match(dead[0]!.last_error, /\[cache-invalidation\].*lacks tenantIds/, 'the reason is kept: handler and error');
  t.match(dead[1]!.last_error, /\[syndication-fan-out\].*not found/);
  t.same(dead[0]!.payload, { tenantIds: 'not-a-list' }, 'the payload is kept for an operator to inspect or retry');
  const stats = (await worker.app.inject('/outbox/stats')).json<{ pending: number; dead: number; done: number }>();
  t.same(
    { pending: stats.pending, dead: stats.dead },
    { pending: 0, dead: 2 },
    'the worker’s stats show exactly the two dead events',
  );

  // nothing lost: every other event done with every handler's receipt, all three stories published
  const events = await tdb.owner
    .selectFrom('outbox')
    .select(['id', 'topic', 'status'])
    .where('id', 'not in', poison)
    .execute();
  t.ok(events.every((e) => e.status === 'done'));
  const receipts = await tdb.owner.selectFrom('outbox_receipts').select(['consumer', 'event_id']).execute();
  const have = new Set(receipts.map((r) => `${r.consumer}#${r.event_id}`));
  const registry = defaultRegistry();
  const expected = events.flatMap((e) => registry.for(e.topic).map((h) => `${h.name}#${e.id}`));
  t.same(
    expected.filter((k) => !have.has(k)),
    [],
    `every handler ran for each of the ${events.length} other events`,
  );
  t.equal(
    receipts.filter((r) => poison.includes(r.event_id)).length,
    0,
    'a failed handler leaves no receipt (its work rolled back each time)',
  );
  const published = await tdb.owner.selectFrom('stories').select('id').where('status', '=', 'published').execute();
  t.same(published.map((s) => s.id).sort(), [first, second, third].sort());

  await closeAll();
});

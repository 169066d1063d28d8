import t from 'tap';
import { sql } from 'kysely';
import { addDays, DAILY_TOPIC, dayOf, nextDailyRun, parseBeacon } from '@yiduan/core';
import { sharedMemoryBuffer } from '@yiduan/cache';
import { silentLogger, startWorker } from '../src/index.js';
import { setupDemo, testConfig, waitFor } from './helpers.js';

t.test('the worker writes buffered events, runs the daily job and schedules the next one', async (t) => {
  const { tdb, cache } = await setupDemo(t);
  const { tenants } = tdb;
  const buffer = sharedMemoryBuffer();
  const now = Date.now();
  for (let i = 0; i < 30; i += 1) {
    await buffer.append(
      parseBeacon(
        { k: 'v', p: '/' },
        {
          tenantId: tenants.yichuan!.id,
          ip: `10.7.0.${i}`,
          userAgent: 'Mozilla/5.0 (Windows NT 10.0) Edge/120',
          now,
          secret: 's',
        },
      ),
    );
  }
  const worker = await startWorker({
    config: testConfig(),
    db: tdb.db,
    cache,
    listenUrl: tdb.appUrl,
    log: silentLogger,
    analytics: true,
    consumer: { pollIntervalMs: 200 },
  });
  t.teardown(() => worker.stop());

  const handlers = (await worker.app.inject('/outbox/handlers')).json() as { name: string }[];
  t.ok(
    handlers.some((h) => h.name === 'analytics-daily'),
    'the daily job is registered',
  );
  await waitFor(
    'the events written',
    async () =>
      (
        await tdb.owner
          .selectFrom('analytics_events')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n === 30,
    8_000,
  );
  // acknowledged right after the insert commits: the count above can be seen a moment before
  await waitFor('the events acknowledged', async () => (await buffer.size()) === 0, 8_000);
  t.equal(await buffer.size(), 0, 'and acknowledged');
  const first = await tdb.owner
    .selectFrom('outbox')
    .select(['id', 'status'])
    .where('topic', '=', DAILY_TOPIC)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  await waitFor(
    'the first daily job',
    async () =>
      (await tdb.owner.selectFrom('outbox').select('status').where('id', '=', first.id).executeTakeFirstOrThrow())
        .status === 'done',
    8_000,
  );
  const next = await tdb.owner
    .selectFrom('outbox')
    .select(['available_at'])
    .where('topic', '=', DAILY_TOPIC)
    .where('status', '=', 'pending')
    .execute();
  t.equal(next.length, 1, 'exactly one next run is pending');
  t.same(next[0]!.available_at, nextDailyRun(now), 'at 00:30 CST tomorrow');
  const parts = await sql<{ day: string }>`SELECT day::text AS day FROM analytics_partitions()`.execute(tdb.owner);
  t.ok(
    parts.rows.some((r) => r.day === addDays(dayOf(now), 7)),
    'partitions are created a week ahead',
  );

  // the writer marked the day; the periodic roll-up or the daily job turns it into figures
  await waitFor(
    'the roll-up of the day',
    async () => {
      const r = await tdb.owner
        .selectFrom('analytics_tenant_daily')
        .select('views')
        .where('tenant_id', '=', tenants.yichuan!.id)
        .where('scope', '=', 'own')
        .where(sql<boolean>`day = ${dayOf(now)}::date`)
        .executeTakeFirst();
      if (r?.views === 30) return true;
      await sql`INSERT INTO outbox (topic, payload) VALUES (${DAILY_TOPIC}, '{}')`.execute(tdb.owner);
      await new Promise((res) => setTimeout(res, 500));
      return false;
    },
    8_000,
  );
  t.pass('30 views of yichuan today');
  await worker.stop();
});

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { AnalyticsWriter, listPartitions } from '../src/index.js';
import { createRedisBuffer, type EventBuffer } from '@yiduan/cache';
import { count, fixture, NOW } from './analytics-fixture.js';

const views = (n: number) => Array.from({ length: n }, (_, i) => ({ k: 'v', p: `/s/p${i}` }));

t.test('a writer dying between reading and inserting loses nothing (memory buffer)', async (t) => {
  const f = await fixture(t);
  for (let i = 0; i < 50; i += 1) await f.beacon('ruyang', `10.1.0.${i}`, views(10));
  t.equal(await f.buffer.size(), 500);
  const doomed = new AnalyticsWriter({
    db: f.db,
    buffer: f.buffer,
    consumer: 'doomed',
    batchSize: 200,
    retentionDays: 400,
    now: () => NOW,
    afterRead: () => {
      throw new Error('killed');
    },
  });
  await t.rejects(doomed.writeBatch(0), /killed/);
  t.equal(await count(f.owner, 'analytics_events'), 0, 'nothing written');
  t.equal(await f.buffer.size(), 500, 'nothing acknowledged');
  // another writer takes over the dead one's pending entries (claim after idle), then the rest
  const heir = new AnalyticsWriter({
    db: f.db,
    buffer: f.buffer,
    consumer: 'heir',
    batchSize: 200,
    claimIdleMs: 0,
    retentionDays: 400,
    now: () => NOW,
  });
  t.equal(await heir.drain(), 500);
  t.equal(await count(f.owner, 'analytics_events'), 500, 'every event written once');
  t.equal(await f.buffer.size(), 0);
});

t.test('a writer dying after COMMIT and before XACK inserts nothing twice', async (t) => {
  const f = await fixture(t);
  for (let i = 0; i < 10; i += 1) await f.beacon('yichuan', `10.2.0.${i}`, views(10));
  let failAck = true;
  const flaky: EventBuffer = {
    ...f.buffer,
    kind: 'memory',
    read: (c, o) => f.buffer.read(c, o),
    size: () => f.buffer.size(),
    append: (e) => f.buffer.append(e),
    close: () => f.buffer.close(),
    clear: () => f.buffer.clear(),
    ack: async (ids) => {
      if (failAck) {
        failAck = false;
        throw new Error('died before XACK');
      }
      return f.buffer.ack(ids);
    },
  };
  const w = new AnalyticsWriter({
    db: f.db,
    buffer: flaky,
    consumer: 'w',
    batchSize: 60,
    retentionDays: 400,
    now: () => NOW,
  });
  await t.rejects(w.writeBatch(0), /XACK/);
  t.equal(await count(f.owner, 'analytics_events'), 60, 'the batch was committed');
  // same name again: it first re-reads its own pending batch
  const again = new AnalyticsWriter({
    db: f.db,
    buffer: flaky,
    consumer: 'w',
    batchSize: 60,
    retentionDays: 400,
    now: () => NOW,
  });
  const first = await again.writeBatch(0);
  t.same(first, { read: 60, inserted: 0, skipped: 0 }, 're-delivered entries insert nothing');
  await again.drain();
  t.equal(await count(f.owner, 'analytics_events'), 100);
  t.ok((await listPartitions(f.db)).length >= 1, 'the day partition was created on demand');
});

t.test(
  'a writer process killed (SIGKILL) between XREADGROUP and INSERT loses nothing (Redis stream)',
  { skip: process.env.REDIS_URL ? false : 'REDIS_URL not set' },
  async (t) => {
    const f = await fixture(t);
    const stream = `yd-test:analytics:${randomBytes(4).toString('hex')}`;
    const redis = createRedisBuffer({ url: process.env.REDIS_URL!, stream });
    t.teardown(async () => {
      await redis.clear();
      await redis.close();
    });
    const { parseBeacon } = await import('../src/index.js');
    const total = 1200;
    for (let i = 0; i < total / 10; i += 1) {
      await redis.append(
        parseBeacon(views(10), {
          tenantId: f.tenants.ruyang!.id,
          ip: `10.3.${i}.1`,
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0',
          now: NOW - 3600_000,
          secret: 's',
        }),
      );
    }
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./analytics-writer-child.ts', import.meta.url))],
      {
        env: { ...process.env, CHILD_DB_URL: f.tdb.appUrl, CHILD_STREAM: stream, CHILD_BATCH: '500' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const read = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        const m = /READ (\d+)/.exec(b.toString());
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    t.equal(read, 500, 'the child read a batch');
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    t.equal(await count(f.owner, 'analytics_events'), 0, 'killed before inserting');
    t.equal(await redis.size(), total, 'the stream still holds every event');
    const heir = new AnalyticsWriter({
      db: f.db,
      buffer: redis,
      consumer: 'heir',
      batchSize: 500,
      claimIdleMs: 0,
      retentionDays: 400,
      now: () => NOW,
    });
    t.equal(await heir.drain(), total, 'the restarted writer writes them all');
    t.equal(await count(f.owner, 'analytics_events'), total, 'lost: 0');
    t.equal(await redis.size(), 0, 'and the stream is empty');
  },
);

// A writer process for analytics-writer.test.ts: reads one batch from the Redis stream, says so,
// then hangs before inserting, until the test kills it with SIGKILL.
import { createDb } from '@yiduan/db';
import { AnalyticsWriter } from '../src/index.js';
import { createRedisBuffer } from '@yiduan/cache';

const db = createDb(process.env.CHILD_DB_URL!, { max: 2 });
const buffer = createRedisBuffer({ url: process.env.REDIS_URL!, stream: process.env.CHILD_STREAM! });
const writer = new AnalyticsWriter({
  db,
  buffer,
  consumer: 'doomed-writer',
  batchSize: Number(process.env.CHILD_BATCH ?? 500),
  retentionDays: 400,
  afterRead: async (entries) => {
    process.stdout.write(`READ ${entries.length}\n`);
    await new Promise(() => {});
  },
});
await writer.writeBatch(0);

import {
  ANALYTICS_TOPICS,
  AnalyticsWriter,
  ensureDailyScheduled,
  rollupPending,
  runDaily,
  scheduleNextDaily,
} from '@yiduan/core';
import { createEventBuffer, type EventBuffer } from '@yiduan/cache';
import type { Config } from '@yiduan/config';
import type { DB } from '@yiduan/db';
import type { Logger, OutboxHandler } from '../handlers.js';

/**
 * The daily analytics job: partitions ahead and past retention, the roll-up sweep of yesterday
 * and today, the dormancy check; then the next day's event, in the same transaction as this
 * event's receipt (so exactly one chain, however many worker copies run).
 */
export function analyticsDailyHandler(retentionDays: number, now: () => number = Date.now): OutboxHandler {
  return {
    name: 'analytics-daily',
    topics: [ANALYTICS_TOPICS.daily],
    async handle(_event, { trx, log }) {
      const at = now();
      const result = await runDaily(trx, { retentionDays, now: at });
      await scheduleNextDaily(trx, at);
      log.info({ ...result, rollup: result.rollup.pairs }, 'analytics daily job done');
    },
  };
}

export interface AnalyticsRuntimeOptions {
  db: DB;
  config: Config;
  log: Logger;
  buffer?: EventBuffer;
  /** how often marked pairs are rolled up; default 60 s */
  rollupIntervalMs?: number;
}

export interface AnalyticsRuntime {
  writer: AnalyticsWriter;
  stop(): Promise<void>;
}

/**
 * What the worker runs besides the outbox consumer: the buffer → PostgreSQL writer, the
 * periodic roll-up of what it marked, and the start of the daily chain.
 */
export async function startAnalytics(opts: AnalyticsRuntimeOptions): Promise<AnalyticsRuntime> {
  const buffer =
    opts.buffer ?? createEventBuffer({ redisUrl: opts.config.redisUrl, sentinel: opts.config.redisSentinel });
  const retentionDays = opts.config.analyticsRetentionDays;
  const writer = new AnalyticsWriter({ db: opts.db, buffer, retentionDays, log: opts.log });
  try {
    await ensureDailyScheduled(opts.db);
  } catch (err) {
    opts.log.warn({ err }, 'analytics: daily job not scheduled (retried at next start)');
  }
  writer.start();
  let rolling: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    rolling = rollupPending(opts.db, { retentionDays, sweepRecent: false }).catch((err: unknown) =>
      opts.log.warn({ err }, 'analytics roll-up failed; retried next round'),
    );
  }, opts.rollupIntervalMs ?? 60_000);
  timer.unref();
  return {
    writer,
    async stop() {
      clearInterval(timer);
      await writer.stop();
      await rolling;
      if (!opts.buffer && buffer.kind === 'redis') await buffer.close();
    },
  };
}

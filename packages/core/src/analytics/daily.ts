import { sql } from 'kysely';
import { withPlatform, type DB, type Executor } from '@yiduan/db';
import { enqueue } from '../events/index.js';
import { addDays, dayOf, dayStart } from './days.js';
import { checkDormancy, type DormancyCheckResult } from './dormancy.js';
import { retentionHorizon, rollupPairs, type Pair, type RollupResult } from './rollup.js';
import { dropPartitionsBefore, ensurePartitions } from './writer.js';

/**
 * The daily job, carried by the outbox: an `analytics.daily` event runs the partition upkeep,
 * a roll-up sweep and the dormancy check, and enqueues the next one for 00:30 CST tomorrow in
 * the same transaction (the worker's receipt makes the chain exactly one link per day).
 */
export const DAILY_TOPIC = 'analytics.daily';
export const PARTITIONS_AHEAD = 7;

export interface DailyResult {
  day: string;
  partitionsCreated: number;
  partitionsDropped: number;
  rollup: RollupResult;
  dormancy: DormancyCheckResult;
}

/** 00:30 CST of the day after `now`. */
export function nextDailyRun(now: number): Date {
  return new Date(dayStart(addDays(dayOf(now), 1)).getTime() + 30 * 60_000);
}

/** Platform scope. `now` decides "today" (tests pass a fixed instant). */
export async function runDaily(trx: Executor, opts: { retentionDays: number; now: number }): Promise<DailyResult> {
  const today = dayOf(opts.now);
  const horizon = retentionHorizon(opts.now, opts.retentionDays);
  const partitionsCreated = await ensurePartitions(trx, addDays(today, -1), addDays(today, PARTITIONS_AHEAD));
  const partitionsDropped = await dropPartitionsBefore(trx, horizon);
  // yesterday is final now: recompute it (and today so far) for every tenant, with what is marked
  const marked = await sql<{ tenant_id: string; day: string }>`DELETE FROM analytics_dirty RETURNING tenant_id, day::text AS day`.execute(trx);
  const pairs: Pair[] = marked.rows.map((r) => ({ tenantId: r.tenant_id, day: r.day }));
  const tenants = await trx.selectFrom('tenants').select('id').where('status', '<>', 'closed').execute();
  for (const t of tenants) for (const day of [addDays(today, -1), today]) pairs.push({ tenantId: t.id, day });
  const rollup = await rollupPairs(trx, pairs, { horizon });
  const dormancy = await checkDormancy(trx, today);
  return { day: today, partitionsCreated, partitionsDropped, rollup, dormancy };
}

export async function scheduleNextDaily(ex: Executor, now: number): Promise<void> {
  await enqueue(ex, { tenantId: null, topic: DAILY_TOPIC, payload: {}, availableAt: nextDailyRun(now) });
}

/**
 * Starts the chain when none is pending (worker start-up). An advisory lock makes two worker
 * copies starting together enqueue one event, not two. The first run is due at once.
 */
export async function ensureDailyScheduled(db: DB): Promise<boolean> {
  return withPlatform(db, async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(727021)`.execute(trx);
    const pending = await trx.selectFrom('outbox').select('id').where('topic', '=', DAILY_TOPIC).where('status', '=', 'pending').executeTakeFirst();
    if (pending) return false;
    await enqueue(trx, { tenantId: null, topic: DAILY_TOPIC, payload: {} });
    return true;
  });
}

import { withPlatform, type DB } from '@yiduan/db';
import { enqueue } from '../events/index.js';
import { addDays, dayOf, eachDay } from './days.js';
import { ANALYTICS_TOPICS } from './events.js';
import { retentionHorizon, type Pair, type RollupOptions, type RollupResult } from './model.js';
import {
  hasPendingEvent,
  lockDailySchedule,
  rollupPairs,
  takeDirtyPairs,
  tenantIdsForSweep,
  tryRollupLock,
} from './repo/index.js';

/**
 * The runs the worker (and the benchmark) start on their own, outside any request: each opens
 * its own platform transaction from the pool it is given, like the writer in writer.ts.
 */

/**
 * The incremental run: takes the marked pairs (in the same transaction, so a failed run leaves
 * them marked), adds today and yesterday for every tenant, recomputes. One run at a time
 * across all worker copies (an advisory lock; a second copy returns at once).
 */
export async function rollupPending(db: DB, opts: RollupOptions): Promise<RollupResult | null> {
  const now = opts.now ?? Date.now();
  return withPlatform(db, async (trx) => {
    if (!(await tryRollupLock(trx))) return null;
    const pairs: Pair[] = await takeDirtyPairs(trx);
    if (opts.sweepRecent !== false) {
      const today = dayOf(now);
      for (const id of await tenantIdsForSweep(trx, { includeClosed: false }))
        for (const day of [addDays(today, -1), today]) pairs.push({ tenantId: id, day });
    }
    return rollupPairs(trx, pairs, { horizon: retentionHorizon(now, opts.retentionDays) });
  });
}

/** Recomputes every tenant for every day of a range (first run, repairs, the benchmark). */
export async function rollupRange(
  db: DB,
  from: string,
  to: string,
  opts: { retentionDays: number; now?: number },
): Promise<RollupResult> {
  return withPlatform(db, async (trx) => {
    const tenants = await tenantIdsForSweep(trx, { includeClosed: true });
    const pairs: Pair[] = [];
    for (const day of eachDay(from, to)) for (const id of tenants) pairs.push({ tenantId: id, day });
    return rollupPairs(trx, pairs, { horizon: retentionHorizon(opts.now ?? Date.now(), opts.retentionDays) });
  });
}

/**
 * Starts the daily chain when none is pending (worker start-up). An advisory lock makes two worker
 * copies starting together enqueue one event, not two. The first run is due at once.
 */
export async function ensureDailyScheduled(db: DB): Promise<boolean> {
  return withPlatform(db, async (trx) => {
    await lockDailySchedule(trx);
    if (await hasPendingEvent(trx, ANALYTICS_TOPICS.daily)) return false;
    await enqueue(trx, { tenantId: null, topic: ANALYTICS_TOPICS.daily, payload: {} });
    return true;
  });
}

import { Kysely, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { createPool, type DB, type Executor, type PoolOptions } from './connect.js';
import type { Database } from './schema.js';
import { ScopedPostgresDialect } from './scope-driver.js';

/**
 * The read pool of the faces (DATABASE_REPLICA_URL) on a streaming replica, never wrong where it
 * matters (docs/topology.md, "Replica reads"):
 *
 * - **Fence.** The worker, before it invalidates the pages a publication, retraction or correction
 *   made stale, raises a *fence*: the primary's WAL position after that change committed
 *   (`currentWalLsn`). Every process with a replica pool learns it (pub/sub, and a key read at
 *   start). A connection taken from the replica is used only once the replica has replayed up to
 *   the highest fence seen (`pg_last_wal_replay_lsn()`, asked on that connection only while a fence
 *   is newer than the last replay position known); otherwise the read goes to the primary. So a
 *   page re-rendered after an invalidation never comes from a replica that has not replayed the
 *   change behind it; paused or lagging replay costs primary reads, not stale pages.
 * - **Fallback.** A replica that refuses connections (stopped, restarting, still recovering) sends
 *   reads to the primary; it is tried again after `retryAfterMs`.
 *
 * The replica is reached directly, not through PgBouncer: behind a pooler a stopped replica shows
 * as a failed query after the pooler's connect timeout, not as a refused connection here.
 */
export interface ReplicaFence {
  /** the highest primary WAL position the replica must have replayed; null: none yet */
  required(): bigint | null;
}

/** Holds the highest fence seen; `raise` takes the LSN text (`16/B374D848`). */
export function createFence(): ReplicaFence & { raise(lsn: string | null | undefined): void } {
  let highest: bigint | null = null;
  return {
    required: () => highest,
    raise(lsn) {
      const v = lsn ? parseLsn(lsn) : null;
      if (v !== null && (highest === null || v > highest)) highest = v;
    },
  };
}

/** `X/Y` (hex halves) → a comparable number; null for anything else. */
export function parseLsn(text: string): bigint | null {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!m) return null;
  return (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`);
}

/** The primary's current WAL position (taken after a change committed, it is at or past its commit). */
export async function currentWalLsn(ex: Executor): Promise<string> {
  const r = await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(ex);
  return r.rows[0]!.lsn;
}

export interface ReplicaPoolOptions extends PoolOptions {
  fence?: ReplicaFence;
  /** how long reads stay on the primary after the replica refused a connection (default 1000 ms) */
  retryAfterMs?: number;
  /** counts which side answered (tests, the topology's status) */
  onRoute?: (to: 'replica' | 'primary', why: 'ok' | 'fence' | 'down') => void;
}

export interface ReplicaDb {
  db: DB;
  /** where the next read would go if asked now (without a round trip) */
  state(): { replicaDownUntil: number; replayed: bigint | null };
  end(): Promise<void>;
}

/** A read-only Kysely over the replica with the fence and the fallback above. */
export function createReplicaDb(replicaUrl: string, primaryUrl: string, opts: ReplicaPoolOptions = {}): ReplicaDb {
  const { fence, retryAfterMs = 1000, onRoute, ...poolOpts } = opts;
  const replica = createPool(replicaUrl, { ...poolOpts, applicationName: 'yiduan-replica-read' });
  // the fallback pool is small: it only carries reads while the replica is away or behind
  const primary = createPool(primaryUrl, { ...poolOpts, max: Math.min(poolOpts.max ?? 10, 5) });
  let downUntil = 0;
  let replayed: bigint | null = null;

  const fromPrimary = async (why: 'fence' | 'down'): Promise<PostgresPoolClient> => {
    onRoute?.('primary', why);
    return (await primary.connect()) as unknown as PostgresPoolClient;
  };

  const pool: PostgresPool = {
    async connect() {
      if (Date.now() < downUntil) return fromPrimary('down');
      let client: pg.PoolClient;
      try {
        client = await replica.connect();
      } catch {
        downUntil = Date.now() + retryAfterMs;
        return fromPrimary('down');
      }
      const required = fence?.required() ?? null;
      if (required !== null && (replayed === null || replayed < required)) {
        try {
          const r = await client.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn');
          const lsn = r.rows[0]?.lsn ? parseLsn(r.rows[0].lsn) : null;
          if (lsn !== null && (replayed === null || lsn > replayed)) replayed = lsn;
        } catch {
          client.release(true);
          downUntil = Date.now() + retryAfterMs;
          return fromPrimary('down');
        }
        if (replayed === null || replayed < required) {
          client.release();
          return fromPrimary('fence');
        }
      }
      onRoute?.('replica', 'ok');
      return client as unknown as PostgresPoolClient;
    },
    async end() {
      await Promise.allSettled([replica.end(), primary.end()]);
    },
  };
  const db = new Kysely<Database>({ dialect: new ScopedPostgresDialect({ pool }) });
  return {
    db,
    state: () => ({ replicaDownUntil: downUntil, replayed }),
    end: () => db.destroy(),
  };
}

/** The cache key and pub/sub channel that carry the fence from the worker to every read pool. */
export const REPLICA_FENCE = 'replica-fence';

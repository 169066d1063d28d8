import type { PoolClient } from 'pg';

/**
 * What a run has finished, kept in the generated database itself: one row per
 * completed phase or chunk, written in the same transaction as the chunk's data,
 * so a run stopped at any point resumes after the last committed chunk. The
 * options of the first run are kept too: resuming with other sizes is refused.
 * These two tables belong to the generator, not to the application (owner only).
 */
export async function ensureStateTables(client: PoolClient): Promise<void> {
  await client.query(`
    CREATE TABLE IF NOT EXISTS generator_runs (
      id int PRIMARY KEY CHECK (id = 1),
      options jsonb NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
  await client.query(`
    CREATE TABLE IF NOT EXISTS generator_progress (
      phase text NOT NULL,
      chunk int NOT NULL,
      rows bigint NOT NULL,
      ms int NOT NULL,
      done_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (phase, chunk)
    )`);
}

export async function doneChunks(client: PoolClient, phase: string): Promise<Set<number>> {
  const r = await client.query<{ chunk: number }>('SELECT chunk FROM generator_progress WHERE phase = $1', [phase]);
  return new Set(r.rows.map((x) => x.chunk));
}

export async function markDone(
  client: PoolClient,
  phase: string,
  chunk: number,
  rows: number,
  ms: number,
): Promise<void> {
  await client.query('INSERT INTO generator_progress (phase, chunk, rows, ms) VALUES ($1, $2, $3, $4)', [
    phase,
    chunk,
    rows,
    Math.round(ms),
  ]);
}

export interface PhaseSummary {
  phase: string;
  chunks: number;
  rows: number;
  ms: number;
}

export async function summary(client: PoolClient): Promise<PhaseSummary[]> {
  const r = await client.query<{ phase: string; chunks: number; rows: string; ms: string }>(
    'SELECT phase, count(*)::int AS chunks, sum(rows)::text AS rows, sum(ms)::text AS ms FROM generator_progress GROUP BY phase ORDER BY min(done_at)',
  );
  return r.rows.map((x) => ({ phase: x.phase, chunks: x.chunks, rows: Number(x.rows), ms: Number(x.ms) }));
}

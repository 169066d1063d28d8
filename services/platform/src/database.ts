import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '@yiduan/config';
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from '@yiduan/db';

export interface OwnerDatabase {
  /** owner connection URL to the platform's database */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const EMBEDDED_DB = 'yiduan';

/** The configured database, or an embedded PostgreSQL whose data lives in DATA_DIR/pg. */
export async function ownerDatabase(config: Config, log: (msg: string) => void): Promise<OwnerDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  const dataDir = resolve(config.dataDir, 'pg');
  mkdirSync(resolve(config.dataDir), { recursive: true });
  const started = Date.now();
  const pg = await startEmbeddedPostgres({ dataDir, port: config.embeddedPgPort, persistent: true });
  log(`embedded PostgreSQL on port ${pg.port}, data in ${dataDir} (${Date.now() - started} ms)`);
  await ensureDatabase(pg.url, EMBEDDED_DB);
  return { url: withDatabase(pg.url, EMBEDDED_DB), embedded: true, stop: () => pg.stop() };
}

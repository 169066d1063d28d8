import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { APP_ROLE, createDb, type DB } from './connect.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** Loads `YYYY_MM_DD_HHMM_name.ts` files in name order. */
class FolderProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(MIGRATIONS_DIR))
      .filter((f) => /^\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9_]+\.ts$/.test(f))
      .sort();
    const out: Record<string, Migration> = {};
    for (const f of files) {
      out[f.replace(/\.ts$/, '')] = (await import(pathToFileURL(MIGRATIONS_DIR + f).href)) as Migration;
    }
    return out;
  }
}

function migrator(db: DB): Migrator {
  return new Migrator({ db, provider: new FolderProvider() });
}

function check(set: MigrationResultSet): MigrationResultSet {
  if (set.error) {
    const failed = set.results?.find((r) => r.status === 'Error');
    const cause = set.error instanceof Error ? set.error.message : String(set.error);
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${cause}`, { cause: set.error });
  }
  return set;
}

/** Runs as the owner. Sets the application role's password so it can log in. */
export async function migrateToLatest(ownerUrl: string, opts: { appPassword?: string } = {}): Promise<string[]> {
  const db = createDb(ownerUrl, { max: 1, applicationName: 'yiduan-migrate' });
  try {
    const set = check(await migrator(db).migrateToLatest());
    if (opts.appPassword !== undefined) await setAppPassword(db, opts.appPassword);
    return (set.results ?? []).map((r) => r.migrationName);
  } finally {
    await db.destroy();
  }
}

export async function migrateDown(ownerUrl: string): Promise<string[]> {
  const db = createDb(ownerUrl, { max: 1, applicationName: 'yiduan-migrate' });
  try {
    const set = check(await migrator(db).migrateDown());
    return (set.results ?? []).map((r) => r.migrationName);
  } finally {
    await db.destroy();
  }
}

export async function migrationStatus(ownerUrl: string): Promise<{ name: string; executedAt: Date | null }[]> {
  const db = createDb(ownerUrl, { max: 1, applicationName: 'yiduan-migrate' });
  try {
    const list = await migrator(db).getMigrations();
    return list.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
  } finally {
    await db.destroy();
  }
}

export async function setAppPassword(db: DB, password: string): Promise<void> {
  // ALTER ROLE takes no bind parameters; quote the literal ourselves.
  await sql`ALTER ROLE ${sql.id(APP_ROLE)} WITH LOGIN PASSWORD ${sql.lit(password)}`.execute(db);
}

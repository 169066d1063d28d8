import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { appUrlFrom, createDb, MIGRATIONS_DIR, migrateToLatest, withDatabase, type DB } from '@yiduan/db';

/**
 * One database per test file, cloned from a migrated template. The template's
 * name carries a fingerprint of the migrations, so a changed migration makes a
 * new template and stale ones are never reused.
 */
export const TEST_APP_PASSWORD = 'yiduan-app-test-password';

export interface TestDatabase {
  name: string;
  ownerUrl: string;
  appUrl: string;
  /** connected as the application role: row-level security applies */
  db: DB;
  /** connected as the owner: for setup and for assertions that must see everything */
  owner: DB;
  close(): Promise<void>;
}

export function baseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: run tests through `pnpm test`, which provides PostgreSQL, or set DATABASE_URL to an owner connection',
    );
  }
  return url;
}

async function fingerprint(): Promise<string> {
  const h = createHash('sha1');
  for (const f of (await readdir(MIGRATIONS_DIR)).sort()) {
    h.update(f);
    h.update(await readFile(MIGRATIONS_DIR + f));
  }
  return h.digest('hex').slice(0, 10);
}

export async function templateName(): Promise<string> {
  return `yd_tpl_${await fingerprint()}`;
}

/**
 * Builds a template once under the advisory lock; safe under concurrent test
 * files. `build` fills a database named `<name>_build` and must close every
 * connection to it: only then can it be renamed, and later cloned.
 */
export function buildTemplateOnce(
  name: string,
  build: (building: string) => Promise<void>,
  present: () => boolean = () => true,
): Promise<string> {
  // once a template is known to exist, this process clones it without asking again
  let known = ensured.get(name);
  if (!known) {
    known = lockedBuild(name, build, present);
    ensured.set(name, known);
    known.catch(() => ensured.delete(name));
  }
  return known;
}

const ensured = new Map<string, Promise<string>>();

async function lockedBuild(
  name: string,
  build: (building: string) => Promise<void>,
  present: () => boolean,
): Promise<string> {
  const admin = createDb(baseUrl(), { max: 1, applicationName: 'yiduan-testkit' });
  try {
    return await admin.connection().execute(async (conn) => {
      // a finished template is renamed into place whole, so one that exists (and whose files are
      // present) can be cloned without waiting for anybody's lock
      const ready = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM pg_database WHERE datname = ${name}`.execute(conn);
      if (ready.rows[0]?.n !== 0 && present()) return name;
      // one lock per template name: builders of one template wait for each other, not for other
      // runs (other checkouts, other migration sets) building theirs on the same server
      await sql`SELECT pg_advisory_lock(727001, hashtext(${name}))`.execute(conn);
      try {
        const found = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM pg_database WHERE datname = ${name}`.execute(conn);
        const exists = found.rows[0]?.n !== 0;
        if (exists && !present()) await sql`DROP DATABASE ${sql.id(name)}`.execute(conn);
        if (!exists || !present()) {
          const building = `${name}_build`;
          await sql`DROP DATABASE IF EXISTS ${sql.id(building)} WITH (FORCE)`.execute(conn);
          await build(building);
          await untilIdle(conn, building);
          // rename only when complete, so a half-built template is never cloned
          await sql`ALTER DATABASE ${sql.id(building)} RENAME TO ${sql.id(name)}`.execute(conn);
        }
      } finally {
        await sql`SELECT pg_advisory_unlock(727001, hashtext(${name}))`.execute(conn);
      }
      return name;
    });
  } finally {
    await admin.destroy();
  }
}

/** A closed pool's backends leave a moment later; RENAME and TEMPLATE need them gone. */
async function untilIdle(conn: DB, database: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${database}`.execute(conn);
    if (r.rows[0]?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Creates the migrated template once per migration set. */
export async function ensureTemplate(): Promise<string> {
  return buildTemplateOnce(await templateName(), async (building) => {
    const admin = createDb(baseUrl(), { max: 1, applicationName: 'yiduan-testkit' });
    try {
      await sql`CREATE DATABASE ${sql.id(building)}`.execute(admin);
    } finally {
      await admin.destroy();
    }
    await migrateToLatest(withDatabase(baseUrl(), building), { appPassword: TEST_APP_PASSWORD });
  });
}

export interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

export async function createTestDatabase(t?: Teardown): Promise<TestDatabase> {
  return cloneTemplate(await ensureTemplate(), t);
}

/**
 * A fresh database of the template's contents, dropped at teardown. A bench names its own prefix
 * (and connection name): `pnpm test` sweeps every yd_t_* database when it starts, which would cut
 * a long bench run short on a shared machine.
 */
export async function cloneTemplate(
  template: string,
  t?: Teardown,
  opts: { prefix?: string; applicationName?: string } = {},
): Promise<TestDatabase> {
  const name = `${opts.prefix ?? 'yd_t_'}${randomBytes(5).toString('hex')}`;
  const appName = opts.applicationName ?? 'yiduan-test';
  const admin = createDb(baseUrl(), { max: 1, applicationName: opts.applicationName ?? 'yiduan-testkit' });
  try {
    await sql`CREATE DATABASE ${sql.id(name)} TEMPLATE ${sql.id(template)}`.execute(admin);
    // a test database is dropped at the test's end: a commit need not wait for its WAL to reach
    // the disk (what a client sees is the same; only a crash of the server could lose the tail)
    await sql`ALTER DATABASE ${sql.id(name)} SET synchronous_commit = off`.execute(admin);
  } finally {
    await admin.destroy();
  }
  const ownerUrl = withDatabase(baseUrl(), name);
  const appUrl = appUrlFrom(baseUrl(), TEST_APP_PASSWORD, name);
  const db = createDb(appUrl, { max: 5, applicationName: appName });
  const owner = createDb(ownerUrl, { max: 2, applicationName: `${appName}-owner` });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.allSettled([db.destroy(), owner.destroy()]);
    const drop = createDb(baseUrl(), { max: 1 });
    try {
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(drop);
    } finally {
      await drop.destroy();
    }
  };
  t?.teardown(close);
  return { name, ownerUrl, appUrl, db, owner, close };
}

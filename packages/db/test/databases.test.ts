// ensureDatabase: what `pnpm start` calls to create the embedded server's database once.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createDb, ensureDatabase, withDatabase } from '../src/index.js';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

t.test('creates a missing database once, then leaves it', async (t) => {
  const name = `yd_ensure_${randomBytes(4).toString('hex')}`;
  const admin = createDb(serverUrl, { max: 1 });
  t.teardown(async () => {
    await sql`DROP DATABASE IF EXISTS ${sql.id(name)}`.execute(admin);
    await admin.destroy();
  });
  t.equal(await ensureDatabase(serverUrl, name), true, 'created');
  t.equal(await ensureDatabase(serverUrl, name), false, 'already there: left as it is');
  const db = createDb(withDatabase(serverUrl, name), { max: 1 });
  const r = await sql<{ d: string }>`SELECT current_database() AS d`.execute(db);
  await db.destroy();
  t.equal(r.rows[0]!.d, name, 'reachable');
});

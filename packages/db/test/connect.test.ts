// A connection the server ends while the application holds it (inside a transaction, between two
// statements: a failover, `pg_ctl restart`, an administrator's pg_terminate_backend) must fail
// that transaction, not the process. pg-pool listens for errors only on idle clients.
import t from 'tap';
import { sql } from 'kysely';
import { createTestDatabase } from '@yiduan/testkit';
import { createDb } from '../src/index.js';

t.test('a connection terminated inside a transaction fails the transaction, not the process', async (t) => {
  const tdb = await createTestDatabase(t);
  const reported: Error[] = [];
  const db = createDb(tdb.appUrl, { max: 2, onError: (e) => reported.push(e) });
  t.teardown(() => db.destroy());
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown): void => {
    uncaught.push(err);
  };
  // tap turns an uncaught exception into a failure of its own; listen first to count it here
  process.prependListener('uncaughtException', onUncaught);
  t.teardown(() => process.removeListener('uncaughtException', onUncaught));

  const outcome = await db
    .transaction()
    .execute(async (trx) => {
      const me = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
      // ended by the server while this transaction waits between statements
      await sql`SELECT pg_terminate_backend(${me.rows[0]!.pid})`.execute(tdb.owner);
      await new Promise((r) => setTimeout(r, 300));
      await sql`SELECT 1`.execute(trx);
      return 'committed';
    })
    .catch((err: unknown) => err);
  t.type(outcome, Error, 'the transaction fails');
  t.same(uncaught, [], 'no uncaught exception');
  const again = await sql<{ ok: number }>`SELECT 1 AS ok`.execute(db);
  t.equal(again.rows[0]?.ok, 1, 'the pool serves again with a fresh connection');
  t.same(reported, [], 'an idle-client report is not expected here: the error reached the transaction');
});

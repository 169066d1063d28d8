// The fenced replica read pool (replica.ts) without a real standby: a second database stands in
// for the replica (it is no standby, so it reports no replay position), a closed port for a
// stopped one. The real streaming case is `pnpm topology staleness` (docs/topology.md).
import t from 'tap';
import { sql } from 'kysely';
import { createTestDatabase } from '@yiduan/testkit';
import { createFence, createReplicaDb, freePort, parseLsn, withPublic } from '../src/index.js';

t.test('LSN text compares as a number; the fence keeps the highest', async (t) => {
  t.equal(parseLsn('0/0'), 0n);
  t.ok(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!, 'the high half counts first');
  t.equal(parseLsn('nonsense'), null);
  const fence = createFence();
  t.equal(fence.required(), null);
  fence.raise('0/3000000');
  fence.raise('0/2000000');
  fence.raise(null);
  t.equal(fence.required(), parseLsn('0/3000000'), 'a lower or missing fence never lowers it');
});

t.test('reads go to the replica, to the primary while it is behind a fence or away', async (t) => {
  const primary = await createTestDatabase(t);
  const replica = await createTestDatabase(t);
  const mark = async (db: typeof primary.owner, name: string): Promise<void> => {
    await sql`CREATE TABLE where_am_i (name text)`.execute(db);
    await sql`INSERT INTO where_am_i VALUES (${name})`.execute(db);
    await sql`GRANT SELECT ON where_am_i TO yiduan_app`.execute(db);
  };
  await mark(primary.owner, 'primary');
  await mark(replica.owner, 'replica');
  const routes: string[] = [];
  const fence = createFence();
  const read = createReplicaDb(replica.appUrl, primary.appUrl, {
    fence,
    retryAfterMs: 200,
    onRoute: (to, why) => routes.push(`${to}:${why}`),
  });
  t.teardown(() => read.end());
  const where = async (db = read.db): Promise<string> =>
    withPublic(
      db,
      async (trx) => (await sql<{ name: string }>`SELECT name FROM where_am_i`.execute(trx)).rows[0]!.name,
    );

  t.equal(await where(), 'replica', 'no fence: the replica answers');
  fence.raise('0/1');
  t.equal(await where(), 'primary', 'a fence the replica cannot show it has replayed: the primary answers');
  t.same(routes, ['replica:ok', 'primary:fence']);

  const gone = createReplicaDb(`postgres://yiduan_app@127.0.0.1:${await freePort()}/nowhere`, primary.appUrl, {
    retryAfterMs: 60_000,
    onRoute: (to, why) => routes.push(`${to}:${why}`),
  });
  t.teardown(() => gone.end());
  t.equal(await where(gone.db), 'primary', 'a replica that refuses connections: the primary answers');
  t.equal(await where(gone.db), 'primary');
  t.same(routes.slice(2), ['primary:down', 'primary:down'], 'and it is not asked again before retryAfterMs');
});

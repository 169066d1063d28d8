/**
 * planning_notices (the console's 通知 badge): the worker writes them in platform scope; a tenant
 * reads and marks its own only. Another tenant's scope can neither read, mark nor write them.
 */
import t from 'tap';
import { sql } from 'kysely';
import { withPlatform, withTenant } from '@yiduan/db';
import { createDemoDatabase } from '@yiduan/testkit';

t.test('another tenant can neither see nor change a tenant’s planning notices', async (t) => {
  const tdb = await createDemoDatabase(t);
  const ruyang = tdb.tenants.ruyang!.id;
  const yichuan = tdb.tenants.yichuan!.id;
  const notice = await withPlatform(tdb.db, (trx) =>
    trx
      .insertInto('planning_notices')
      .values({ tenant_id: ruyang, kind: 'assigned', text: '省里派单：冬季供暖短视频', event_id: 1 })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );

  const own = await withTenant(tdb.db, ruyang, (trx) =>
    trx.selectFrom('planning_notices').select('id').where('id', '=', notice.id).execute(),
  );
  t.equal(own.length, 1, 'the tenant reads its notice');

  const seen = await withTenant(tdb.db, yichuan, (trx) =>
    trx.selectFrom('planning_notices').select('id').where('tenant_id', '=', ruyang).execute(),
  );
  t.same(seen, [], 'a sibling reads none of it');
  const marked = await withTenant(tdb.db, yichuan, (trx) =>
    trx.updateTable('planning_notices').set({ read_at: new Date() }).where('id', '=', notice.id).executeTakeFirst(),
  );
  t.equal(Number(marked.numUpdatedRows), 0, 'nor marks it read');
  const forged = await withTenant(tdb.db, yichuan, (trx) =>
    trx
      .insertInto('planning_notices')
      .values({ tenant_id: ruyang, kind: 'assigned', text: '伪造的通知', event_id: 2 })
      .execute(),
  ).then(
    () => 'written',
    (e: { code?: string }) => e.code ?? 'error',
  );
  t.equal(forged, '42501', 'nor writes one into it (only the worker, in platform scope, writes notices)');
  const after = await sql<{ n: number; read: number }>`
    SELECT count(*)::int AS n, count(read_at)::int AS read FROM planning_notices WHERE tenant_id = ${ruyang}::uuid`.execute(
    tdb.owner,
  );
  t.same(after.rows[0], { n: 1, read: 0 }, 'the tenant’s notices are as the worker wrote them');
});

import t from 'tap';
import { sql } from 'kysely';
import { createDemoDatabase } from '@yiduan/testkit';
import { verifyAuditChain, withTenant } from '../src/index.js';

t.test('the audit log is a hash chain per tenant; tampering is found', async (t) => {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const ruyang = tenants.ruyang!.id;
  for (let i = 0; i < 5; i++) {
    await withTenant(tdb.db, ruyang, (trx) =>
      trx
        .insertInto('audit_log')
        .values({
          tenant_id: ruyang,
          actor_kind: 'staff',
          actor_name: '张明',
          action: `test.${i}`,
          detail: JSON.stringify({ i }),
        })
        .execute(),
    );
  }
  const rows = await tdb.owner
    .selectFrom('audit_log')
    .select(['id', 'prev_hash', 'hash'])
    .where('tenant_id', '=', ruyang)
    .where('action', 'like', 'test.%')
    .orderBy('id')
    .execute();
  t.ok(
    rows.every((r) => r.hash && /^[0-9a-f]{64}$/.test(r.hash)),
    'every row is hashed',
  );
  t.ok(
    rows.slice(1).every((r, i) => r.prev_hash === rows[i]!.hash),
    'each row names its predecessor',
  );
  t.same((await verifyAuditChain(tdb.owner)).broken, [], 'intact');

  const target = rows[2]!.id;
  await sql`UPDATE audit_log SET actor_name = '李四' WHERE id = ${target}`.execute(tdb.owner);
  t.same(
    (await verifyAuditChain(tdb.owner)).broken,
    [{ tenantId: ruyang, id: target, reason: 'hash' }],
    'an edited row is found',
  );
  await sql`UPDATE audit_log SET actor_name = '张明' WHERE id = ${target}`.execute(tdb.owner);
  const restored = await verifyAuditChain(tdb.owner);
  t.same(restored.broken, [], `restored ${JSON.stringify(restored.broken)}`);
  await sql`DELETE FROM audit_log WHERE id = ${target}`.execute(tdb.owner);
  t.same(
    (await verifyAuditChain(tdb.owner)).broken,
    [{ tenantId: ruyang, id: rows[3]!.id, reason: 'link' }],
    'a deleted row breaks the link of the next',
  );
  // the seed's rows of other tenants are untouched: only ruyang's chain is reported

  await withTenant(tdb.db, ruyang, (trx) =>
    sql`INSERT INTO audit_log (tenant_id, actor_kind, action, detail, hash, prev_hash) VALUES (${ruyang}, 'staff', 'forged', '{}', 'x', 'y')`.execute(
      trx,
    ),
  );
  const forged = await tdb.owner
    .selectFrom('audit_log')
    .select(['hash', 'prev_hash'])
    .where('action', '=', 'forged')
    .executeTakeFirstOrThrow();
  t.not(forged.hash, 'x', 'the database, not the writer, sets the hash');
  t.equal(forged.prev_hash, rows[4]!.hash, 'and links it to the last row');
});

import t from 'tap';
import { sql } from 'kysely';
import { createDemoDatabase, createTestDatabase } from '@yiduan/testkit';
import { isRlsViolation, withPlatform, withPublic, withTenant } from '../src/index.js';

/** The error a promise rejects with, or null when it resolves. */
const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

// Row-level security: tenant-private rows (here the audit log and the outbox)
// are invisible without the tenant setting and under another tenant's.
t.test('row-level security on tenant-private tables', async (t) => {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const ruyang = tenants.ruyang!.id;
  const yichuan = tenants.yichuan!.id;

  await withTenant(tdb.db, ruyang, (trx) =>
    trx
      .insertInto('audit_log')
      .values({ tenant_id: ruyang, actor_kind: 'system', action: 'test.private', detail: '{}' })
      .execute(),
  );

  const mine = await withTenant(tdb.db, ruyang, (trx) =>
    trx.selectFrom('audit_log').select('action').where('action', '=', 'test.private').execute(),
  );
  t.equal(mine.length, 1, 'the owning tenant sees its row');

  const none = await withPublic(tdb.db, (trx) => trx.selectFrom('audit_log').selectAll().execute());
  t.equal(none.length, 0, 'no tenant set → zero rows');

  const bare = await tdb.db.selectFrom('audit_log').selectAll().execute();
  t.equal(bare.length, 0, 'outside any transaction → zero rows');

  const other = await withTenant(tdb.db, yichuan, (trx) =>
    trx.selectFrom('audit_log').selectAll().where('tenant_id', '=', ruyang).execute(),
  );
  t.equal(other.length, 0, "another tenant's setting → zero rows");

  const outboxSeen = await withTenant(tdb.db, ruyang, (trx) => trx.selectFrom('outbox').selectAll().execute());
  t.equal(outboxSeen.length, 0, 'tenants cannot read the outbox; only the worker (platform) can');

  const forged = await failure(
    withTenant(tdb.db, yichuan, (trx) =>
      trx
        .insertInto('audit_log')
        .values({ tenant_id: ruyang, actor_kind: 'system', action: 'forged', detail: '{}' })
        .execute(),
    ),
  );
  t.ok(isRlsViolation(forged), 'a cross-tenant insert is rejected');

  const all = await withPlatform(tdb.db, (trx) =>
    trx.selectFrom('audit_log').select('action').where('action', '=', 'forged').execute(),
  );
  t.equal(all.length, 0, 'nothing of the forged insert was written');

  const ownerCount = await tdb.owner
    .selectFrom('audit_log')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  t.ok(ownerCount.n > 1, 'the owner connection sees every row (the seed wrote audit rows)');
});

t.test('the audit log is append-only for the application role', async (t) => {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const ruyang = tenants.ruyang!.id;
  await t.rejects(
    withPlatform(tdb.db, (trx) =>
      trx.updateTable('audit_log').set({ action: 'rewritten' }).where('tenant_id', '=', ruyang).execute(),
    ),
    /permission denied/,
  );
  await t.rejects(
    withPlatform(tdb.db, (trx) => trx.deleteFrom('audit_log').execute()),
    /permission denied/,
  );
});

t.test('the application role is not the owner and cannot bypass RLS', async (t) => {
  const tdb = await createTestDatabase(t);
  const r = await sql<{ super: boolean; bypass: boolean; user: string }>`
    SELECT rolsuper AS super, rolbypassrls AS bypass, current_user AS user FROM pg_roles WHERE rolname = current_user`.execute(
    tdb.db,
  );
  t.same(r.rows[0], { super: false, bypass: false, user: 'yiduan_app' });
  await t.rejects(sql`ALTER TABLE audit_log DISABLE ROW LEVEL SECURITY`.execute(tdb.db), /must be owner/);
});

t.test('public registry writes need platform scope', async (t) => {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const ruyang = tenants.ruyang!.id;
  const err = await failure(
    withTenant(tdb.db, ruyang, (trx) =>
      trx
        .insertInto('tenant_domains')
        .values({ host: 'evil.example.cn', tenant_id: ruyang, is_primary: false })
        .execute(),
    ),
  );
  t.ok(isRlsViolation(err), 'a tenant cannot add domains, even to itself');
  const renamed = await withTenant(tdb.db, ruyang, (trx) =>
    trx.updateTable('tenants').set({ name: '被篡改' }).where('id', '=', tenants.yichuan!.id).executeTakeFirst(),
  );
  t.equal(Number(renamed.numUpdatedRows), 0, 'a tenant cannot rename another tenant (update matches nothing)');
  const face = await withTenant(tdb.db, ruyang, (trx) =>
    trx
      .updateTable('faces')
      .set({ site_name: '被篡改' })
      .where('tenant_id', '=', tenants.yichuan!.id)
      .executeTakeFirst(),
  );
  t.equal(Number(face.numUpdatedRows), 0, "a tenant cannot change another tenant's face");
});

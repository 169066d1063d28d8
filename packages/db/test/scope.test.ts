// Opening a scoped transaction costs one round trip: BEGIN and every scope setting travel in one
// simple-protocol string (scope-driver.ts), and row-level security still sees the settings.
import t from 'tap';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { createDemoDatabase, createTestDatabase } from '@yiduan/testkit';
import { withPendingScope } from '../src/scope-driver.js';
import {
  createPool,
  InvalidScopeError,
  ScopedPostgresDialect,
  withCitizen,
  withPlatform,
  withPublic,
  withScope,
  withStaff,
  withTenant,
  type Database,
  type DB,
  type Trx,
} from '../src/index.js';

/** A database whose every client.query call (one round trip each) is recorded. */
function counted(url: string): { db: DB; sent: string[] } {
  const sent: string[] = [];
  const pool = createPool(url, { max: 3 });
  const patched = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => {
    if (patched.has(client)) return;
    patched.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      sent.push(typeof first === 'string' ? first : String((first as { text?: unknown }).text));
      return query(...args);
    };
  });
  return { db: new Kysely<Database>({ dialect: new ScopedPostgresDialect({ pool }) }), sent };
}

const SETTINGS = sql<{ tenant: string; staff: string; citizen: string; platform: string }>`
  SELECT current_setting('app.tenant_id', true) AS tenant, current_setting('app.staff_id', true) AS staff,
         current_setting('app.citizen_id', true) AS citizen, current_setting('app.platform', true) AS platform`;
const settings = async (trx: Trx) => (await SETTINGS.execute(trx)).rows[0]!;

t.test('each scope opens in one round trip, with every setting named', async (t) => {
  const tdb = await createTestDatabase(t);
  const { db, sent } = counted(tdb.appUrl);
  t.teardown(() => db.destroy());
  const tenant = '3f1c2a8e-0000-4000-8000-00000000000a';
  const staff = '3f1c2a8e-0000-4000-8000-00000000000b';
  const citizen = '3f1c2a8e-0000-4000-8000-00000000000c';
  const cases: [
    string,
    (fn: (trx: Trx) => Promise<unknown>) => Promise<unknown>,
    Awaited<ReturnType<typeof settings>>,
  ][] = [
    ['tenant', (fn) => withTenant(db, tenant, fn), { tenant, staff: '', citizen: '', platform: '' }],
    ['staff', (fn) => withStaff(db, tenant, staff, fn), { tenant, staff, citizen: '', platform: '' }],
    ['platform', (fn) => withPlatform(db, fn), { tenant: '', staff: '', citizen: '', platform: 'on' }],
    ['citizen', (fn) => withCitizen(db, citizen, fn), { tenant: '', staff: '', citizen, platform: '' }],
    ['public', (fn) => withPublic(db, fn), { tenant: '', staff: '', citizen: '', platform: '' }],
  ];
  for (const [name, open, expected] of cases) {
    sent.length = 0;
    let opened = -1;
    const seen = await open(async (trx) => {
      opened = sent.length;
      return settings(trx);
    });
    t.equal(opened, 1, `${name}: one round trip before the callback runs`);
    t.match(
      sent[0],
      /^BEGIN; SELECT set_config\('app\.tenant_id', .*set_config\('app\.platform', /,
      `${name}: BEGIN and the settings in one string`,
    );
    t.same(seen, expected, `${name}: the settings as the transaction sees them`);
    t.equal(sent.length, 3, `${name}: begin+scope, the query, commit`);
  }

  // settings of a pooled connection never outlive their transaction
  sent.length = 0;
  const after = await db.transaction().execute(settings);
  t.same(after, { tenant: '', staff: '', citizen: '', platform: '' }, 'a plain transaction afterwards has no scope');
  t.equal(sent[0]!.toLowerCase(), 'begin', 'and its BEGIN carries none');
});

t.test('row-level security sees the scope set with BEGIN', async (t) => {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const [a, b] = [tenants.ruyang!.id, tenants.yichuan!.id];
  const { db } = counted(tdb.appUrl);
  t.teardown(() => db.destroy());
  await withTenant(db, a, (trx) =>
    trx
      .insertInto('audit_log')
      .values({ tenant_id: a, actor_kind: 'system', action: 'test.scope', detail: '{}' })
      .execute(),
  );
  const rows = (trx: Trx) =>
    trx.selectFrom('audit_log').select('tenant_id').where('action', '=', 'test.scope').execute();
  t.same(await withTenant(db, a, rows), [{ tenant_id: a }], "A's row in A's scope");
  t.same(await withStaff(db, a, null, rows), [{ tenant_id: a }], 'and in a staff scope of A');
  t.same(await withPublic(db, rows), [], 'none without a setting');
  t.same(await withTenant(db, b, rows), [], "none under B's");
  t.same(await withCitizen(db, a, rows), [], 'a citizen id is not a tenant');

  // concurrent transactions each keep their own scope; one started inside a scoped one gets none
  const [inA, inB] = await Promise.all([withTenant(db, a, rows), withTenant(db, b, rows), withPlatform(db, rows)]);
  t.same([inA, inB], [[{ tenant_id: a }], []], 'concurrent scopes do not mix');
  const nested = await withTenant(db, a, () => db.transaction().execute(rows));
  t.same(nested, [], 'a plain transaction opened inside a scoped one does not inherit its scope');
  const inner = await withPlatform(db, () => withTenant(db, b, (trx) => settings(trx)));
  t.equal(inner.tenant, b, 'a scoped transaction inside another has its own scope');
  t.equal(inner.platform, '', 'and not the outer one');
});

t.test('values cannot reach the SQL text unvalidated', async (t) => {
  const tdb = await createTestDatabase(t);
  const { db, sent } = counted(tdb.appUrl);
  t.teardown(() => db.destroy());
  const hostile = [
    "x', true), set_config('app.platform', 'on",
    "00000000-0000-4000-8000-000000000000'; --",
    '',
    ' 3f1c2a8e-0000-4000-8000-00000000000a',
  ];
  for (const value of hostile.slice(0, 2).concat(hostile[3]!)) {
    sent.length = 0;
    await t.rejects(
      withTenant(db, value, async () => 'ran'),
      InvalidScopeError,
      `refused: ${JSON.stringify(value)}`,
    );
    await t.rejects(
      withScope(db, { platform: true, staffId: value }, async () => 'ran'),
      InvalidScopeError,
    );
    t.equal(sent.length, 0, 'nothing was sent');
  }
  t.same(
    await withTenant(db, '', settings),
    { tenant: '', staff: '', citizen: '', platform: '' },
    'an empty id is no scope, as before',
  );
  const upper = await withTenant(db, '3F1C2A8E-0000-4000-8000-00000000000A', settings);
  t.equal(upper.tenant, '3f1c2a8e-0000-4000-8000-00000000000a', 'ids are sent in lower case');
});

t.test('a database on a plain PostgresDialect still gets the scope (one statement more)', async (t) => {
  const tdb = await createTestDatabase(t);
  const plain = new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(tdb.appUrl, { max: 1 }) }) });
  t.teardown(() => plain.destroy());
  const tenant = '3f1c2a8e-0000-4000-8000-00000000000a';
  t.same(await withTenant(plain, tenant, settings), { tenant, staff: '', citizen: '', platform: '' });
  t.same(
    await plain.transaction().execute(settings),
    { tenant: '', staff: '', citizen: '', platform: '' },
    'and nothing after',
  );
});

t.test('a scope statement that fails after BEGIN leaves no aborted transaction on the pooled connection', async (t) => {
  const tdb = await createTestDatabase(t);
  const db = new Kysely<Database>({ dialect: new ScopedPostgresDialect({ pool: createPool(tdb.appUrl, { max: 1 }) }) });
  t.teardown(() => db.destroy());
  // scope.ts never builds a failing statement; a division by zero stands in for one
  await t.rejects(
    withPendingScope('SELECT 1/0', () => db.transaction().execute(async () => 'ran')),
    /division by zero/,
  );
  const next = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
  t.same(next.rows, [{ one: 1 }], 'the one connection of the pool answers the next query');
  t.equal(
    (await withTenant(db, '3f1c2a8e-0000-4000-8000-00000000000a', settings)).tenant,
    '3f1c2a8e-0000-4000-8000-00000000000a',
    'and opens the next scoped transaction',
  );
});

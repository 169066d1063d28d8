// A staff session's access check rides with BEGIN (withSessionScope, the definer function
// app_open_staff_scope): one round trip, the scope set only when the check passes, and the
// function, called directly by the application role with wrong inputs, reveals nothing and
// scopes nothing.
import t from 'tap';
import { createHash } from 'node:crypto';
import { Kysely, sql } from 'kysely';
import { createDemoDatabase } from '@yiduan/testkit';
import {
  createPool,
  InvalidScopeError,
  ScopedPostgresDialect,
  withSessionScope,
  withTenant,
  type Database,
  type DB,
  type Trx,
} from '../src/index.js';

type Row = {
  id: string | null;
  name: string | null;
  _me_id: string | null;
  _me_name: string | null;
  _me_operator: boolean | null;
  _grants: [string, string | null][];
};

const digestOf = (token: string): string => createHash('sha256').update(token).digest('hex');
const SETTINGS = sql<{ tenant: string; staff: string; citizen: string; platform: string }>`
  SELECT current_setting('app.tenant_id', true) AS tenant, current_setting('app.staff_id', true) AS staff,
         current_setting('app.citizen_id', true) AS citizen, current_setting('app.platform', true) AS platform`;
const settings = async (trx: Trx) => (await SETTINGS.execute(trx)).rows[0]!;
const NONE = { tenant: '', staff: '', citizen: '', platform: '' };

t.test('a session check opens the tenant in one round trip, and only for a member', async (t) => {
  const tdb = await createDemoDatabase(t);
  const [A, B] = [tdb.tenants.ruyang!, tdb.tenants.yichuan!];
  const sent: string[] = [];
  const pool = createPool(tdb.appUrl, { max: 3 });
  pool.on('acquire', (client) => {
    const marked = client as unknown as { counted?: true; query: (...args: unknown[]) => unknown };
    if (marked.counted) return;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    marked.counted = true;
    marked.query = (...args: unknown[]) => {
      sent.push(String(args[0]));
      return query(...args);
    };
  });
  const db: DB = new Kysely<Database>({ dialect: new ScopedPostgresDialect({ pool }) });
  t.teardown(() => db.destroy());

  const staff = async (login: string, extra: { is_operator?: boolean; status?: 'active' | 'disabled' } = {}) =>
    (
      await tdb.owner
        .insertInto('staff')
        .values({ login, display_name: login, password_hash: 'x', ...extra })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const session = async (staffId: string, token: string, expiresAt = new Date(Date.now() + 3_600_000)) => {
    await tdb.owner
      .insertInto('staff_sessions')
      .values({ id: digestOf(token), staff_id: staffId, expires_at: expiresAt })
      .execute();
    return digestOf(token);
  };
  const reporter = await staff('sess-reporter');
  await tdb.owner.insertInto('grants').values({ tenant_id: A.id, staff_id: reporter, role: 'reporter' }).execute();
  const open = await session(reporter, 'open-token');
  const expired = await session(reporter, 'expired-token', new Date(Date.now() - 1000));
  const revoked = await session(reporter, 'revoked-token');
  await tdb.owner.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('id', '=', revoked).execute();
  const disabled = await session(await staff('sess-disabled', { status: 'disabled' }), 'disabled-token');
  const operator = await session(await staff('sess-operator', { is_operator: true }), 'operator-token');
  const enter = (sessionDigest: string, tenantId: string) =>
    withSessionScope<{ row: Row; seen: Awaited<ReturnType<typeof settings>>; sessions: number; grants: number }, Row>(
      db,
      { sessionDigest, tenantId },
      async (trx, row) => ({
        row,
        seen: await settings(trx),
        sessions: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM staff_sessions`.execute(trx)).rows[0]!.n,
        grants: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM grants`.execute(trx)).rows[0]!.n,
      }),
    );

  sent.length = 0;
  const ok = await enter(open, A.id);
  t.equal(sent.length, 5, 'begin with the check, three reads, commit');
  t.match(
    sent[0],
    /^BEGIN; SELECT t\.\*, o\.\* FROM app_open_staff_scope\('[0-9a-f]{64}', '[0-9a-f-]{36}'::uuid\)/,
    'the check travels with BEGIN',
  );
  t.equal(ok.row.id, A.id, 'the tenant row');
  t.equal(ok.row.name, A.name);
  t.equal(ok.row._me_id, reporter, 'the session’s person');
  t.same(ok.row._grants, [['reporter', null]], 'their roles there');
  t.same(ok.seen, { tenant: A.id, staff: reporter, citizen: '', platform: '' }, 'scoped to the tenant and the person');
  t.equal(ok.sessions, 0, 'row-level security still applies: staff_sessions is platform-only');
  t.equal(ok.grants, 1, 'only the own tenant’s grants are visible');

  const refused: [string, string, string, Partial<Row>][] = [
    ['a member of A entering B', open, B.id, { id: B.id, _me_id: reporter, _grants: [] }],
    ['an unknown tenant', open, '00000000-0000-4000-8000-000000000000', { id: null, _me_id: reporter, _grants: [] }],
    ['an expired session', expired, A.id, { id: A.id, _me_id: null, _grants: [] }],
    ['a revoked session', revoked, A.id, { id: A.id, _me_id: null, _grants: [] }],
    ['a disabled person', disabled, A.id, { id: A.id, _me_id: null, _grants: [] }],
    ['a made-up digest', digestOf('guess'), A.id, { id: A.id, _me_id: null, _grants: [] }],
  ];
  for (const [name, digest, tenant, expected] of refused) {
    const r = await enter(digest, tenant);
    t.match(r.row, expected, `${name}: the row says so`);
    t.same(r.seen, NONE, `${name}: no scope at all`);
    t.equal(r.grants + r.sessions, 0, `${name}: nothing private is visible`);
  }
  const op = await enter(operator, B.id);
  t.same(op.seen.tenant, B.id, 'an operator (no grants) is scoped to the tenant, as Access counts them members');

  // bad input never reaches the server
  sent.length = 0;
  for (const [digest, tenant] of [
    ["x'; SELECT 1; --", A.id],
    [open, `${A.id}'; --`],
    [open.toUpperCase(), A.id],
    [open, ''],
  ]) {
    await t.rejects(
      withSessionScope(db, { sessionDigest: digest!, tenantId: tenant! }, async () => 1),
      InvalidScopeError,
    );
  }
  t.equal(sent.length, 0, 'nothing sent for malformed values');
});

t.test('the function, called directly by the application role', async (t) => {
  const tdb = await createDemoDatabase(t);
  const [A, B] = [tdb.tenants.ruyang!, tdb.tenants.yichuan!];
  const who = (
    await tdb.owner
      .insertInto('staff')
      .values({ login: 'sess-direct', display_name: 'd', password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await tdb.owner.insertInto('grants').values({ tenant_id: A.id, staff_id: who, role: 'editor' }).execute();
  const digest = digestOf('direct-token');
  await tdb.owner
    .insertInto('staff_sessions')
    .values({ id: digest, staff_id: who, expires_at: new Date(Date.now() + 60_000) })
    .execute();
  const call = (trx: Trx, d: string, tenant: string) =>
    sql<Row>`SELECT * FROM app_open_staff_scope(${d}, ${tenant}::uuid)`.execute(trx).then((r) => r.rows);

  // inside A's scope, asking about B with a valid session: no grants, and the scope is cleared
  await withTenant(tdb.db, A.id, async (trx) => {
    const rows = await call(trx, digest, B.id);
    t.same(
      rows.map((r) => r._grants),
      [[]],
      'no roles in B',
    );
    t.same(await settings(trx), NONE, 'the scope is cleared, not widened');
    t.equal(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM grants`.execute(trx)).rows[0]!.n,
      0,
      'after it, not even A’s rows',
    );
  });
  // a wrong digest tells nothing about the person or their roles
  await withTenant(tdb.db, A.id, async (trx) => {
    t.same(
      (await call(trx, digestOf('wrong'), A.id)).map((r) => [r._me_id, r._me_name, r._grants]),
      [[null, null, []]],
      'nulls for a wrong digest',
    );
    t.same(
      (await call(trx, '', A.id)).map((r) => r._me_id),
      [null],
      'and for an empty one',
    );
  });
  // a NULL tenant or digest: nothing
  await withTenant(tdb.db, A.id, async (trx) => {
    const rows = (await sql<Row>`SELECT * FROM app_open_staff_scope(${digest}, NULL)`.execute(trx)).rows;
    t.same(
      rows.map((r) => r._grants),
      [[]],
      'no roles for no tenant',
    );
    t.same(await settings(trx), NONE);
  });
  // only the application role may execute it
  const grantees = await sql<{ grantee: string }>`
    SELECT grantee FROM information_schema.routine_privileges WHERE routine_name = 'app_open_staff_scope' AND privilege_type = 'EXECUTE'`.execute(
    tdb.owner,
  );
  t.notOk(
    grantees.rows.some((r) => r.grantee === 'PUBLIC'),
    'PUBLIC may not execute it',
  );
  t.ok(
    grantees.rows.some((r) => r.grantee === 'yiduan_app'),
    'the application role may',
  );
});

import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { withPlatform, type DB } from '@yiduan/db';
import { createMemoryCache, type Cache } from '@yiduan/cache';
import { createTestDatabase } from '@yiduan/testkit';
import { LOGIN_LIMITS, login, attemptLogin, sessionByToken } from '../src/index.js';
import { codeOf, failure, newStaff, PASSWORD } from './newsroom-fixture.js';

function freshCache(t: Test): Cache {
  const cache = createMemoryCache({ prefix: `login-${randomBytes(6).toString('hex')}:` });
  t.teardown(() => cache.close());
  return cache;
}

/** Exactly as the API's login mutation calls it: one platform transaction around login(). */
// as the API does it: the attempt commits (with its audit row), then a failure is thrown
const attempt = async (db: DB, cache: Cache, name: string, password: string, ip = '203.0.113.7') => {
  const r = await withPlatform(db, (trx) => attemptLogin(trx, cache, { login: name, password, ip, userAgent: 'tap' }));
  if (!r.ok) throw r.error;
  return r;
};

const auditOf = (owner: DB, action: string) =>
  owner.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

t.test('the right password opens a session; a wrong one or an unknown login fails alike', async (t) => {
  const { db, owner } = await createTestDatabase(t);
  const cache = freshCache(t);
  const alice = await newStaff(db, 'alice', '编辑甲');
  t.equal(await codeOf(attempt(db, cache, 'alice', 'wrong-password-1')), 'LOGIN_FAILED', 'wrong password');
  t.equal(await codeOf(attempt(db, cache, 'nobody-here', PASSWORD)), 'LOGIN_FAILED', 'unknown login');
  t.equal(await codeOf(attempt(db, cache, 'alice', '')), 'LOGIN_FAILED', 'empty password');
  const ok = await attempt(db, cache, '  ALICE ', PASSWORD, '198.51.100.1');
  t.equal(ok.staff.id, alice.id, 'login names are trimmed and case-insensitive');
  t.ok(ok.expiresAt.getTime() > Date.now());
  t.equal((await withPlatform(db, (trx) => sessionByToken(trx, ok.token)))?.staff.id, alice.id);
  const stored = await owner
    .selectFrom('staff_sessions')
    .select(['id', 'ip', 'user_agent'])
    .where('staff_id', '=', alice.id)
    .execute();
  t.equal(stored.length, 1);
  t.not(stored[0]!.id, ok.token, 'only a digest of the token is stored');
  t.match(stored[0], { ip: '198.51.100.1', user_agent: 'tap' });
  t.ok(
    (await owner.selectFrom('staff').select('last_login_at').where('id', '=', alice.id).executeTakeFirstOrThrow())
      .last_login_at,
  );

  const logins = await auditOf(owner, 'login');
  t.equal(logins.length, 1, 'one login audited');
  t.match(logins[0], {
    actor_kind: 'staff',
    actor_id: alice.id,
    target_id: alice.id,
    tenant_id: null,
    detail: { ip: '198.51.100.1' },
  });
});

t.test('failed logins are audited (login.fail)', async (t) => {
  const { db, owner } = await createTestDatabase(t);
  const cache = freshCache(t);
  const alice = await newStaff(db, 'alice', '编辑甲');

  // inside the transaction the row is written...
  const inside = await withPlatform(db, async (trx) => {
    const err = await failure(login(trx, cache, { login: 'alice', password: 'wrong-password-1', ip: '203.0.113.9' }));
    const rows = await trx.selectFrom('audit_log').selectAll().where('action', '=', 'login.fail').execute();
    return { err, rows };
  });
  t.match(
    inside.rows,
    [{ actor_id: alice.id, target_id: alice.id, detail: { ip: '203.0.113.9' } }],
    'login() writes a login.fail row',
  );

  // the way the API calls it, the failure's audit row is kept
  t.equal(await codeOf(attempt(db, cache, 'alice', 'wrong-password-2')), 'LOGIN_FAILED');
  t.equal(await codeOf(attempt(db, cache, 'ghost', 'wrong-password-3')), 'LOGIN_FAILED');
  const fails = await auditOf(owner, 'login.fail');
  t.equal(fails.length, 3, 'every failed attempt leaves a login.fail row (1 committed above + 2)');
  t.ok(
    fails.some((f) => f.target_id === 'ghost'),
    'an unknown login is recorded under the name tried',
  );
});

t.test(
  'five failures throttle the account, even with the right password; other accounts and addresses are unaffected',
  async (t) => {
    const { db, owner } = await createTestDatabase(t);
    const cache = freshCache(t);
    await newStaff(db, 'alice', '编辑甲');
    const bob = await newStaff(db, 'bob', '编辑乙');
    t.equal(LOGIN_LIMITS.perAccount, 5);
    // variants of the same login name share one counter
    for (const name of ['alice', 'ALICE', ' alice', 'Alice ', 'alice'])
      t.equal(await codeOf(attempt(db, cache, name, 'wrong-password-1')), 'LOGIN_FAILED', `failure as "${name}"`);
    t.equal(await codeOf(attempt(db, cache, 'alice', PASSWORD)), 'LOGIN_THROTTLED', 'right password, throttled');
    t.equal(
      await codeOf(attempt(db, cache, 'alice', PASSWORD, '192.0.2.200')),
      'LOGIN_THROTTLED',
      'from another address too: the account is throttled',
    );
    t.equal(
      (await attempt(db, cache, 'bob', PASSWORD)).staff.id,
      bob.id,
      'another account from the same address logs in',
    );
    const sessions = await owner
      .selectFrom('staff_sessions')
      .innerJoin('staff', 'staff.id', 'staff_sessions.staff_id')
      .select('staff.login')
      .execute();
    t.same(
      sessions.map((s) => s.login),
      ['bob'],
      'no session for the throttled account',
    );
  },
);

t.test('a success resets the account counter', async (t) => {
  const { db } = await createTestDatabase(t);
  const cache = freshCache(t);
  await newStaff(db, 'carol', '编辑丙');
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 4; i++)
      t.equal(await codeOf(attempt(db, cache, 'carol', `wrong-${round}-${i}-x`)), 'LOGIN_FAILED');
    t.equal(await codeOf(attempt(db, cache, 'carol', PASSWORD)), 'OK', `round ${round}: four failures then a success`);
  }
  for (let i = 0; i < 5; i++) await attempt(db, cache, 'carol', 'wrong-again-1').catch(() => null);
  t.equal(await codeOf(attempt(db, cache, 'carol', PASSWORD)), 'LOGIN_THROTTLED', 'five in a row do throttle');
});

t.test('one address trying many accounts is throttled after the per-address limit', async (t) => {
  const { db } = await createTestDatabase(t);
  const cache = freshCache(t);
  const dave = await newStaff(db, 'dave', '编辑丁');
  const ip = '203.0.113.66';
  for (let i = 0; i < LOGIN_LIMITS.perIp; i++) {
    const code = await codeOf(attempt(db, cache, `guess-${i}`, 'password123', ip));
    if (code !== 'LOGIN_FAILED') t.fail(`attempt ${i}: ${code}`);
  }
  t.equal(
    await codeOf(attempt(db, cache, 'dave', PASSWORD, ip)),
    'LOGIN_THROTTLED',
    'the right password from that address is refused',
  );
  t.equal(await codeOf(attempt(db, cache, 'guess-99', 'password123', ip)), 'LOGIN_THROTTLED', 'and any other login');
  t.equal((await attempt(db, cache, 'dave', PASSWORD, '203.0.113.67')).staff.id, dave.id, 'another address is fine');
});

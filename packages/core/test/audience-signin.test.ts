// The sign-in machinery of citizen accounts: identifiers, codes, the authorization-code flow
// with PKCE and its refusals, signing out everywhere; and the due dates of messages.
import t from 'tap';
import { createMemoryCache } from '@yiduan/cache';
import { withCitizen, withPlatform, withTenant } from '@yiduan/db';
import { createDemoDatabase } from '@yiduan/testkit';
import {
  checkAuthorizeRequest,
  checkCode,
  citizenSessionByToken,
  createCentralSession,
  dueDate,
  endCentralSession,
  exchangeAuthCode,
  HttpCodeSender,
  issueAuthCode,
  LogCodeSender,
  maskIdentifier,
  parseIdentifier,
  pkceChallenge,
  sendCode,
  signInWithCode,
  signInWithPassword,
} from '../src/index.js';

const refusal = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'accepted',
    (e: unknown) => (e as { code?: string }).code ?? String(e),
  );

t.test('identifiers: mainland mobiles and e-mail, normalised', async (t) => {
  t.same(parseIdentifier(' +86 138-1234-5678 '), { kind: 'phone', value: '13812345678' });
  t.same(parseIdentifier('８６１３８１２３４５６７８'), { kind: 'phone', value: '13812345678' }, 'full-width digits');
  t.same(parseIdentifier('Zhang.San@Example.CN'), { kind: 'email', value: 'zhang.san@example.cn' });
  for (const bad of ['', '12812345678', '1381234567', 'abc', 'a@b', '<script>@x.cn'])
    t.throws(() => parseIdentifier(bad), { code: 'BAD_USER_INPUT' }, bad);
  t.equal(maskIdentifier({ kind: 'phone', value: '13812345678' }), '138****5678');
  t.equal(maskIdentifier({ kind: 'email', value: 'zhangsan@example.cn' }), 'z***@example.cn');
});

t.test('due dates count working days in Beijing time', async (t) => {
  // Friday 2026-11-27 10:00 Beijing → five working days → Friday 2026-12-04, end of day
  t.equal(dueDate(new Date('2026-11-27T02:00:00Z'), 5).toISOString(), '2026-12-04T15:59:59.999Z');
  // Friday 23:30 Beijing is still Friday (UTC says 15:30 the same day)
  t.equal(dueDate(new Date('2026-11-27T15:30:00Z'), 1).toISOString(), '2026-11-30T15:59:59.999Z', 'next Monday');
  // Saturday 00:30 Beijing (Friday 16:30 UTC): the weekend does not count
  t.equal(dueDate(new Date('2026-11-27T16:30:00Z'), 1).toISOString(), '2026-11-30T15:59:59.999Z');
});

t.test('the code sender over HTTP', async (t) => {
  const calls: { url: string; body: string; auth: string }[] = [];
  const ok = new HttpCodeSender('https://sms.example.cn/send', 'tok', async (url, init) => {
    calls.push({
      url: String(url),
      body: String(init?.body),
      auth: String((init?.headers as Record<string, string>).authorization),
    });
    return new Response('{}', { status: 200 });
  });
  await ok.send({ kind: 'phone', value: '13812345678' }, '123456');
  t.equal(calls[0]!.auth, 'Bearer tok');
  t.same(JSON.parse(calls[0]!.body), {
    channel: 'sms',
    to: '13812345678',
    template: 'sign_in_code',
    params: { code: '123456', minutes: 10 },
  });
  const down = new HttpCodeSender(
    'https://sms.example.cn/send',
    'tok',
    async () => new Response('busy', { status: 503 }),
  );
  t.equal(
    await refusal(down.send({ kind: 'phone', value: '13812345678' }, '1')),
    'SERVICE_UNAVAILABLE',
    'a failing gateway is a clear 503, not a crash',
  );
});

t.test('codes, sign-up, passwords, the authorization code flow', async (t) => {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const cache = createMemoryCache({ prefix: `${tdb.name}:` });
  t.teardown(() => cache.close());
  const sender = new LogCodeSender({ info: () => undefined });
  const phone = parseIdentifier('13812345678');

  await withPlatform(tdb.db, (trx) => sendCode(trx, cache, sender, phone, '10.0.0.1'));
  const code = sender.last('13812345678')!;
  const stored = await tdb.owner.selectFrom('citizen_codes').select('code_hash').executeTakeFirstOrThrow();
  t.not(stored.code_hash, code, 'only a digest of the code is stored');
  t.equal(
    await withPlatform(tdb.db, (trx) => checkCode(trx, phone, code === '000000' ? '111111' : '000000')),
    false,
    'a wrong code fails',
  );
  const wrongPassword = await refusal(
    withPlatform(tdb.db, (trx) =>
      signInWithCode(trx, cache, { identifier: phone, code, password: 'short', ip: '10.0.0.1' }),
    ),
  );
  t.equal(wrongPassword, 'BAD_USER_INPUT', 'a weak password is refused before the code is spent');
  const signedUp = await withPlatform(tdb.db, (trx) =>
    signInWithCode(trx, cache, {
      identifier: phone,
      code,
      password: 'Longenough2026',
      displayName: '王小明',
      ip: '10.0.0.1',
      agreements: { tenantId: null, terms: 0, privacy: 0 },
    }),
  );
  t.ok(signedUp.ok && signedUp.created, 'the code creates the account');
  const again = await withPlatform(tdb.db, (trx) =>
    signInWithCode(trx, cache, { identifier: phone, code, ip: '10.0.0.1' }),
  );
  t.equal(again.ok ? 'ok' : again.error.code, 'CODE_INVALID', 'a code works once');
  const pw = await withPlatform(tdb.db, (trx) =>
    signInWithPassword(trx, cache, { identifier: phone, password: 'Longenough2026', ip: '10.0.0.2' }),
  );
  t.ok(pw.ok, 'the password signs in');
  if (!signedUp.ok) return;
  const citizen = signedUp.citizen;

  // five wrong guesses spend a code
  await withPlatform(tdb.db, (trx) => sendCode(trx, cache, sender, parseIdentifier('13900000000'), '10.0.0.3'));
  const target = parseIdentifier('13900000000');
  for (let i = 0; i < 5; i++) await withPlatform(tdb.db, (trx) => checkCode(trx, target, '99999' + String(i)));
  t.equal(
    await withPlatform(tdb.db, (trx) => checkCode(trx, target, sender.last('13900000000')!)),
    false,
    'after five wrong guesses even the right code fails',
  );

  // the authorization code flow
  const central = await withPlatform(tdb.db, (trx) => createCentralSession(trx, citizen.id, 'account.localhost:3000'));
  const session = (await withPlatform(tdb.db, (trx) =>
    citizenSessionByToken(trx, central.token, 'account.localhost:3000'),
  ))!;
  t.ok(session, 'central session');
  t.equal(
    await withPlatform(tdb.db, (trx) => citizenSessionByToken(trx, central.token, 'ruyang.localhost:3000')),
    null,
    'a session token is good on its own host only',
  );
  const verifier = 'v'.repeat(43) + 'erifier-0123456789';
  const req = {
    clientHost: 'ruyang.localhost:3000',
    redirectUri: 'http://ruyang.localhost:3000/auth/callback',
    codeChallenge: pkceChallenge(verifier),
    codeChallengeMethod: 'S256',
  };
  const check = (r: Partial<typeof req>, https = false) =>
    refusal(withPlatform(tdb.db, (trx) => checkAuthorizeRequest(trx, { ...req, ...r }, 'localhost', https)));
  t.equal(await check({}), 'accepted');
  t.equal(
    await check({ redirectUri: 'http://evil.example/auth/callback', clientHost: 'evil.example' }),
    'SIGN_IN_INVALID',
    'not a face of the platform',
  );
  t.equal(
    await check({ redirectUri: 'http://ruyang.localhost:3000/elsewhere' }),
    'SIGN_IN_INVALID',
    'not the callback',
  );
  t.equal(
    await check({ redirectUri: 'http://yichuan.localhost:3000/auth/callback' }),
    'SIGN_IN_INVALID',
    'redirect to another host than the client',
  );
  t.equal(await check({ codeChallengeMethod: 'plain' }), 'SIGN_IN_INVALID', 'S256 only');
  t.equal(await check({}, true), 'SIGN_IN_INVALID', 'https required in production');

  const issue = () => withPlatform(tdb.db, (trx) => issueAuthCode(trx, session, req));
  const exchange = (code: string, over: Partial<{ verifier: string; redirectUri: string; clientHost: string }> = {}) =>
    withPlatform(tdb.db, (trx) =>
      exchangeAuthCode(trx, { code, verifier, redirectUri: req.redirectUri, clientHost: req.clientHost, ...over }),
    );
  t.equal(
    await refusal(exchange(await issue(), { verifier: 'x'.repeat(43) })),
    'SIGN_IN_INVALID',
    'a wrong PKCE verifier (a stolen code) fails',
  );
  t.equal(
    await refusal(
      exchange(await issue(), {
        clientHost: 'yichuan.localhost:3000',
        redirectUri: 'http://yichuan.localhost:3000/auth/callback',
      }),
    ),
    'SIGN_IN_INVALID',
    'another face cannot use the code',
  );
  const good = await issue();
  const face = await exchange(good);
  t.ok(face.token, 'the face gets its own session');
  t.equal(await refusal(exchange(good)), 'SIGN_IN_INVALID', 'a code works once');
  await tdb.owner
    .updateTable('sso_codes')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('used_at', 'is', null)
    .execute();
  t.equal(
    await refusal(
      exchange(
        await issue().then(async (c) => {
          await tdb.owner
            .updateTable('sso_codes')
            .set({ expires_at: new Date(Date.now() - 1000) })
            .where('used_at', 'is', null)
            .execute();
          return c;
        }),
      ),
    ),
    'SIGN_IN_INVALID',
    'an expired code fails',
  );

  const onFace = () => withPlatform(tdb.db, (trx) => citizenSessionByToken(trx, face.token, 'ruyang.localhost:3000'));
  t.equal((await onFace())?.citizen.id, citizen.id, 'the face session names the citizen');
  t.equal((await onFace())?.centralId, session.sessionId, 'under the central session');
  t.equal(
    await withPlatform(tdb.db, (trx) => endCentralSession(trx, session.centralId)),
    2,
    'signing out ends the central and the face session',
  );
  t.equal(await onFace(), null, 'the face session is gone');
  t.equal(await refusal(exchange(await issue())), 'SIGN_IN_INVALID', 'no new face session from an ended central one');

  // the sign-in machinery is the platform's alone; an account is its citizen's (and its followed tenants')
  for (const table of ['citizen_sessions', 'citizen_codes', 'sso_codes', 'citizens'] as const) {
    const seen = await withTenant(tdb.db, tenants.ruyang!.id, (trx) => trx.selectFrom(table).selectAll().execute());
    t.equal(seen.length, 0, `a tenant sees no ${table} (none of them follow it)`);
  }
  const other = await withPlatform(tdb.db, (trx) =>
    trx
      .insertInto('citizens')
      .values({ phone: '13911112222', display_name: '另一位' })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  const peek = await withCitizen(tdb.db, other.id, (trx) => trx.selectFrom('citizens').select('id').execute());
  t.same(
    peek.map((c) => c.id),
    [other.id],
    'a citizen sees their own account only',
  );
  const renamed = await withCitizen(tdb.db, other.id, (trx) =>
    trx.updateTable('citizens').set({ display_name: '篡改' }).where('id', '=', citizen.id).executeTakeFirst(),
  );
  t.equal(Number(renamed.numUpdatedRows), 0, "and cannot change another's");
  const sessions = await withCitizen(tdb.db, citizen.id, (trx) =>
    trx.selectFrom('citizen_sessions').select('id').execute(),
  );
  t.equal(sessions.length, 0, 'not even their own sessions: platform scope only');
});

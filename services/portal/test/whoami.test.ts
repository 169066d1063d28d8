import t from 'tap';
import { get, portal, tenantId, type Portal } from './helpers.js';
import { signIn } from './citizen-session.js';

const FACE = 'ruyang.localhost:3000';
const ACCOUNT = 'account.localhost:3000';
const NAME = '王小丽';

async function citizen(p: Portal): Promise<string> {
  const row = await p.tdb.owner
    .insertInto('citizens')
    .values({ phone: '13800000001', display_name: NAME })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const setCookies = (res: { headers: Record<string, unknown> }): string[] => {
  const raw = res.headers['set-cookie'];
  return Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
};
const hintOf = (res: { headers: Record<string, unknown> }): string | undefined =>
  setCookies(res).find((c) => c.startsWith('yd_who='));

t.test('who am I: the name for a signed-in visitor, private and never stored', async (t) => {
  const p = await portal(t);
  const signed = await signIn(p.tdb.db, await citizen(p), ACCOUNT, FACE);

  const me = await get(p, FACE, '/_me', { cookie: signed.face });
  t.equal(me.statusCode, 200);
  t.same(me.json(), { signedIn: true, name: NAME }, 'the display name, nothing else of the account');
  t.equal(me.headers['cache-control'], 'private, no-store');
  t.match(String(me.headers.vary), /cookie/i);
  t.match(
    hintOf(me),
    /^yd_who=1; Max-Age=\d+; Path=\/; SameSite=Lax$/,
    'a session without the hint gets it (readable by the script, not HttpOnly)',
  );

  const anonymous = await get(p, FACE, '/_me');
  t.same(anonymous.json(), { signedIn: false });
  t.equal(anonymous.headers['cache-control'], 'private, no-store');
  t.notOk(hintOf(anonymous), 'nothing to clear');

  const ended = await get(p, FACE, '/_me', { cookie: 'yd_citizen=not-a-session; yd_who=1' });
  t.same(ended.json(), { signedIn: false });
  t.match(hintOf(ended), /^yd_who=; Max-Age=0;/, 'a hint whose session has ended is cleared');

  const other = await get(p, 'yichuan.localhost:3000', '/_me', { cookie: signed.face });
  t.same(other.json(), { signedIn: false }, 'a face session is good on its own face only');

  const js = await get(p, FACE, '/_me.js');
  t.equal(js.statusCode, 200);
  t.match(String(js.headers['content-type']), 'text/javascript');
  t.match(js.body, 'yd_who=1');
  t.match(js.body, '"/_me"');
  t.equal((await get(p, FACE, '/_me.js', { 'if-none-match': String(js.headers.etag) })).statusCode, 304);
});

t.test('cached pages are the same bytes for signed-in and anonymous visitors', async (t) => {
  const p = await portal(t);
  const signed = await signIn(p.tdb.db, await citizen(p), ACCOUNT, FACE);
  const cookie = `${signed.face}; yd_who=1`;
  await p.cache.invalidateTags([`tenant:${tenantId(p, 'ruyang')}`]);
  // the signed-in visitor renders the page (a cache miss), the anonymous one reads it, and the other way round
  const first = await get(p, FACE, '/', { cookie });
  const second = await get(p, FACE, '/');
  await p.cache.invalidateTags([`tenant:${tenantId(p, 'ruyang')}`]);
  const third = await get(p, FACE, '/');
  const fourth = await get(p, FACE, '/', { cookie });
  for (const res of [first, second, third, fourth]) t.equal(res.statusCode, 200);
  t.ok(
    first.rawPayload.equals(second.rawPayload),
    'rendered for a signed-in visitor, read by an anonymous one: byte-identical',
  );
  t.ok(
    third.rawPayload.equals(fourth.rawPayload),
    'rendered for an anonymous visitor, read by a signed-in one: byte-identical',
  );
  t.ok(first.rawPayload.equals(third.rawPayload), 'and the same page both times');
  t.equal(first.headers.etag, second.headers.etag);
  t.notMatch(first.body, NAME, 'no name in the cached page');
  t.match(
    first.body,
    /<a class="account-link" href="\/me" rel="nofollow">登录 \/ 我的<\/a>/,
    'the link reads 登录 / 我的, so it works without JavaScript',
  );
  t.match(first.body, '<script src="/_me.js" defer></script>', 'the script that writes the name in');
  t.notOk(first.headers['set-cookie'], 'a cached page never sets a cookie (a CDN could keep it)');
  t.match(String(first.headers['cache-control']), /^public/);
});

t.test('signing in sets the hint and signing out clears it', async (t) => {
  const p = await portal(t);
  const signed = await signIn(p.tdb.db, await citizen(p), ACCOUNT, 'yichuan.localhost:3000');
  // the face sends the visitor to the central host, which knows them (yd_sso) and sends a code back
  const login = await get(p, FACE, '/auth/login?next=%2F');
  t.equal(login.statusCode, 302);
  const flow = setCookies(login)
    .find((c) => c.startsWith('yd_signin='))!
    .split(';')[0]!;
  const authorize = new URL(String(login.headers.location));
  const code = await get(p, ACCOUNT, `${authorize.pathname}${authorize.search}`, { cookie: signed.central });
  t.equal(code.statusCode, 302);
  const callback = new URL(String(code.headers.location));
  const back = await get(p, FACE, `${callback.pathname}${callback.search}`, { cookie: flow });
  t.equal(back.statusCode, 303);
  const session = setCookies(back)
    .find((c) => c.startsWith('yd_citizen='))!
    .split(';')[0]!;
  t.match(hintOf(back), /^yd_who=1;/, 'the sign-in response sets the hint with the session');
  t.notMatch(hintOf(back), /HttpOnly/);

  const me = await get(p, FACE, '/me', { cookie: `${session}; yd_who=1` });
  t.equal(me.statusCode, 200);
  t.notOk(hintOf(me), 'a hinted visitor is not hinted again');
  const legacy = await get(p, FACE, '/me', { cookie: session });
  t.match(hintOf(legacy), /^yd_who=1;/, 'a session from before the hint gets it on a per-visitor page');

  const csrf = /name="_csrf" value="([^"]+)"/.exec(me.body)![1]!;
  const csrfCookie = setCookies(me)
    .find((c) => c.startsWith('yd_csrf='))!
    .split(';')[0]!;
  const out = await p.app.inject({
    method: 'POST',
    url: '/auth/logout',
    headers: {
      host: FACE,
      cookie: `${session}; yd_who=1; ${csrfCookie}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: `_csrf=${encodeURIComponent(csrf)}`,
  });
  t.equal(out.statusCode, 200);
  t.match(hintOf(out), /^yd_who=; Max-Age=0;/, 'signing out clears the hint with the session');
});

// Every endpoint of the citizens' sign-in that takes a return address, fed the forms that have
// led browsers off a site before (tab, newline, backslash, `//`, `/.//`, encoded and non-ASCII
// forms, absolute and `javascript:` URLs): each answer stays on the site or is refused, and is
// never a 500 (a Location header with non-ASCII characters makes Node throw ERR_INVALID_CHAR).
import t from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { LogCodeSender } from '@yiduan/core';
import { build as buildPortal } from '@yiduan/portal';
import { createDemoDeps } from '@yiduan/testkit';
import { Browser, formOf } from './browser-sim.js';

/** Return addresses as a crafted link would carry them (already percent-decoded by the query parser). */
export const BAD_RETURNS = [
  '/\t/evil.example/x',
  '/\n/evil.example/x',
  '/\r\n/evil.example/x',
  '/\u000b/evil.example/x',
  '/\u0000/evil.example/x',
  '/\\evil.example/x',
  '\\\\evil.example/x',
  '/\\/evil.example/x',
  '//evil.example/x',
  '///evil.example/x',
  '/.//evil.example/x',
  '/..//evil.example/x',
  '/%09/evil.example/x',
  '/%2F/evil.example/x',
  '/%5C/evil.example/x',
  '/%E3%80%82/evil.example',
  '/\u3002/evil.example',
  '/\u3000/evil.example',
  '/中文',
  '/a?q=中文#片段',
  '/\u00ff\u0100',
  'https://evil.example/',
  'http:evil.example',
  'javascript:alert(1)',
  ' //evil.example',
  'evil.example',
  `/${'x'.repeat(600)}`,
];

const decode = (s: string): string =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x27;|&#39;/g, "'");

/** Where an answer sends the browser: its Location header, or its meta refresh. */
function targetOf(res: LightMyRequestResponse): string | null {
  if (typeof res.headers.location === 'string') return res.headers.location;
  const m = /<meta http-equiv="refresh" content="0;url=([^"]+)"/.exec(res.body);
  return m ? decode(m[1]!) : null;
}

const world = (async () => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const sender = new LogCodeSender({ info: () => undefined });
  const portal = await buildPortal(deps, { codeSender: sender });
  t.teardown(() => portal.close());
  return { deps, tenants, portal, sender };
})();

t.test('every return address is same-site or refused, never a 500', async (t) => {
  const { deps, portal, sender } = await world;
  const face = 'ruyang.localhost:3000';
  const account = deps.config.accountHost;
  let ip = 1;

  /** The answer stays on `host` (or goes to `also`), is not a 500, and its target is plain ASCII. */
  const check = (res: LightMyRequestResponse, host: string, what: string, also: string[] = []) => {
    t.ok(res.statusCode < 500, `${what}: no server error (${res.statusCode})`);
    const to = targetOf(res);
    if (to === null) return;
    t.match(to, /^[\x21-\x7e]*$/, `${what}: the target is printable ASCII`);
    const url = new URL(to, `http://${host}/`);
    t.ok(
      [host, ...also].includes(url.host) && url.protocol === 'http:',
      `${what}: stays on the site (${to.slice(0, 80)})`,
    );
  };

  // a citizen with a password, signed up on the sign-in host
  const browser = new Browser(portal);
  let page = await browser.get(`http://${account}/login`);
  page = await browser.submit(page, '/code', { identifier: '13655556666' });
  await browser.submit(page, '/login/code', {
    agree_terms: '1',
    agree_privacy: '1',
    code: sender.last('13655556666')!,
    displayName: '测试市民',
    password: 'Redirect2026pw',
  });
  t.ok(browser.cookies(account).has('yd_sso'), 'signed up');
  const sso = `yd_sso=${browser.cookies(account).get('yd_sso')!}`;
  // a fresh visitor's CSRF secret and token on the sign-in host
  const blank = await portal.inject({ method: 'GET', url: '/login', headers: { host: account } });
  const csrfCookie = blank.cookies.find((c) => c.name === 'yd_csrf')!;
  const token = formOf(blank.body, '/login')!._csrf!;
  const post = (url: string, form: Record<string, string>, cookie = '') =>
    portal.inject({
      method: 'POST',
      url,
      remoteAddress: `10.9.${Math.floor(ip / 250)}.${(ip++ % 250) + 1}`,
      headers: {
        host: account,
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [`yd_csrf=${csrfCookie.value}`, cookie].filter(Boolean).join('; '),
      },
      payload: new URLSearchParams({ _csrf: token, ...form }).toString(),
    });
  const query = (name: string, raw: string) => `${name}=${encodeURIComponent(raw)}`;

  for (const bad of BAD_RETURNS) {
    const label = JSON.stringify(bad.slice(0, 30));
    // ---- the sign-in host: GET /login (stranger: the form carries a safe return; signed in: a redirect)
    let res = await portal.inject({ method: 'GET', url: `/login?${query('return', bad)}`, headers: { host: account } });
    t.equal(res.statusCode, 200, `account GET /login ${label}`);
    const hidden = formOf(res.body, '/login')?.return ?? '';
    t.ok(
      hidden.startsWith('/') && !hidden.startsWith('//') && /^[\x21-\x7e]*$/.test(hidden),
      `account GET /login ${label}: the form's return is a local ASCII path (${hidden.slice(0, 40)})`,
    );
    res = await portal.inject({
      method: 'GET',
      url: `/login?${query('return', bad)}`,
      headers: { host: account, cookie: sso },
    });
    check(res, account, `account GET /login signed in ${label}`);
    // ---- POST /login (meta refresh after a password sign-in), /code and /login/code
    res = await post('/login', { identifier: '13655556666', password: 'Redirect2026pw', return: bad });
    t.equal(res.statusCode, 200, `account POST /login ${label}`);
    check(res, account, `account POST /login ${label}`);
    res = await post('/login/code', { identifier: '13655556666', code: '000000', return: bad });
    check(res, account, `account POST /login/code ${label}`);
    // ---- /logout: back to a known face only
    res = await portal.inject({ method: 'GET', url: `/logout?${query('return', bad)}`, headers: { host: account } });
    check(res, account, `account GET /logout ${label}`);
    res = await post('/logout', { return: bad });
    check(res, account, `account POST /logout ${label}`);

    // ---- a face: /auth/login, signed in (a redirect at once) and not (the flow through the callback)
    const visitor = new Browser(portal);
    visitor.cookies(account).set('yd_sso', browser.cookies(account).get('yd_sso')!);
    const flow = await visitor.get(`http://${face}/auth/login?${query('next', bad)}`);
    t.ok(flow.status < 500, `face /auth/login → callback ${label}: no server error (${flow.status})`);
    t.ok(
      flow.trail.some((u) => u.startsWith(`http://${face}/auth/callback?`)),
      `face ${label}: went through the callback`,
    );
    for (const hop of flow.trail)
      t.ok(
        [face, account].includes(new URL(hop).host),
        `face ${label}: every hop stays on the platform (${hop.slice(0, 60)})`,
      );
    t.equal(new URL(flow.url).host, face, `face ${label}: ends on the face`);
    res = await portal.inject({
      method: 'GET',
      url: `/auth/login?${query('next', bad)}`,
      headers: { host: face, cookie: `yd_citizen=${visitor.cookies(face).get('yd_citizen')!}` },
    });
    t.equal(res.statusCode, 303, `face /auth/login signed in ${label}`);
    check(res, face, `face /auth/login signed in ${label}`);
  }

  // a return address that is fine keeps its place, encoded for the header
  const res = await portal.inject({
    method: 'GET',
    url: `/auth/login?next=${encodeURIComponent('/search?q=洛阳')}`,
    headers: { host: face, cookie: `yd_citizen=${new Browser(portal).cookies(face).get('yd_citizen') ?? 'x'}` },
  });
  t.ok(res.statusCode < 500);
  const visitor = new Browser(portal);
  visitor.cookies(account).set('yd_sso', browser.cookies(account).get('yd_sso')!);
  const flow = await visitor.get(`http://${face}/auth/login?next=${encodeURIComponent('/search?q=洛阳')}`);
  t.equal(flow.url, `http://${face}/search?q=%E6%B4%9B%E9%98%B3`, 'a Chinese search is kept, percent-encoded');
  // a page that needs signing in sends its own address along, still on the face
  const stranger = await portal.inject({ method: 'GET', url: '/follow?unit=%E4%B8%AD', headers: { host: face } });
  check(stranger, face, 'a stranger on /follow');
  t.match(stranger.headers.location, /^\/auth\/login\?next=/);
});

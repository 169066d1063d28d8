// The central sign-in host as a citizen meets it: in the look of the face they came from (name,
// logo, colours from the portal's own stylesheet), with a way back, no inline style and no
// script (the beacon /_b.js does not exist there); the agreements readable on both hosts; and the
// face's per-visitor "who am I" for its header.
import t from 'tap';
import { LogCodeSender } from '@yiduan/core';
import { withPublic } from '@yiduan/db';
import { build as buildPortal } from '@yiduan/portal';
import { createDemoDeps } from '@yiduan/testkit';
import { Browser } from './browser-sim.js';

t.test('the sign-in host carries the face the citizen came from', async (t) => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const sender = new LogCodeSender({ info: () => undefined });
  const portal = await buildPortal(deps, { codeSender: sender });
  t.teardown(() => portal.close());
  const account = deps.config.accountHost;
  const face = 'ruyang.localhost:3000';
  const stored = await withPublic(deps.db, (trx) =>
    trx
      .selectFrom('faces')
      .select(['site_name', 'theme'])
      .where('tenant_id', '=', tenants.ruyang!.id)
      .executeTakeFirstOrThrow(),
  );
  const theme = stored.theme as { primary: string };

  // a stranger on the face who wants to follow it lands on the sign-in page
  const browser = new Browser(portal);
  const page = await browser.get(`http://${face}/follow`);
  t.match(page.url, `http://${account}/login?return=`);
  t.equal(page.status, 200);
  t.match(page.body, `<span class="site-name">${stored.site_name}</span>`, "the face's name in the header");
  t.match(page.body, `href="http://${face}/"`, 'a link back to the face');
  t.match(page.body, `返回${stored.site_name}`);
  t.match(
    page.body,
    `<link rel="stylesheet" href="/account.css?face=ruyang.localhost%3A3000"/>`,
    "the face's stylesheet from the portal",
  );
  t.notMatch(page.body, /<script/, 'no script at all (no request to a missing /_b.js)');
  t.notMatch(page.body, /\sstyle=|<style/, 'no inline style');
  const csp = String(page.res.headers['content-security-policy']);
  t.match(csp, "style-src 'self'");
  t.notMatch(csp, 'unsafe-inline', 'the policy allows no inline style');
  t.notMatch(csp, 'script-src', 'nor any script');

  const css = await portal.inject({
    method: 'GET',
    url: '/account.css?face=ruyang.localhost%3A3000',
    headers: { host: account },
  });
  t.equal(css.statusCode, 200);
  t.match(css.headers['content-type'], 'text/css');
  t.match(css.body, `--primary:${theme.primary}`, "in the face's colours");
  t.match(css.body, '.form input[type=text]', 'form controls are styled');
  const beacon = await portal.inject({ method: 'GET', url: '/_b.js', headers: { host: account } });
  t.equal(beacon.statusCode, 404, 'the sign-in host has no beacon script, and no page asks for one');

  // without a face: the platform's neutral look, no way "back" to anywhere
  const plain = await portal.inject({ method: 'GET', url: '/login', headers: { host: account } });
  t.match(plain.body, '统一账号');
  t.notMatch(plain.body, 'back-link');
  t.match(plain.body, 'href="/account.css"');
  // a forged client_id names no face: no branding, no link to it
  const forged = await portal.inject({
    method: 'GET',
    url: `/login?return=${encodeURIComponent('/authorize?client_id=evil.example&x=1')}`,
    headers: { host: account },
  });
  t.equal(forged.statusCode, 200);
  t.notMatch(forged.body, 'evil.example"', 'an unknown host gets no link');
  t.notMatch(forged.body, 'back-link');
  const cssForged = await portal.inject({
    method: 'GET',
    url: '/account.css?face=%3C%2Fstyle%3E',
    headers: { host: account },
  });
  t.equal(cssForged.statusCode, 200, 'a bad face parameter falls back to the platform look');

  // the agreements: on the sign-in host in the face's look, and on the face itself
  const terms = await portal.inject({
    method: 'GET',
    url: '/agreements/terms?face=ruyang.localhost%3A3000',
    headers: { host: account },
  });
  t.equal(terms.statusCode, 200);
  t.match(terms.body, '平台默认文本');
  t.match(terms.body, stored.site_name);
  const onFace = await portal.inject({ method: 'GET', url: '/agreements/privacy', headers: { host: face } });
  t.equal(onFace.statusCode, 200);
  t.match(onFace.body, '隐私政策');
  t.match(onFace.body, '个人信息保护法');
  t.equal((await portal.inject({ method: 'GET', url: '/agreements/other', headers: { host: face } })).statusCode, 404);
  t.equal(
    (await portal.inject({ method: 'GET', url: '/agreements/other', headers: { host: account } })).statusCode,
    404,
  );

  // who am I, for the face's header (/_me, services/portal/src/routes/whoami.ts): per visitor, never cached
  let me = await portal.inject({ method: 'GET', url: '/_me', headers: { host: face } });
  t.same(JSON.parse(me.body), { signedIn: false });
  t.equal(me.headers['cache-control'], 'private, no-store');
  let signIn = await browser.submit(page, '/code', { identifier: '13688889999' });
  signIn = await browser.submit(signIn, '/login/code', {
    code: sender.last('13688889999')!,
    displayName: '页眉里的名字',
    agree_terms: '1',
    agree_privacy: '1',
  });
  t.equal(signIn.url, `http://${face}/follow`);
  me = await portal.inject({
    method: 'GET',
    url: '/_me',
    headers: { host: face, cookie: `yd_citizen=${browser.cookies(face).get('yd_citizen')!}` },
  });
  t.same(JSON.parse(me.body), { signedIn: true, name: '页眉里的名字' });
  t.equal(me.headers['cache-control'], 'private, no-store');
});

// Every HTML page kind of every demo face (and the account host's sign-in pages) through
// html-validate, on the seeded demo province. RSS and sitemaps are XML and are left out.
import t from 'tap';
import { HtmlValidate, type ConfigData, type Message } from 'html-validate';
import { LogCodeSender } from '@yiduan/core';
import { createDemoDeps, DEMO_TREE } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { demoCitizenId, signIn } from './citizen-session.js';

/**
 * The rule set the pages must pass: html-validate's recommended rules, with the exceptions below,
 * each for a written reason. `no-inline-style` stays an error: every style lives in the stylesheet.
 */
export const HTML_RULES: ConfigData = {
  extends: ['html-validate:recommended'],
  rules: {
    // preact-render-to-string writes void elements self-closed (`<meta …/>`, `<img …/>`): valid HTML5, parsed the same
    // way by every browser; the rule is a house style of spelling, not an error a reader could meet
    'void-style': 'off',
  },
};

const ACCOUNT = 'account.localhost:3000';

interface PageCase {
  label: string;
  host: string;
  url: string;
  status: number;
  cookie?: string;
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
}

const format = (m: Message): string => `  ${m.ruleId} ${m.line}:${m.column} ${m.selector ?? ''}: ${m.message}`;

// validating some 120 pages takes a minute alone, several on a busy machine
t.setTimeout(480_000);

t.test('html-validate: every page kind of every demo face', async (t) => {
  const deps = await createDemoDeps(t, 'pictures');
  const { tenants, storage } = deps;
  const app = await build(deps, { storage, codeSender: new LogCodeSender({ info: () => undefined }) });
  t.teardown(() => app.close());
  const owner = deps.tdb.owner;
  const citizenId = await demoCitizenId(deps.db);

  // a story the province pushed, placed on every face and then retracted: 410 on each of them
  const pushed = await owner
    .selectFrom('placements')
    .select(['story_id', 'origin_tenant_id'])
    .where('mode', '=', 'pushed')
    .where('tenant_id', '=', tenants.ruyang!.id)
    .executeTakeFirstOrThrow();
  await owner
    .insertInto('placements')
    .values(
      Object.values(tenants).map((x) => ({
        tenant_id: x.id,
        story_id: pushed.story_id,
        origin_tenant_id: pushed.origin_tenant_id,
        mode: 'pushed' as const,
        status: 'active' as const,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  await owner
    .updateTable('stories')
    .set({ retracted_at: new Date(), retraction_reason: '测试撤稿' })
    .where('id', '=', pushed.story_id)
    .execute();
  await deps.cache.invalidateTags(Object.values(tenants).map((x) => `tenant:${x.id}`));

  const validator = new HtmlValidate(HTML_RULES);
  const cases: PageCase[] = [];
  for (const face of DEMO_TREE) {
    const tenant = tenants[face.slug]!;
    const host = `${face.slug}.localhost:3000`;
    const home = await app.inject({ method: 'GET', url: '/', headers: { host } });
    const story = /href="\/a\/([0-9a-f-]{36})"/.exec(home.body)?.[1];
    t.ok(story, `${face.slug}: a story on the home page`);
    const unit = await owner
      .selectFrom('units')
      .select('slug')
      .where('tenant_id', '=', tenant.id)
      .where('status', '=', 'active')
      .orderBy('slug')
      .executeTakeFirst();
    const tag = await owner
      .selectFrom('placements as p')
      .innerJoin('stories as s', (j) =>
        j.onRef('s.id', '=', 'p.story_id').onRef('s.tenant_id', '=', 'p.origin_tenant_id'),
      )
      .innerJoin('story_revisions as r', (j) =>
        j.onRef('r.story_id', '=', 's.id').onRef('r.number', '=', 's.published_revision'),
      )
      .select('r.tags')
      .where('p.tenant_id', '=', tenant.id)
      .where('s.retracted_at', 'is', null)
      .where((eb) => eb.fn('cardinality', ['r.tags']), '>', 0)
      .executeTakeFirst();
    const signed = await signIn(deps.db, citizenId, ACCOUNT, host);
    const kinds: [string, string, number, string?][] = [
      ['home', '/', 200],
      ['section', '/s/bendi', 200],
      ['story', `/a/${story}`, 200],
      ['search', `/search?q=${encodeURIComponent(face.name.slice(0, 2))}`, 200],
      ['empty search', '/search', 200],
      ['messages', '/messages', 200],
      ['message form', '/messages/new', 200, signed.face],
      ['my messages', '/messages/mine', 200, signed.face],
      ['follow', '/follow', 200, signed.face],
      ['me', '/me', 200, signed.face],
      ['comment form', `/a/${story}/comment`, 200, signed.face],
      ['404', '/no-such-page', 404],
      ['410 retracted', `/a/${pushed.story_id}`, 410],
    ];
    if (unit) kinds.push(['unit', `/u/${unit.slug}`, 200]);
    if (tag?.tags[0]) kinds.push(['tag', `/t/${encodeURIComponent(tag.tags[0])}`, 200]);
    for (const [label, url, status, cookie] of kinds)
      cases.push({ label: `${face.slug} ${label}`, host, url, status, cookie });
  }
  t.ok(
    cases.some((c) => c.label.endsWith(' unit')) && cases.some((c) => c.label.endsWith(' tag')),
    'the demo has units and tags to show',
  );

  // the account host: sign-in, the code entry step, the account centre; a host no face has
  const login = await app.inject({ method: 'GET', url: '/login', headers: { host: ACCOUNT } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(login.body)?.[1] ?? '';
  const csrfCookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const central = await signIn(deps.db, citizenId, ACCOUNT, 'ruyang.localhost:3000');
  cases.push(
    { label: 'account sign-in', host: ACCOUNT, url: '/login', status: 200 },
    {
      label: 'account code entry',
      host: ACCOUNT,
      url: '/code',
      status: 200,
      method: 'POST',
      cookie: csrfCookie,
      form: { _csrf: csrf, identifier: '13800138000', return: '/' },
    },
    { label: 'account centre', host: ACCOUNT, url: '/', status: 200, cookie: central.central },
    { label: 'unknown host', host: 'nobody.example', url: '/', status: 404 },
  );

  let pages = 0;
  for (const c of cases) {
    const res = await app.inject({
      method: c.method ?? 'GET',
      url: c.url,
      headers: {
        host: c.host,
        ...(c.cookie ? { cookie: c.cookie } : {}),
        ...(c.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(c.form ? { payload: new URLSearchParams(c.form).toString() } : {}),
    });
    t.equal(res.statusCode, c.status, `${c.label}: ${c.url} answers ${c.status}`);
    t.match(String(res.headers['content-type']), 'text/html', `${c.label}: HTML`);
    const report = await validator.validateString(res.body, `${c.label} ${c.url}`);
    const messages = report.results.flatMap((r) => r.messages);
    t.ok(report.valid, `${c.label}: valid HTML${messages.length ? `\n${messages.map(format).join('\n')}` : ''}`);
    pages++;
  }
  t.ok(pages >= DEMO_TREE.length * 14, `${pages} pages validated`);
});

t.test('the rule set fails on an inline style', async (t) => {
  const report = await new HtmlValidate(HTML_RULES).validateString(
    '<!DOCTYPE html><html lang="zh-CN"><head><title>x</title></head><body><p style="color:red">x</p></body></html>',
  );
  t.notOk(report.valid);
  t.ok(
    report.results[0]?.messages.some((m) => m.ruleId === 'no-inline-style'),
    'no-inline-style is an error',
  );
});

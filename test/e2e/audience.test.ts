// User connectivity end to end: one citizen account across faces through the central sign-in
// host, tenant-owned memberships with consents, moderated comments, messages answered in public,
// and who may see which audience.
import t, { type Test } from 'tap';
import { sql } from 'kysely';
import {
  accessFor,
  assignMessage,
  audienceCounts,
  DomainError,
  exportMembersCsv,
  faceFeed,
  listMembers,
  LogCodeSender,
  moderateComment,
  replyToMessage,
  setAudienceSettings,
  staffActor,
} from '@yiduan/core';
import { withPlatform, withPublic, withTenant } from '@yiduan/db';
import { build as buildApi } from '@yiduan/api';
import { DEMO_PASSWORD } from '@yiduan/demo';
import { build as buildPortal } from '@yiduan/portal';
import { createDemoDeps, createTestDeps, graphqlClient } from '@yiduan/testkit';
import { outboxDrainer } from './helpers.js';
import { Browser, formOf, Multipart } from './browser-sim.js';
import { routesOf } from './fuzz/routes.js';

/** A 64×48 PNG, as a phone camera's picture would be in a message. */
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAEAAAAAwCAIAAAAuKetIAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAfElEQVRoge2SAQkAQBCDlsT+UYz1McbxAwPoWITTpG7gAqiv6C7EXVI3cAHUV3QX4i6pG7gA6iu6C3GX1A1cAPUV3YW4S+oGLoD6iu5C3CV1AxdAfUV3Ie6SuoELoL6iuxB3Sd3ABVBf0V2Iu6Ru4AKor+guxF1SN/DzgAeJJzC1j9JECgAAAABJRU5ErkJggg==',
  'base64',
);

const formFields = (html: string): Record<string, string> => formOf(html, '/login/code') ?? {};

/** both agreements ticked on the sign-up form, one by one */
const AGREE = { agree_terms: '1', agree_privacy: '1' };

const PHONE = '13812345678';
const NAME = '洛阳市民小王';

// One demo province for the first two tests (seeding it is the slow part); the seed's own
// events are marked handled so that the worker here only works through what the tests cause.
const world = (async () => {
  const deps = await createDemoDeps(t, 'newsroom');
  await deps.tdb.owner.updateTable('outbox').set({ status: 'done' }).where('status', '=', 'pending').execute();
  return { deps, tenants: deps.tenants, staff: deps.staff };
})();

/** The faces over the demo world, with a code sender that keeps the codes it "sends" for the test to read. */
async function facesOf(t: Test, deps: Awaited<typeof world>['deps']) {
  const sender = new LogCodeSender({ info: () => undefined });
  const portal = await buildPortal(deps, { codeSender: sender });
  t.teardown(() => portal.close());
  return { sender, portal };
}

t.test('one account on every face, followers per tenant, moderated comments, answered messages', async (t) => {
  const { deps, tenants, staff } = await world;
  const { sender, portal } = await facesOf(t, deps);
  const { drain } = outboxDrainer(deps);
  const A = tenants.ruyang!;
  const B = tenants.yichuan!;
  const a = 'http://ruyang.localhost:3000';
  const b = 'http://yichuan.localhost:3000';
  const account = `http://${deps.config.accountHost}`;
  const browser = new Browser(portal);

  // ---- signs up on A's face while trying to follow it
  let page = await browser.get(`${a}/follow`);
  t.ok(
    page.trail.some((u) => u.startsWith(`${account}/authorize?`)),
    'A sends the stranger to the central sign-in host',
  );
  t.match(page.url, `${account}/login?return=`, 'which asks them to sign in');
  page = await browser.submit(page, '/code', { identifier: PHONE });
  t.match(page.body, '输入验证码');
  const code = sender.last(PHONE)!;
  t.match(code, /^\d{6}$/, 'a six-digit code was sent (the development sender logs it)');
  // ---- consent is an act: both agreements are offered unticked, readable in A's version, and required
  for (const box of ['agree_terms', 'agree_privacy'])
    t.match(page.body, new RegExp(`<input type="checkbox" name="${box}" value="1"/>`), `${box}: offered, not ticked`);
  t.match(
    page.body,
    'href="/agreements/terms?face=ruyang.localhost%3A3000"',
    "the user agreement to read, in A's version",
  );
  t.match(page.body, 'href="/agreements/privacy?face=ruyang.localhost%3A3000"', 'and the privacy policy');
  const terms = await browser.get(`${account}/agreements/terms?face=ruyang.localhost%3A3000`);
  t.match(terms.body, '账号注册与使用', 'the platform default user agreement (A has written none)');
  t.match(terms.body, '汝阳', "in A's look");
  const unticked = await browser.submit(page, '/login/code', {
    code,
    displayName: NAME,
    password: 'Xiaowang2026',
    agree_terms: '1',
  });
  t.equal(unticked.status, 400, 'one box ticked is not enough to sign up');
  t.match(unticked.body, '请阅读并勾选同意');
  t.match(
    unticked.body,
    `value="${code}"`,
    'the proven code stays in the form (the refusal rolled back, the code is not spent)',
  );
  t.equal(
    await deps.tdb.owner.selectFrom('citizens').select('id').where('phone', '=', PHONE).executeTakeFirst(),
    undefined,
    'no account was made',
  );
  page = await browser.submit(unticked, '/login/code', { code, displayName: NAME, password: 'Xiaowang2026', ...AGREE });
  t.equal(page.url, `${a}/follow`, 'signed up, back on A where they started, through the authorization code flow');
  t.ok(browser.cookies('ruyang.localhost:3000').has('yd_citizen'), "A's own session cookie");
  t.ok(browser.cookies(deps.config.accountHost).has('yd_sso'), 'and the central one');
  const accepted = await deps.tdb.owner
    .selectFrom('agreement_acceptances as x')
    .innerJoin('citizens as c', 'c.id', 'x.citizen_id')
    .select(['x.tenant_id', 'x.kind', 'x.version'])
    .where('c.phone', '=', PHONE)
    .orderBy('x.kind')
    .execute();
  t.same(
    accepted,
    [
      { tenant_id: A.id, kind: 'privacy', version: 0 },
      { tenant_id: A.id, kind: 'terms', version: 0 },
    ],
    "the acceptance of A's versions is recorded",
  );
  for (const box of page.body.matchAll(/<input type="checkbox"[^>]*>/g))
    t.notMatch(box[0], /checked/, `consent is an act: ${box[0]} is not ticked for the citizen`);
  page = await browser.submit(page, '/follow', { unitId: '', news: '1', contact: '1' });
  t.equal(page.url, `${a}/me?done=follow`);
  t.match(page.body, '关注成功');

  // ---- on B: signed in through the central flow without typing a password again
  page = await browser.get(`${b}/follow`);
  t.notOk(
    page.trail.some((u) => u.startsWith(`${account}/login`)),
    'no sign-in page on the way',
  );
  t.ok(
    page.trail.some((u) => u.startsWith(`${b}/auth/callback?code=`)),
    'B got its own code and exchanged it',
  );
  t.equal(page.url, `${b}/follow`);
  const bUnits = await withPublic(deps.db, (trx) =>
    trx
      .selectFrom('units')
      .select(['id', 'name'])
      .where('tenant_id', '=', B.id)
      .where('status', '=', 'active')
      .execute(),
  );
  const unit = bUnits[0]!;
  page = await browser.submit(page, '/follow', { unitId: '', news: '1' });
  t.match(page.body, '关注成功');

  // ---- comments on a story of B's face: B pre-moderates, so it waits for an editor
  const bEditor = staff['yichuan-editor']!;
  const bAdmin = staff['yichuan-admin']!;
  const bAccess = await withTenant(deps.db, B.id, (trx) => accessFor(trx, bEditor, B.id));
  await withTenant(deps.db, B.id, async (trx) =>
    setAudienceSettings(trx, await accessFor(trx, bAdmin, B.id), staffActor(bAdmin), { commentsPremoderated: true }),
  );
  const story = (await withPublic(deps.db, (trx) => faceFeed(trx, B.id, { limit: 20 })))[0]!;
  page = await browser.get(`${b}/a/${story.storyId}/comment`);
  t.equal(page.status, 200);
  page = await browser.submit(page, `/a/${story.storyId}/comments`, { body: '这篇报道写得好，点赞家乡的变化！' });
  t.match(
    page.url,
    new RegExp(`^${b}/a/${story.storyId}/comments/[0-9a-f-]{36}#my-comment$`),
    "to a page of the citizen's own about that comment",
  );
  t.match(page.body, '待审核', 'says it waits for review');
  t.match(page.body, '点赞家乡的变化', 'and shows the citizen their own comment at once');
  t.equal(page.res.headers['cache-control'], 'no-store', 'never cached');
  const ownPage = page.url.split('#')[0]!;
  const strangerView = await new Browser(portal).get(ownPage);
  t.notMatch(strangerView.body, '点赞家乡的变化', 'a stranger is sent to sign in, and sees nothing of it');
  let storyPage = await browser.get(`${b}/a/${story.storyId}`);
  t.notMatch(storyPage.body, '点赞家乡的变化', 'not shown to others before approval');
  const pending = await withTenant(deps.db, B.id, (trx) =>
    trx
      .selectFrom('comments')
      .select(['id', 'status', 'held_reason'])
      .where('tenant_id', '=', B.id)
      .where('citizen_id', 'is not', null)
      .where('body', 'like', '%点赞家乡的变化%')
      .execute(),
  );
  t.same(
    pending.map((c) => [c.status, c.held_reason]),
    [['pending', '本站评论先审后发']],
  );
  await withTenant(deps.db, B.id, (trx) =>
    moderateComment(trx, bAccess, staffActor(bEditor), pending[0]!.id, 'approve'),
  );
  storyPage = await browser.get(`${b}/a/${story.storyId}`);
  t.notMatch(storyPage.body, '点赞家乡的变化', 'the cached page stands until its invalidation event is processed');
  await drain();
  storyPage = await browser.get(`${b}/a/${story.storyId}`);
  t.match(storyPage.body, '点赞家乡的变化', 'approved: on the story page once the invalidation is processed');
  t.match(storyPage.body, NAME);

  // ---- a message to a unit of B: assigned, answered publicly, rated
  page = await browser.get(`${b}/messages/new?unit=${unit.id}`);
  t.match(page.body, 'enctype="multipart/form-data"', 'the message form takes photos');
  const fields = {
    ...formOf(page.body, '/messages')!,
    unitId: unit.id,
    category: 'complaint',
    title: '小区门口路灯不亮',
    body: '建设路小区门口的路灯坏了一个月，晚上出行不便，请尽快修复。',
    contactPhone: '13900001111',
    allowPublic: '1',
  };
  page = await browser.go(
    'POST',
    `${b}/messages`,
    new Multipart(fields, [{ name: 'photos', filename: 'IMG_0001.png', type: 'image/png', data: PHOTO }]),
  );
  t.match(page.body, '附图 1 张');
  t.match(page.url, `${b}/messages/mine/`);
  t.match(page.body, '已受理');
  const messageId = page.url.split('/messages/mine/')[1]!.split('?')[0]!;
  const photo = await withTenant(deps.db, B.id, (trx) =>
    trx
      .selectFrom('citizen_messages as m')
      .innerJoin('assets as a', (j) =>
        j.onRef('a.tenant_id', '=', 'm.tenant_id').on(sql<boolean>`a.id = ANY(m.photos)`),
      )
      .select(['a.width', 'a.shared'])
      .where('m.id', '=', messageId)
      .executeTakeFirst(),
  );
  t.same(photo, { width: 64, shared: false }, "the photo is a private asset of B's");
  const notAPicture = await browser.go(
    'POST',
    `${b}/messages`,
    new Multipart({ ...fields, title: '假图片' }, [
      { name: 'photos', filename: 'x.png', type: 'image/png', data: Buffer.from('<script>alert(1)</script>') },
    ]),
  );
  t.equal(notAPicture.status, 400, 'a file that is not a picture is refused with the form again');
  t.match(notAPicture.body, '<form');
  const unitMember = await withTenant(deps.db, B.id, (trx) =>
    trx
      .selectFrom('grants')
      .select('staff_id')
      .where('tenant_id', '=', B.id)
      .where('unit_id', '=', unit.id)
      .where('revoked_at', 'is', null)
      .where('staff_id', 'is not', null)
      .executeTakeFirst(),
  );
  const assignee = unitMember?.staff_id ?? bEditor.id;
  await withTenant(deps.db, B.id, (trx) =>
    assignMessage(trx, bAccess, staffActor(bEditor), messageId, assignee, '请尽快核实'),
  );
  await withTenant(deps.db, B.id, (trx) =>
    replyToMessage(
      trx,
      bAccess,
      staffActor(bEditor),
      messageId,
      '已联系供电所，路灯已于今日修复。感谢您的监督！',
      true,
    ),
  );
  await drain();
  const board = await browser.get(`${b}/messages`);
  t.match(board.body, '路灯已于今日修复', 'the public reply is on B’s message board');
  t.notMatch(board.body, '13900001111', 'never the contact phone');
  page = await browser.get(`${b}/messages/mine/${messageId}`);
  page = await browser.submit(page, `/messages/mine/${messageId}/rate`, { rating: '5' });
  t.match(page.body, '您的评价：★★★★★');
  const events = await withTenant(deps.db, B.id, (trx) =>
    trx
      .selectFrom('citizen_message_events')
      .select(['to_status', 'by_citizen'])
      .where('message_id', '=', messageId)
      .orderBy('id')
      .execute(),
  );
  t.same(
    events.map((e) => e.to_status),
    ['received', 'assigned', 'replied', 'replied'],
    'every change recorded (the last is the rating)',
  );
  const audited = await withTenant(deps.db, B.id, (trx) =>
    trx.selectFrom('audit_log').select('action').where('target_id', '=', messageId).orderBy('id').execute(),
  );
  t.same(
    audited.map((r) => r.action),
    ['message.assigned', 'message.replied'],
    'staff changes are in the audit log',
  );

  // ---- who sees the audience
  const aEditor = staff['ruyang-editor']!;
  const aMembers = await withTenant(deps.db, A.id, async (trx) =>
    listMembers(trx, await accessFor(trx, aEditor, A.id)),
  );
  const aMember = aMembers.rows.find((m) => m.displayName === NAME);
  t.ok(aMember, "A's editors see A's new member");
  t.equal(aMember?.contact, PHONE, 'with the phone: the member consented to contact');
  const aFollowers = await deps.tdb.owner
    .selectFrom('memberships')
    .select('id')
    .where('tenant_id', '=', A.id)
    .where('ended_at', 'is', null)
    .execute();
  t.same(
    aMembers.rows.map((m) => m.id).sort(),
    aFollowers.map((m) => m.id).sort(),
    'exactly the memberships that belong to A',
  );
  const bMembersByA = await withTenant(deps.db, A.id, async (trx) => {
    const access = await accessFor(trx, aEditor, B.id);
    return listMembers(trx, access).then(
      () => 'listed',
      (e: unknown) => (e instanceof DomainError ? e.code : 'other'),
    );
  });
  t.equal(bMembersByA, 'FORBIDDEN', "A's editors cannot list B's members");
  const leaked = await withTenant(deps.db, A.id, (trx) =>
    trx.selectFrom('memberships').select('id').where('tenant_id', '=', B.id).execute(),
  );
  t.equal(leaked.length, 0, "and row-level security keeps B's memberships out of A's scope");

  const provinceEditor = staff['henan-editor']!;
  const since = new Date(Date.now() - 24 * 3600 * 1000);
  const counts = await withTenant(deps.db, tenants.henan!.id, (trx) => audienceCounts(trx, A.id, since));
  t.equal(counts?.members, aFollowers.length, 'the province sees how many follow A');
  t.ok((counts?.gained ?? 0) >= 1, 'and how many joined since');
  const provinceList = await withTenant(deps.db, tenants.henan!.id, async (trx) => {
    const access = await accessFor(trx, provinceEditor, A.id);
    return listMembers(trx, access).then(
      () => 'listed',
      (e: unknown) => (e instanceof DomainError ? e.code : 'other'),
    );
  });
  t.equal(provinceList, 'FORBIDDEN', "but never A's member list");
  const provinceRows = await withTenant(deps.db, tenants.henan!.id, (trx) =>
    trx.selectFrom('memberships').select('tenant_id').execute(),
  );
  t.ok(
    provinceRows.length > 0 && provinceRows.every((r) => r.tenant_id === tenants.henan!.id),
    "nor its rows: the province's scope holds its own followers only",
  );
  const siblingCounts = await withTenant(deps.db, B.id, (trx) => audienceCounts(trx, A.id, since));
  t.equal(siblingCounts, null, 'a sibling sees not even counts');

  // ---- withdrawing a consent is honoured by the next export
  page = await browser.get(`${a}/me`);
  page = await browser.submit(page, '/me/consent', { purpose: 'contact', granted: '0' });
  t.match(page.body, '已更新');
  const csv = await withTenant(deps.db, A.id, async (trx) =>
    exportMembersCsv(trx, await accessFor(trx, aEditor, A.id)),
  );
  t.notMatch(csv, PHONE, 'no phone in the export after the contact consent was withdrawn');
  t.match(csv, NAME);

  // ---- signing out on A ends the session on B too
  page = await browser.get(`${a}/me`);
  page = await browser.submit(page, '/auth/logout');
  t.equal(page.url, `${a}/`, 'back on A, signed out');
  page = await browser.get(`${b}/me`);
  t.match(page.url, `${account}/login?return=`, 'B asks to sign in again');
});

t.test('account deletion leaves no personal data in any column', async (t) => {
  const { deps, tenants, staff } = await world;
  const { sender, portal } = await facesOf(t, deps);
  const browser = new Browser(portal);
  const a = 'http://ruyang.localhost:3000';
  const account = `http://${deps.config.accountHost}`;
  const phone = '13987654321';
  const name = '注销测试用户甲';
  let page = await browser.get(`${a}/messages/new`);
  page = await browser.submit(page, '/code', { identifier: phone });
  page = await browser.submit(page, '/login/code', {
    ...AGREE,
    code: sender.last(phone)!,
    displayName: name,
    password: 'Deleteme2026',
  });
  page = await browser.submit(page, '/messages', {
    category: 'help',
    title: '求助',
    body: '家门口的排水沟堵了，请帮忙疏通',
    contactName: '联系人甲',
    contactPhone: '13700001111',
    allowPublic: '0',
  });
  t.match(page.body, '已受理');
  page = await browser.get(`${a}/follow`);
  page = await browser.submit(page, '/follow', { unitId: '', news: '1', contact: '1' });
  t.match(page.body, '关注成功');
  const story = (await withPublic(deps.db, (trx) => faceFeed(trx, tenants.ruyang!.id, { limit: 20 }))).find(
    (s) => s.unitId === null,
  )!;
  page = await browser.get(`${a}/a/${story.storyId}/comment`);
  page = await browser.submit(page, `/a/${story.storyId}/comments`, { body: '一条会留下来的评论' });
  t.equal(page.status, 200, 'commented');
  t.match(page.body, '评论已发布', 'told it is published (this face does not pre-moderate)');
  t.match(page.body, '一条会留下来的评论', 'and shown it at once, whatever the cached story page says');

  const exported = await browser.get(`${account}/export.json`);
  const data = JSON.parse(exported.body) as {
    account: { phone: string };
    memberships: unknown[];
    agreements: { kind: string; version: number }[];
    comments: unknown[];
    messages: unknown[];
  };
  t.same(
    data.agreements.map((a) => [a.kind, a.version]).sort(),
    [
      ['privacy', 0],
      ['terms', 0],
    ],
    'the download holds the agreements accepted, with their versions',
  );
  t.equal(data.account.phone, phone, 'the download holds the account');
  t.equal(data.memberships.length, 1);
  t.equal(data.comments.length, 1);
  t.equal(data.messages.length, 1);

  page = await browser.get(`${account}/`);
  page = await browser.submit(page, '/delete', { confirm: '确认注销' });
  t.match(page.body, '账号已注销');

  // every text-like column of every table, searched for anything that identified the person
  const columns = await sql<{ table_name: string; column_name: string }>`
    SELECT c.table_name, c.column_name FROM information_schema.columns c
      JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
     WHERE c.table_schema = 'public' AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`.execute(
    deps.tdb.owner,
  );
  const markers = [phone, name, '联系人甲', '13700001111'];
  const hits: string[] = [];
  for (const { table_name, column_name } of columns.rows) {
    for (const m of markers) {
      const r = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM ${sql.table(table_name)} WHERE ${sql.ref(column_name)}::text LIKE ${`%${m}%`}`.execute(
        deps.tdb.owner,
      );
      if (r.rows[0]!.n > 0) hits.push(`${table_name}.${column_name} holds ${m}`);
    }
  }
  t.same(hits, [], `no personal data left in ${columns.rows.length} text columns`);
  const comment = await withPlatform(deps.db, (trx) =>
    trx
      .selectFrom('comments')
      .select(['author_name', 'body'])
      .where('body', '=', '一条会留下来的评论')
      .executeTakeFirstOrThrow(),
  );
  t.same(comment, { author_name: '已注销用户', body: '一条会留下来的评论' }, 'the comment stays, as 已注销用户');
  const editor = staff['ruyang-editor']!;
  const members = await withTenant(deps.db, tenants.ruyang!.id, async (trx) =>
    listMembers(trx, await accessFor(trx, editor, tenants.ruyang!.id)),
  );
  t.notOk(
    members.rows.some((m) => m.displayName === name || m.displayName === '已注销用户'),
    'the membership ended: not among the members',
  );
  page = await browser.get(`${a}/me`);
  t.match(page.url, `${account}/login?return=`, 'and every session with it');
});

t.test('abuse limits and form protections', async (t) => {
  const deps = await createDemoDeps(t);
  const { sender, portal } = await facesOf(t, deps);
  const account = `http://${deps.config.accountHost}`;
  const browser = new Browser(portal);
  const login = await browser.get(`${account}/login`);

  // codes: one a minute per phone
  const entry = await browser.submit(login, '/code', { identifier: '13611112222' });
  t.match(entry.body, '输入验证码');
  let page = await browser.submit(login, '/code', { identifier: '13611112222' });
  t.equal(page.status, 429, 'a second code for the same phone within the minute is refused');
  t.match(page.body, '验证码发送过于频繁');
  // … and twenty an hour per address, whatever the phone
  let refused = 0;
  for (let i = 0; i < 25; i++) {
    const r = await browser.submit(login, '/code', { identifier: `1350000${String(i).padStart(4, '0')}` });
    if (r.status === 429) refused++;
  }
  t.equal(refused, 7, 'per address: the 21st request and later are refused (two were made above; refusals count too)');

  // password sign-in: five failures per account, then throttled even with the right password
  await browser.submit(entry, '/login/code', {
    ...AGREE,
    code: sender.last('13611112222')!,
    password: 'Correct2026pw',
  });
  t.equal(browser.cookies(deps.config.accountHost).has('yd_sso'), true, 'signed up');
  const other = new Browser(portal);
  const form = await other.get(`${account}/login`);
  for (let i = 0; i < 5; i++) {
    const r = await other.submit(form, '/login', { identifier: '13611112222', password: 'wrong-password-1' });
    t.equal(r.status, 401);
  }
  page = await other.submit(form, '/login', { identifier: '13611112222', password: 'Correct2026pw' });
  t.equal(page.status, 429, 'throttled after five failures');
  t.match(page.body, '登录尝试过于频繁');

  // CSRF: a form post without the token (or from a page of another site) is refused
  const forged = await portal.inject({
    method: 'POST',
    url: '/login',
    headers: {
      host: deps.config.accountHost,
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'https://evil.example',
    },
    payload: 'identifier=13611112222&password=Correct2026pw&return=%2F',
  });
  t.equal(forged.statusCode, 403, 'no token, no sign-in');
  const faceForm = await portal.inject({
    method: 'POST',
    url: '/follow',
    headers: { host: 'ruyang.localhost:3000', 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'news=1',
  });
  t.equal(faceForm.statusCode, 403, "a face's form without a token is refused too");

  // cookies: HttpOnly and SameSite everywhere; Secure outside development
  const cookie =
    page.res.cookies.find((c) => c.name === 'yd_csrf') ?? login.res.cookies.find((c) => c.name === 'yd_csrf');
  t.ok(cookie?.httpOnly, 'the CSRF secret is HttpOnly');
  const signIn = await new Browser(portal).get(`${account}/login`);
  const fresh = signIn.res.cookies.find((c) => c.name === 'yd_csrf');
  t.equal(fresh?.sameSite, 'Strict');
  const prodDeps = await createTestDeps(t, { SESSION_SECRET: 'x'.repeat(40) });
  const prodConfig = { ...prodDeps.config, env: 'production' as const };
  const prodSender = new LogCodeSender({ info: () => undefined });
  const prod = await buildPortal({ ...prodDeps, config: prodConfig }, { codeSender: prodSender });
  t.teardown(() => prod.close());
  const prodBrowser = new Browser(prod);
  const prodLogin = await prodBrowser.get(`https://${prodConfig.accountHost}/login`);
  t.equal(
    prodLogin.res.cookies.find((c) => c.name === 'yd_csrf')?.secure,
    true,
    'the CSRF cookie is Secure in production',
  );
  const prodCode = await prodBrowser.submit(prodLogin, '/code', { identifier: '13622223333' });
  const wrong = await prodBrowser.submit(prodCode, '/login/code', { code: '000000' });
  t.equal(wrong.status, 401, 'a wrong code is refused');
  t.notOk(
    wrong.res.cookies.some((c) => c.name === 'yd_sso'),
    'and sets no session cookie',
  );
  const right = await prodBrowser.go('POST', `https://${prodConfig.accountHost}/login/code`, {
    ...formFields(prodCode.body),
    ...AGREE,
    code: prodSender.last('13622223333')!,
  });
  const sso = prodBrowser.lastCookies.find((c) => c.name === 'yd_sso');
  t.ok(right.status < 400, 'the right code signs in');
  t.same(
    { httpOnly: sso?.httpOnly, secure: sso?.secure, sameSite: sso?.sameSite },
    { httpOnly: true, secure: true, sameSite: 'Lax' },
    'the session cookie: HttpOnly, Secure, SameSite',
  );
});

t.test('every form post of the faces and the sign-in host needs its CSRF token; sessions do not cross', async (t) => {
  const { deps, tenants, staff } = await world;
  const { sender, portal } = await facesOf(t, deps);
  const browser = new Browser(portal);
  const a = 'http://ruyang.localhost:3000';
  // a signed-in citizen, so that no route turns the post away for want of a session first
  let page = await browser.get(`${a}/me`);
  page = await browser.submit(page, '/code', { identifier: '13655556666' });
  page = await browser.submit(page, '/login/code', {
    ...AGREE,
    code: sender.last('13655556666')!,
    displayName: '跨站测试',
  });
  t.equal(page.url, `${a}/me`);

  // every POST but the reading beacon: it carries no cookie and changes nothing of anyone's (sendBeacon)
  const posts = routesOf(portal).filter((r) => r.methods.includes('POST') && r.path !== '/_b');
  t.ok(posts.length >= 14, `${posts.length} POST routes found`);
  const uuid = '00000000-0000-4000-8000-000000000000';
  for (const r of posts) {
    const host = r.host ?? 'ruyang.localhost:3000';
    const path = r.path.replace(/:[A-Za-z]+/g, uuid);
    const cookie = [...browser.cookies(host)].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await portal.inject({
      method: 'POST',
      url: path,
      headers: { host, cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      payload: 'news=1&body=x&confirm=%E7%A1%AE%E8%AE%A4%E6%B3%A8%E9%94%80',
    });
    t.equal(res.statusCode, 403, `POST ${host}${r.path} without the token is refused`);
  }
  const still = await browser.get(`${a}/me`);
  t.equal(still.url, `${a}/me`, 'and none of them did anything (the account still exists, still signed in)');

  // a citizen's face session is not a staff session, and a staff session not a citizen's
  const faceToken = browser.cookies('ruyang.localhost:3000').get('yd_citizen')!;
  const api = await buildApi(deps);
  t.teardown(() => api.close());
  const asStaff = await api.inject({
    method: 'POST',
    url: '/graphql',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${faceToken}`,
      cookie: `yd_staff=${faceToken}`,
    },
    payload: JSON.stringify({
      query: `query($t: ID!) { members(tenantId: $t) { totalCount } }`,
      variables: { t: tenants.ruyang!.id },
    }),
  });
  t.equal(
    (JSON.parse(asStaff.body) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code,
    'UNAUTHENTICATED',
    'the citizen token opens nothing on the staff API',
  );
  const login = await graphqlClient(api)<{ login: { token: string } }>(
    `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
    { l: 'ruyang-editor', p: DEMO_PASSWORD },
  );
  const staffToken = login.data!.login.token;
  const asCitizen = await portal.inject({
    method: 'GET',
    url: '/me',
    headers: { host: 'ruyang.localhost:3000', cookie: `yd_citizen=${staffToken}; yd_staff=${staffToken}` },
  });
  t.equal(asCitizen.statusCode, 303, 'a staff token is no citizen session: /me asks to sign in');
  t.ok(staff['ruyang-editor'], 'the editor exists');
});

t.test('stored comments and replies are rendered inert', async (t) => {
  const { deps, tenants, staff } = await world;
  const { sender, portal } = await facesOf(t, deps);
  const { drain } = outboxDrainer(deps, 50);
  const browser = new Browser(portal);
  const z = 'http://zhecheng.localhost:3000';
  const Z = tenants.zhecheng!;
  let page = await browser.get(`${z}/me`);
  page = await browser.submit(page, '/code', { identifier: '13677778888' });
  page = await browser.submit(page, '/login/code', {
    ...AGREE,
    code: sender.last('13677778888')!,
    displayName: '"引号" & 符号',
  });
  t.equal(page.url, `${z}/me`, 'signed up with a name full of markup characters');
  const story = (await withPublic(deps.db, (trx) => faceFeed(trx, Z.id, { limit: 20 }))).find(
    (s) => s.unitId === null,
  )!;
  page = await browser.get(`${z}/a/${story.storyId}/comment`);
  const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  page = await browser.submit(page, `/a/${story.storyId}/comments`, { body: hostile });
  const held = await deps.tdb.owner
    .selectFrom('comments')
    .select(['status', 'held_reason'])
    .where('body', '=', hostile)
    .executeTakeFirstOrThrow();
  t.same(held, { status: 'approved', held_reason: null }, `the comment is shown at once (${page.status})`);
  const ownCommentUrl = page.url;
  page = await browser.get(`${z}/messages/new`);
  page = await browser.submit(page, '/messages', {
    category: 'consultation',
    title: '<script>t()</script>',
    body: hostile,
    allowPublic: '1',
  });
  const messageId = page.url.split('/messages/mine/')[1]!.split('?')[0]!;
  const editor = staff['zhecheng-editor']!;
  await withTenant(deps.db, Z.id, async (trx) =>
    replyToMessage(trx, await accessFor(trx, editor, Z.id), staffActor(editor), messageId, `答复 ${hostile}`, true),
  );
  await drain();
  for (const url of [
    ownCommentUrl.split('#')[0]!,
    `${z}/a/${story.storyId}`,
    `${z}/messages`,
    `${z}/messages/mine/${messageId}`,
  ]) {
    const body = (await browser.get(url)).body;
    t.match(body, /&lt;script(>|&gt;)alert\(1\)&lt;\/script/, `${url}: shown as text`);
    t.notMatch(body, /<script>alert|<img src=x/, `${url}: never as markup`);
  }
});

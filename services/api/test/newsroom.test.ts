import t, { type Test } from 'tap';
import { sql } from 'kysely';
import { createDemoDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import type { DB } from '@yiduan/db';
import { build } from '../src/app.js';
import { staffWith, PASSWORD } from './staff.js';

async function setup(t: Test) {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const app = await build(deps);
  t.teardown(() => app.close());
  const signIn = async (login: string) => {
    const r = await graphqlClient(app)<{ login: { token: string } }>(
      `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
      { l: login, p: PASSWORD },
    );
    return graphqlClient(app, { token: r.data!.login.token });
  };
  return { deps, tenants, app, signIn };
}

const CREATE = `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`;
const counts = async (db: DB) =>
  (
    await sql<{
      n: number[];
    }>`SELECT ARRAY[(SELECT count(*) FROM stories), (SELECT count(*) FROM story_revisions), (SELECT count(*) FROM terminology_rules), (SELECT count(*) FROM audit_log)]::int[] AS n`.execute(
      db,
    )
  ).rows[0]!.n;

t.test('bad input: a clear code and nothing written', async (t) => {
  const { deps, tenants, signIn } = await setup(t);
  const ruyang = tenants.ruyang!.id;
  await staffWith(deps.db, 'bad-editor', ruyang, ['editor', 'tenant_admin']);
  const gql = await signIn('bad-editor');
  const before = await counts(deps.tdb.owner);
  const content = (body: unknown) => ({ kind: 'ARTICLE', content: { title: '标题', body } });
  const cases: [string, string, Record<string, unknown>][] = [
    ['unknown block type', 'BLOCK_INVALID', content([{ type: 'marquee', text: 'x' }])],
    ['paragraph without text', 'BLOCK_INVALID', content([{ type: 'paragraph' }])],
    ['heading level 5', 'BLOCK_INVALID', content([{ type: 'heading', level: 5, text: '小标题' }])],
    ['javascript: embed', 'BLOCK_INVALID', content([{ type: 'embed', url: 'javascript:alert(1)' }])],
    ['extra field in a block', 'BLOCK_INVALID', content([{ type: 'paragraph', text: 'x', onclick: 'x' }])],
    ['body not a list', 'BLOCK_INVALID', content({ type: 'paragraph', text: 'x' })],
    [
      'unknown section',
      'SECTION_NOT_FOUND',
      { kind: 'ARTICLE', sectionId: '00000000-0000-4000-8000-000000000000', content: { title: '标题', body: [] } },
    ],
    ['unknown image', 'ASSET_NOT_FOUND', content([{ type: 'image', assetId: '00000000-0000-4000-8000-000000000000' }])],
    ['empty title', 'BAD_USER_INPUT', { kind: 'ARTICLE', content: { title: '  ', body: [] } }],
    ['link story without url', 'BAD_USER_INPUT', { kind: 'LINK', content: { title: '外链', body: [] } }],
  ];
  for (const [what, code, input] of cases) {
    const r = await gql(CREATE, { t: ruyang, i: input });
    t.equal(errorCode(r), code, what);
  }
  const invalidBlock = await gql(CREATE, {
    t: ruyang,
    i: content([
      { type: 'paragraph', text: 'ok' },
      { type: 'heading', level: 5, text: 'x' },
    ]),
  });
  t.equal(
    invalidBlock.errors?.[0]?.extensions?.problems?.[0]?.path.startsWith('body[1]'),
    true,
    'the problem names the block',
  );

  const RULE = `mutation($t: ID!, $i: RuleInput!) { createTerminologyRule(tenantId: $t, input: $i) { id } }`;
  for (const pattern of ['(a+)+$', '(x*)*y', '(.*){1,32000}', '([']) {
    const r = await gql(RULE, { t: ruyang, i: { pattern, kind: 'REGEX', severity: 'BLOCK' } });
    t.equal(errorCode(r), 'RULE_PATTERN_INVALID', `regex ${pattern} refused`);
  }
  t.same(await counts(deps.tdb.owner), before, 'nothing was written');
});

t.test('isolation: another county’s staff neither see nor touch a story', async (t) => {
  const { deps, tenants, signIn } = await setup(t);
  const [ruyang, yichuan] = [tenants.ruyang!.id, tenants.yichuan!.id];
  await staffWith(deps.db, 'iso-ry', ruyang, ['reporter', 'editor', 'chief_editor']);
  await staffWith(deps.db, 'iso-yc', yichuan, ['editor', 'reviewer', 'chief_editor', 'tenant_admin']);
  const ry = await signIn('iso-ry');
  const yc = await signIn('iso-yc');
  const created = await ry<{ createStory: { story: { id: string } } }>(CREATE, {
    t: ruyang,
    i: { kind: 'ARTICLE', content: { title: '汝阳草稿', body: [{ type: 'paragraph', text: '内部草稿' }] } },
  });
  const id = created.data!.createStory.story.id;
  await ry(`mutation($t: ID!, $s: ID!) { submitStory(tenantId: $t, id: $s) { story { id } } }`, { t: ruyang, s: id });

  t.equal(
    errorCode(await yc(`query($t: ID!, $s: ID!) { story(tenantId: $t, id: $s) { id } }`, { t: ruyang, s: id })),
    'FORBIDDEN',
    'no role in the other tenant',
  );
  const viaOwn = await yc<{ story: unknown }>(`query($t: ID!, $s: ID!) { story(tenantId: $t, id: $s) { id } }`, {
    t: yichuan,
    s: id,
  });
  t.equal(viaOwn.data!.story, null, 'asking through their own tenant finds nothing');
  const list = await yc<{ stories: { edges: unknown[] } }>(
    `query($t: ID!) { stories(tenantId: $t) { edges { node { id } } } }`,
    { t: yichuan },
  );
  t.same(list.data!.stories.edges, []);
  for (const [name, m] of [
    ['approve', `mutation($t: ID!, $s: ID!) { approveStory(tenantId: $t, id: $s) { story { id } } }`],
    ['publish', `mutation($t: ID!, $s: ID!) { publishStory(tenantId: $t, id: $s) { story { id } } }`],
    ['retract', `mutation($t: ID!, $s: ID!) { retractStory(tenantId: $t, id: $s, reason: "x") { story { id } } }`],
  ] as const) {
    t.equal(
      errorCode(await yc(m, { t: yichuan, s: id })),
      'STORY_NOT_FOUND',
      `${name} through their own tenant: not found`,
    );
    t.equal(errorCode(await yc(m, { t: ruyang, s: id })), 'FORBIDDEN', `${name} in the other tenant: forbidden`);
  }
  const audit = await yc(`query($t: ID!) { auditLog(tenantId: $t) { edges { node { action } } } }`, { t: ruyang });
  t.equal(errorCode(audit), 'FORBIDDEN', "cannot read another tenant's audit log");
  const rules = await yc(
    `mutation($t: ID!) { createTerminologyRule(tenantId: $t, input: { pattern: "x", kind: LITERAL, severity: BLOCK }) { id } }`,
    { t: ruyang },
  );
  t.equal(errorCode(rules), 'FORBIDDEN');
  const story = await deps.tdb.owner
    .selectFrom('stories')
    .select(['status'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  t.equal(story.status, 'in_review', 'nothing changed');
});

t.test('sessions: login, cookie, logout, revocation', async (t) => {
  const { deps, tenants, app } = await setup(t);
  await staffWith(deps.db, 'sess-user', tenants.ruyang!.id, ['reporter']);
  const res = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({
      query: `mutation { login(login: "sess-user", password: "${PASSWORD}") { token staff { login } } }`,
    }),
  });
  const cookie = res.cookies.find((c) => c.name === 'yd_staff');
  t.ok(cookie, 'a session cookie is set');
  t.equal(cookie?.httpOnly, true, 'HttpOnly');
  t.equal(cookie?.sameSite, 'Lax');
  const viewer = async (headers: Record<string, string>) =>
    (
      await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify({ query: '{ viewer { login memberships { tenant { slug } roles } } }' }),
      })
    ).json() as {
      data: { viewer: { login: string; memberships: { tenant: { slug: string }; roles: string[] }[] } | null };
    };
  const v = await viewer({ cookie: `yd_staff=${cookie!.value}` });
  t.same(v.data.viewer, { login: 'sess-user', memberships: [{ tenant: { slug: 'ruyang' }, roles: ['REPORTER'] }] });
  const wrong = await graphqlClient(app)(
    `mutation { login(login: "sess-user", password: "wrong-password-1") { token } }`,
  );
  t.equal(errorCode(wrong), 'LOGIN_FAILED');
  const out = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', cookie: `yd_staff=${cookie!.value}` },
    payload: JSON.stringify({ query: 'mutation { logout }' }),
  });
  t.equal(out.statusCode, 200);
  t.equal(
    (await viewer({ cookie: `yd_staff=${cookie!.value}` })).data.viewer,
    null,
    'the session is gone after logout',
  );
  const form = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'query=mutation%7Blogout%7D',
  });
  t.ok(form.statusCode >= 400 && form.statusCode < 500, 'a form post (possible CSRF) is refused');
});

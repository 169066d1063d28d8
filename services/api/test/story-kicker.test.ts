// 引题 (kicker) end to end through GraphQL: saved, checked by terminology, compared, published,
// and private to its tenant until then.
import t from 'tap';
import { createDemoDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { staffWith, PASSWORD } from './staff.js';

const REV = 'number kicker title subtitle summary authorLine';
const CREATE = `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id currentRevision { ${REV} } } } }`;
const SAVE = `mutation($t: ID!, $s: ID!, $i: SaveStoryInput!) { saveStory(tenantId: $t, id: $s, input: $i) { story { currentRevision { ${REV} } findings { field severity match } } } }`;
const STEP = (m: string) => `mutation($t: ID!, $s: ID!) { ${m}(tenantId: $t, id: $s) { story { status } } }`;
const READ = `query($t: ID!, $s: ID!) { story(tenantId: $t, id: $s) { status publishedRevision { ${REV} } compare(from: 1, to: 2) { field changed } } }`;

t.test('a kicker is saved, checked, compared and published; another tenant sees none of it', async (t) => {
  const deps = await createDemoDeps(t);
  const app = await build(deps);
  t.teardown(() => app.close());
  const signIn = async (login: string) => {
    const r = await graphqlClient(app)<{ login: { token: string } }>(
      `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
      { l: login, p: PASSWORD },
    );
    return graphqlClient(app, { token: r.data!.login.token });
  };
  const [ruyang, yichuan] = [deps.tenants.ruyang!.id, deps.tenants.yichuan!.id];
  await staffWith(deps.db, 'kk-writer', ruyang, ['reporter']);
  await staffWith(deps.db, 'kk-editor', ruyang, ['editor']);
  await staffWith(deps.db, 'kk-reviewer', ruyang, ['reviewer']);
  await staffWith(deps.db, 'kk-chief', ruyang, ['chief_editor', 'tenant_admin']);
  await staffWith(deps.db, 'kk-other', yichuan, ['editor', 'reviewer', 'chief_editor', 'tenant_admin']);
  const [writer, editor, reviewer, chief, other] = await Promise.all(
    ['kk-writer', 'kk-editor', 'kk-reviewer', 'kk-chief', 'kk-other'].map(signIn),
  );

  const body = [{ type: 'paragraph', text: '9月20日，汝阳县杜康文化节开幕。' }];
  const created = await writer!<{ createStory: { story: { id: string; currentRevision: Record<string, unknown> } } }>(
    CREATE,
    {
      t: ruyang,
      i: { kind: 'ARTICLE', content: { kicker: '  喜迎丰收季  ', title: '汝阳县杜康文化节开幕', body } },
    },
  );
  const id = created.data!.createStory.story.id;
  t.match(
    created.data!.createStory.story.currentRevision,
    { number: 1, kicker: '喜迎丰收季', title: '汝阳县杜康文化节开幕', subtitle: '' },
    'trimmed and saved',
  );

  const tooLong = await writer!(CREATE, {
    t: ruyang,
    i: { kind: 'ARTICLE', content: { kicker: '引'.repeat(61), title: '标题', body } },
  });
  t.equal(errorCode(tooLong), 'BAD_USER_INPUT', 'a kicker over 60 characters is refused');
  t.equal(tooLong.errors?.[0]?.extensions?.problems?.[0]?.path, 'kicker', 'naming the field');

  // a banned word in the kicker is a finding on the kicker, as on the title
  const rule = await chief!(
    `mutation($t: ID!) { createTerminologyRule(tenantId: $t, input: { pattern: "汝阳内部资料", kind: LITERAL, severity: BLOCK }) { id } }`,
    { t: ruyang },
  );
  t.notOk(rule.errors, 'rule created');
  const check = await writer!<{ checkTerminology: { field: string; match: string }[] }>(
    `query($t: ID!, $i: StoryContentInput!) { checkTerminology(tenantId: $t, input: $i) { field match } }`,
    {
      t: ruyang,
      i: { kicker: '汝阳内部资料摘编', title: '标题', body },
    },
  );
  t.same(
    check.data!.checkTerminology,
    [{ field: 'kicker', match: '汝阳内部资料' }],
    'checkTerminology flags the kicker while typing',
  );
  const flagged = await writer!<{ saveStory: { story: { findings: { field: string; severity: string }[] } } }>(SAVE, {
    t: ruyang,
    s: id,
    i: { content: { kicker: '汝阳内部资料摘编', title: '汝阳县杜康文化节开幕', body } },
  });
  t.match(
    flagged.data!.saveStory.story.findings,
    [{ field: 'kicker', severity: 'BLOCK' }],
    'the saved story carries the finding',
  );
  t.equal(
    errorCode(await writer!(STEP('submitStory'), { t: ruyang, s: id })),
    'TERMINOLOGY_BLOCKED',
    'and it blocks submission',
  );

  const saved = await writer!<{
    saveStory: { story: { currentRevision: Record<string, unknown>; findings: unknown[] } };
  }>(SAVE, {
    t: ruyang,
    s: id,
    i: { content: { kicker: '金秋时节', title: '汝阳县杜康文化节开幕', body } },
  });
  t.match(saved.data!.saveStory.story.currentRevision, { number: 3, kicker: '金秋时节' });
  t.same(saved.data!.saveStory.story.findings, []);

  for (const [who, step] of [
    [writer, 'submitStory'],
    [editor, 'approveStory'],
    [reviewer, 'approveStory'],
    [chief, 'approveStory'],
    [editor, 'publishStory'],
  ] as const) {
    const r = await who!(STEP(step), { t: ruyang, s: id });
    t.notOk(r.errors, `${step} passes`);
  }
  const read = await editor!<{
    story: {
      status: string;
      publishedRevision: Record<string, unknown>;
      compare: { field: string; changed: boolean }[];
    };
  }>(READ, { t: ruyang, s: id });
  t.equal(read.data!.story.status, 'PUBLISHED');
  t.match(
    read.data!.story.publishedRevision,
    { number: 3, kicker: '金秋时节' },
    'the published revision carries the kicker',
  );
  t.same(
    read.data!.story.compare.filter((f) => f.changed).map((f) => f.field),
    ['kicker'],
    'the diff shows the kicker change, and only it',
  );

  t.equal(errorCode(await other!(READ, { t: ruyang, s: id })), 'FORBIDDEN', "another tenant's staff cannot read it");
  const viaOwn = await other!<{ story: unknown }>(READ, { t: yichuan, s: id });
  t.equal(viaOwn.data!.story, null, 'nor through their own tenant');
  t.equal(
    errorCode(await other!(SAVE, { t: yichuan, s: id, i: { content: { kicker: '改', title: '改', body } } })),
    'STORY_NOT_FOUND',
    'nor change it',
  );
});

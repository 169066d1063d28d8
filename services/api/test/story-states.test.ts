// Retracted and unpublished stories have their own state everywhere in the API (Story.status,
// the stories filter, every placement listing), placements of such stories refuse changes, and
// Story.viewerCan says what the viewer may do now (role, unit, state, four eyes).
import t from 'tap';
import { createDemoDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import { fanOutChunk } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { build } from '../src/app.js';
import { staffWith, PASSWORD } from './staff.js';

type Gql = ReturnType<typeof graphqlClient>;
type Can = Record<
  'edit' | 'submit' | 'withdraw' | 'approve' | 'reject' | 'publish' | 'schedule' | 'unpublish' | 'retract' | 'correct',
  boolean
>;

const CAN_FIELDS = 'edit submit withdraw approve reject publish schedule unpublish retract correct';
const STORY = `query($t: ID!, $s: ID!) { story(tenantId: $t, id: $s) { status retractedAt viewerCan { ${CAN_FIELDS} } } }`;
const LIST = `query($t: ID!, $st: StoryStatus) { stories(tenantId: $t, status: $st, first: 100) { edges { node { id status } } } }`;
const act = (name: string, extra = '') =>
  `mutation($t: ID!, $s: ID!) { ${name}(tenantId: $t, id: $s${extra}) { story { status } } }`;

t.test('story states, placement states and viewerCan', async (t) => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const app = await build(deps);
  t.teardown(() => app.close());
  const signIn = async (login: string): Promise<Gql> => {
    const r = await graphqlClient(app)<{ login: { token: string } }>(
      `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
      { l: login, p: PASSWORD },
    );
    return graphqlClient(app, { token: r.data!.login.token });
  };
  const ry = tenants.ruyang!.id;
  const hn = tenants.henan!.id;
  for (const [login, tenant, roles] of [
    ['st-reporter', ry, ['reporter']],
    ['st-editor', ry, ['editor']],
    ['st-reviewer', ry, ['reviewer']],
    ['st-chief', ry, ['chief_editor']],
    ['st-chief2', ry, ['chief_editor']],
    ['st-yc', tenants.yichuan!.id, ['editor', 'chief_editor']],
    ['hn-w', hn, ['reporter', 'editor', 'chief_editor']],
    ['hn-r1', hn, ['editor']],
    ['hn-r2', hn, ['reviewer']],
    ['hn-r3', hn, ['chief_editor']],
  ] as const) {
    await staffWith(deps.db, login, tenant, [...roles]);
  }
  const [reporter, editor, reviewer, chief, chief2, stranger, hnW, hnR1, hnR2, hnR3] = [
    await signIn('st-reporter'),
    await signIn('st-editor'),
    await signIn('st-reviewer'),
    await signIn('st-chief'),
    await signIn('st-chief2'),
    await signIn('st-yc'),
    await signIn('hn-w'),
    await signIn('hn-r1'),
    await signIn('hn-r2'),
    await signIn('hn-r3'),
  ];
  const can = async (g: Gql, id: string, tenant = ry): Promise<Can> => {
    const r = await g<{ story: { viewerCan: Can } }>(STORY, { t: tenant, s: id });
    if (!r.data?.story) throw new Error(JSON.stringify(r.errors));
    return r.data.story.viewerCan;
  };
  const status = async (id: string, tenant = ry, g = editor): Promise<string> =>
    (await g<{ story: { status: string } }>(STORY, { t: tenant, s: id })).data!.story.status;
  const listed = async (st: string, tenant = ry, g = editor): Promise<string[]> =>
    (await g<{ stories: { edges: { node: { id: string } }[] } }>(LIST, { t: tenant, st })).data!.stories.edges.map(
      (e) => e.node.id,
    );

  // a reporter's story through the chain, with viewerCan at every turn
  const created = await reporter<{ createStory: { story: { id: string } } }>(
    `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`,
    {
      t: ry,
      i: {
        kind: 'ARTICLE',
        content: { title: '汝阳县秋收进度过半', body: [{ type: 'paragraph', text: '全县秋收进度已过半。' }] },
      },
    },
  );
  const id = created.data!.createStory.story.id;
  t.match(
    await can(reporter, id),
    { edit: true, submit: true, withdraw: false, approve: false, publish: false, retract: false },
    'the writer may edit and submit a draft',
  );
  await reporter(act('submitStory'), { t: ry, s: id });
  t.match(
    await can(reporter, id),
    { submit: false, withdraw: true, approve: false, reject: false },
    'submitter: approve=false (four eyes), may withdraw',
  );
  t.match(await can(editor, id), { approve: true, reject: true }, 'the editor may sign step 1');
  t.match(await can(chief, id), { approve: true }, 'so may the chief editor (more senior)');
  t.match(await chief(act('approveStory'), { t: ry, s: id }), {
    data: { approveStory: { story: { status: 'IN_REVIEW' } } },
  });
  t.match(await can(chief, id), { approve: false, reject: false }, 'who signed a step of this round signs no other');
  t.match(await can(editor, id), { approve: false }, 'step 2 is above an editor');
  t.match(await can(reviewer, id), { approve: true });
  await reviewer(act('approveStory'), { t: ry, s: id });
  t.match(await can(chief, id), { approve: false }, 'step 3: the chief editor signed step 1 already');
  t.match(await can(chief2, id), { approve: true }, 'another chief editor may sign it');
  await chief2(act('approveStory'), { t: ry, s: id });
  t.equal(await status(id), 'APPROVED');
  t.match(
    await can(editor, id),
    { publish: true, schedule: true, retract: false },
    'an editor may publish an approved story',
  );
  t.match(await can(reporter, id), { publish: false, schedule: false }, 'a reporter may not');
  await editor(act('publishStory'), { t: ry, s: id });
  t.equal(await status(id), 'PUBLISHED');
  t.match(
    await can(editor, id),
    { unpublish: true, correct: true, retract: false, publish: false },
    'editor: retract=false (撤稿 needs a chief editor)',
  );
  t.match(await can(chief, id), { retract: true });

  // the province takes it up
  const pulled = await hnW<{ pullStory: { id: string; status: string } }>(
    `mutation($t: ID!, $s: ID!) { pullStory(tenantId: $t, storyId: $s) { id status } }`,
    { t: hn, s: id },
  );
  t.equal(pulled.data?.pullStory.status, 'ACTIVE', JSON.stringify(pulled.errors));
  const placementId = pulled.data!.pullStory.id;
  const FACE = `query($t: ID!) { facePlacements(tenantId: $t) { id status story { id } } }`;
  const WHERE = `query($t: ID!, $s: ID!) { story(tenantId: $t, id: $s) { placements { status tenant { slug } } } }`;
  const faceStatus = async () =>
    (await hnW<{ facePlacements: { id: string; status: string }[] }>(FACE, { t: hn })).data!.facePlacements.find(
      (p) => p.id === placementId,
    )?.status;
  const where = async () =>
    (await editor<{ story: { placements: { status: string; tenant: { slug: string } }[] } }>(WHERE, { t: ry, s: id }))
      .data!.story.placements.map((p) => `${p.tenant.slug}:${p.status}`)
      .sort();
  const PIN = `mutation($t: ID!, $p: ID!, $i: PlacementPatch!) { updatePlacement(tenantId: $t, placementId: $p, input: $i) { pinned status } }`;
  const DETACH = `mutation($t: ID!, $p: ID!) { detachPlacement(tenantId: $t, placementId: $p) { story { id } } }`;
  t.equal(await faceStatus(), 'ACTIVE');

  // taken down: UNPUBLISHED everywhere; the face may not change how it carries it
  await editor(act('unpublishStory', ', reason: "数据待核实"'), { t: ry, s: id });
  t.equal(await status(id), 'UNPUBLISHED');
  t.ok((await listed('UNPUBLISHED')).includes(id), 'stories(status: UNPUBLISHED) finds it');
  t.notOk((await listed('PUBLISHED')).includes(id), 'stories(status: PUBLISHED) does not');
  t.notOk((await listed('APPROVED')).includes(id), 'nor stories(status: APPROVED)');
  t.same(await where(), ['henan:UNPUBLISHED', 'ruyang:UNPUBLISHED'], '稿件去向 reports it');
  t.equal(await faceStatus(), 'UNPUBLISHED', '本门户转载 reports it');
  const pinWhileDown = await hnW(PIN, { t: hn, p: placementId, i: { pinned: true } });
  t.equal(errorCode(pinWhileDown), 'INVALID_TRANSITION', 'no pin while the origin is down');
  t.match(pinWhileDown.errors?.[0]?.message, /[\u4e00-\u9fa5]/, 'with a Chinese message');
  t.match(await can(editor, id), { publish: true, unpublish: false, correct: false }, 'it may be published again');
  await editor(act('publishStory'), { t: ry, s: id });
  t.equal(await status(id), 'PUBLISHED');
  t.equal(await faceStatus(), 'ACTIVE', 'back on the face');
  t.match(
    await hnW(PIN, { t: hn, p: placementId, i: { pinned: true } }),
    { data: { updatePlacement: { pinned: true, status: 'ACTIVE' } } },
    'pinning works on a live story',
  );

  // 撤稿: RETRACTED for good, everywhere
  await chief(act('retractStory', ', reason: "数据有误，撤稿"'), { t: ry, s: id });
  t.equal(await status(id), 'RETRACTED', 'Story.status is RETRACTED, not PUBLISHED');
  t.ok((await listed('RETRACTED')).includes(id), 'stories(status: RETRACTED) finds it');
  t.notOk((await listed('PUBLISHED')).includes(id), 'stories(status: PUBLISHED) no longer returns it');
  t.match(
    await can(chief, id),
    { retract: false, publish: false, edit: false, unpublish: false, correct: false, submit: false },
    'a retracted story: retract=false, publish=false',
  );
  t.same(await where(), ['henan:RETRACTED', 'ruyang:RETRACTED']);
  t.equal(await faceStatus(), 'RETRACTED');
  for (const [what, r] of [
    ['unpin', await hnW(PIN, { t: hn, p: placementId, i: { pinned: false } })],
    ['headline', await hnW(PIN, { t: hn, p: placementId, i: { localTitle: '新标题' } })],
    ['section', await hnW(PIN, { t: hn, p: placementId, i: { sectionId: null } })],
    ['detach', await hnW(DETACH, { t: hn, p: placementId })],
  ] as const) {
    t.equal(errorCode(r), 'INVALID_TRANSITION', `${what} refused on a retracted story`);
    t.match(r.errors?.[0]?.message, /撤稿/, `${what}: the message says why`);
  }
  t.equal(
    errorCode(await editor(act('unpublishStory'), { t: ry, s: id })),
    'INVALID_TRANSITION',
    'nothing to take down after 撤稿',
  );

  // an offer in a county's inbox follows its origin
  const hnStory = (
    await hnW<{ createStory: { story: { id: string } } }>(
      `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`,
      {
        t: hn,
        i: {
          kind: 'ARTICLE',
          content: { title: '全省秋粮收购启动', body: [{ type: 'paragraph', text: '全省秋粮收购工作启动。' }] },
        },
      },
    )
  ).data!.createStory.story.id;
  await hnW(act('submitStory'), { t: hn, s: hnStory });
  for (const g of [hnR1, hnR2, hnR3]) await g(act('approveStory'), { t: hn, s: hnStory });
  t.equal(
    (await hnW<{ publishStory: { story: { status: string } } }>(act('publishStory'), { t: hn, s: hnStory })).data
      ?.publishStory.story.status,
    'PUBLISHED',
  );
  const job = await hnW<{ pushStory: { id: string } }>(
    `mutation($t: ID!, $s: ID!, $i: PushInput!) { pushStory(tenantId: $t, storyId: $s, input: $i) { id } }`,
    { t: hn, s: hnStory, i: { scope: 'LIST', tenantIds: [ry], mandatory: false } },
  );
  await withPlatform(deps.db, (trx) => fanOutChunk(trx, hn, job.data!.pushStory.id));
  const INBOX = `query($t: ID!) { inbox(tenantId: $t) { id status } }`;
  const inbox = async () => (await editor<{ inbox: { id: string; status: string }[] }>(INBOX, { t: ry })).data!.inbox;
  t.match(await inbox(), [{ status: 'PENDING' }]);
  await hnW(act('unpublishStory'), { t: hn, s: hnStory });
  const offers = await inbox();
  t.match(offers, [{ status: 'UNPUBLISHED' }], 'the inbox reports an offer whose origin was taken down');
  t.equal(
    errorCode(
      await editor(`mutation($t: ID!, $p: ID!) { acceptOffer(tenantId: $t, placementId: $p) { status } }`, {
        t: ry,
        p: offers[0]!.id,
      }),
    ),
    'INVALID_TRANSITION',
    'and refuses to accept it',
  );

  // 撤回送审: the writer takes a story back out of review
  const second = (
    await reporter<{ createStory: { story: { id: string } } }>(
      `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`,
      {
        t: ry,
        i: {
          kind: 'ARTICLE',
          content: { title: '汝阳县冬季供暖准备就绪', body: [{ type: 'paragraph', text: '冬季供暖准备就绪。' }] },
        },
      },
    )
  ).data!.createStory.story.id;
  t.equal(
    errorCode(await reporter(act('withdrawStory'), { t: ry, s: second })),
    'INVALID_TRANSITION',
    'a draft is not in review',
  );
  await reporter(act('submitStory'), { t: ry, s: second });
  t.equal(
    errorCode(await stranger(act('withdrawStory'), { t: ry, s: second })),
    'FORBIDDEN',
    'not from another tenant',
  );
  t.match(await reporter(act('withdrawStory'), { t: ry, s: second }), {
    data: { withdrawStory: { story: { status: 'DRAFT' } } },
  });
  t.match(await can(editor, second), { approve: false, withdraw: false, submit: true }, 'nothing left to sign');

  // isolation: another county neither lists nor reads these states
  t.equal(errorCode(await stranger(LIST, { t: ry, st: 'RETRACTED' })), 'FORBIDDEN', 'no listing in another tenant');
  t.equal(errorCode(await stranger(STORY, { t: ry, s: id })), 'FORBIDDEN', 'no viewerCan in another tenant');
  t.equal(errorCode(await stranger(FACE, { t: hn })), 'FORBIDDEN', "no other face's placements");
});

// Content connectivity end to end: pull up, push down (mandatory and offered), corrections and
// retractions by reference on every face, detached copies, and the isolation rules.
import t, { type Test } from 'tap';
import { createDemoDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import { build } from '@yiduan/api';
import { storyOnFace, faceFeed } from '@yiduan/core';
import { withPublic, type DB } from '@yiduan/db';
import { outboxDrainer, PASSWORD, staffWith } from './helpers.js';

// the pushes and pulls whose refusals are probed (only the id asked back)
const PUSH_ID = `mutation($t: ID!, $s: ID!, $i: PushInput!) { pushStory(tenantId: $t, storyId: $s, input: $i) { id } }`;
const PULL_ID = `mutation($t: ID!, $s: ID!) { pullStory(tenantId: $t, storyId: $s) { id } }`;

type Gql = ReturnType<typeof graphqlClient>;

async function setup(t: Test) {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const app = await build(deps);
  t.teardown(() => app.close());
  const { drain } = outboxDrainer(deps);
  const signIn = async (login: string): Promise<Gql> => {
    const r = await graphqlClient(app)<{ login: { token: string } }>(
      `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
      { l: login, p: PASSWORD },
    );
    return graphqlClient(app, { token: r.data!.login.token });
  };
  /** A newsroom desk: a writer who also publishes, and three reviewers, one per step. */
  const desk = async (slug: string) => {
    const id = tenants[slug]!.id;
    await staffWith(deps.db, `${slug}-w`, id, ['reporter', 'editor', 'chief_editor']);
    await staffWith(deps.db, `${slug}-r1`, id, ['editor', 'reviewer']);
    await staffWith(deps.db, `${slug}-r2`, id, ['reviewer']);
    await staffWith(deps.db, `${slug}-r3`, id, ['chief_editor']);
    const [w, r1, r2, r3] = [
      await signIn(`${slug}-w`),
      await signIn(`${slug}-r1`),
      await signIn(`${slug}-r2`),
      await signIn(`${slug}-r3`),
    ];
    const publish = async (title: string, text: string, sharePolicy = 'UP'): Promise<string> => {
      const c = await w<{ createStory: { story: { id: string } } }>(
        `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`,
        {
          t: id,
          i: { kind: 'ARTICLE', content: { title, body: [{ type: 'paragraph', text }] } },
        },
      );
      const s = c.data!.createStory.story.id;
      await w(
        `mutation($t: ID!, $s: ID!, $p: SharePolicy!) { setSharePolicy(tenantId: $t, storyId: $s, policy: $p) { story { id } } }`,
        { t: id, s, p: sharePolicy },
      );
      await w(`mutation($t: ID!, $s: ID!) { submitStory(tenantId: $t, id: $s) { story { id } } }`, { t: id, s });
      await r1(`mutation($t: ID!, $s: ID!) { approveStory(tenantId: $t, id: $s) { story { id } } }`, { t: id, s });
      await r2(`mutation($t: ID!, $s: ID!) { approveStory(tenantId: $t, id: $s) { story { id } } }`, { t: id, s });
      await r3(`mutation($t: ID!, $s: ID!) { approveStory(tenantId: $t, id: $s) { story { id } } }`, { t: id, s });
      const p = await w<{ publishStory: { story: { status: string } } }>(
        `mutation($t: ID!, $s: ID!) { publishStory(tenantId: $t, id: $s) { story { status } } }`,
        { t: id, s },
      );
      if (p.data?.publishStory.story.status !== 'PUBLISHED')
        throw new Error(`not published: ${JSON.stringify(p.errors)}`);
      return s;
    };
    return { id, w, publish };
  };
  const onFace = (tenantId: string, storyId: string) =>
    withPublic(deps.db, (trx) => storyOnFace(trx, tenantId, storyId));
  return { deps, tenants, app, drain, desk, onFace };
}

const feedIds = async (db: DB, tenantId: string) =>
  (await withPublic(db, (trx) => faceFeed(trx, tenantId, { limit: 100 }))).map((s) => s.storyId);

t.test('pull up, push down, correct and retract by reference, detach', async (t) => {
  const { deps, tenants, drain, desk, onFace } = await setup(t);
  const province = await desk('henan');
  const ruyang = await desk('ruyang');
  const luoyang = await desk('luoyang');
  const shangqiu = await desk('shangqiu');
  const counties = ['guancheng', 'ruyang', 'yichuan', 'zhecheng'].map((s) => tenants[s]!.id);

  // a county story pulled up to the province
  const local = await ruyang.publish('汝阳红薯丰收', '今年汝阳红薯亩产再创新高。');
  const pool = await province.w<{ pool: { storyId: string; placed: boolean; tenant: { slug: string } }[] }>(
    `query($t: ID!) { pool(tenantId: $t, filter: { placed: false }) { storyId placed tenant { slug } } }`,
    { t: province.id },
  );
  t.ok(
    pool.data!.pool.some((p) => p.storyId === local && p.tenant.slug === 'ruyang'),
    'the county story is in the province’s pool',
  );
  const pulled = await province.w<{ pullStory: { mode: string; status: string } }>(
    `mutation($t: ID!, $s: ID!) { pullStory(tenantId: $t, storyId: $s, localTitle: "汝阳：红薯丰收季") { mode status } }`,
    { t: province.id, s: local },
  );
  t.equal(pulled.errors, undefined, JSON.stringify(pulled.errors));
  t.same(pulled.data!.pullStory, { mode: 'PULLED', status: 'ACTIVE' });
  const onProvince = await onFace(province.id, local);
  t.equal(onProvince.state, 'live');
  if (onProvince.state === 'live') {
    t.equal(onProvince.story.title, '汝阳：红薯丰收季', 'the face’s own headline');
    t.equal(onProvince.story.origin.name, '汝阳县', '来源 names the origin');
  }

  // a provincial story pushed mandatory to every county, offered to the cities
  const policy = await province.publish('全省秋粮收购工作部署', '全省秋粮收购工作全面展开。', 'DOWN');
  const PUSH = `mutation($t: ID!, $s: ID!, $i: PushInput!) { pushStory(tenantId: $t, storyId: $s, input: $i) { id total done status } }`;
  const mandatory = await province.w<{ pushStory: { id: string; total: number } }>(PUSH, {
    t: province.id,
    s: policy,
    i: { scope: 'LEVEL', level: 'COUNTY', mandatory: true, sectionSlug: 'zhengwu' },
  });
  t.equal(mandatory.data!.pushStory.total, 4);
  const offered = await province.w<{ pushStory: { id: string; total: number } }>(PUSH, {
    t: province.id,
    s: policy,
    i: { scope: 'LEVEL', level: 'CITY', mandatory: false },
  });
  t.equal(offered.data!.pushStory.total, 3);
  await drain();
  const job = await province.w<{ syndicationJob: { done: number; status: string } }>(
    `query($t: ID!, $j: ID!) { syndicationJob(tenantId: $t, id: $j) { done status } }`,
    { t: province.id, j: mandatory.data!.pushStory.id },
  );
  t.same(job.data!.syndicationJob, { done: 4, status: 'finished' }, 'progress is visible on the job');
  for (const c of counties) t.ok((await feedIds(deps.db, c)).includes(policy), 'on every county face at once');
  t.notOk(
    (await feedIds(deps.db, tenants.luoyang!.id)).includes(policy),
    'an offer waits in the city inbox, not on the face',
  );

  const inbox = async (g: Gql, id: string) =>
    (
      await g<{ inbox: { id: string; story: { id: string; title: string } }[] }>(
        `query($t: ID!) { inbox(tenantId: $t) { id story { id title } } }`,
        { t: id },
      )
    ).data!.inbox;
  const lyInbox = await inbox(luoyang.w, luoyang.id);
  t.equal(lyInbox[0]?.story.title, '全省秋粮收购工作部署');
  const accepted = await luoyang.w(
    `mutation($t: ID!, $p: ID!) { acceptOffer(tenantId: $t, placementId: $p) { status } }`,
    { t: luoyang.id, p: lyInbox[0]!.id },
  );
  t.same(accepted.data, { acceptOffer: { status: 'ACTIVE' } }, 'one city accepts');
  const sqInbox = await inbox(shangqiu.w, shangqiu.id);
  t.equal(
    errorCode(
      await shangqiu.w(
        `mutation($t: ID!, $p: ID!) { declineOffer(tenantId: $t, placementId: $p, reason: "") { status } }`,
        { t: shangqiu.id, p: sqInbox[0]!.id },
      ),
    ),
    'REASON_REQUIRED',
  );
  const declined = await shangqiu.w(
    `mutation($t: ID!, $p: ID!) { declineOffer(tenantId: $t, placementId: $p, reason: "本地已有同题报道") { status declineReason } }`,
    { t: shangqiu.id, p: sqInbox[0]!.id },
  );
  t.same(
    declined.data,
    { declineOffer: { status: 'DECLINED', declineReason: '本地已有同题报道' } },
    'another declines with a reason',
  );
  t.ok((await feedIds(deps.db, luoyang.id)).includes(policy));
  t.notOk((await feedIds(deps.db, shangqiu.id)).includes(policy));

  // the recipient cannot take a mandatory push down; only its origin can withdraw it
  const ryPlacement = await deps.tdb.owner
    .selectFrom('placements')
    .select('id')
    .where('tenant_id', '=', ruyang.id)
    .where('story_id', '=', policy)
    .executeTakeFirstOrThrow();
  t.equal(
    errorCode(
      await ruyang.w(`mutation($t: ID!, $p: ID!) { removePlacement(tenantId: $t, placementId: $p) { status } }`, {
        t: ruyang.id,
        p: ryPlacement.id,
      }),
    ),
    'MANDATORY_PLACEMENT',
  );

  // where is my story
  const where = await province.w<{
    story: { placements: { mode: string; status: string; tenant: { slug: string } }[] };
  }>(`query($t: ID!, $s: ID!) { story(tenantId: $t, id: $s) { placements { mode status tenant { slug } } } }`, {
    t: province.id,
    s: policy,
  });
  const modes = where.data!.story.placements.map((p) => `${p.tenant.slug}:${p.mode}:${p.status}`).sort();
  t.same(modes, [
    'guancheng:PUSHED:ACTIVE',
    'henan:OWN:ACTIVE',
    'luoyang:OFFERED:ACTIVE',
    'ruyang:PUSHED:ACTIVE',
    'shangqiu:OFFERED:DECLINED',
    'yichuan:PUSHED:ACTIVE',
    'zhecheng:PUSHED:ACTIVE',
    'zhengzhou:OFFERED:PENDING',
  ]);

  // the province detaches the story it pulled into its own copy
  const provPlacement = await deps.tdb.owner
    .selectFrom('placements')
    .select('id')
    .where('tenant_id', '=', province.id)
    .where('story_id', '=', local)
    .executeTakeFirstOrThrow();
  const detached = await province.w<{ detachPlacement: { story: { id: string } } }>(
    `mutation($t: ID!, $p: ID!) { detachPlacement(tenantId: $t, placementId: $p) { story { id } } }`,
    { t: province.id, p: provPlacement.id },
  );
  const copyId = detached.data!.detachPlacement.story.id;

  // the origin corrects: every face shows the correction
  await province.w(
    `mutation($t: ID!, $s: ID!) { correctStory(tenantId: $t, id: $s, note: "原稿中收购起始日期有误，已更正为10月8日。") { story { id } } }`,
    { t: province.id, s: policy },
  );
  await drain();
  for (const face of [province.id, ...counties, luoyang.id]) {
    const v = await onFace(face, policy);
    t.ok(
      v.state === 'live' && v.story.corrections.some((c) => c.note.includes('10月8日')),
      'the correction shows on every face',
    );
  }

  // the origins retract: every face answers 410, inboxes empty, the detached copy survives
  await province.w(
    `mutation($t: ID!, $s: ID!) { retractStory(tenantId: $t, id: $s, reason: "政策调整，稿件撤回") { story { id } } }`,
    { t: province.id, s: policy },
  );
  await ruyang.w(
    `mutation($t: ID!, $s: ID!) { retractStory(tenantId: $t, id: $s, reason: "数据待核实") { story { id } } }`,
    { t: ruyang.id, s: local },
  );
  await drain();
  for (const face of [province.id, ...counties, luoyang.id]) {
    const v = await onFace(face, policy);
    t.equal(v.state, 'retracted', 'retracted on every face that carried it (410)');
    t.notOk((await feedIds(deps.db, face)).includes(policy), 'and gone from its feed');
  }
  t.same(await inbox(luoyang.w, luoyang.id), [], 'the accepting city’s inbox is empty');
  const after = await province.w<{
    story: { status: string; placements: { mode: string; status: string; tenant: { slug: string } }[] };
  }>(`query($t: ID!, $s: ID!) { story(tenantId: $t, id: $s) { status placements { mode status tenant { slug } } } }`, {
    t: province.id,
    s: policy,
  });
  t.equal(after.data!.story.status, 'RETRACTED', 'the API says RETRACTED, not PUBLISHED');
  t.same(
    after.data!.story.placements.map((p) => `${p.tenant.slug}:${p.mode}:${p.status}`).sort(),
    [
      'guancheng:PUSHED:RETRACTED',
      'henan:OWN:RETRACTED',
      'luoyang:OFFERED:RETRACTED',
      'ruyang:PUSHED:RETRACTED',
      'shangqiu:OFFERED:DECLINED',
      'yichuan:PUSHED:RETRACTED',
      'zhecheng:PUSHED:RETRACTED',
      'zhengzhou:OFFERED:REMOVED',
    ],
    '稿件去向 after 撤稿: every face that carried it reports RETRACTED; the declined offer stays declined, the open one was removed',
  );
  // 本门户转载 of a face that carried it: still names the story, so its editors see what left their face
  const carried = await luoyang.w<{ facePlacements: { status: string; story: { id: string; title: string } }[] }>(
    `query($t: ID!) { facePlacements(tenantId: $t) { status story { id title } } }`,
    { t: luoyang.id },
  );
  const carriedRow = carried.data!.facePlacements.find((p) => p.story.id === policy);
  t.equal(carriedRow?.status, 'RETRACTED', '本门户转载 after 撤稿: RETRACTED');
  t.equal(carriedRow?.story.title, '全省秋粮收购工作部署', 'and it still shows which story it was');
  const pendingLeft = await deps.tdb.owner
    .selectFrom('placements')
    .select('status')
    .where('story_id', '=', policy)
    .where('status', '=', 'pending')
    .execute();
  t.same(pendingLeft, [], 'the inboxes are empty');
  t.equal((await onFace(ruyang.id, local)).state, 'retracted', 'the original answers 410 on its own face');
  t.not((await onFace(province.id, local)).state, 'live', 'the province no longer carries the original');
  const copy = await onFace(province.id, copyId);
  t.equal(copy.state, 'live', 'the detached copy survives the retraction');
  if (copy.state === 'live') t.equal(copy.story.copiedFrom?.name, '汝阳县', 'and still names its origin');
});

t.test('isolation of syndication', async (t) => {
  const { tenants, desk } = await setup(t);
  const ruyang = await desk('ruyang');
  const yichuan = await desk('yichuan');
  const zhengzhou = await desk('zhengzhou');
  const upOnly = await ruyang.publish('只向上共享', '仅供上级采用。', 'UP');
  t.equal(
    errorCode(
      await yichuan.w(PULL_ID, {
        t: yichuan.id,
        s: upOnly,
      }),
    ),
    'SHARE_NOT_ALLOWED',
    'a sibling cannot pull a story shared only upward',
  );
  const tree = await ruyang.publish('全树共享', '全省可用。', 'TREE');
  t.equal(
    errorCode(
      await ruyang.w(PUSH_ID, {
        t: ruyang.id,
        s: tree,
        i: { scope: 'LIST', tenantIds: [yichuan.id], mandatory: true },
      }),
    ),
    'TARGET_NOT_DESCENDANT',
    'a county cannot place on a sibling’s face',
  );
  const cityStory = await zhengzhou.publish('郑州新闻', '郑州市新闻。', 'DOWN');
  t.equal(
    errorCode(
      await zhengzhou.w(PUSH_ID, {
        t: zhengzhou.id,
        s: cityStory,
        i: { scope: 'LIST', tenantIds: [tenants.ruyang!.id], mandatory: true },
      }),
    ),
    'TARGET_NOT_DESCENDANT',
    'a city cannot push to another city’s counties',
  );
  t.equal(
    errorCode(
      await yichuan.w(PULL_ID, {
        t: ruyang.id,
        s: tree,
      }),
    ),
    'FORBIDDEN',
    'nobody acts in a tenant where they have no role',
  );
  t.equal(
    errorCode(await yichuan.w(`query($t: ID!) { inbox(tenantId: $t) { id } }`, { t: ruyang.id })),
    'FORBIDDEN',
    "nor reads another tenant's inbox",
  );
});

import t from 'tap';
import { createSession } from '@yiduan/core';
import { withPlatform, type Staff } from '@yiduan/db';
import { createTestDeps, errorCode, graphqlClient, seedDemo } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { staffWith } from './staff.js';

// Issue #20: a campaign shared by level or by list over GraphQL (validation with extensions.code,
// nothing written; who sees it; coverages outside the share refused) and the credit query's
// isolation.

const CAMPAIGN_FIELDS = 'id title reach reachLevel shareTenants { slug } tenant { slug }';
const CREATE_CAMPAIGN = `mutation($t: ID!, $i: CampaignInput!) { createCampaign(tenantId: $t, input: $i) { ${CAMPAIGN_FIELDS} } }`;
const UPDATE_CAMPAIGN = `mutation($t: ID!, $id: ID!, $i: CampaignPatch!) { updateCampaign(tenantId: $t, id: $id, input: $i) { ${CAMPAIGN_FIELDS} } }`;
const CAMPAIGNS = `query($t: ID!) { campaigns(tenantId: $t) { ${CAMPAIGN_FIELDS} } }`;
const CREATE_TOPIC = 'mutation($t: ID!, $i: TopicInput!) { createTopic(tenantId: $t, input: $i) { id } }';
const ASSIGN =
  'mutation($t: ID!, $id: ID!, $i: AssignInput!) { assignTopic(tenantId: $t, topicId: $id, input: $i) { id assigneeTenant { slug } } }';
const CREDIT =
  'query($t: ID!, $topic: ID, $c: ID) { planningCredit(tenantId: $t, topicId: $topic, campaignId: $c) { delivered placements views stories { storyId tenant { slug } } } }';

const CREATE_STORY = `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`;
const LINK =
  'mutation($t: ID!, $s: ID!, $a: ID!) { linkStoryToCoverage(tenantId: $t, storyId: $s, assignmentId: $a) { id storyId state } }';
const OF_STORY =
  'query($t: ID!, $s: ID!) { storyCoverages(tenantId: $t, storyId: $s) { id title task tenant { slug } } }';
const REASSIGN =
  'mutation($t: ID!, $id: ID!, $to: AssigneeInput!) { reassignCoverage(tenantId: $t, id: $id, assignee: $to) { id assigneeTenant { slug } state viewerCan { reassign } } }';

type Campaign = {
  id: string;
  title: string;
  reach: string;
  reachLevel: string | null;
  shareTenants: { slug: string }[];
  tenant: { slug: string };
};

t.test('campaign sharing by level and list, and the credit query, over GraphQL', async (t) => {
  const deps = await createTestDeps(t);
  const { tenants } = await seedDemo(deps.db, { withContent: false });
  const id = (s: string) => tenants[s]!.id;
  const app = await build(deps);
  t.teardown(() => app.close());
  const token = async (s: Staff) => (await withPlatform(deps.db, (trx) => createSession(trx, s.id))).token;
  const as = async (login: string, slug: string, roles: Parameters<typeof staffWith>[3]) =>
    graphqlClient(app, { token: await token(await staffWith(deps.db, login, id(slug), roles)) });
  const hnChief = await as('hn-chief', 'henan', ['chief_editor', 'editor']);
  const ryEditor = await as('ry-editor', 'ruyang', ['editor']);
  const ycEditor = await as('yc-editor', 'yichuan', ['editor']);
  const lyEditor = await as('ly-editor', 'luoyang', ['editor']);

  const titles = async (gql: typeof hnChief, slug: string) =>
    ((await gql<{ campaigns: Campaign[] }>(CAMPAIGNS, { t: id(slug) })).data?.campaigns ?? []).map((c) => c.title);
  const before = await titles(hnChief, 'henan');

  // a listed tenant that is no descendant: a clear error, nothing written
  const bad = await hnChief<{ createCampaign: Campaign }>(CREATE_CAMPAIGN, {
    t: id('henan'),
    i: { title: '错误共享', reach: 'LIST', shareTenantIds: [id('ruyang'), id('henan')] },
  });
  t.equal(errorCode(bad), 'BAD_USER_INPUT', 'extensions.code');
  t.match(bad.errors?.[0]?.message, /共享范围/, 'a Chinese message naming the share');
  t.same(await titles(hnChief, 'henan'), before, 'nothing written');
  t.equal(
    errorCode(
      await hnChief(CREATE_CAMPAIGN, {
        t: id('henan'),
        i: { title: '错误层级', reach: 'LEVEL', reachLevel: 'PROVINCE' },
      }),
    ),
    'BAD_USER_INPUT',
    'a province is no level to share with',
  );

  const list = await hnChief<{ createCampaign: Campaign }>(CREATE_CAMPAIGN, {
    t: id('henan'),
    i: { title: '名单专题', reach: 'LIST', shareTenantIds: [id('ruyang')] },
  });
  t.match(list.data?.createCampaign, { reach: 'LIST', reachLevel: null, shareTenants: [{ slug: 'ruyang' }] });
  const level = await hnChief<{ createCampaign: Campaign }>(CREATE_CAMPAIGN, {
    t: id('henan'),
    i: { title: '县级专题', reach: 'LEVEL', reachLevel: 'COUNTY' },
  });
  t.match(level.data?.createCampaign, { reach: 'LEVEL', reachLevel: 'COUNTY', shareTenants: [] });

  t.ok((await titles(ryEditor, 'ruyang')).includes('名单专题'), 'the listed county sees the list campaign');
  t.notOk((await titles(ycEditor, 'yichuan')).includes('名单专题'), 'a county off the list does not');
  t.ok((await titles(ycEditor, 'yichuan')).includes('县级专题'), 'every county sees the level campaign');
  t.notOk((await titles(lyEditor, 'luoyang')).includes('县级专题'), 'a city does not');

  // coverages: outside the share refused with its code, nothing written; inside accepted
  const topic = await hnChief<{ createTopic: { id: string } }>(CREATE_TOPIC, {
    t: id('henan'),
    i: { title: '名单选题', campaignId: list.data!.createCampaign.id },
  });
  const topicId = topic.data!.createTopic.id;
  const outside = await hnChief(ASSIGN, {
    t: id('henan'),
    id: topicId,
    i: { assignees: [{ tenantId: id('ruyang') }, { tenantId: id('yichuan') }], task: 'WRITE' },
  });
  t.equal(errorCode(outside), 'BAD_USER_INPUT', 'a county off the list takes no coverage');
  const inside = await hnChief<{ assignTopic: { id: string; assigneeTenant: { slug: string } }[] }>(ASSIGN, {
    t: id('henan'),
    id: topicId,
    i: { assignees: [{ tenantId: id('ruyang') }], task: 'WRITE' },
  });
  t.same(
    inside.data?.assignTopic.map((a) => a.assigneeTenant.slug),
    ['ruyang'],
    'the listed county does (the refused call wrote nothing: no duplicate)',
  );

  // editing the list in place
  const edited = await hnChief<{ updateCampaign: Campaign }>(UPDATE_CAMPAIGN, {
    t: id('henan'),
    id: list.data!.createCampaign.id,
    i: { shareTenantIds: [id('ruyang'), id('yichuan')] },
  });
  t.same(edited.data?.updateCampaign.shareTenants.map((x) => x.slug).sort(), ['ruyang', 'yichuan']);
  t.ok((await titles(ycEditor, 'yichuan')).includes('名单专题'), 'added to the list: 伊川 sees it now');

  // 改派 and 关联任务 over GraphQL: the rules and their codes
  const coverageId = inside.data?.assignTopic[0]?.id;
  t.ok(coverageId);
  t.equal(
    errorCode(await ryEditor(REASSIGN, { t: id('ruyang'), id: coverageId, to: { tenantId: id('yichuan') } })),
    'NOT_FOUND',
    'the assignee desk does not re-assign',
  );
  t.equal(
    errorCode(await hnChief(REASSIGN, { t: id('henan'), id: coverageId, to: { tenantId: id('zhecheng') } })),
    'BAD_USER_INPUT',
    'not to a county off the list',
  );
  const ycDraft = await ycEditor<{ createStory: { story: { id: string } } }>(CREATE_STORY, {
    t: id('yichuan'),
    i: { kind: 'ARTICLE', content: { title: '伊川稿件', body: [] } },
  });
  t.equal(
    errorCode(await ycEditor(LINK, { t: id('yichuan'), s: ycDraft.data!.createStory.story.id, a: coverageId })),
    'NOT_FOUND',
    'a county off the coverage cannot link to it',
  );
  const moved = await hnChief<{ reassignCoverage: { assigneeTenant: { slug: string }; state: string } }>(REASSIGN, {
    t: id('henan'),
    id: coverageId,
    to: { tenantId: id('yichuan') },
  });
  t.match(
    moved.data?.reassignCoverage,
    { assigneeTenant: { slug: 'yichuan' }, state: 'ASSIGNED' },
    '改派 to a listed county',
  );
  const linked = await ycEditor<{ linkStoryToCoverage: { storyId: string; state: string } }>(LINK, {
    t: id('yichuan'),
    s: ycDraft.data!.createStory.story.id,
    a: coverageId,
  });
  t.match(linked.data?.linkStoryToCoverage, { storyId: ycDraft.data!.createStory.story.id, state: 'IN_PROGRESS' });
  t.match(
    (
      await ycEditor<{ storyCoverages: unknown[] }>(OF_STORY, {
        t: id('yichuan'),
        s: ycDraft.data!.createStory.story.id,
      })
    ).data?.storyCoverages,
    [{ id: coverageId, title: '名单选题', task: 'WRITE', tenant: { slug: 'henan' } }],
    'the story editor reads the coverage it fulfils',
  );
  t.same(
    (
      await ryEditor<{ storyCoverages: unknown[] }>(OF_STORY, {
        t: id('ruyang'),
        s: ycDraft.data!.createStory.story.id,
      })
    ).data?.storyCoverages,
    [],
    'another county reads nothing of it',
  );
  const again = await ycEditor<{ createStory: { story: { id: string } } }>(CREATE_STORY, {
    t: id('yichuan'),
    i: { kind: 'ARTICLE', content: { title: '第二篇', body: [] } },
  });
  t.equal(
    errorCode(await ycEditor(LINK, { t: id('yichuan'), s: again.data!.createStory.story.id, a: coverageId })),
    'INVALID_TRANSITION',
    'a second delivery for one coverage',
  );
  t.equal(
    errorCode(await hnChief(REASSIGN, { t: id('henan'), id: coverageId, to: { tenantId: id('ruyang') } })),
    'INVALID_TRANSITION',
    'content linked: the desk stays',
  );

  // the credit query: the owner reads it, another tenant cannot read the topic's
  const credit = await hnChief<{ planningCredit: { delivered: number } }>(CREDIT, { t: id('henan'), topic: topicId });
  t.same(credit.data?.planningCredit, { delivered: 0, placements: 0, views: 0, stories: [] });
  t.equal(
    errorCode(await ycEditor(CREDIT, { t: id('yichuan'), topic: topicId })),
    'NOT_FOUND',
    'another tenant: not found',
  );
  t.equal(
    errorCode(await ycEditor(CREDIT, { t: id('henan'), topic: topicId })),
    'FORBIDDEN',
    'nor in the province’s name',
  );
});

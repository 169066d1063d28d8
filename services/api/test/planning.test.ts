import t from 'tap';
import { createSession } from '@yiduan/core';
import { withPlatform, type Staff } from '@yiduan/db';
import { createTestDeps, errorCode, graphqlClient, seedDemo } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { staffWith } from './staff.js';

const ACTIONS = 'viewerCan { edit decide assign pitch complete drop withdraw }';
const ASSIGNMENT = `id title task status progress overdue assigneeName assigneeStaffId assigneeTenant { slug } tenant { slug } storyId storyTitle storyState localTopicId declineReason
  viewerCan { accept decline file cancel }`;
const PITCH =
  'id status note topicTitle tenant { slug } toTenant { slug } campaignTitle decisionNote viewerCan { withdraw decide }';
const TOPIC = `id title status origin campaignTitle proposedByName decisionNote tenant { slug } upstreamTenant { slug } assignmentCount publishedCount ${ACTIONS}
  assignments { ${ASSIGNMENT} } pitches { ${PITCH} }`;
const CAPS = 'query($t: ID!) { planningCapabilities(tenantId: $t) { read propose plan campaigns } }';
const CREATE_CAMPAIGN =
  'mutation($t: ID!, $i: CampaignInput!) { createCampaign(tenantId: $t, input: $i) { id title reach status tenant { slug } topicCount } }';
const CAMPAIGNS = 'query($t: ID!) { campaigns(tenantId: $t) { id title tenant { slug } } }';
const PROPOSE = `mutation($t: ID!, $i: TopicInput!) { proposeTopic(tenantId: $t, input: $i) { ${TOPIC} } }`;
const CREATE = `mutation($t: ID!, $i: TopicInput!) { createTopic(tenantId: $t, input: $i) { ${TOPIC} } }`;
const DECIDE = `mutation($t: ID!, $id: ID!, $ok: Boolean!, $note: String) { decideTopic(tenantId: $t, id: $id, approve: $ok, note: $note) { ${TOPIC} } }`;
const TOPICS = `query($t: ID!, $f: TopicFilter) { topics(tenantId: $t, filter: $f) { total items { ${TOPIC} } } }`;
const ONE = `query($t: ID!, $id: ID!) { topic(tenantId: $t, id: $id) { ${TOPIC} } }`;
const ASSIGN = `mutation($t: ID!, $id: ID!, $i: AssignInput!) { assignTopic(tenantId: $t, topicId: $id, input: $i) { ${ASSIGNMENT} } }`;
const ANSWER = `mutation($t: ID!, $id: ID!, $ok: Boolean!, $r: String) { answerAssignment(tenantId: $t, id: $id, accept: $ok, reason: $r) { ${ASSIGNMENT} } }`;
const DRAFT = `mutation($t: ID!, $id: ID!) { draftAssignmentStory(tenantId: $t, id: $id) { ${ASSIGNMENT} } }`;
const FILE = `mutation($t: ID!, $id: ID!, $s: ID!) { fileAssignment(tenantId: $t, id: $id, storyId: $s) { ${ASSIGNMENT} } }`;
const MINE = `query($t: ID!) { myAssignments(tenantId: $t, open: true) { ${ASSIGNMENT} } }`;
const INCOMING = `query($t: ID!) { incomingAssignments(tenantId: $t) { ${ASSIGNMENT} } }`;
const PITCH_UP = `mutation($t: ID!, $i: PitchInput!) { pitchTopic(tenantId: $t, input: $i) { ${PITCH} } }`;
const PITCHES = `query($t: ID!) { incomingPitches(tenantId: $t, status: PENDING) { ${PITCH} } }`;
const DECIDE_PITCH = `mutation($t: ID!, $id: ID!, $ok: Boolean!, $note: String) { decidePitch(tenantId: $t, id: $id, accept: $ok, note: $note) { ${PITCH} } }`;
const COUNTS =
  'query($t: ID!) { planningCounts(tenantId: $t) { proposed planned overdue mine incomingAssignments incomingPitches } }';
const PEOPLE = 'query($t: ID!) { planningPeople(tenantId: $t) { id name roles openAssignments } }';

type Actions = Record<string, boolean>;
type Assignment = {
  id: string;
  status: string;
  progress: string;
  overdue: boolean;
  assigneeName: string;
  assigneeTenant: { slug: string };
  storyId: string | null;
  storyTitle: string | null;
  storyState: string | null;
  localTopicId: string | null;
  viewerCan: Actions;
};
type Pitch = {
  id: string;
  status: string;
  topicTitle: string;
  tenant: { slug: string };
  campaignTitle: string | null;
  viewerCan: Actions;
};
type Topic = {
  id: string;
  title: string;
  status: string;
  origin: string;
  campaignTitle: string | null;
  tenant: { slug: string };
  upstreamTenant: { slug: string } | null;
  assignmentCount: number;
  publishedCount: number;
  viewerCan: Actions;
  assignments: Assignment[];
  pitches: Pitch[];
};

t.test('the planning desk over GraphQL: roles, the flows, what each viewer may do, isolation', async (t) => {
  const deps = await createTestDeps(t);
  const { tenants } = await seedDemo(deps.db, { withContent: false });
  const id = (s: string) => tenants[s]!.id;
  const app = await build(deps);
  t.teardown(() => app.close());
  const token = async (s: Staff) => (await withPlatform(deps.db, (trx) => createSession(trx, s.id))).token;
  const staff: Record<string, Staff> = {};
  const as = async (login: string, slug: string, roles: Parameters<typeof staffWith>[3]) => {
    staff[login] = await staffWith(deps.db, login, id(slug), roles);
    return graphqlClient(app, { token: await token(staff[login]!) });
  };
  const ryReporter = await as('ry-reporter', 'ruyang', ['reporter']);
  const ryEditor = await as('ry-editor', 'ruyang', ['editor']);
  const ryAdmin = await as('ry-admin', 'ruyang', ['tenant_admin']);
  const ycEditor = await as('yc-editor', 'yichuan', ['editor']);
  const hnChief = await as('hn-chief', 'henan', ['chief_editor']);
  const hnEditor = await as('hn-editor', 'henan', ['editor']);
  const anonymous = graphqlClient(app);

  // capabilities: what the console offers
  const caps = async (gql: typeof ryReporter, slug: string) =>
    (await gql<{ planningCapabilities: Actions }>(CAPS, { t: id(slug) })).data?.planningCapabilities;
  t.same(await caps(ryReporter, 'ruyang'), { read: true, propose: true, plan: false, campaigns: false });
  t.same(await caps(ryEditor, 'ruyang'), { read: true, propose: true, plan: true, campaigns: false });
  t.same(
    await caps(ryAdmin, 'ruyang'),
    { read: true, propose: false, plan: false, campaigns: false },
    'an administrator reads the desk',
  );
  t.same(await caps(hnChief, 'henan'), { read: true, propose: true, plan: true, campaigns: true });
  t.same(
    await caps(ycEditor, 'ruyang'),
    { read: false, propose: false, plan: false, campaigns: false },
    'no role there: all false, not an error',
  );
  t.equal(errorCode(await anonymous(CAPS, { t: id('ruyang') })), 'UNAUTHENTICATED');

  const wheat = await hnChief<{ createCampaign: { id: string; reach: string } }>(CREATE_CAMPAIGN, {
    t: id('henan'),
    i: { title: '三夏生产报道', brief: '全省麦收', startsOn: '2026-05-25', endsOn: '2026-06-30' },
  });
  t.match(wheat.data?.createCampaign, { reach: 'SUBTREE', status: 'OPEN', tenant: { slug: 'henan' }, topicCount: 0 });
  t.equal(errorCode(await hnEditor(CREATE_CAMPAIGN, { t: id('henan'), i: { title: 'x' } })), 'FORBIDDEN');
  t.equal(
    errorCode(await hnChief(CREATE_CAMPAIGN, { t: id('henan'), i: { title: 'x', startsOn: '2026-02-30' } })),
    'BAD_USER_INPUT',
    'an impossible day',
  );
  const wheatId = wheat.data!.createCampaign.id;
  t.same(
    (await ryEditor<{ campaigns: { title: string }[] }>(CAMPAIGNS, { t: id('ruyang') })).data?.campaigns.map(
      (c) => c.title,
    ),
    ['三夏生产报道'],
    'the county sees the province’s campaign',
  );

  // 报题 → 立项
  const proposed = await ryReporter<{ proposeTopic: Topic }>(PROPOSE, {
    t: id('ruyang'),
    i: {
      title: '小麦机收过半',
      brief: '跟拍农机手',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      campaignId: wheatId,
    },
  });
  t.equal(proposed.errors, undefined);
  t.match(proposed.data?.proposeTopic, {
    status: 'PROPOSED',
    origin: 'PROPOSAL',
    proposedByName: 'ry-reporter',
    campaignTitle: '三夏生产报道',
    viewerCan: { edit: true, decide: false, withdraw: true, assign: false },
  });
  const topicId = proposed.data!.proposeTopic.id;
  t.match(
    (await ryEditor<{ topic: Topic }>(ONE, { t: id('ruyang'), id: topicId })).data?.topic.viewerCan,
    { edit: true, decide: true, withdraw: false },
    'the desk decides',
  );
  t.equal(errorCode(await ryReporter(DECIDE, { t: id('ruyang'), id: topicId, ok: true })), 'FORBIDDEN');
  t.equal(
    errorCode(await ryEditor(DECIDE, { t: id('ruyang'), id: topicId, ok: false })),
    'BAD_USER_INPUT',
    'declining without a reason',
  );
  t.match(
    (await ryEditor<{ decideTopic: Topic }>(DECIDE, { t: id('ruyang'), id: topicId, ok: true, note: '同意' })).data
      ?.decideTopic,
    { status: 'PLANNED', decisionNote: '同意', viewerCan: { assign: true, pitch: true, decide: false } },
  );
  t.equal(errorCode(await ryEditor(CREATE, { t: id('ruyang'), i: { title: ' ' } })), 'BAD_USER_INPUT', 'a blank title');
  t.equal(
    errorCode(await ryEditor(CREATE, { t: id('ruyang'), i: { title: 'x', dueAt: 'yesterday' } })),
    'BAD_USER_INPUT',
    'a time that is not one',
  );
  t.equal(errorCode(await ryEditor(ONE, { t: id('ruyang'), id: 'not-a-uuid' })), 'NOT_FOUND');

  // 派单 to people and desks
  const people = await ryEditor<{ planningPeople: { id: string; name: string; roles: string[] }[] }>(PEOPLE, {
    t: id('ruyang'),
  });
  t.same(
    people.data?.planningPeople.map((p) => [p.name, p.roles]),
    [
      ['ry-admin', ['TENANT_ADMIN']],
      ['ry-editor', ['EDITOR']],
      ['ry-reporter', ['REPORTER']],
    ],
  );
  t.equal(errorCode(await ryReporter(PEOPLE, { t: id('ruyang') })), 'FORBIDDEN', 'the desk’s list');
  const both = await ryEditor(ASSIGN, {
    t: id('ruyang'),
    id: topicId,
    i: { assignees: [{ staffId: staff['ry-reporter']!.id, tenantId: id('ruyang') }], task: 'WRITE' },
  });
  t.equal(errorCode(both), 'BAD_USER_INPUT', 'a person or a tenant, not both');
  const assigned = await ryEditor<{ assignTopic: Assignment[] }>(ASSIGN, {
    t: id('ruyang'),
    id: topicId,
    i: { assignees: [{ staffId: staff['ry-reporter']!.id }], task: 'WRITE', instructions: '附图三张' },
  });
  t.match(
    assigned.data?.assignTopic,
    [
      {
        status: 'ASSIGNED',
        progress: 'PENDING',
        assigneeName: 'ry-reporter',
        viewerCan: { accept: false, cancel: true },
      },
    ],
    'the desk cancels but does not answer for the reporter',
  );
  const mine = await ryReporter<{ myAssignments: Assignment[] }>(MINE, { t: id('ruyang') });
  t.match(mine.data?.myAssignments, [{ viewerCan: { accept: true, decline: true, file: true, cancel: false } }]);
  const drafted = await ryReporter<{ draftAssignmentStory: Assignment }>(DRAFT, {
    t: id('ruyang'),
    id: mine.data!.myAssignments[0]!.id,
  });
  t.match(
    drafted.data?.draftAssignmentStory,
    { status: 'ACCEPTED', progress: 'FILED', storyTitle: '小麦机收过半', storyState: 'DRAFT' },
    '写稿 accepts and files a draft',
  );
  const storyId = drafted.data!.draftAssignmentStory.storyId!;
  const story = await ryReporter<{ story: { currentRevision: { title: string } } }>(
    'query($t: ID!, $id: ID!) { story(tenantId: $t, id: $id) { currentRevision { title } } }',
    { t: id('ruyang'), id: storyId },
  );
  t.equal(story.data?.story.currentRevision.title, '小麦机收过半', 'the draft is a real story of the newsroom');

  const hnTopic = await hnEditor<{ createTopic: Topic }>(CREATE, {
    t: id('henan'),
    i: { title: '夏粮收购价格调查', campaignId: wheatId },
  });
  const hnTopicId = hnTopic.data!.createTopic.id;
  const down = await hnEditor<{ assignTopic: Assignment[] }>(ASSIGN, {
    t: id('henan'),
    id: hnTopicId,
    i: { assignees: [{ tenantId: id('ruyang') }, { tenantId: id('yichuan') }], task: 'WRITE' },
  });
  t.same(
    down.data?.assignTopic.map((a) => a.assigneeTenant.slug),
    ['ruyang', 'yichuan'],
  );
  t.equal(
    errorCode(
      await ryEditor(ASSIGN, {
        t: id('ruyang'),
        id: topicId,
        i: { assignees: [{ tenantId: id('henan') }], task: 'WRITE' },
      }),
    ),
    'BAD_USER_INPUT',
    'not up the tree',
  );
  const incoming = await ryEditor<{ incomingAssignments: Assignment[] }>(INCOMING, { t: id('ruyang') });
  t.match(incoming.data?.incomingAssignments, [
    { assigneeName: '汝阳县', tenant: { slug: 'henan' }, viewerCan: { accept: true, decline: true, cancel: false } },
  ]);
  t.match(
    (await ryReporter<{ incomingAssignments: Assignment[] }>(INCOMING, { t: id('ruyang') })).data?.incomingAssignments,
    [{ viewerCan: { accept: false } }],
    'a reporter reads the desk’s inbox, does not answer it',
  );
  const accepted = await ryEditor<{ answerAssignment: Assignment }>(ANSWER, {
    t: id('ruyang'),
    id: incoming.data!.incomingAssignments[0]!.id,
    ok: true,
  });
  t.ok(accepted.data?.answerAssignment.localTopicId, 'accepted: a local topic');
  const local = await ryEditor<{ topic: Topic }>(ONE, {
    t: id('ruyang'),
    id: accepted.data!.answerAssignment.localTopicId,
  });
  t.match(local.data?.topic, {
    origin: 'ASSIGNMENT',
    upstreamTenant: { slug: 'henan' },
    status: 'PLANNED',
    viewerCan: { assign: true },
  });
  const ycIncoming = await ycEditor<{ incomingAssignments: Assignment[] }>(INCOMING, { t: id('yichuan') });
  t.equal(
    errorCode(await ycEditor(ANSWER, { t: id('yichuan'), id: ycIncoming.data!.incomingAssignments[0]!.id, ok: false })),
    'BAD_USER_INPUT',
    'declining without a reason',
  );
  t.match(
    (
      await ycEditor<{ answerAssignment: Assignment }>(ANSWER, {
        t: id('yichuan'),
        id: ycIncoming.data!.incomingAssignments[0]!.id,
        ok: false,
        r: '人手不足',
      })
    ).data?.answerAssignment,
    { status: 'DECLINED', progress: 'DECLINED' },
  );
  t.equal(
    errorCode(await ycEditor(ANSWER, { t: id('yichuan'), id: incoming.data!.incomingAssignments[0]!.id, ok: true })),
    'NOT_FOUND',
    "a sibling's assignment through its own tenant",
  );
  t.equal(errorCode(await ycEditor(INCOMING, { t: id('ruyang') })), 'FORBIDDEN', 'nor through the sibling’s');
  // the county files the draft on the province's assignment directly (交稿)
  const filed = await ryEditor<{ fileAssignment: Assignment }>(FILE, {
    t: id('ruyang'),
    id: incoming.data!.incomingAssignments[0]!.id,
    s: storyId,
  });
  t.match(filed.data?.fileAssignment, { progress: 'FILED', storyId });
  const fromProvince = await hnEditor<{ topic: Topic }>(ONE, { t: id('henan'), id: hnTopicId });
  t.match(
    fromProvince.data?.topic.assignments.map((a) => [
      a.assigneeTenant.slug,
      a.progress,
      a.storyTitle,
      a.storyState,
      a.viewerCan.cancel,
    ]),
    [
      ['ruyang', 'FILED', '小麦机收过半', null, true],
      ['yichuan', 'DECLINED', null, null, false],
    ],
    'the province sees a filed story it may not read yet (a draft): no state',
  );

  // 上报
  const pitch = await ryEditor<{ pitchTopic: Pitch }>(PITCH_UP, {
    t: id('ruyang'),
    i: { topicId, toTenantId: id('henan'), note: '全市第一' },
  });
  t.match(pitch.data?.pitchTopic, {
    status: 'PENDING',
    campaignTitle: '三夏生产报道',
    toTenant: { slug: 'henan' },
    viewerCan: { withdraw: true, decide: false },
  });
  t.equal(
    errorCode(await ryEditor(PITCH_UP, { t: id('ruyang'), i: { topicId, toTenantId: id('yichuan') } })),
    'BAD_USER_INPUT',
    'only up the tree',
  );
  const inbox = await hnEditor<{ incomingPitches: Pitch[] }>(PITCHES, { t: id('henan') });
  t.match(inbox.data?.incomingPitches, [
    { topicTitle: '小麦机收过半', tenant: { slug: 'ruyang' }, viewerCan: { decide: true, withdraw: false } },
  ]);
  t.match(
    (
      await hnEditor<{ decidePitch: Pitch }>(DECIDE_PITCH, {
        t: id('henan'),
        id: pitch.data!.pitchTopic.id,
        ok: true,
        note: '纳入全省联动',
      })
    ).data?.decidePitch,
    { status: 'ACCEPTED', decisionNote: '纳入全省联动' },
  );
  const ownTopic = await ryEditor<{ topic: Topic }>(ONE, { t: id('ruyang'), id: topicId });
  t.match(
    ownTopic.data?.topic.pitches,
    [{ status: 'ACCEPTED', viewerCan: { withdraw: false } }],
    'the county sees the decision on its topic',
  );
  t.match(ownTopic.data?.topic.assignments, [{ assigneeName: 'ry-reporter', progress: 'FILED' }]);

  // the province's board: its subtree's topics in the campaign, read-only where they are not its own
  const board = await hnEditor<{ topics: { total: number; items: Topic[] } }>(TOPICS, {
    t: id('henan'),
    f: { subtree: true, campaignId: wheatId },
  });
  t.same(board.data?.topics.items.map((x) => [x.tenant.slug, x.title, x.viewerCan.assign]).sort(), [
    ['henan', '夏粮收购价格调查', true],
    ['ruyang', '夏粮收购价格调查', false],
    ['ruyang', '小麦机收过半', false],
  ]);
  t.equal(
    (await ycEditor<{ topics: { total: number } }>(TOPICS, { t: id('yichuan'), f: { subtree: true } })).data?.topics
      .total,
    0,
    'a sibling sees none of it',
  );
  t.equal(errorCode(await ycEditor(ONE, { t: id('yichuan'), id: topicId })), 'NOT_FOUND');
  t.equal(errorCode(await ryEditor(TOPICS, { t: id('ruyang'), f: { campaignId: 'x' } })), 'BAD_USER_INPUT');
  t.match((await hnEditor<{ planningCounts: object }>(COUNTS, { t: id('henan') })).data?.planningCounts, {
    planned: 1,
    incomingPitches: 0,
  });
  t.match((await ryReporter<{ planningCounts: object }>(COUNTS, { t: id('ruyang') })).data?.planningCounts, {
    mine: 1,
    planned: 2,
  });
});

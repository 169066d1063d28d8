// A provincial campaign end to end through GraphQL on a real database (issue #20's must-show):
// the province opens a campaign and gives a short-video coverage to every county of 洛阳 at once;
// 汝阳 accepts, its reporter accepts a coverage of its own, drafts from it, passes the review chain
// and publishes: both coverages complete in the publication's transaction and the province's
// board shows it; 伊川 declines with a reason; 嵩县 goes overdue and is on 洛阳's and the
// province's overdue lists; 汝阳's pitch is adopted and counted. Then bad input (nothing
// written), isolation between siblings and the roles.
import t from 'tap';
import { sql } from 'kysely';
import { createTenant, SYSTEM_ACTOR } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { createDemoDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import { build } from '@yiduan/api';
import { defaultRegistry, OutboxConsumer } from '@yiduan/worker';
import { PASSWORD, staffWith } from './helpers.js';

const COVERAGE = `id title task status state progress overdue declineReason storyId localTopicId assigneeTenant { slug }
  history { fromState toState actorName reason }`;
type Change = { fromState: string | null; toState: string; actorName: string; reason: string | null };
type Coverage = {
  id: string;
  state: string;
  status: string;
  progress: string;
  overdue: boolean;
  declineReason: string | null;
  storyId: string | null;
  localTopicId: string | null;
  assigneeTenant: { slug: string };
  history: Change[];
};
type Card = { assigneeTenantName: string; assigneeName: string; state: string; overdue: boolean; tenantName: string };
type Overdue = { id: string; assigneeTenantName: string; title: string; state: string };
type Workload = {
  tenantName: string;
  staffId: string | null;
  name: string;
  assigned: number;
  completed: number;
  onTime: number;
  adopted: number;
};

const CREATE_CAMPAIGN = 'mutation($t: ID!, $i: CampaignInput!) { createCampaign(tenantId: $t, input: $i) { id } }';
const CREATE_TOPIC = 'mutation($t: ID!, $i: TopicInput!) { createTopic(tenantId: $t, input: $i) { id } }';
const ASSIGN = `mutation($t: ID!, $id: ID!, $i: AssignInput!) { assignTopic(tenantId: $t, topicId: $id, input: $i) { ${COVERAGE} } }`;
const TOPIC_COVERAGES = `query($t: ID!, $id: ID!) { topic(tenantId: $t, id: $id) { assignments { ${COVERAGE} } } }`;
const INCOMING = `query($t: ID!) { incomingAssignments(tenantId: $t) { ${COVERAGE} } }`;
const ANSWER = `mutation($t: ID!, $id: ID!, $ok: Boolean!, $r: String) { answerAssignment(tenantId: $t, id: $id, accept: $ok, reason: $r) { ${COVERAGE} } }`;
const DRAFT = `mutation($t: ID!, $id: ID!) { draftAssignmentStory(tenantId: $t, id: $id) { ${COVERAGE} } }`;
const FILE = `mutation($t: ID!, $id: ID!, $s: ID!) { fileAssignment(tenantId: $t, id: $id, storyId: $s) { ${COVERAGE} } }`;
const BOARD = `query($t: ID!, $c: ID!) { campaignBoard(tenantId: $t, campaignId: $c) {
  topics overdue counts { state count } cards { tenantName assigneeTenantName assigneeName state overdue } } }`;
const OVERDUE = 'query($t: ID!) { overdueCoverages(tenantId: $t) { id assigneeTenantName title state } }';
const WORKLOAD =
  'query($t: ID!) { planningWorkload(tenantId: $t) { tenantName staffId name assigned completed onTime adopted } }';
const PITCH_UP = 'mutation($t: ID!, $i: PitchInput!) { pitchTopic(tenantId: $t, input: $i) { id status } }';
const PITCHES = 'query($t: ID!) { incomingPitches(tenantId: $t) { id tenant { slug } status } }';
const DECIDE_PITCH =
  'mutation($t: ID!, $id: ID!, $ok: Boolean!, $note: String) { decidePitch(tenantId: $t, id: $id, accept: $ok, note: $note) { id status } }';
const PEOPLE = 'query($t: ID!) { planningPeople(tenantId: $t) { id name } }';
const SUBMIT = 'mutation($t: ID!, $s: ID!) { submitStory(tenantId: $t, id: $s) { story { status } } }';
const APPROVE =
  'mutation($t: ID!, $s: ID!, $c: String) { approveStory(tenantId: $t, id: $s, comment: $c) { story { status } } }';
const PUBLISH = 'mutation($t: ID!, $s: ID!) { publishStory(tenantId: $t, id: $s) { story { status } } }';
const SAVE =
  'mutation($t: ID!, $s: ID!, $i: SaveStoryInput!) { saveStory(tenantId: $t, id: $s, input: $i) { story { id } } }';
const CREATE_STORY = 'mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }';

const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

t.test(
  'a provincial campaign: one coverage to every county of a city, delivered, declined, overdue, adopted',
  async (t) => {
    const deps = await createDemoDeps(t);
    const { tenants } = deps;
    const id = (slug: string) => tenants[slug]!.id;
    // a third county of 洛阳
    const songxian = await withPlatform(deps.db, (trx) =>
      createTenant(trx, SYSTEM_ACTOR, { slug: 'songxian', name: '嵩县', level: 'county', parentId: id('luoyang') }),
    );
    const sx = songxian.id;
    const app = await build(deps);
    t.teardown(() => app.close());
    const anon = graphqlClient(app);

    const people: Record<string, string> = {};
    const as = async (login: string, tenantId: string, roles: Parameters<typeof staffWith>[3], unitId?: string) => {
      people[login] = (await staffWith(deps.db, login, tenantId, roles, unitId ?? null)).id;
      const r = await anon<{ login: { token: string } }>(
        'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }',
        { l: login, p: PASSWORD },
      );
      return graphqlClient(app, { token: r.data!.login.token });
    };
    const hnChief = await as('e2e-hn-chief', id('henan'), ['chief_editor']);
    const lyEditor = await as('e2e-ly-editor', id('luoyang'), ['editor']);
    const ryEditor = await as('e2e-ry-editor', id('ruyang'), ['editor']);
    const ryReporter = await as('e2e-ry-reporter', id('ruyang'), ['reporter']);
    const ryReviewer = await as('e2e-ry-reviewer', id('ruyang'), ['reviewer']);
    const ryChief = await as('e2e-ry-chief', id('ruyang'), ['chief_editor']);
    const ycEditor = await as('e2e-yc-editor', id('yichuan'), ['editor']);
    const sxEditor = await as('e2e-sx-editor', sx, ['editor']);
    const zcEditor = await as('e2e-zc-editor', id('zhecheng'), ['editor']);

    // ---- the province opens the campaign and gives one short video to each county of 洛阳
    const campaign = await hnChief<{ createCampaign: { id: string } }>(CREATE_CAMPAIGN, {
      t: id('henan'),
      i: { title: '冬季供暖保障', brief: '全省供暖季民生报道' },
    });
    t.equal(campaign.errors, undefined);
    const campaignId = campaign.data!.createCampaign.id;
    const topic = await hnChief<{ createTopic: { id: string } }>(CREATE_TOPIC, {
      t: id('henan'),
      i: { title: '暖气进万家', brief: '各县供暖一线短视频', campaignId, dueAt: hours(72) },
    });
    const topicId = topic.data!.createTopic.id;
    const assigned = await hnChief<{ assignTopic: Coverage[] }>(ASSIGN, {
      t: id('henan'),
      id: topicId,
      i: {
        under: { tenantId: id('luoyang'), level: 'COUNTY' },
        task: 'VIDEO',
        instructions: '90 秒竖屏',
        dueAt: hours(48),
      },
    });
    t.equal(assigned.errors, undefined);
    const coverages = assigned.data!.assignTopic;
    t.same(
      coverages.map((c) => c.assigneeTenant.slug).sort(),
      ['ruyang', 'songxian', 'yichuan'],
      'all counties of 洛阳 at once, one coverage each',
    );
    t.ok(coverages.every((c) => c.state === 'ASSIGNED' && c.history.length === 1 && c.history[0]!.fromState === null));
    const of = (slug: string) => coverages.find((c) => c.assigneeTenant.slug === slug)!;

    // ---- bad input, nothing written
    const count = async () =>
      (await hnChief<{ topic: { assignments: Coverage[] } }>(TOPIC_COVERAGES, { t: id('henan'), id: topicId })).data!
        .topic.assignments.length;
    t.equal(
      errorCode(
        await hnChief(ASSIGN, {
          t: id('henan'),
          id: topicId,
          i: { assignees: [{ tenantId: id('zhecheng') }], task: 'VIDEO', dueAt: hours(-3) },
        }),
      ),
      'BAD_USER_INPUT',
      'a due time in the past',
    );
    const own = await hnChief<{ createCampaign: { id: string } }>(CREATE_CAMPAIGN, {
      t: id('henan'),
      i: { title: '省台内部策划', reach: 'OWN' },
    });
    const ownTopic = await hnChief<{ createTopic: { id: string } }>(CREATE_TOPIC, {
      t: id('henan'),
      i: { title: '省台跨年直播', campaignId: own.data!.createCampaign.id },
    });
    const outside = await hnChief(ASSIGN, {
      t: id('henan'),
      id: ownTopic.data!.createTopic.id,
      i: { assignees: [{ tenantId: id('zhecheng') }, { tenantId: id('ruyang') }], task: 'LIVE', dueAt: hours(10) },
    });
    t.equal(errorCode(outside), 'BAD_USER_INPUT', 'a tenant outside the campaign’s share');
    t.match(outside.errors![0]!.message, /不在该专题的范围内/);
    t.equal(
      errorCode(
        await hnChief(ASSIGN, {
          t: id('henan'),
          id: topicId,
          i: {
            under: { tenantId: id('shangqiu'), level: 'COUNTY' },
            assignees: [{ tenantId: id('ruyang') }],
            task: 'VIDEO',
          },
        }),
      ),
      'BAD_USER_INPUT',
      '汝阳 already holds an open short video on this topic: the whole batch is refused',
    );
    t.equal(await count(), 3, 'nothing written by the refused assignments');

    // ---- roles: who may answer a desk coverage
    t.equal(errorCode(await ryReporter(ANSWER, { t: id('ruyang'), id: of('ruyang').id, ok: true })), 'FORBIDDEN');
    t.equal(errorCode(await ryReviewer(ANSWER, { t: id('ruyang'), id: of('ruyang').id, ok: true })), 'FORBIDDEN');
    t.equal(
      errorCode(await ycEditor(ANSWER, { t: id('yichuan'), id: of('ruyang').id, ok: true })),
      'NOT_FOUND',
      'a sibling cannot answer 汝阳’s coverage',
    );

    // ---- 汝阳 accepts and assigns its reporter, who accepts and drafts from the coverage
    const accepted = await ryEditor<{ answerAssignment: Coverage }>(ANSWER, {
      t: id('ruyang'),
      id: of('ruyang').id,
      ok: true,
    });
    t.equal(accepted.data!.answerAssignment.state, 'ACCEPTED');
    const localTopic = accepted.data!.answerAssignment.localTopicId!;
    t.ok(localTopic, '汝阳 has a topic of its own for it');
    t.equal(
      errorCode(
        await ryReporter(ASSIGN, {
          t: id('ruyang'),
          id: localTopic,
          i: { assignees: [{ staffId: people['e2e-ry-reporter'] }], task: 'VIDEO' },
        }),
      ),
      'FORBIDDEN',
      'a reporter does not assign',
    );
    const mine = await ryEditor<{ assignTopic: Coverage[] }>(ASSIGN, {
      t: id('ruyang'),
      id: localTopic,
      i: { assignees: [{ staffId: people['e2e-ry-reporter'] }], task: 'VIDEO', dueAt: hours(40) },
    });
    t.equal(mine.errors, undefined);
    const personal = mine.data!.assignTopic[0]!;
    t.equal(
      errorCode(await ryEditor(ANSWER, { t: id('ruyang'), id: personal.id, ok: true })),
      'FORBIDDEN',
      'only the reporter accepts their coverage',
    );
    t.equal(
      (await ryReporter<{ answerAssignment: Coverage }>(ANSWER, { t: id('ruyang'), id: personal.id, ok: true })).data!
        .answerAssignment.state,
      'ACCEPTED',
    );
    const drafted = await ryReporter<{ draftAssignmentStory: Coverage }>(DRAFT, { t: id('ruyang'), id: personal.id });
    t.equal(drafted.errors, undefined);
    const storyId = drafted.data!.draftAssignmentStory.storyId!;
    t.equal(drafted.data!.draftAssignmentStory.state, 'IN_PROGRESS');

    // a second delivery for one coverage is refused, and the first stays
    const other = await ryReporter<{ createStory: { story: { id: string } } }>(CREATE_STORY, {
      t: id('ruyang'),
      i: { kind: 'ARTICLE', content: { title: '另一篇稿件', body: [{ type: 'paragraph', text: '正文' }] } },
    });
    const second = await ryReporter(FILE, { t: id('ruyang'), id: personal.id, s: other.data!.createStory.story.id });
    t.equal(errorCode(second), 'INVALID_TRANSITION', 'a second delivery');
    t.match(second.errors![0]!.message, /只能交付一篇稿件/);
    t.equal(
      errorCode(await ryEditor(FILE, { t: id('ruyang'), id: of('ruyang').id, s: other.data!.createStory.story.id })),
      'INVALID_TRANSITION',
      'the province’s coverage took the same delivery and refuses a second',
    );

    await ryReporter(SAVE, {
      t: id('ruyang'),
      s: storyId,
      i: {
        content: {
          title: '暖气进万家：汝阳县城区供暖全面启动',
          body: [{ type: 'paragraph', text: '汝阳县城区集中供暖于今日全面启动，覆盖两万余户居民。' }],
        },
      },
    });
    t.equal(
      (await ryReporter<{ submitStory: { story: { status: string } } }>(SUBMIT, { t: id('ruyang'), s: storyId })).data
        ?.submitStory.story.status,
      'IN_REVIEW',
    );
    const provinceView = async () =>
      (await hnChief<{ topic: { assignments: Coverage[] } }>(TOPIC_COVERAGES, { t: id('henan'), id: topicId })).data!
        .topic.assignments;
    t.equal(
      (await provinceView()).find((c) => c.assigneeTenant.slug === 'ruyang')!.state,
      'SUBMITTED',
      'the review moves the province’s coverage too',
    );
    await ryEditor(APPROVE, { t: id('ruyang'), s: storyId, c: '一审通过' });
    await ryReviewer(APPROVE, { t: id('ruyang'), s: storyId, c: '二审通过' });
    t.equal(
      (
        await ryChief<{ approveStory: { story: { status: string } } }>(APPROVE, {
          t: id('ruyang'),
          s: storyId,
          c: '终审通过',
        })
      ).data?.approveStory.story.status,
      'APPROVED',
    );
    const published = await ryEditor<{ publishStory: { story: { status: string } } }>(PUBLISH, {
      t: id('ruyang'),
      s: storyId,
    });
    t.equal(published.data?.publishStory.story.status, 'PUBLISHED');

    const done = (await provinceView()).find((c) => c.assigneeTenant.slug === 'ruyang')!;
    t.equal(done.state, 'COMPLETED', 'the publication completes the province’s coverage');
    t.same(
      done.history.map((h) => h.toState),
      ['ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'SUBMITTED', 'COMPLETED'],
      'every change recorded',
    );
    const reporterView = await ryReporter<{ myAssignments: Coverage[] }>(
      `query($t: ID!) { myAssignments(tenantId: $t) { ${COVERAGE} } }`,
      { t: id('ruyang') },
    );
    t.same(
      reporterView.data!.myAssignments.find((c) => c.id === personal.id)!.history.map((h) => h.toState),
      ['ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'SUBMITTED', 'COMPLETED'],
    );

    // ---- 伊川 declines with a reason
    t.equal(
      errorCode(await ycEditor(ANSWER, { t: id('yichuan'), id: of('yichuan').id, ok: false, r: ' ' })),
      'BAD_USER_INPUT',
      'a decline needs a reason',
    );
    const declined = await ycEditor<{ answerAssignment: Coverage }>(ANSWER, {
      t: id('yichuan'),
      id: of('yichuan').id,
      ok: false,
      r: '本周摄像设备全部用于防汛演练',
    });
    t.match(declined.data!.answerAssignment, { state: 'DECLINED', declineReason: '本周摄像设备全部用于防汛演练' });
    t.match(declined.data!.answerAssignment.history.at(-1), {
      fromState: 'ASSIGNED',
      toState: 'DECLINED',
      reason: '本周摄像设备全部用于防汛演练',
      actorName: 'e2e-yc-editor',
    });

    // ---- 嵩县 accepts and lets the due time pass
    await sxEditor(ANSWER, { t: sx, id: of('songxian').id, ok: true });
    await withPlatform(deps.db, (trx) =>
      sql`UPDATE assignments SET due_at = now() - interval '2 hours' WHERE id = ${of('songxian').id}`.execute(trx),
    );
    const overdue = async (gql: typeof hnChief, tenantId: string) =>
      (await gql<{ overdueCoverages: Overdue[] }>(OVERDUE, { t: tenantId })).data!.overdueCoverages.filter(
        (o) => o.title === '暖气进万家',
      );
    t.same(
      (await overdue(lyEditor, id('luoyang'))).map((o) => o.assigneeTenantName),
      ['嵩县'],
      'on the city’s overdue list',
    );
    t.same(
      (await overdue(hnChief, id('henan'))).map((o) => o.assigneeTenantName),
      ['嵩县'],
      'on the province’s',
    );
    t.same(
      (await overdue(sxEditor, sx)).map((o) => o.assigneeTenantName),
      ['嵩县'],
      'on its own',
    );
    t.same(await overdue(ryEditor, id('ruyang')), [], 'not on a sibling’s');
    t.same(await overdue(zcEditor, id('zhecheng')), [], 'nor on another city’s county');
    t.equal(
      errorCode(await zcEditor(OVERDUE, { t: id('henan') })),
      'FORBIDDEN',
      'a county cannot read its province’s list',
    );

    // ---- the province's board
    const board = (
      await hnChief<{
        campaignBoard: { topics: number; overdue: number; cards: Card[]; counts: { state: string; count: number }[] };
      }>(BOARD, { t: id('henan'), c: campaignId })
    ).data!.campaignBoard;
    const deskCards = board.cards.filter((c) => c.tenantName === tenants.henan!.name);
    t.same(
      deskCards.map((c) => [c.assigneeTenantName, c.state, c.overdue]).sort(),
      [
        ['伊川县', 'DECLINED', false],
        ['嵩县', 'ACCEPTED', true],
        ['汝阳县', 'COMPLETED', false],
      ],
      'the board shows each county’s coverage, the overdue one flagged',
    );
    t.ok(
      board.cards.some(
        (c) => c.tenantName === '汝阳县' && c.assigneeName === 'e2e-ry-reporter' && c.state === 'COMPLETED',
      ),
      '汝阳’s own coverage of its reporter is on the province’s board too',
    );
    t.equal(board.overdue, 1);
    t.equal(board.topics, 3, 'the province’s topic and the local ones of 汝阳 and 嵩县, which accepted');

    // ---- 汝阳 pitches a topic into the campaign; the province adopts it
    const pitched = await ryEditor<{ createTopic: { id: string } }>(CREATE_TOPIC, {
      t: id('ruyang'),
      i: { title: '汝阳山区群众用上清洁取暖', campaignId, dueAt: hours(30) },
    });
    const pitch = await ryEditor<{ pitchTopic: { id: string; status: string } }>(PITCH_UP, {
      t: id('ruyang'),
      i: { topicId: pitched.data!.createTopic.id, toTenantId: id('henan'), note: '可作全省典型' },
    });
    t.equal(pitch.data?.pitchTopic.status, 'PENDING');
    t.same((await ycEditor<{ incomingPitches: unknown[] }>(PITCHES, { t: id('yichuan') })).data!.incomingPitches, []);
    t.equal(
      errorCode(await ryReporter(DECIDE_PITCH, { t: id('henan'), id: pitch.data!.pitchTopic.id, ok: true })),
      'FORBIDDEN',
      'no role in the province: no decision',
    );
    t.equal(
      errorCode(await ryEditor(DECIDE_PITCH, { t: id('ruyang'), id: pitch.data!.pitchTopic.id, ok: true })),
      'NOT_FOUND',
      'the pitcher does not decide its own pitch',
    );
    t.equal(
      (
        await hnChief<{ decidePitch: { status: string } }>(DECIDE_PITCH, {
          t: id('henan'),
          id: pitch.data!.pitchTopic.id,
          ok: true,
        })
      ).data?.decidePitch.status,
      'ACCEPTED',
    );

    // ---- workload: per county and per person
    const workload = (await hnChief<{ planningWorkload: Workload[] }>(WORKLOAD, { t: id('henan') })).data!
      .planningWorkload;
    t.match(
      workload.find((w) => w.staffId === null && w.tenantName === '汝阳县'),
      { assigned: 1, completed: 1, onTime: 1, adopted: 1 },
      '汝阳: its coverage completed on time, its pitch adopted (采用)',
    );
    t.match(
      workload.find((w) => w.staffId === null && w.tenantName === '伊川县'),
      { assigned: 0, completed: 0, adopted: 0 },
    );
    t.match(
      workload.find((w) => w.staffId === null && w.tenantName === '嵩县'),
      { assigned: 1, completed: 0 },
    );
    t.match(
      workload.find((w) => w.staffId === people['e2e-ry-reporter']),
      { assigned: 1, completed: 1, onTime: 1 },
    );
    const ycWorkload = (await ycEditor<{ planningWorkload: Workload[] }>(WORKLOAD, { t: id('yichuan') })).data!
      .planningWorkload;
    t.notOk(
      ycWorkload.some((w) => w.tenantName === '汝阳县'),
      'a sibling sees none of 汝阳’s workload',
    );

    // ---- isolation: a sibling county never sees another's coverages, people or pitches
    t.notOk(
      (
        await ycEditor<{ incomingAssignments: Coverage[] }>(INCOMING, { t: id('yichuan') })
      ).data!.incomingAssignments.some((c) => c.assigneeTenant.slug !== 'yichuan'),
    );
    t.equal(
      errorCode(await ycEditor(TOPIC_COVERAGES, { t: id('yichuan'), id: localTopic })),
      'NOT_FOUND',
      '伊川 cannot read 汝阳’s topic',
    );
    t.notOk(
      (await ycEditor<{ planningPeople: { id: string }[] }>(PEOPLE, { t: id('yichuan') })).data!.planningPeople.some(
        (p) => p.id === people['e2e-ry-reporter'],
      ),
      '伊川 does not see 汝阳’s people',
    );
    t.equal(errorCode(await ycEditor(PEOPLE, { t: id('ruyang') })), 'FORBIDDEN');
    t.equal(errorCode(await ycEditor(BOARD, { t: id('ruyang'), c: campaignId })), 'FORBIDDEN', 'no board of a sibling');
    const ycBoard = (await ycEditor<{ campaignBoard: { cards: Card[] } }>(BOARD, { t: id('yichuan'), c: campaignId }))
      .data!.campaignBoard;
    t.notOk(
      ycBoard.cards.some((c) => c.tenantName === '汝阳县' || c.assigneeTenantName === '汝阳县'),
      '伊川’s board holds none of 汝阳’s coverages',
    );

    // ---- notices: the worker tells assignees, desks and pitchers; the overdue reminder at the due time
    await withPlatform(deps.db, (trx) =>
      sql`UPDATE outbox SET available_at = now() WHERE topic = 'planning.coverage_due' AND payload->>'id' = ${of('songxian').id}`.execute(
        trx,
      ),
    );
    const consumer = new OutboxConsumer({
      db: deps.db,
      cache: deps.cache,
      registry: defaultRegistry(),
      maxAttempts: 3,
    });
    for (let i = 0; i < 20 && (await consumer.runOnce()).processed > 0; i++);
    const NOTICES = 'query($t: ID!) { planningNotices(tenantId: $t) { unread items { kind text forDesk } } }';
    type Notices = { planningNotices: { unread: number; items: { kind: string; text: string; forDesk: boolean }[] } };
    const notices = async (gql: typeof hnChief, tenantId: string) =>
      (await gql<Notices>(NOTICES, { t: tenantId })).data!.planningNotices;
    const reporterNotices = await notices(ryReporter, id('ruyang'));
    t.ok(
      reporterNotices.items.some((n) => n.kind === 'assigned' && !n.forDesk && /暖气进万家/.test(n.text)),
      'the reporter is told of the coverage given to them',
    );
    const provinceNotices = (await notices(hnChief, id('henan'))).items;
    for (const [kind, pattern] of [
      ['accepted', /汝阳县已接单/],
      ['declined', /伊川县拒单.*防汛演练/],
      ['completed', /汝阳县已完成/],
      ['overdue', /嵩县的任务.*已逾期/],
      ['pitched', /汝阳县报题/],
    ] as const)
      t.ok(
        provinceNotices.some((n) => n.kind === kind && pattern.test(n.text)),
        `the province’s desk is told: ${kind}`,
      );
    t.ok(
      (await notices(sxEditor, sx)).items.some((n) => n.kind === 'overdue'),
      '嵩县 gets the overdue reminder',
    );
    const ryNotices = await notices(ryEditor, id('ruyang'));
    t.ok(
      ryNotices.items.some((n) => n.kind === 'pitch_accepted' && /采用了报题/.test(n.text)),
      'the pitcher is told of the adoption',
    );
    t.ok(ryNotices.unread > 0);
    t.equal(
      (
        await ryEditor<{ markPlanningNoticesRead: number }>(
          'mutation($t: ID!) { markPlanningNoticesRead(tenantId: $t) }',
          { t: id('ruyang') },
        )
      ).data?.markPlanningNoticesRead,
      ryNotices.unread,
    );
    t.equal((await notices(ryEditor, id('ruyang'))).unread, 0, 'read');
    t.notOk(
      (await notices(ycEditor, id('yichuan'))).items.some((n) => /汝阳/.test(n.text)),
      'a sibling is told nothing of 汝阳',
    );
    t.notOk(
      (await notices(ryReviewer, id('ruyang'))).items.some((n) => n.forDesk),
      'a reviewer (not of the desk) gets no desk notices',
    );

    // a unit member has no planning desk (only their unit's stories)
    const unit = await withPlatform(deps.db, async (trx) => {
      const r = await sql<{ id: string }>`
      INSERT INTO units (tenant_id, slug, name, kind) VALUES (${id('ruyang')}, 'e2e-unit', '汝阳县住建局', 'bureau') RETURNING id`.execute(
        trx,
      );
      return r.rows[0]!.id;
    });
    const member = await as('e2e-ry-member', id('ruyang'), ['reporter'], unit);
    t.equal(errorCode(await member(OVERDUE, { t: id('ruyang') })), 'FORBIDDEN');
    t.equal(errorCode(await member(BOARD, { t: id('ruyang'), c: campaignId })), 'FORBIDDEN');
  },
);

// The newsroom's day, end to end through the GraphQL API and the worker:
// a unit member drafts → a block-level terminology finding stops submit → fixed →
// three reviewers (one rejection with a reason, resubmission) → scheduled → the worker
// publishes → the audit log shows every step in order.
import t from 'tap';
import { sql } from 'kysely';
import { createDemoDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import { build } from '@yiduan/api';
import { defaultRegistry, OutboxConsumer } from '@yiduan/worker';
import { blockRule, PASSWORD, staffWith, unitIn } from './helpers.js';

t.test('a unit story goes through the review chain and is published on schedule', async (t) => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const ruyang = tenants.ruyang!.id;
  const province = tenants.henan!.id;
  const app = await build(deps);
  t.teardown(() => app.close());
  const anon = graphqlClient(app);

  const unit = await unitIn(deps.db, ruyang, 'jiaoyu', '汝阳县教育局');
  await staffWith(deps.db, 'jy-member', ruyang, ['reporter'], unit.id);
  await staffWith(deps.db, 'ry-editor', ruyang, ['editor']);
  await staffWith(deps.db, 'ry-reviewer', ruyang, ['reviewer']);
  await staffWith(deps.db, 'ry-chief', ruyang, ['chief_editor']);
  // the province's rule applies to every county
  await blockRule(deps.db, province, '台湾总统');

  const signIn = async (login: string) => {
    const r = await anon<{ login: { token: string } }>(
      `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
      { l: login, p: PASSWORD },
    );
    t.equal(r.errors, undefined, `${login} signs in`);
    return graphqlClient(app, { token: r.data!.login.token });
  };
  const member = await signIn('jy-member');
  const editor = await signIn('ry-editor');
  const reviewer = await signIn('ry-reviewer');
  const chief = await signIn('ry-chief');

  const body = (text: string) => [
    { type: 'heading', level: 2, text: '教育惠民' },
    { type: 'paragraph', text },
  ];
  const created = await member<{ createStory: { story: { id: string; status: string; unit: { name: string } } } }>(
    `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id status unit { name } } } }`,
    {
      t: ruyang,
      i: {
        kind: 'ARTICLE',
        content: { title: '汝阳县新建三所乡村学校', body: body('会上有人把台湾总统的说法写进了稿件。') },
      },
    },
  );
  t.equal(created.errors, undefined);
  const storyId = created.data!.createStory.story.id;
  t.equal(created.data!.createStory.story.unit.name, '汝阳县教育局', 'a unit member writes in their unit');
  t.equal(created.data!.createStory.story.status, 'DRAFT');

  const SUBMIT = `mutation($t: ID!, $s: ID!) { submitStory(tenantId: $t, id: $s) { story { status review { step steps } } } }`;
  const refused = await member(SUBMIT, { t: ruyang, s: storyId });
  t.equal(errorCode(refused), 'TERMINOLOGY_BLOCKED', 'submit refused');
  const problem = refused.errors![0]!.extensions!.problems![0]!;
  t.equal(problem.path, 'body[1].text', 'the finding names the block');
  t.match(problem.message, /台湾总统/);

  const fixed = await member(
    `mutation($t: ID!, $s: ID!, $i: SaveStoryInput!) { saveStory(tenantId: $t, id: $s, input: $i) { story { currentRevision { number } } } }`,
    {
      t: ruyang,
      s: storyId,
      i: {
        baseRevision: 1,
        content: {
          title: '汝阳县新建三所乡村学校',
          body: body('三所乡村学校将于明年秋季开学，可容纳学生一千二百人。'),
        },
      },
    },
  );
  t.equal(fixed.errors, undefined);
  const submitted = await member<{
    submitStory: { story: { status: string; review: { step: number; steps: string[] } } };
  }>(SUBMIT, { t: ruyang, s: storyId });
  t.same(submitted.data!.submitStory.story.review, { step: 1, steps: ['EDITOR', 'REVIEWER', 'CHIEF_EDITOR'] });

  const APPROVE = `mutation($t: ID!, $s: ID!, $c: String) { approveStory(tenantId: $t, id: $s, comment: $c) { story { status review { step } } } }`;
  const REJECT = `mutation($t: ID!, $s: ID!, $r: String!) { rejectStory(tenantId: $t, id: $s, reason: $r) { story { status } } }`;
  const CAN = `query($t: ID!, $s: ID!) { story(tenantId: $t, id: $s) { viewerCan { approve reject edit } } }`;
  type Can = { story: { viewerCan: { approve: boolean; reject: boolean; edit: boolean } } };
  t.match(
    (await reviewer<Can>(CAN, { t: ruyang, s: storyId })).data!.story.viewerCan,
    { approve: true, reject: true },
    'step 1 is an editor step: a reviewer (more senior) may sign it too',
  );
  t.match(
    (await member<Can>(CAN, { t: ruyang, s: storyId })).data!.story.viewerCan,
    { approve: false, reject: false, edit: true },
    'the unit member who submitted signs nothing',
  );
  t.equal(errorCode(await member(APPROVE, { t: ruyang, s: storyId })), 'FORBIDDEN', 'a reporter cannot approve');
  t.equal(
    (
      await editor<{ approveStory: { story: { review: { step: number } } } }>(APPROVE, {
        t: ruyang,
        s: storyId,
        c: '一审通过',
      })
    ).data!.approveStory.story.review.step,
    2,
  );
  t.equal(
    errorCode(await reviewer(REJECT, { t: ruyang, s: storyId, r: '  ' })),
    'REASON_REQUIRED',
    'a rejection needs a reason',
  );
  t.equal(
    (
      await reviewer<{ rejectStory: { story: { status: string } } }>(REJECT, {
        t: ruyang,
        s: storyId,
        r: '请补充学校的具体位置',
      })
    ).data!.rejectStory.story.status,
    'DRAFT',
  );

  await member(
    `mutation($t: ID!, $s: ID!, $i: SaveStoryInput!) { saveStory(tenantId: $t, id: $s, input: $i) { story { id } } }`,
    {
      t: ruyang,
      s: storyId,
      i: {
        content: {
          title: '汝阳县新建三所乡村学校',
          body: body('三所乡村学校分别位于城关镇、小店镇和付店镇，将于明年秋季开学。'),
        },
      },
    },
  );
  await member(SUBMIT, { t: ruyang, s: storyId });
  await editor(APPROVE, { t: ruyang, s: storyId, c: '一审通过' });
  await reviewer(APPROVE, { t: ruyang, s: storyId, c: '二审通过' });
  t.equal(
    errorCode(await editor(APPROVE, { t: ruyang, s: storyId })),
    'FORBIDDEN',
    'step 3 belongs to the chief editor',
  );
  const approved = await chief<{ approveStory: { story: { status: string } } }>(APPROVE, {
    t: ruyang,
    s: storyId,
    c: '终审通过',
  });
  t.equal(approved.data!.approveStory.story.status, 'APPROVED');

  const at = new Date(Date.now() + 60 * 60 * 1000).toISOString();
  const scheduled = await editor<{ publishStory: { story: { status: string; scheduledAt: string } } }>(
    `mutation($t: ID!, $s: ID!, $at: DateTime) { publishStory(tenantId: $t, id: $s, at: $at) { story { status scheduledAt } } }`,
    { t: ruyang, s: storyId, at },
  );
  t.equal(scheduled.data!.publishStory.story.status, 'SCHEDULED');

  // time passes: move the schedule and its outbox event into the past, then let the worker run
  await sql`UPDATE stories SET scheduled_at = now() - interval '1 second' WHERE id = ${storyId}`.execute(
    deps.tdb.owner,
  );
  await sql`UPDATE outbox SET available_at = now() WHERE topic = 'story.publish_due'`.execute(deps.tdb.owner);
  const consumer = new OutboxConsumer({ db: deps.db, cache: deps.cache, registry: defaultRegistry(), maxAttempts: 3 });
  await consumer.runOnce();
  await consumer.runOnce(); // a second pass finds nothing to do twice

  const view = await editor<{
    story: {
      status: string;
      publishedRevision: { number: number; body: { text?: string }[] };
      events: { action: string; step: number | null; actorName: string; comment: string }[];
    };
  }>(
    `query($t: ID!, $s: ID!) { story(tenantId: $t, id: $s) { status publishedRevision { number body } events { action step actorName comment } } }`,
    { t: ruyang, s: storyId },
  );
  t.equal(view.data!.story.status, 'PUBLISHED', 'published by the worker');
  t.equal(view.data!.story.publishedRevision.number, 3);
  t.same(
    view.data!.story.events.map((e) => [e.action, e.step, e.actorName]),
    [
      ['submit', null, 'jy-member'],
      ['approve', 1, 'ry-editor'],
      ['reject', 2, 'ry-reviewer'],
      ['submit', null, 'jy-member'],
      ['approve', 1, 'ry-editor'],
      ['approve', 2, 'ry-reviewer'],
      ['approve', 3, 'ry-chief'],
      ['schedule', null, 'ry-editor'],
      ['publish', null, '系统'],
    ],
    'review events in order',
  );

  const audit = await chief<{
    auditLog: { edges: { node: { action: string; actorName: string; revision: number | null } }[] };
  }>(
    `query($t: ID!, $s: ID!) { auditLog(tenantId: $t, storyId: $s, first: 50) { edges { node { action actorName revision } } } }`,
    { t: ruyang, s: storyId },
  );
  t.same(
    audit.data!.auditLog.edges.map((e) => e.node.action).reverse(),
    [
      'story.create',
      'story.revise',
      'story.submit',
      'story.approve',
      'story.reject',
      'story.revise',
      'story.submit',
      'story.approve',
      'story.approve',
      'story.approve',
      'story.schedule',
      'story.publish',
    ],
    'the audit log shows every step in order',
  );
  const publishEvents = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM review_events WHERE story_id = ${storyId} AND action = 'publish'`.execute(
    deps.tdb.owner,
  );
  t.equal(publishEvents.rows[0]!.n, 1, 'published exactly once');
});

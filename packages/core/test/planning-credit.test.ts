import t from 'tap';
import { sql } from 'kysely';
import { withPlatform, withTenant, type DB, type Staff, type StaffRole, type Tenant, type Trx } from '@yiduan/db';
import { createDemoDatabase } from '@yiduan/testkit';
import {
  accessFor,
  answerAssignment,
  approveStep,
  assignTopic,
  createCampaign,
  createStaff,
  createStory,
  createTopic,
  fileAssignment,
  grantRole,
  isPlanningError,
  planningCredit,
  publishStory,
  pullStory,
  setSharePolicy,
  setTenantChain,
  staffActor,
  submitForReview,
  SYSTEM_ACTOR,
  type Access,
} from '../src/index.js';

// Issue #20, Build 4: placements and reach are credited back to the topic and the campaign. A
// county delivers a story on its province's coverage, publishes it, its city takes it up, page
// views are recorded on both faces: the province reads the numbers on its topic and its campaign;
// another tenant reads none of them.

const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (e: unknown) => e,
  );
const reasonOf = (e: unknown): string | null =>
  isPlanningError(e) ? e.reason : ((e as { code?: string } | null)?.code ?? null);

async function staffIn(db: DB, login: string, tenant: Tenant, roles: StaffRole[]): Promise<Staff> {
  const staff = await withPlatform(db, (trx) =>
    createStaff(trx, SYSTEM_ACTOR, { login, displayName: login, password: 'Passw0rd-credit' }),
  );
  await withPlatform(db, async (trx) => {
    for (const role of roles)
      await grantRole(trx, SYSTEM_ACTOR, { tenantId: tenant.id, role, staffId: staff.id, skipPartyCheck: true });
  });
  return staff;
}

t.test('a delivered story’s placements and page views are credited to its topic and campaign', async (t) => {
  const { db, owner, tenants } = await createDemoDatabase(t, 'tree');
  const as = <T>(who: Staff, tenant: Tenant, fn: (trx: Trx, access: Access) => Promise<T>): Promise<T> =>
    withTenant(db, tenant.id, async (trx) => fn(trx, await accessFor(trx, who, tenant.id)));
  const henan = tenants.henan!;
  const luoyang = tenants.luoyang!;
  const ruyang = tenants.ruyang!;
  const yichuan = tenants.yichuan!;
  const zhengzhou = tenants.zhengzhou!;
  await withTenant(db, ruyang.id, (trx) => setTenantChain(trx, SYSTEM_ACTOR, ruyang.id, ['editor']));
  const hnChief = await staffIn(db, 'cr-hn-chief', henan, ['chief_editor', 'editor']);
  const ryWriter = await staffIn(db, 'cr-ry-writer', ruyang, ['reporter', 'editor', 'chief_editor']);
  const ryEditor = await staffIn(db, 'cr-ry-editor', ruyang, ['editor']);
  const lyEditor = await staffIn(db, 'cr-ly-editor', luoyang, ['editor']);
  const ycEditor = await staffIn(db, 'cr-yc-editor', yichuan, ['editor', 'chief_editor']);
  const zzEditor = await staffIn(db, 'cr-zz-editor', zhengzhou, ['editor', 'chief_editor']);

  // the province plans, the county accepts and delivers a story on the province's coverage
  const campaign = await as(hnChief, henan, (trx, a) =>
    createCampaign(trx, a, staffActor(hnChief), { title: '传播效果专题', reach: 'subtree' }),
  );
  const topic = await as(hnChief, henan, (trx, a) =>
    createTopic(trx, a, staffActor(hnChief), { title: '传播效果选题', campaignId: campaign.id }),
  );
  const [coverage] = await as(hnChief, henan, (trx, a) =>
    assignTopic(trx, a, staffActor(hnChief), topic.id, { assignees: [{ tenantId: ruyang.id }], task: 'write' }),
  );
  await as(ryWriter, ruyang, (trx, a) => answerAssignment(trx, a, staffActor(ryWriter), coverage!.id, true));
  const { story } = await as(ryWriter, ruyang, (trx, a) =>
    createStory(trx, a, staffActor(ryWriter), {
      kind: 'article',
      title: '汝阳交付稿件',
      summary: '摘要',
      tags: ['民生'],
      body: [{ type: 'paragraph', text: '正文。' }],
    }),
  );
  await as(ryWriter, ruyang, (trx, a) => setSharePolicy(trx, a, staffActor(ryWriter), story.id, 'up'));
  await as(ryWriter, ruyang, (trx, a) => fileAssignment(trx, a, staffActor(ryWriter), coverage!.id, story.id));

  const credit = (who: Staff, tenant: Tenant, of: { topicId?: string; campaignId?: string }) =>
    as(who, tenant, (trx, a) => planningCredit(trx, a, of));
  t.match(
    await credit(hnChief, henan, { topicId: topic.id }),
    { delivered: 0, placements: 0, views: 0 },
    'a draft on the coverage is no delivery yet',
  );

  // review and publication complete the coverage; the city takes it up; page views on both faces
  await as(ryWriter, ruyang, (trx, a) => submitForReview(trx, a, staffActor(ryWriter), story.id));
  await as(ryEditor, ruyang, (trx, a) => approveStep(trx, a, staffActor(ryEditor), story.id));
  await as(ryWriter, ruyang, (trx, a) => publishStory(trx, a, staffActor(ryWriter), story.id));
  t.match(
    await credit(hnChief, henan, { topicId: topic.id }),
    { delivered: 1, placements: 1, views: 0 },
    'published: its own face',
  );
  await as(lyEditor, luoyang, (trx, a) => pullStory(trx, a, staffActor(lyEditor), { storyId: story.id }));
  await sql`
    INSERT INTO analytics_story_daily (tenant_id, story_id, day, face_tenant_id, views, uniques)
    VALUES (${ruyang.id}, ${story.id}, '2026-12-06', ${ruyang.id}, 30, 20),
           (${ruyang.id}, ${story.id}, '2026-12-07', ${ruyang.id}, 5, 5),
           (${ruyang.id}, ${story.id}, '2026-12-07', ${luoyang.id}, 12, 9)`.execute(owner);

  const onTopic = await credit(hnChief, henan, { topicId: topic.id });
  t.match(onTopic, { delivered: 1, placements: 2, views: 47 }, 'the topic: one story, on two faces, 47 page views');
  t.match(onTopic.stories, [
    { storyId: story.id, tenantId: ruyang.id, title: '汝阳交付稿件', placements: 2, views: 47 },
  ]);
  t.same([...onTopic.stories[0]!.faceNames].sort(), [luoyang.name, ruyang.name].sort(), 'the faces that carry it');
  t.match(
    await credit(hnChief, henan, { campaignId: campaign.id }),
    { delivered: 1, placements: 2, views: 47 },
    'the campaign: the same story, counted once',
  );
  t.match(
    await credit(lyEditor, luoyang, { campaignId: campaign.id }),
    { delivered: 1, placements: 2, views: 47 },
    'the city: its county’s local topic answers the province’s coverage that delivered it',
  );
  const local = await as(ryWriter, ruyang, (trx, a) =>
    trx
      .selectFrom('topics')
      .select('id')
      .where('tenant_id', '=', a.tenantId)
      .where('upstream_assignment_id', '=', coverage!.id)
      .executeTakeFirstOrThrow(),
  );
  t.match(
    await credit(ryWriter, ruyang, { topicId: local.id }),
    { delivered: 1, views: 47 },
    'the county’s own topic for the coverage is credited too',
  );

  // another tenant reads none of it
  t.equal(
    reasonOf(await failure(credit(ycEditor, yichuan, { topicId: topic.id }))),
    'TOPIC_NOT_FOUND',
    'a sibling county cannot read the topic’s credit',
  );
  t.match(
    await credit(zzEditor, zhengzhou, { campaignId: campaign.id }),
    { delivered: 0, placements: 0, views: 0 },
    'another city reads the campaign, not its credit',
  );
  const raw = (tenant: Tenant, viewer: Tenant) =>
    withTenant(
      db,
      tenant.id,
      async (trx) =>
        (
          await sql`SELECT * FROM planning_credit(${viewer.id}::uuid, ${henan.id}::uuid, ${topic.id}::uuid, NULL, NULL)`.execute(
            trx,
          )
        ).rows.length,
    );
  t.equal(await raw(henan, henan), 1, 'the function, for the province itself');
  t.equal(await raw(yichuan, henan), 0, 'SQL under another scope naming the province: nothing');
  t.equal(await raw(yichuan, yichuan), 0, 'SQL for itself: not its subtree’s topic');
  t.equal(
    reasonOf(await failure(credit(hnChief, henan, { topicId: topic.id, campaignId: campaign.id }))),
    'PLANNING_INVALID',
    'one topic or one campaign',
  );
});

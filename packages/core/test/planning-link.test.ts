import t from 'tap';
import { sql } from 'kysely';
import { withPlatform, withTenant } from '@yiduan/db';
import {
  answerAssignment,
  assignTopic,
  coveragesOfStory,
  createCampaign,
  createStory,
  createTopic,
  historyOfAssignments,
  incomingAssignments,
  linkableCoverages,
  linkStoryToCoverage,
  planningNotices,
  planningWorkload,
  reassignCoverage,
  recordPlanningNotices,
} from '../src/index.js';
import { failure, inHours, planningWorld, reasonOf, type Person } from './planning-fixture.js';

// Issue #20: the story editor links a draft to the coverage it fulfils (one delivery per coverage,
// only the editor's desk's), and the assigning desk re-assigns a coverage before content is linked
// (recorded, the old desk told and no longer seeing it).

t.test('linking a draft to its coverage, and re-assigning a coverage', async (t) => {
  const { db, id, person, as } = await planningWorld(t);
  const draft = (p: Person, title: string) =>
    as(p, async (trx, a, actor) => (await createStory(trx, a, actor, { kind: 'article', title, body: [] })).story.id);

  const hnChief = await person('hn-chief', 'henan', ['chief_editor', 'editor']);
  const ryEditor = await person('ry-editor', 'ruyang', ['editor']);
  const ryReporter = await person('ry-reporter', 'ruyang', ['reporter']);
  const ryPhoto = await person('ry-photo', 'ruyang', ['reporter']);
  const ycEditor = await person('yc-editor', 'yichuan', ['editor']);

  // ---- the story editor: which coverage a draft fulfils, and linking an unlinked one
  const ryTopic = await as(ryEditor, (trx, a, actor) =>
    createTopic(trx, a, actor, { title: '汝阳红薯丰收', dueAt: inHours(24) }),
  );
  const [mine] = await as(ryEditor, (trx, a, actor) =>
    assignTopic(trx, a, actor, ryTopic.id, { assignees: [{ staffId: ryReporter.staff.id }], task: 'write' }),
  );
  const [theirs] = await as(ryEditor, (trx, a, actor) =>
    assignTopic(trx, a, actor, ryTopic.id, { assignees: [{ staffId: ryPhoto.staff.id }], task: 'photo' }),
  );
  const hnTopic = await as(hnChief, (trx, a, actor) =>
    createTopic(trx, a, actor, { title: '全省秋收', dueAt: inHours(48) }),
  );
  const [toRuyang] = await as(hnChief, (trx, a, actor) =>
    assignTopic(trx, a, actor, hnTopic.id, { assignees: [{ tenantId: id('ruyang') }], task: 'video' }),
  );

  const s1 = await draft(ryReporter, '红薯丰收稿');
  t.same(await as(ryReporter, (trx, a) => coveragesOfStory(trx, a, s1)), [], 'an unlinked draft fulfils nothing');
  t.same(
    (await as(ryReporter, (trx, a) => linkableCoverages(trx, a))).map((x) => x.id),
    [mine!.id],
    'a reporter may link to their own open coverage only',
  );
  t.same(
    (await as(ryEditor, (trx, a) => linkableCoverages(trx, a))).map((x) => x.id).sort(),
    [mine!.id, theirs!.id, toRuyang!.id].sort(),
    'the desk: its people’s and the province’s coverage to it',
  );
  t.equal(
    reasonOf(await failure(as(ryReporter, (trx, a, actor) => linkStoryToCoverage(trx, a, actor, s1, theirs!.id)))),
    'FORBIDDEN',
    'a reporter does not link to a colleague’s coverage',
  );
  t.equal(
    reasonOf(await failure(as(ryReporter, (trx, a, actor) => linkStoryToCoverage(trx, a, actor, s1, toRuyang!.id)))),
    'FORBIDDEN',
    'nor to the desk’s',
  );
  const linked = await as(ryReporter, (trx, a, actor) => linkStoryToCoverage(trx, a, actor, s1, mine!.id));
  t.match(linked, { storyId: s1, state: 'in_progress', status: 'accepted' }, 'linked: the coverage is in progress');
  t.match(
    await as(ryReporter, (trx, a) => coveragesOfStory(trx, a, s1)),
    [{ id: mine!.id, title: '汝阳红薯丰收', task: 'write', topicId: ryTopic.id, tenantId: id('ruyang') }],
    'the editor shows the coverage: its topic, kind and due time',
  );
  t.equal(
    (await as(ryReporter, (trx, a) => coveragesOfStory(trx, a, s1)))[0]!.dueAt?.getTime(),
    ryTopic.dueAt?.getTime(),
  );

  const s2 = await draft(ryReporter, '第二篇');
  t.equal(
    reasonOf(await failure(as(ryReporter, (trx, a, actor) => linkStoryToCoverage(trx, a, actor, s2, mine!.id)))),
    'DELIVERED_ALREADY',
    'a second delivery for one coverage is refused',
  );
  t.equal(
    reasonOf(await failure(as(ryEditor, (trx, a, actor) => linkStoryToCoverage(trx, a, actor, s1, theirs!.id)))),
    'STORY_INVALID',
    'a story already fulfilling a coverage is not linked to another',
  );
  const yc = await draft(ycEditor, '伊川稿件');
  t.equal(
    reasonOf(await failure(as(ycEditor, (trx, a, actor) => linkStoryToCoverage(trx, a, actor, yc, theirs!.id)))),
    'ASSIGNMENT_NOT_FOUND',
    'another desk’s coverage is not found',
  );
  t.equal(
    reasonOf(await failure(as(ryEditor, (trx, a, actor) => linkStoryToCoverage(trx, a, actor, yc, theirs!.id)))),
    'STORY_INVALID',
    'nor is another tenant’s story linked',
  );
  t.same(
    await as(ycEditor, (trx, a) => coveragesOfStory(trx, a, s1)),
    [],
    'another tenant reads nothing of a story’s coverages',
  );
  const theirsNow = await withPlatform(
    db,
    async (trx) =>
      (await sql<{ story_id: string | null }>`SELECT story_id FROM assignments WHERE id = ${theirs!.id}`.execute(trx))
        .rows[0],
  );
  t.same(theirsNow, { story_id: null }, 'the refused links wrote nothing');
  const s3 = await draft(ryEditor, '汝阳秋收短视频');
  const up = await as(ryEditor, (trx, a, actor) => linkStoryToCoverage(trx, a, actor, s3, toRuyang!.id));
  t.match(
    up,
    { storyId: s3, tenantId: id('henan'), status: 'accepted' },
    'the desk links a draft to the province’s coverage',
  );
  t.match(await as(ryEditor, (trx, a) => coveragesOfStory(trx, a, s3)), [{ id: toRuyang!.id, tenantId: id('henan') }]);

  // ---- 改派: before content is linked, to another desk; recorded, the old desk told and blind to it
  const [toYichuanLater] = await as(hnChief, (trx, a, actor) =>
    assignTopic(trx, a, actor, hnTopic.id, { assignees: [{ tenantId: id('ruyang') }], task: 'write' }),
  );
  t.ok(
    (await as(ryEditor, (trx, a) => incomingAssignments(trx, a))).some((x) => x.id === toYichuanLater!.id),
    '汝阳 sees the coverage given to it',
  );
  t.equal(
    reasonOf(
      await failure(
        as(ryEditor, (trx, a, actor) =>
          reassignCoverage(trx, a, actor, toYichuanLater!.id, { tenantId: id('yichuan') }),
        ),
      ),
    ),
    'ASSIGNMENT_NOT_FOUND',
    'the assignee desk does not re-assign (only the assigner)',
  );
  t.equal(
    reasonOf(
      await failure(
        as(hnChief, (trx, a, actor) => reassignCoverage(trx, a, actor, toRuyang!.id, { tenantId: id('yichuan') })),
      ),
    ),
    'ASSIGNMENT_STATE',
    'content linked: the desk stays',
  );
  t.equal(
    reasonOf(
      await failure(
        withTenant(db, id('henan'), (trx) =>
          sql`UPDATE assignments SET assignee_tenant_id = ${id('yichuan')}, assignee_name = '伊川县' WHERE id = ${toRuyang!.id}`.execute(
            trx,
          ),
        ),
      ),
    ),
    '23514',
    'and the database refuses it past the code',
  );
  await as(ryEditor, (trx, a, actor) => answerAssignment(trx, a, actor, toYichuanLater!.id, true));
  const moved = await as(hnChief, (trx, a, actor) =>
    reassignCoverage(trx, a, actor, toYichuanLater!.id, { tenantId: id('yichuan') }, '汝阳人手不足'),
  );
  t.match(moved, { assigneeTenantId: id('yichuan'), assigneeName: '伊川县', status: 'assigned', state: 'assigned' });
  t.notOk(
    (await as(ryEditor, (trx, a) => incomingAssignments(trx, a))).some((x) => x.id === toYichuanLater!.id),
    '汝阳 no longer sees it',
  );
  t.equal(
    (
      await withTenant(db, id('ruyang'), (trx) =>
        sql`SELECT id FROM assignments WHERE id = ${toYichuanLater!.id}`.execute(trx),
      )
    ).rows.length,
    0,
    'not even by SQL under its scope',
  );
  t.ok(
    (await as(ycEditor, (trx, a) => incomingAssignments(trx, a))).some(
      (x) => x.id === toYichuanLater!.id && x.status === 'assigned',
    ),
    '伊川 has it, to answer',
  );
  const history = (
    await as(hnChief, (trx) => historyOfAssignments(trx, [{ tenantId: id('henan'), assignmentId: toYichuanLater!.id }]))
  ).get(toYichuanLater!.id)!;
  t.match(
    history.at(-1),
    {
      fromState: 'accepted',
      toState: 'assigned',
      reason: '改派：汝阳县 → 伊川县（汝阳人手不足）',
      actorName: 'hn-chief',
    },
    'recorded in the history',
  );
  // the worker's notices: the old desk is told, the new one is given the coverage
  const events = await withPlatform(
    db,
    async (trx) =>
      (
        await sql<{ id: string; tenant_id: string; topic: string; payload: Record<string, unknown> }>`
        SELECT id, tenant_id, topic, payload FROM outbox WHERE payload->>'action' = 'reassign' AND payload->>'id' = ${toYichuanLater!.id}`.execute(
          trx,
        )
      ).rows,
  );
  t.equal(events.length, 1, 'one event');
  await withPlatform(db, (trx) =>
    recordPlanningNotices(trx, {
      id: Number(events[0]!.id),
      tenantId: events[0]!.tenant_id,
      topic: events[0]!.topic,
      payload: events[0]!.payload,
    }),
  );
  t.ok(
    (await as(ryEditor, (trx, a) => planningNotices(trx, a))).items.some(
      (n) => n.kind === 'reassigned' && /改派给伊川县/.test(n.text),
    ),
    'the old desk is told',
  );
  t.ok(
    (await as(ycEditor, (trx, a) => planningNotices(trx, a))).items.some(
      (n) => n.kind === 'assigned' && n.assignmentId === toYichuanLater!.id,
    ),
    'the new desk is given it',
  );
  t.equal(
    reasonOf(
      await failure(
        as(hnChief, (trx, a, actor) =>
          reassignCoverage(trx, a, actor, toYichuanLater!.id, { tenantId: id('zhengzhou') }),
        ),
      ),
    ),
    null,
    'a city of the province may take it too',
  );

  // inside a campaign shared by list: the new desk must be on the list
  const list = await as(hnChief, (trx, a, actor) =>
    createCampaign(trx, a, actor, { title: '名单专题', reach: 'list', shareTenantIds: [id('ruyang')] }),
  );
  const listTopic = await as(hnChief, (trx, a, actor) =>
    createTopic(trx, a, actor, { title: '名单选题', campaignId: list.id }),
  );
  const [listed] = await as(hnChief, (trx, a, actor) =>
    assignTopic(trx, a, actor, listTopic.id, { assignees: [{ tenantId: id('ruyang') }], task: 'write' }),
  );
  t.equal(
    reasonOf(
      await failure(
        as(hnChief, (trx, a, actor) => reassignCoverage(trx, a, actor, listed!.id, { tenantId: id('yichuan') })),
      ),
    ),
    'ASSIGNEE_OUTSIDE_SHARE',
    'not to a county off the campaign’s list',
  );

  // ---- workload with a period (派单日期, Beijing days)
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const ruyangDesk = (rows: { tenantId: string; staffId: string | null; assigned: number }[]) =>
    rows.find((w) => w.tenantId === id('ruyang') && w.staffId === null)?.assigned ?? 0;
  const all = await as(hnChief, (trx, a) => planningWorkload(trx, a));
  t.ok(ruyangDesk(all) >= 2, '汝阳’s desk: the coverages given to it, all time');
  t.equal(
    ruyangDesk(await as(hnChief, (trx, a) => planningWorkload(trx, a, { from: today, to: today }))),
    ruyangDesk(all),
    'today: all of them (assigned today)',
  );
  t.same(
    await as(hnChief, (trx, a) => planningWorkload(trx, a, { from: '2020-01-01', to: '2020-12-31' })),
    [],
    'a period before any assignment: nothing',
  );
  t.equal(
    ruyangDesk(await as(hnChief, (trx, a) => planningWorkload(trx, a, { to: '2020-12-31' }))),
    0,
    'an open start, an end in the past',
  );
  t.equal(
    reasonOf(await failure(as(hnChief, (trx, a) => planningWorkload(trx, a, { from: today, to: '2020-01-01' })))),
    'PLANNING_INVALID',
    'an end before the start',
  );
  t.equal(
    reasonOf(await failure(as(hnChief, (trx, a) => planningWorkload(trx, a, { from: '2026-02-30' })))),
    'PLANNING_INVALID',
    'no such day',
  );
  t.equal(
    ruyangDesk(await as(ycEditor, (trx, a) => planningWorkload(trx, a, { from: today }))),
    0,
    'a sibling county reads nothing of 汝阳’s workload',
  );
});

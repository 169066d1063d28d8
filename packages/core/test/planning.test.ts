import t from 'tap';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { withPublic, withTenant } from '@yiduan/db';
import {
  answerAssignment,
  assignablePeople,
  assignmentsOfTopics,
  assignTopic,
  campaignById,
  cancelAssignment,
  checkAssign,
  closeTopic,
  createCampaign,
  createStory,
  createTopic,
  decidePitch,
  decideTopic,
  draftAssignmentStory,
  fileAssignment,
  incomingAssignments,
  incomingPitches,
  isOverdue,
  listCampaigns,
  listTopics,
  myAssignments,
  pitchTopic,
  planningCapabilities,
  planningCounts,
  progressOf,
  proposeTopic,
  topicById,
  updateCampaign,
  updateTopic,
  withdrawPitch,
} from '../src/index.js';
import { failure, inHours, planningWorld, reasonOf } from './planning-fixture.js';

const thrown = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return reasonOf(e);
  }
};

t.test('rules, pure', async (t) => {
  t.equal(progressOf('assigned', null, null), 'pending');
  t.equal(progressOf('accepted', null, null), 'accepted', 'accepted, nothing filed: 采写中');
  t.equal(progressOf('accepted', 's', 'draft'), 'filed');
  t.equal(
    progressOf('accepted', 's', null),
    'filed',
    "a story the viewer may not read (another tenant's draft): 已交稿",
  );
  t.equal(progressOf('accepted', 's', 'published'), 'published');
  t.equal(progressOf('accepted', 's', 'retracted'), 'retracted');
  t.equal(progressOf('cancelled', 's', 'published'), 'cancelled');
  t.equal(isOverdue(inHours(-1), 'accepted'), true);
  t.equal(isOverdue(inHours(-1), 'published'), false, 'published in time or late: no longer overdue');
  t.equal(isOverdue(null, 'pending'), false);
  t.equal(
    thrown(() => checkAssign({ assignees: [], task: 'write' })),
    'PLANNING_INVALID',
    'nobody to assign',
  );
  t.equal(
    thrown(() => checkAssign({ assignees: [{ staffId: 'a' }, { staffId: 'a' }], task: 'write' })),
    'PLANNING_INVALID',
    'the same person twice',
  );
  t.equal(
    thrown(() => checkAssign({ assignees: [{ staffId: 'a', tenantId: 'b' } as never], task: 'write' })),
    'PLANNING_INVALID',
    'a person and a tenant in one',
  );
  t.equal(
    thrown(() => checkAssign({ assignees: [{ staffId: 'a' }], task: 'dance' as never })),
    'PLANNING_INVALID',
    'an unknown task',
  );
});

t.test(
  'the planning desk across the tree: proposals, assignments to people and desks, pitches, isolation',
  async (t) => {
    const { db, owner, id, person, as } = await planningWorld(t);

    const ryReporter = await person('ry-reporter', 'ruyang', ['reporter']);
    const ryEditor = await person('ry-editor', 'ruyang', ['editor']);
    const ryReviewer = await person('ry-reviewer', 'ruyang', ['reviewer']);
    const ryChief = await person('ry-chief', 'ruyang', ['chief_editor']);
    const ycEditor = await person('yc-editor', 'yichuan', ['editor']);
    const lyEditor = await person('ly-editor', 'luoyang', ['editor']);
    const hnChief = await person('hn-chief', 'henan', ['chief_editor']);
    const hnEditor = await person('hn-editor', 'henan', ['editor']);
    const zzEditor = await person('zz-editor', 'zhengzhou', ['editor']);

    t.same(
      await as(ryReporter, async (_trx, a) => planningCapabilities(a)),
      { read: true, propose: true, plan: false, campaigns: false },
      'a reporter proposes',
    );
    t.same(
      await as(ryReviewer, async (_trx, a) => planningCapabilities(a)),
      { read: true, propose: false, plan: false, campaigns: false },
      'a reviewer reads',
    );
    t.same(await as(hnChief, async (_trx, a) => planningCapabilities(a)), {
      read: true,
      propose: true,
      plan: true,
      campaigns: true,
    });

    // ---- campaigns: the province's reaches down; a county's own stays its own (and its ancestors')
    const wheat = await as(hnChief, (trx, a, actor) =>
      createCampaign(trx, a, actor, {
        title: '2026年“三夏”生产报道',
        brief: '全省麦收进度、农机跨区作业、烘干与收储',
        startsOn: '2026-05-25',
        endsOn: '2026-06-30',
      }),
    );
    t.match(wheat, { reach: 'subtree', status: 'open', tenantName: '河南', createdByName: 'hn-chief' });
    t.equal(
      reasonOf(await failure(as(hnEditor, (trx, a, actor) => createCampaign(trx, a, actor, { title: 'x' })))),
      'FORBIDDEN',
      'campaigns are the chief editor’s',
    );
    t.equal(
      reasonOf(
        await failure(
          as(hnChief, (trx, a, actor) =>
            createCampaign(trx, a, actor, { title: 'x', startsOn: '2026-06-02', endsOn: '2026-06-01' }),
          ),
        ),
      ),
      'PLANNING_INVALID',
    );
    const local = await as(ryChief, (trx, a, actor) =>
      createCampaign(trx, a, actor, { title: '杜康文化节', reach: 'own' }),
    );
    t.same(
      (await as(ryEditor, (trx, a) => listCampaigns(trx, a))).map((c) => c.title).sort(),
      ['2026年“三夏”生产报道', '杜康文化节'].sort(),
      'a county works in its own and the province’s',
    );
    t.same(
      (await as(zzEditor, (trx, a) => listCampaigns(trx, a))).map((c) => c.title),
      ['2026年“三夏”生产报道'],
      'another city: the province’s only',
    );
    t.equal(
      (await as(lyEditor, (trx, a) => campaignById(trx, a, local.id))).title,
      '杜康文化节',
      'the county’s city reads its own campaign (roll-up)',
    );
    t.equal(
      reasonOf(await failure(as(ycEditor, (trx, a) => campaignById(trx, a, local.id)))),
      'CAMPAIGN_NOT_FOUND',
      'a sibling does not',
    );

    // ---- 报题: a reporter proposes, the desk approves or declines
    const proposal = await as(ryReporter, (trx, a, actor) =>
      proposeTopic(trx, a, actor, {
        title: '汝阳县小麦机收过半',
        brief: '跟拍农机手，算一笔收入账',
        dueAt: inHours(48),
        campaignId: wheat.id,
      }),
    );
    t.match(proposal, {
      status: 'proposed',
      origin: 'proposal',
      proposedByName: 'ry-reporter',
      campaignTitle: '2026年“三夏”生产报道',
    });
    t.equal(
      reasonOf(await failure(as(ryReporter, (trx, a, actor) => decideTopic(trx, a, actor, proposal.id, true)))),
      'FORBIDDEN',
      'a reporter does not approve',
    );
    t.equal(
      reasonOf(await failure(as(ryReporter, (trx, a, actor) => createTopic(trx, a, actor, { title: 'x' })))),
      'FORBIDDEN',
      'nor plan directly',
    );
    const edited = await as(ryReporter, (trx, a, actor) =>
      updateTopic(trx, a, actor, proposal.id, { brief: '跟拍农机手，算一笔收入账；采访县农业农村局' }),
    );
    t.match(edited.brief, /农业农村局/, 'the proposer changes their waiting proposal');
    t.equal(
      reasonOf(
        await failure(
          as(ryEditor, (trx, a, actor) => createTopic(trx, a, actor, { title: 'x', campaignId: randomUUID() })),
        ),
      ),
      'CAMPAIGN_NOT_FOUND',
      'an unknown campaign',
    );
    t.equal(
      reasonOf(
        await failure(
          as(ycEditor, (trx, a, actor) => createTopic(trx, a, actor, { title: 'x', campaignId: local.id })),
        ),
      ),
      'CAMPAIGN_NOT_FOUND',
      'a sibling’s campaign',
    );
    t.equal(
      reasonOf(
        await failure(
          as(lyEditor, (trx, a, actor) => createTopic(trx, a, actor, { title: 'x', campaignId: local.id })),
        ),
      ),
      'CAMPAIGN_NOT_FOUND',
      'a descendant’s campaign: read, never named',
    );
    const planned = await as(ryEditor, (trx, a, actor) =>
      decideTopic(trx, a, actor, proposal.id, true, '可以，注意安全'),
    );
    t.match(planned, { status: 'planned', decidedByName: 'ry-editor', decisionNote: '可以，注意安全' });
    t.equal(
      reasonOf(
        await failure(as(ryReporter, (trx, a, actor) => updateTopic(trx, a, actor, proposal.id, { title: 'x' }))),
      ),
      'FORBIDDEN',
      'once planned it is the desk’s',
    );
    const weak = await as(ryReporter, (trx, a, actor) => proposeTopic(trx, a, actor, { title: '县城新开一家奶茶店' }));
    t.equal(
      reasonOf(await failure(as(ryEditor, (trx, a, actor) => decideTopic(trx, a, actor, weak.id, false, ' ')))),
      'PLANNING_INVALID',
      'declining needs a reason',
    );
    t.match(await as(ryEditor, (trx, a, actor) => decideTopic(trx, a, actor, weak.id, false, '新闻价值不足')), {
      status: 'declined',
      decisionNote: '新闻价值不足',
    });
    t.equal(
      reasonOf(await failure(as(ryEditor, (trx, a, actor) => decideTopic(trx, a, actor, weak.id, true)))),
      'TOPIC_STATE',
      'decided once',
    );
    const withdrawn = await as(ryReporter, (trx, a, actor) => proposeTopic(trx, a, actor, { title: '撤回的报题' }));
    t.equal(
      (await as(ryReporter, (trx, a, actor) => closeTopic(trx, a, actor, withdrawn.id, 'dropped'))).status,
      'dropped',
      'a proposer withdraws their own proposal',
    );

    // ---- 派单 to people
    const people = await as(ryEditor, (trx, a) => assignablePeople(trx, a));
    t.same(
      people.map((p) => p.name).sort(),
      ['ry-chief', 'ry-editor', 'ry-reporter', 'ry-reviewer'],
      'the tenant’s staff with a tenant-wide role',
    );
    const [toReporter, toReviewer] = await as(ryEditor, (trx, a, actor) =>
      assignTopic(trx, a, actor, planned.id, {
        assignees: [{ staffId: ryReporter.staff.id }, { staffId: ryReviewer.staff.id }],
        task: 'write',
        instructions: '周五前交稿',
      }),
    );
    t.match(toReporter, {
      assigneeName: 'ry-reporter',
      status: 'assigned',
      progress: 'pending',
      task: 'write',
      title: '汝阳县小麦机收过半',
      dueAt: planned.dueAt,
      assignedByName: 'ry-editor',
    });
    t.equal(
      reasonOf(
        await failure(
          as(ryEditor, (trx, a, actor) =>
            assignTopic(trx, a, actor, planned.id, { assignees: [{ staffId: ryReporter.staff.id }], task: 'write' }),
          ),
        ),
      ),
      'ASSIGNED_ALREADY',
    );
    t.equal(
      (
        await as(ryEditor, (trx, a, actor) =>
          assignTopic(trx, a, actor, planned.id, { assignees: [{ staffId: ryReporter.staff.id }], task: 'photo' }),
        )
      ).length,
      1,
      'another task for the same person',
    );
    t.equal(
      reasonOf(
        await failure(
          as(ryEditor, (trx, a, actor) =>
            assignTopic(trx, a, actor, planned.id, { assignees: [{ staffId: ycEditor.staff.id }], task: 'write' }),
          ),
        ),
      ),
      'ASSIGNEE_INVALID',
      'a person of another tenant',
    );
    t.equal(
      reasonOf(
        await failure(
          as(ryEditor, (trx, a, actor) =>
            assignTopic(trx, a, actor, planned.id, { assignees: [{ tenantId: id('yichuan') }], task: 'write' }),
          ),
        ),
      ),
      'ASSIGNEE_INVALID',
      'a sibling tenant',
    );
    t.equal(
      reasonOf(
        await failure(
          as(ryEditor, (trx, a, actor) =>
            assignTopic(trx, a, actor, weak.id, { assignees: [{ staffId: ryReporter.staff.id }], task: 'write' }),
          ),
        ),
      ),
      'TOPIC_STATE',
      'a declined topic',
    );
    t.same(
      (await as(ryReporter, (trx, a) => myAssignments(trx, a, { open: true }))).map((x) => x.task).sort(),
      ['photo', 'write'],
      '我的任务',
    );
    t.equal(
      reasonOf(await failure(as(ryEditor, (trx, a, actor) => answerAssignment(trx, a, actor, toReporter!.id, true)))),
      'FORBIDDEN',
      'only the person answers their assignment',
    );
    t.match(await as(ryReporter, (trx, a, actor) => answerAssignment(trx, a, actor, toReporter!.id, true)), {
      status: 'accepted',
      progress: 'accepted',
      answeredByName: 'ry-reporter',
    });
    t.match(
      await as(ryReviewer, (trx, a, actor) => answerAssignment(trx, a, actor, toReviewer!.id, false, '本周值夜班')),
      { status: 'declined', declineReason: '本周值夜班' },
    );
    // 写稿: a draft titled after the assignment, filed at once
    const { storyId, assignment: drafted } = await as(ryReporter, (trx, a, actor) =>
      draftAssignmentStory(trx, a, actor, toReporter!.id),
    );
    t.match(drafted, {
      progress: 'filed',
      storyId,
      storyTitle: '汝阳县小麦机收过半',
      storyState: 'draft',
      filedByName: 'ry-reporter',
    });
    // publish it behind the newsroom's back (its chain is tested elsewhere): the progress follows the story
    await owner
      .updateTable('stories')
      .set({ status: 'published', published_revision: 1, first_published_at: new Date(), published_at: new Date() })
      .where('id', '=', storyId)
      .execute();
    const reporterTasks = await as(ryReporter, (trx, a) => myAssignments(trx, a, { open: true }));
    t.same(
      reporterTasks.map((x) => x.task),
      ['photo'],
      'a published story closes the task',
    );
    t.equal(
      reasonOf(
        await failure(as(ryEditor, (trx, a, actor) => cancelAssignment(trx, a, actor, toReporter!.id, '不需要了'))),
      ),
      'ASSIGNMENT_STATE',
      'a published one stays',
    );
    t.equal(
      reasonOf(
        await failure(as(ryReporter, (trx, a, actor) => fileAssignment(trx, a, actor, toReporter!.id, storyId))),
      ),
      'ASSIGNMENT_STATE',
      'and is done: nothing more to file',
    );
    t.equal(
      (await as(ryReporter, (trx, a) => myAssignments(trx, a))).find((x) => x.id === toReporter!.id)?.state,
      'completed',
      'the publication completed the coverage (the trigger on stories, in its transaction)',
    );
    const { story: another } = await as(ryReporter, (trx, a, actor) =>
      createStory(trx, a, actor, { kind: 'article', title: '另一篇稿件', body: [] }),
    );
    const secondDelivery = await failure(
      owner.updateTable('assignments').set({ story_id: another.id }).where('id', '=', toReporter!.id).execute(),
    );
    t.equal((secondDelivery as { code?: string }).code, '23514', 'a second delivery is refused past the code too');

    // ---- 下派: the province assigns desks; the county answers, covers it with its people, files up
    const hnTopic = await as(hnEditor, (trx, a, actor) =>
      createTopic(trx, a, actor, { title: '各地夏粮收购价格调查', campaignId: wheat.id, dueAt: inHours(-2) }),
    );
    const [toLuoyang, toRuyang, toHnEditor] = await as(hnEditor, (trx, a, actor) =>
      assignTopic(trx, a, actor, hnTopic.id, {
        assignees: [{ tenantId: id('luoyang') }, { tenantId: id('ruyang') }, { staffId: hnEditor.staff.id }],
        task: 'write',
        instructions: '每地一篇，附收购价表',
      }),
    );
    t.match(toRuyang, {
      assigneeTenantName: '汝阳县',
      assigneeStaffId: null,
      assigneeName: '汝阳县',
      overdue: true,
      campaignTitle: '2026年“三夏”生产报道',
    });
    t.ok(toLuoyang && toHnEditor);
    t.same(
      (await as(ryEditor, (trx, a) => incomingAssignments(trx, a))).map((x) => x.title),
      ['各地夏粮收购价格调查'],
      '上级派单 reaches the county',
    );
    t.same(await as(ycEditor, (trx, a) => incomingAssignments(trx, a)), [], 'not its sibling');
    t.same(
      (await as(zzEditor, (trx, a) => listTopics(trx, a, { subtree: true }))).items,
      [],
      'another city sees nothing of the province’s or the county’s plans',
    );
    t.equal(
      reasonOf(await failure(as(ryReporter, (trx, a, actor) => answerAssignment(trx, a, actor, toRuyang!.id, true)))),
      'FORBIDDEN',
      'a reporter does not answer for the desk',
    );
    t.equal(
      reasonOf(await failure(as(hnEditor, (trx, a, actor) => answerAssignment(trx, a, actor, toRuyang!.id, true)))),
      'ASSIGNMENT_NOT_FOUND',
      'nor does the assigner',
    );
    const accepted = await as(ryEditor, (trx, a, actor) => answerAssignment(trx, a, actor, toRuyang!.id, true));
    t.match(accepted, { status: 'accepted', answeredByName: 'ry-editor' });
    t.ok(accepted.localTopicId, 'the county now has a topic of its own for it');
    const localTopic = await as(ryEditor, (trx, a) => topicById(trx, a, accepted.localTopicId!));
    t.match(localTopic, {
      origin: 'assignment',
      status: 'planned',
      upstreamTenantName: '河南',
      title: '各地夏粮收购价格调查',
      brief: '每地一篇，附收购价表',
      campaignTitle: '2026年“三夏”生产报道',
    });
    t.equal(
      reasonOf(
        await failure(
          as(ryEditor, (trx, a, actor) => answerAssignment(trx, a, actor, toRuyang!.id, false, '人手不足')),
        ),
      ),
      'ASSIGNMENT_STATE',
      'a desk that accepted has planned on it: only the assigner ends it now',
    );
    t.match(
      await as(lyEditor, (trx, a, actor) =>
        answerAssignment(trx, a, actor, toLuoyang!.id, false, '洛阳已另行安排专题'),
      ),
      { status: 'declined' },
    );
    // the county's desk assigns its reporter, who files an existing story: the province's assignment gets it too
    const [local1] = await as(ryEditor, (trx, a, actor) =>
      assignTopic(trx, a, actor, localTopic.id, { assignees: [{ staffId: ryReporter.staff.id }], task: 'write' }),
    );
    const notMine = await failure(
      as(ryReporter, (trx, a, actor) => fileAssignment(trx, a, actor, local1!.id, randomUUID())),
    );
    t.equal(reasonOf(notMine), 'STORY_INVALID', 'a story that is not the tenant’s');
    t.match(await as(ryReporter, (trx, a, actor) => fileAssignment(trx, a, actor, local1!.id, storyId)), {
      status: 'accepted',
      progress: 'published',
      storyId,
    });
    const seenByProvince = (
      await as(hnEditor, (trx) => assignmentsOfTopics(trx, [{ tenantId: id('henan'), topicId: hnTopic.id }]))
    ).get(hnTopic.id)!;
    t.match(
      seenByProvince.find((x) => x.id === toRuyang!.id),
      {
        progress: 'published',
        storyTitle: '汝阳县小麦机收过半',
        storyState: 'published',
        overdue: false,
        filedByName: 'ry-reporter',
      },
      'the province sees the county’s published story on its assignment',
    );
    t.match(
      seenByProvince.find((x) => x.id === toLuoyang!.id),
      { progress: 'declined', declineReason: '洛阳已另行安排专题' },
    );

    // ---- the other party may change its answer only, and only to an answer (row-level security and the guard)
    const guard = await failure(
      withTenant(db, id('ruyang'), (trx) =>
        trx.updateTable('assignments').set({ title: '改掉上级的选题' }).where('id', '=', toRuyang!.id).execute(),
      ),
    );
    t.equal((guard as { code?: string }).code, '42501', 'the assignee tenant cannot rewrite the assignment');
    const cancelSelf = await failure(
      withTenant(db, id('ruyang'), (trx) =>
        trx.updateTable('assignments').set({ status: 'cancelled' }).where('id', '=', toRuyang!.id).execute(),
      ),
    );
    t.equal((cancelSelf as { code?: string }).code, '42501', 'nor cancel it');
    const sibling = await withTenant(db, id('yichuan'), (trx) =>
      trx
        .updateTable('assignments')
        .set({ status: 'declined', decline_reason: 'x' })
        .where('id', '=', toRuyang!.id)
        .executeTakeFirst(),
    );
    t.equal(Number(sibling.numUpdatedRows), 0, 'a sibling cannot touch it at all');
    const forged = await failure(
      withTenant(db, id('ruyang'), (trx) =>
        trx
          .insertInto('assignments')
          .values({
            tenant_id: id('ruyang'),
            topic_id: localTopic.id,
            assignee_tenant_id: id('yichuan'),
            assignee_name: 'x',
            task: 'write',
            title: 'x',
          })
          .execute(),
      ),
    );
    t.equal((forged as { code?: string }).code, '23514', 'an assignment to a sibling is refused by the tree check');

    // ---- 上报: the county pitches a topic up; the province decides
    const pitch = await as(ryEditor, (trx, a, actor) =>
      pitchTopic(trx, a, actor, { topicId: planned.id, toTenantId: id('henan'), note: '机收率全市第一' }),
    );
    t.match(
      pitch,
      {
        status: 'pending',
        campaignTitle: '2026年“三夏”生产报道',
        toTenantName: '河南',
        topicTitle: '汝阳县小麦机收过半',
        pitchedByName: 'ry-editor',
      },
      'into the province’s campaign the topic names',
    );
    t.equal(
      reasonOf(
        await failure(
          as(ryEditor, (trx, a, actor) => pitchTopic(trx, a, actor, { topicId: planned.id, toTenantId: id('henan') })),
        ),
      ),
      'PITCHED_ALREADY',
    );
    t.equal(
      reasonOf(
        await failure(
          as(ryEditor, (trx, a, actor) =>
            pitchTopic(trx, a, actor, { topicId: planned.id, toTenantId: id('yichuan') }),
          ),
        ),
      ),
      'PITCH_TARGET',
      'only up the tree',
    );
    t.equal(
      reasonOf(
        await failure(
          as(ryEditor, (trx, a, actor) =>
            pitchTopic(trx, a, actor, { topicId: planned.id, toTenantId: id('luoyang'), campaignId: local.id }),
          ),
        ),
      ),
      'CAMPAIGN_NOT_FOUND',
      'a campaign of another tenant than the receiver',
    );
    const toCity = await as(ryEditor, (trx, a, actor) =>
      pitchTopic(trx, a, actor, { topicId: planned.id, toTenantId: id('luoyang') }),
    );
    t.equal(toCity.campaignId, null);
    t.equal((await as(ryEditor, (trx, a, actor) => withdrawPitch(trx, a, actor, toCity.id))).status, 'withdrawn');
    t.equal(
      reasonOf(await failure(as(lyEditor, (trx, a, actor) => decidePitch(trx, a, actor, pitch.id, true)))),
      'PITCH_NOT_FOUND',
      'the city reads the pitch to the province but does not decide it',
    );
    t.same(
      (await as(hnEditor, (trx, a) => incomingPitches(trx, a, { status: 'pending' }))).map((p) => [
        p.tenantName,
        p.topicTitle,
      ]),
      [['汝阳县', '汝阳县小麦机收过半']],
    );
    t.equal(
      reasonOf(await failure(as(hnEditor, (trx, a, actor) => decidePitch(trx, a, actor, pitch.id, false)))),
      'PLANNING_INVALID',
      'declining needs a reason',
    );
    t.match(await as(hnEditor, (trx, a, actor) => decidePitch(trx, a, actor, pitch.id, true, '纳入全省联动')), {
      status: 'accepted',
      decidedByName: 'hn-editor',
      decisionNote: '纳入全省联动',
    });
    t.equal(
      reasonOf(await failure(as(ryEditor, (trx, a, actor) => withdrawPitch(trx, a, actor, pitch.id)))),
      'PITCH_STATE',
    );
    const rewrite = await failure(
      withTenant(db, id('henan'), (trx) =>
        trx.updateTable('pitches').set({ note: '改写下级的报题' }).where('id', '=', pitch.id).execute(),
      ),
    );
    t.equal((rewrite as { code?: string }).code, '42501', 'the receiver changes its decision only');
    const redecide = await failure(
      withTenant(db, id('henan'), (trx) =>
        trx
          .updateTable('pitches')
          .set({ status: 'declined', decision_note: '改主意了' })
          .where('id', '=', pitch.id)
          .execute(),
      ),
    );
    t.equal((redecide as { code?: string }).code, '42501', 'and only while the pitch waits for it');
    const reopen = await failure(
      withTenant(db, id('luoyang'), (trx) =>
        trx
          .updateTable('assignments')
          .set({ status: 'accepted', decline_reason: null })
          .where('id', '=', toLuoyang!.id)
          .execute(),
      ),
    );
    t.equal(
      (reopen as { code?: string }).code,
      '42501',
      'a declined desk assignment is not taken back behind the assigner’s back',
    );
    // dropping a topic withdraws its pitches still waiting
    const short = await as(ryEditor, (trx, a, actor) => createTopic(trx, a, actor, { title: '短期选题' }));
    const shortPitch = await as(ryEditor, (trx, a, actor) =>
      pitchTopic(trx, a, actor, { topicId: short.id, toTenantId: id('luoyang') }),
    );
    await as(ryEditor, (trx, a, actor) => closeTopic(trx, a, actor, short.id, 'dropped'));
    t.same(
      (await as(lyEditor, (trx, a) => incomingPitches(trx, a)))
        .filter((p) => p.id === shortPitch.id)
        .map((p) => p.status),
      ['withdrawn'],
      'dropping a topic withdraws its waiting pitches',
    );

    // ---- the campaign board: the province's topics and its subtree's that name the campaign
    const board = await as(hnEditor, (trx, a) => listTopics(trx, a, { subtree: true, campaignId: wheat.id }));
    t.same(
      board.items.map((x) => `${x.tenantName}:${x.title}`).sort(),
      ['河南:各地夏粮收购价格调查', '汝阳县:各地夏粮收购价格调查', '汝阳县:汝阳县小麦机收过半'].sort(),
    );
    t.equal((await as(hnEditor, (trx, a) => campaignById(trx, a, wheat.id))).topicCount, 3);
    t.equal(
      (await as(ryEditor, (trx, a) => listTopics(trx, a))).total,
      5,
      'the county’s own topics: proposals (approved, declined, withdrawn), the local one, one dropped',
    );
    t.same(
      (await as(ryReporter, (trx, a) => listTopics(trx, a, { mine: true }))).items.map((x) => x.title).sort(),
      ['县城新开一家奶茶店', '各地夏粮收购价格调查', '撤回的报题', '汝阳县小麦机收过半'].sort(),
      'mine: proposed by me or assigned to me',
    );
    t.match(
      await as(hnEditor, (trx, a) => planningCounts(trx, a)),
      { planned: 1, overdue: 1, incomingPitches: 0, mine: 1 },
      'the province’s own open assignment to its editor is late',
    );
    t.match(await as(ryEditor, (trx, a) => planningCounts(trx, a)), {
      proposed: 0,
      planned: 2,
      incomingAssignments: 0,
    });

    // ---- closing: a dropped topic cancels its open assignments
    const [open1] = await as(hnEditor, (trx, a, actor) =>
      assignTopic(trx, a, actor, hnTopic.id, { assignees: [{ tenantId: id('zhengzhou') }], task: 'video' }),
    );
    await as(hnChief, (trx, a, actor) => closeTopic(trx, a, actor, hnTopic.id, 'dropped', '改由省台统一采制'));
    const after = (
      await as(hnEditor, (trx) => assignmentsOfTopics(trx, [{ tenantId: id('henan'), topicId: hnTopic.id }]))
    ).get(hnTopic.id)!;
    t.match(
      after.find((x) => x.id === open1!.id),
      { status: 'cancelled', cancelReason: '选题已撤销：改由省台统一采制' },
    );
    t.match(
      after.find((x) => x.id === toRuyang!.id),
      { progress: 'published' },
      'a published one is left as it was',
    );
    t.equal(
      reasonOf(await failure(as(ryEditor, (trx, a, actor) => updateTopic(trx, a, actor, weak.id, { title: 'x' })))),
      'TOPIC_STATE',
    );
    t.equal(
      (await as(hnChief, (trx, a, actor) => updateCampaign(trx, a, actor, wheat.id, { status: 'closed' }))).status,
      'closed',
    );
    t.equal(
      reasonOf(
        await failure(
          as(ryEditor, (trx, a, actor) => createTopic(trx, a, actor, { title: 'x', campaignId: wheat.id })),
        ),
      ),
      'CAMPAIGN_CLOSED',
    );
    t.equal(
      (
        await as(ryEditor, (trx, a, actor) =>
          updateTopic(trx, a, actor, planned.id, { title: '汝阳县小麦机收基本结束', campaignId: wheat.id }),
        )
      ).campaignId,
      wheat.id,
      'a topic keeps the campaign it names after that closes',
    );

    // ---- isolation: nothing without a scope, nothing of a sibling
    for (const table of ['campaigns', 'topics', 'assignments', 'pitches'] as const) {
      t.equal(
        (
          await withPublic(db, (trx) =>
            trx
              .selectFrom(table)
              .select(sql<number>`count(*)::int`.as('n'))
              .executeTakeFirstOrThrow(),
          )
        ).n,
        0,
        `${table}: nothing in the public scope`,
      );
      t.equal(
        (
          await db
            .selectFrom(table)
            .select(sql<number>`count(*)::int`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
        0,
        `${table}: nothing outside a transaction`,
      );
    }
    t.equal(
      (
        await withTenant(db, id('yichuan'), (trx) =>
          trx.selectFrom('topics').selectAll().where('tenant_id', '=', id('ruyang')).execute(),
        )
      ).length,
      0,
      'a sibling reads no topic',
    );
    t.equal(
      (await withTenant(db, id('yichuan'), (trx) => trx.selectFrom('pitches').selectAll().execute())).length,
      0,
      'nor pitch',
    );
    t.equal(
      (
        await withTenant(db, id('zhengzhou'), (trx) =>
          trx.selectFrom('assignments').selectAll().where('tenant_id', '=', id('ruyang')).execute(),
        )
      ).length,
      0,
    );
    t.equal(
      (
        await withTenant(db, id('luoyang'), (trx) =>
          trx.selectFrom('topics').selectAll().where('tenant_id', '=', id('ruyang')).execute(),
        )
      ).length,
      5,
      'the county’s city reads its plans',
    );

    // ---- coverage history (assignment_history): read by the owner, its ancestors and the assignee;
    // a sibling neither reads nor writes it, nobody rewrites it
    for (const scope of ['public', 'none'] as const) {
      const n =
        scope === 'public'
          ? await withPublic(db, (trx) =>
              trx
                .selectFrom('assignment_history')
                .select(sql<number>`count(*)::int`.as('n'))
                .executeTakeFirstOrThrow(),
            )
          : await db
              .selectFrom('assignment_history')
              .select(sql<number>`count(*)::int`.as('n'))
              .executeTakeFirstOrThrow();
      t.equal(n.n, 0, `assignment_history: nothing in the ${scope} scope`);
    }
    const ryHistory = await withTenant(db, id('ruyang'), (trx) =>
      trx.selectFrom('assignment_history').selectAll().where('tenant_id', '=', id('ruyang')).execute(),
    );
    t.ok(ryHistory.length > 0, 'the county reads the history of its coverages');
    t.equal(
      (
        await withTenant(db, id('yichuan'), (trx) =>
          trx.selectFrom('assignment_history').selectAll().where('tenant_id', '=', id('ruyang')).execute(),
        )
      ).length,
      0,
      'a sibling reads none of it',
    );
    t.equal(
      (
        await withTenant(db, id('luoyang'), (trx) =>
          trx.selectFrom('assignment_history').selectAll().where('tenant_id', '=', id('ruyang')).execute(),
        )
      ).length,
      ryHistory.length,
      'its city reads all of it',
    );
    const forgedHistory = await failure(
      withTenant(db, id('yichuan'), (trx) =>
        trx
          .insertInto('assignment_history')
          .values({
            tenant_id: id('ruyang'),
            assignment_id: ryHistory[0]!.assignment_id,
            actor_name: 'x',
            to_state: 'completed',
          })
          .execute(),
      ),
    );
    t.equal((forgedHistory as { code?: string }).code, '42501', 'a sibling cannot write into it');
    const rewritten = await withTenant(db, id('ruyang'), (trx) =>
      trx.updateTable('assignment_history').set({ reason: 'x' }).where('tenant_id', '=', id('ruyang')).execute(),
    ).then(
      (r) => Number(r[0]?.numUpdatedRows ?? 0),
      (e: unknown) => (e as { code?: string }).code,
    );
    t.equal(rewritten, '42501', 'nor does its own tenant rewrite it');

    // ---- audit: every act is recorded in the acting tenant
    const audit = await withTenant(db, id('ruyang'), (trx) =>
      trx
        .selectFrom('audit_log')
        .select('action')
        .where('target_kind', 'in', ['topic', 'assignment', 'pitch', 'campaign'])
        .execute(),
    );
    const actions = new Set(audit.map((r) => r.action));
    for (const a of [
      'topic.propose',
      'topic.approve',
      'topic.decline',
      'topic.drop',
      'assignment.assign',
      'assignment.accept',
      'assignment.decline',
      'assignment.file',
      'pitch.pitch',
      'pitch.withdraw',
      'campaign.create',
    ])
      t.ok(actions.has(a), a);
  },
);

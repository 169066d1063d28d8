import t from 'tap';
import { withPlatform, withPublic, withTenant, type Story } from '@yiduan/db';
import {
  approveStep,
  passedReview,
  publishIfDue,
  publishStory,
  rejectStep,
  reviewEventsOf,
  reviewQueue,
  saveRevision,
  setTenantChain,
  submitForReview,
  SYSTEM_ACTOR,
} from '../src/index.js';
import {
  as,
  codeOf,
  grant,
  newStaff,
  newStory,
  newsroom,
  ownerStory,
  para,
  review,
  storyInput,
  type World,
} from './newsroom-fixture.js';

const approve = (w: World, who: World['staff'][keyof World['staff']], id: string, comment = '') =>
  as(w, who, w.A, (trx, access, actor) => approveStep(trx, access, actor, id, comment));
const publish = (w: World, who: World['staff'][keyof World['staff']], id: string, at?: Date) =>
  as(w, who, w.A, (trx, access, actor) => publishStory(trx, access, actor, id, at));
const passed = (w: World, story: Story, revision = story.current_revision) =>
  withTenant(w.db, story.tenant_id, (trx) => passedReview(trx, story, revision));
const events = (w: World, id: string) => withTenant(w.db, w.A.id, (trx) => reviewEventsOf(trx, w.A.id, id));
const outbox = (w: World, storyId: string, topic: string) =>
  w.owner
    .selectFrom('outbox')
    .selectAll()
    .where('topic', '=', topic)
    .where(({ eb, ref }) => eb(ref('payload', '->>').key('storyId'), '=', storyId))
    .orderBy('id')
    .execute();

t.test(
  'the default chain: editor, reviewer, chief editor, then approved and published; every step recorded in order',
  async (t) => {
    const w = await newsroom(t);
    const { reporter, editor, reviewer, chief } = w.staff;
    const { story } = await newStory(w, reporter, w.A, { sectionId: w.bendi.id });
    const submitted = await as(w, reporter, w.A, (trx, access, actor) => submitForReview(trx, access, actor, story.id));
    t.match(submitted, {
      status: 'in_review',
      review_step: 1,
      review_revision: 1,
      review_steps: ['editor', 'reviewer', 'chief_editor'],
    });
    t.equal(
      await codeOf(as(w, reporter, w.A, (trx, access, actor) => submitForReview(trx, access, actor, story.id))),
      'INVALID_TRANSITION',
      'no double submission',
    );

    const queue = (who: World['staff'][keyof World['staff']]) =>
      as(w, who, w.A, async (trx, access, actor) => (await reviewQueue(trx, access, actor)).map((s) => s.id));
    t.same(await queue(editor), [story.id], "in the editor's queue");
    t.same(await queue(reviewer), [story.id], 'a more senior role may sign step 1 too: in the reviewer queue');
    t.same(await queue(chief), [story.id], '… and in the chief editor queue');
    t.same(await queue(reporter), [], 'never in the submitter queue');

    t.match(await approve(w, editor, story.id, '一审：文字已校对'), { status: 'in_review', review_step: 2 });
    t.equal(await codeOf(approve(w, editor, story.id)), 'FORBIDDEN', 'an editor does not sign the reviewer step');
    t.same(await queue(editor), [], 'gone from the editor queue (an editor may not sign the reviewer step)');
    t.same(await queue(chief), [story.id], 'step 2 waits for the reviewer or the chief editor');
    t.match(await approve(w, reviewer, story.id, '二审：事实无误'), { status: 'in_review', review_step: 3 });
    t.equal(await passed(w, await ownerStory(w, story.id)), false, 'two of three steps do not pass');
    const approved = await approve(w, chief, story.id, '三审：同意发布');
    t.match(approved, { status: 'approved', review_step: null, published_revision: null });
    t.equal(await passed(w, approved), true);
    t.equal(await codeOf(approve(w, w.staff.multi, story.id)), 'INVALID_TRANSITION', 'nothing left to sign');

    const live = await publish(w, editor, story.id);
    t.match(live, { status: 'published', published_revision: 1 });
    t.ok(live.first_published_at && live.published_at);
    const published = await outbox(w, story.id, 'story.published');
    t.equal(published.length, 1, 'one story.published event');
    t.match(published[0]!.payload, { revision: 1, firstTime: true });

    const ev = await events(w, story.id);
    t.same(
      ev.map((e) => [e.action, e.revision, e.step, e.actor_id, e.actor_name, e.comment]),
      [
        ['submit', 1, null, reporter.id, reporter.display_name, ''],
        ['approve', 1, 1, editor.id, editor.display_name, '一审：文字已校对'],
        ['approve', 1, 2, reviewer.id, reviewer.display_name, '二审：事实无误'],
        ['approve', 1, 3, chief.id, chief.display_name, '三审：同意发布'],
        ['publish', 1, null, editor.id, editor.display_name, ''],
      ],
    );
    for (let i = 1; i < ev.length; i++)
      t.ok(ev[i]!.at.getTime() >= ev[i - 1]!.at.getTime(), `event ${i} not earlier than the one before`);
    // review events are append-only for the application
    const tamper = await codeOf(
      withTenant(w.db, w.A.id, (trx) =>
        trx.updateTable('review_events').set({ comment: '改写' }).where('story_id', '=', story.id).execute(),
      ),
    );
    t.match(tamper, /permission denied/, 'the application role cannot rewrite review history');
  },
);

t.test('four eyes: the submitter cannot sign, nor can one person sign two steps of a round', async (t) => {
  const w = await newsroom(t);
  const { editor, reviewer, chief, multi } = w.staff;
  const { story } = await newStory(w, editor, w.A);
  await as(w, editor, w.A, (trx, access, actor) => submitForReview(trx, access, actor, story.id));
  t.equal(await codeOf(approve(w, editor, story.id)), 'REVIEW_CONFLICT', 'the submitter approves step 1');
  t.equal(
    await codeOf(as(w, editor, w.A, (trx, access, actor) => rejectStep(trx, access, actor, story.id, '自己退回'))),
    'REVIEW_CONFLICT',
    'the submitter rejects',
  );

  await approve(w, multi, story.id);
  t.equal(
    await codeOf(approve(w, multi, story.id)),
    'REVIEW_CONFLICT',
    'editor+reviewer+chief signs step 2 after step 1',
  );
  await approve(w, reviewer, story.id);
  t.equal(await codeOf(approve(w, multi, story.id)), 'REVIEW_CONFLICT', '... nor step 3');
  t.equal(await codeOf(approve(w, reviewer, story.id)), 'FORBIDDEN', 'the reviewer has no chief role');
  t.match(await ownerStory(w, story.id), { status: 'in_review', review_step: 3 });
  t.match(await approve(w, chief, story.id), { status: 'approved' });
  const signers = (await events(w, story.id)).filter((e) => e.action === 'approve').map((e) => e.actor_id);
  t.same(signers, [multi.id, reviewer.id, chief.id]);
  t.equal(new Set([...signers, editor.id]).size, 4, 'four different people');
});

t.test('a rejection needs a reason, returns the story to draft, and a resubmission starts a new round', async (t) => {
  const w = await newsroom(t);
  const { reporter, editor, reviewer, chief } = w.staff;
  const { story } = await newStory(w, reporter, w.A);
  await review(w, w.A, story.id, reporter, [editor, reviewer]);
  const reject = (reason: string) =>
    as(w, chief, w.A, (trx, access, actor) => rejectStep(trx, access, actor, story.id, reason));
  t.equal(await codeOf(reject('')), 'REASON_REQUIRED');
  t.equal(await codeOf(reject('  \n ')), 'REASON_REQUIRED', 'blank');
  t.match(
    await ownerStory(w, story.id),
    { status: 'in_review', review_step: 3 },
    'a refused rejection changes nothing',
  );
  t.match(await reject('  数据需要核实  '), { status: 'draft', review_step: null, review_revision: null });
  const last = (await events(w, story.id)).at(-1)!;
  t.match(last, { action: 'reject', step: 3, revision: 1, actor_id: chief.id, comment: '数据需要核实' });
  t.equal(await codeOf(approve(w, chief, story.id)), 'INVALID_TRANSITION', 'a draft cannot be approved');
  t.equal(await codeOf(publish(w, editor, story.id)), 'REVIEW_NOT_PASSED');

  // same revision, resubmitted: a new round from step 1
  t.match(await as(w, reporter, w.A, (trx, access, actor) => submitForReview(trx, access, actor, story.id)), {
    status: 'in_review',
    review_step: 1,
    review_revision: 1,
  });
  await approve(w, editor, story.id); // the round-1 signer may sign again in round 2
  const mid = await ownerStory(w, story.id);
  t.equal(await passed(w, mid), false, 'round 1 approvals of steps 2 do not count in round 2');
  // even with the status forced, the round-2 record decides
  await w.owner
    .updateTable('stories')
    .set({ status: 'approved', review_step: null })
    .where('id', '=', story.id)
    .execute();
  t.equal(await codeOf(publish(w, editor, story.id)), 'REVIEW_NOT_PASSED');
  await w.owner
    .updateTable('stories')
    .set({ status: 'in_review', review_step: 2 })
    .where('id', '=', story.id)
    .execute();
  await approve(w, reviewer, story.id);
  t.match(await approve(w, chief, story.id), { status: 'approved' }, 'the chief who rejected signs the new round');
  t.match(await publish(w, editor, story.id), { status: 'published', published_revision: 1 });
  t.same(
    (await events(w, story.id)).map((e) => `${e.action}${e.step ?? ''}`),
    ['submit', 'approve1', 'approve2', 'reject3', 'submit', 'approve1', 'approve2', 'approve3', 'publish'],
  );
});

t.test("a section's two-step chain overrides the tenant's", async (t) => {
  const w = await newsroom(t);
  const { story } = await newStory(w, w.staff.reporter, w.A, { sectionId: w.zhengwu.id });
  const s = await as(w, w.staff.reporter, w.A, (trx, access, actor) => submitForReview(trx, access, actor, story.id));
  t.same(s.review_steps, ['editor', 'chief_editor']);
  await approve(w, w.staff.editor, story.id);
  t.equal(
    await codeOf(approve(w, w.staff.reviewer, story.id)),
    'FORBIDDEN',
    "step 2 of this section is the chief editor's",
  );
  t.match(await approve(w, w.staff.chief, story.id), { status: 'approved' }, 'two approvals suffice');
  t.equal(await passed(w, await ownerStory(w, story.id)), true);
  t.match(await publish(w, w.staff.editor, story.id), { status: 'published' });
});

t.test('a tenant chain of one step; a story already in review keeps the chain it was submitted with', async (t) => {
  const w = await newsroom(t);
  const { editorB, reviewerB, chiefB } = w.staff;
  const inB = <T>(who: typeof editorB, fn: Parameters<typeof as<T>>[3]) => as(w, who, w.B, fn);
  const early = await newStory(w, editorB, w.B, { sectionId: w.sectionB.id });
  await inB(editorB, (trx, access, actor) => submitForReview(trx, access, actor, early.story.id));

  await withTenant(w.db, w.B.id, (trx) => setTenantChain(trx, SYSTEM_ACTOR, w.B.id, ['chief_editor']));
  t.match(
    await inB(chiefB, (trx, access, actor) => approveStep(trx, access, actor, early.story.id)),
    { status: 'in_review', review_step: 2 },
    'the early story keeps its three steps (the chief signs its editor step)',
  );
  t.equal((await ownerStory(w, early.story.id)).review_steps?.length, 3);

  const { story } = await newStory(w, editorB, w.B, { sectionId: w.sectionB.id });
  const s = await inB(editorB, (trx, access, actor) => submitForReview(trx, access, actor, story.id));
  t.same(s.review_steps, ['chief_editor'], 'a section without override follows the tenant chain');
  t.equal(await codeOf(inB(reviewerB, (trx, access, actor) => approveStep(trx, access, actor, story.id))), 'FORBIDDEN');
  t.match(
    await inB(chiefB, (trx, access, actor) => approveStep(trx, access, actor, story.id)),
    { status: 'approved' },
    'one step',
  );
  t.match(await inB(editorB, (trx, access, actor) => publishStory(trx, access, actor, story.id)), {
    status: 'published',
    published_revision: 1,
  });
  t.equal(
    await codeOf(withTenant(w.db, w.B.id, (trx) => setTenantChain(trx, SYSTEM_ACTOR, w.B.id, []))),
    'BAD_USER_INPUT',
    'an empty chain',
  );
  t.equal(
    await codeOf(withTenant(w.db, w.B.id, (trx) => setTenantChain(trx, SYSTEM_ACTOR, w.B.id, ['editor', 'reporter']))),
    'BAD_USER_INPUT',
    'a reporter step',
  );
  t.equal(
    await codeOf(
      withTenant(w.db, w.B.id, (trx) =>
        setTenantChain(trx, SYSTEM_ACTOR, w.B.id, ['editor', 'reviewer', 'chief_editor', 'editor']),
      ),
    ),
    'BAD_USER_INPUT',
    'four steps',
  );
});

t.test(
  'editing an approved or published story makes a new draft revision; the published one stays public until the new one is published',
  async (t) => {
    const w = await newsroom(t);
    const { reporter, editor, reviewer, chief } = w.staff;
    const signers = [editor, reviewer, chief];
    const { story } = await newStory(w, reporter, w.A, { title: '第一版标题' });
    await review(w, w.A, story.id, reporter, signers);
    const edited = await as(w, reporter, w.A, (trx, access, actor) =>
      saveRevision(trx, access, actor, story.id, storyInput({ title: '审后改动的标题' }), { baseRevision: 1 }),
    );
    t.match(edited.story, { status: 'draft', current_revision: 2, published_revision: null, review_steps: null });
    t.equal(
      await codeOf(publish(w, editor, story.id)),
      'REVIEW_NOT_PASSED',
      'the approval was for revision 1, not the edit',
    );
    await w.owner.updateTable('stories').set({ status: 'approved' }).where('id', '=', story.id).execute();
    t.equal(
      await codeOf(publish(w, editor, story.id)),
      'REVIEW_NOT_PASSED',
      'revision 1 approvals do not carry over to revision 2, even with the status forced',
    );
    await w.owner.updateTable('stories').set({ status: 'draft' }).where('id', '=', story.id).execute();

    await review(w, w.A, story.id, reporter, signers);
    const first = await publish(w, editor, story.id);
    t.match(first, { status: 'published', published_revision: 2 });

    const publicView = () =>
      withPublic(w.db, async (trx) => ({
        story: await trx
          .selectFrom('stories')
          .select(['id', 'published_revision'])
          .where('id', '=', story.id)
          .executeTakeFirst(),
        revisions: (
          await trx
            .selectFrom('story_revisions')
            .select(['number', 'title'])
            .where('story_id', '=', story.id)
            .orderBy('number')
            .execute()
        ).map((r) => `${r.number}:${r.title}`),
      }));
    t.same(await publicView(), { story: { id: story.id, published_revision: 2 }, revisions: ['2:审后改动的标题'] });

    const third = await as(w, editor, w.A, (trx, access, actor) =>
      saveRevision(trx, access, actor, story.id, storyInput({ title: '发布后更正的标题' }), { baseRevision: 2 }),
    );
    t.match(
      third.story,
      { status: 'draft', current_revision: 3, published_revision: 2 },
      'still published as revision 2',
    );
    t.equal(third.story.published_at?.getTime(), first.published_at?.getTime(), 'published_at unchanged');
    t.same(
      await publicView(),
      { story: { id: story.id, published_revision: 2 }, revisions: ['2:审后改动的标题'] },
      'the public sees revision 2 only',
    );

    // in review: still revision 2 in public; an edit during review withdraws it
    await as(w, reporter, w.A, (trx, access, actor) => submitForReview(trx, access, actor, story.id));
    await approve(w, editor, story.id);
    const fourth = await as(w, reporter, w.A, (trx, access, actor) =>
      saveRevision(trx, access, actor, story.id, storyInput({ title: '审校中又改的标题' })),
    );
    t.match(fourth.story, { status: 'draft', current_revision: 4, published_revision: 2, review_step: null });
    t.match(
      (await events(w, story.id)).at(-1),
      { action: 'withdraw', revision: 3 },
      'the withdrawal of revision 3 is recorded',
    );
    t.equal(await codeOf(approve(w, reviewer, story.id)), 'INVALID_TRANSITION', 'the half-reviewed round is over');

    await review(w, w.A, story.id, reporter, signers);
    const republished = await publish(w, editor, story.id);
    t.match(republished, { status: 'published', published_revision: 4 });
    t.equal(republished.first_published_at?.getTime(), first.first_published_at?.getTime(), 'first_published_at kept');
    t.same(await publicView(), { story: { id: story.id, published_revision: 4 }, revisions: ['4:审校中又改的标题'] });
    t.same(
      (await outbox(w, story.id, 'story.published')).map((o) => [
        (o.payload as { revision: number }).revision,
        (o.payload as { firstTime: boolean }).firstTime,
      ]),
      [
        [2, true],
        [4, false],
      ],
    );
  },
);

t.test('scheduled publishing: scheduled with an outbox event at that time, published once when due', async (t) => {
  const w = await newsroom(t);
  const { reporter, editor, reviewer, chief } = w.staff;
  const { story } = await newStory(w, reporter, w.A);
  await review(w, w.A, story.id, reporter, [editor, reviewer, chief]);
  const at = new Date(Date.now() + 2 * 3600_000);
  at.setMilliseconds(0);
  const scheduled = await publish(w, editor, story.id, at);
  t.match(scheduled, { status: 'scheduled', published_revision: null });
  t.equal(scheduled.scheduled_at?.getTime(), at.getTime());
  const due = await outbox(w, story.id, 'story.publish_due');
  t.equal(due.length, 1);
  t.equal(due[0]!.available_at.getTime(), at.getTime(), 'the outbox row waits until the scheduled time');
  t.match(due[0]!.payload, { storyId: story.id, revision: 1, tenantId: w.A.id });
  t.match((await events(w, story.id)).at(-1), {
    action: 'schedule',
    revision: 1,
    actor_id: editor.id,
    comment: at.toISOString(),
  });

  // the worker narrows its transaction to the tenant (setTenant) before calling publishIfDue
  const worker = (revision = 1) =>
    withTenant(w.db, w.A.id, (trx) => publishIfDue(trx, SYSTEM_ACTOR, w.A.id, story.id, revision));
  t.equal(await worker(), null, 'before the time: nothing');
  t.match(await ownerStory(w, story.id), { status: 'scheduled', published_revision: null });

  await w.owner
    .updateTable('stories')
    .set({ scheduled_at: new Date(Date.now() - 60_000) })
    .where('id', '=', story.id)
    .execute();
  t.equal(await worker(2), null, 'a different revision: nothing');
  const live = await worker();
  t.match(live, { status: 'published', published_revision: 1, scheduled_at: null });
  t.equal(await worker(), null, 'second run: nothing');
  const publishes = (await events(w, story.id)).filter((e) => e.action === 'publish');
  t.equal(publishes.length, 1, 'one publish event');
  t.equal(publishes[0]!.actor_name, SYSTEM_ACTOR.name);
  t.equal((await outbox(w, story.id, 'story.published')).length, 1);

  t.equal(
    await codeOf(publish(w, editor, story.id, new Date(Date.now() + 400 * 86400_000))),
    'REVIEW_NOT_PASSED',
    'already published',
  );
});

t.test(
  'scheduled publishing: concurrent workers publish once; an edit cancels the schedule; too far ahead is refused',
  async (t) => {
    const w = await newsroom(t);
    const { reporter, editor, reviewer, chief } = w.staff;
    const signers = [editor, reviewer, chief];
    const a = (await newStory(w, reporter, w.A)).story;
    await review(w, w.A, a.id, reporter, signers);
    t.equal(
      await codeOf(publish(w, editor, a.id, new Date(Date.now() + 400 * 86400_000))),
      'BAD_USER_INPUT',
      'more than a year ahead',
    );
    await publish(w, editor, a.id, new Date(Date.now() + 3600_000));
    await w.owner
      .updateTable('stories')
      .set({ scheduled_at: new Date(Date.now() - 1000) })
      .where('id', '=', a.id)
      .execute();
    const results = await Promise.all(
      [1, 2, 3].map(() => withPlatform(w.db, (trx) => publishIfDue(trx, SYSTEM_ACTOR, w.A.id, a.id, 1))),
    );
    t.equal(results.filter((r) => r !== null).length, 1, 'exactly one worker published');
    t.equal((await events(w, a.id)).filter((e) => e.action === 'publish').length, 1);

    const b = (await newStory(w, reporter, w.A)).story;
    await review(w, w.A, b.id, reporter, signers);
    await publish(w, editor, b.id, new Date(Date.now() + 3600_000));
    const edited = await as(w, reporter, w.A, (trx, access, actor) =>
      saveRevision(trx, access, actor, b.id, storyInput({ title: '定时前修改' })),
    );
    t.match(edited.story, { status: 'draft', scheduled_at: null, current_revision: 2 });
    t.match((await events(w, b.id)).at(-1), { action: 'withdraw', revision: 1 });
    await w.owner
      .updateTable('stories')
      .set({ scheduled_at: new Date(Date.now() - 1000) })
      .where('id', '=', b.id)
      .execute();
    t.equal(
      await withPlatform(w.db, (trx) => publishIfDue(trx, SYSTEM_ACTOR, w.A.id, b.id, 1)),
      null,
      'the old schedule does nothing',
    );
    t.equal(
      await withPlatform(w.db, (trx) => publishIfDue(trx, SYSTEM_ACTOR, w.A.id, b.id, 2)),
      null,
      'nor does the unreviewed revision',
    );
    t.equal((await ownerStory(w, b.id)).published_revision, null);
  },
);

t.test('a stale base revision is refused and nothing is written', async (t) => {
  const w = await newsroom(t);
  const { story } = await newStory(w, w.staff.reporter, w.A);
  const save = (base: number, title: string) =>
    as(w, w.staff.editor, w.A, (trx, access, actor) =>
      saveRevision(trx, access, actor, story.id, storyInput({ title, body: [para(title)] }), { baseRevision: base }),
    );
  t.equal((await save(1, '编辑甲的修改')).revision.number, 2);
  t.equal(await codeOf(save(1, '编辑乙基于旧版的修改')), 'STALE_REVISION');
  t.equal(await codeOf(save(3, '来自未来的版本')), 'STALE_REVISION');
  const revs = await w.owner
    .selectFrom('story_revisions')
    .select(['number', 'title'])
    .where('story_id', '=', story.id)
    .orderBy('number')
    .execute();
  t.same(revs, [
    { number: 1, title: '汝阳县举办杜康文化节' },
    { number: 2, title: '编辑甲的修改' },
  ]);
  t.equal((await ownerStory(w, story.id)).current_revision, 2);
  t.equal((await save(2, '基于最新版的修改')).revision.number, 3);
});

t.test('approvals of an earlier round never count in a later one', async (t) => {
  const w = await newsroom(t);
  const { reporter, editor, reviewer, chief } = w.staff;
  const { story } = await newStory(w, reporter, w.A);
  await review(w, w.A, story.id, reporter, [editor, reviewer, chief]);
  t.equal(await passed(w, await ownerStory(w, story.id)), true, 'round 1 passed');
  // put the same revision back to draft (as a forced reset would) and submit it again
  await w.owner
    .updateTable('stories')
    .set({ status: 'draft', review_step: null, review_revision: null })
    .where('id', '=', story.id)
    .execute();
  await as(w, reporter, w.A, (trx, access, actor) => submitForReview(trx, access, actor, story.id));
  t.equal(await passed(w, await ownerStory(w, story.id)), false, 'round 2 has no approvals yet');
  await w.owner
    .updateTable('stories')
    .set({ status: 'approved', review_step: null })
    .where('id', '=', story.id)
    .execute();
  t.equal(await codeOf(publish(w, editor, story.id)), 'REVIEW_NOT_PASSED', 'round 1 does not make round 2 publishable');
  await w.owner
    .updateTable('stories')
    .set({ status: 'in_review', review_step: 1 })
    .where('id', '=', story.id)
    .execute();
  await approve(w, editor, story.id);
  await approve(w, reviewer, story.id);
  t.equal(await passed(w, await ownerStory(w, story.id)), false, 'two of three in round 2');
  await approve(w, chief, story.id);
  t.equal(await passed(w, await ownerStory(w, story.id)), true);
});

t.test(
  "an editor's own story passes the three-step chain with the county's own people; four eyes still hold",
  async (t) => {
    const w = await newsroom(t);
    const { editor, reviewer, chief, reporter } = w.staff;
    const editor2 = await newStaff(w.db, 'ry-editor2', '汝阳编辑二');
    await grant(w.db, w.A.id, { staffId: editor2.id }, 'editor');
    const queue = (who: typeof editor) =>
      as(w, who, w.A, async (trx, access, actor) => (await reviewQueue(trx, access, actor)).map((s) => s.id));

    // the editor writes; a colleague editor, the reviewer and the chief editor sign
    const { story } = await newStory(w, editor, w.A, { sectionId: w.bendi.id });
    await as(w, editor, w.A, (trx, access, actor) => submitForReview(trx, access, actor, story.id));
    t.same(await queue(editor), [], 'not in the submitter queue');
    t.same(await queue(editor2), [story.id], 'in the colleague editor queue');
    t.same(await queue(chief), [story.id], 'and in the chief editor queue: a senior role may sign step 1');
    t.equal(await codeOf(approve(w, editor, story.id)), 'REVIEW_CONFLICT', 'the submitter never signs');
    t.equal(await codeOf(approve(w, reporter, story.id)), 'FORBIDDEN', 'a reporter signs no step');
    t.match(await approve(w, editor2, story.id), { review_step: 2 });
    t.equal(await codeOf(approve(w, editor2, story.id)), 'FORBIDDEN', 'an editor never signs the reviewer step');
    t.match(await approve(w, reviewer, story.id), { review_step: 3 });
    t.equal(await codeOf(approve(w, reviewer, story.id)), 'FORBIDDEN', 'a junior role never signs a senior step');
    t.match(await approve(w, chief, story.id), { status: 'approved' });
    t.match(await publish(w, editor, story.id), { status: 'published' });

    // the chief editor signs the editor step: then someone else must sign the chief step
    const second = (await newStory(w, editor, w.A, { sectionId: w.bendi.id })).story;
    await as(w, editor, w.A, (trx, access, actor) => submitForReview(trx, access, actor, second.id));
    t.match(await approve(w, chief, second.id), { review_step: 2 }, 'the chief editor signs step 1');
    t.match(await approve(w, reviewer, second.id), { review_step: 3 });
    t.equal(
      await codeOf(approve(w, chief, second.id)),
      'REVIEW_CONFLICT',
      'the chief editor who signed step 1 cannot sign step 3',
    );
    t.same(await queue(chief), [], 'so it leaves the chief editor queue');
    t.match(await approve(w, w.staff.multi, second.id), { status: 'approved' }, 'another chief editor signs it');
    const signers = (await events(w, second.id)).filter((e) => e.action === 'approve').map((e) => e.actor_id);
    t.same(signers, [chief.id, reviewer.id, w.staff.multi.id]);
  },
);

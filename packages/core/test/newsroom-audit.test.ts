import t from 'tap';
import { withPlatform, withTenant } from '@yiduan/db';
import {
  approveStep,
  correctStory,
  listAudit,
  publishStory,
  rejectStep,
  retractStory,
  saveRevision,
  submitForReview,
  unpublishStory,
} from '../src/index.js';
import { as, codeOf, newStory, newsroom, review, storyInput } from './newsroom-fixture.js';

t.test('every transition of a story leaves one audit row, in order, with actor and revision', async (t) => {
  const w = await newsroom(t);
  const { reporter, editor, reviewer, chief } = w.staff;
  const { story } = await newStory(w, reporter, w.A);
  const id = story.id;
  await as(w, reporter, w.A, (trx, access, actor) =>
    saveRevision(trx, access, actor, id, storyInput({ title: '第二稿' }), { baseRevision: 1 }),
  );
  await as(w, reporter, w.A, (trx, access, actor) => submitForReview(trx, access, actor, id));
  await as(w, editor, w.A, (trx, access, actor) => rejectStep(trx, access, actor, id, '导语过长'));
  await as(w, reporter, w.A, (trx, access, actor) =>
    saveRevision(trx, access, actor, id, storyInput({ title: '第三稿' }), { baseRevision: 2 }),
  );
  await review(w, w.A, id, reporter, [editor, reviewer, chief]);
  // refused attempts leave nothing behind
  t.equal(
    await codeOf(as(w, reporter, w.A, (trx, access, actor) => publishStory(trx, access, actor, id))),
    'FORBIDDEN',
  );
  t.equal(
    await codeOf(as(w, editor, w.A, (trx, access, actor) => approveStep(trx, access, actor, id))),
    'INVALID_TRANSITION',
  );
  await as(w, editor, w.A, (trx, access, actor) => publishStory(trx, access, actor, id));
  await as(w, editor, w.A, (trx, access, actor) => correctStory(trx, access, actor, id, '第二段人名有误，已更正'));
  await as(w, editor, w.A, (trx, access, actor) => unpublishStory(trx, access, actor, id, '暂时下线'));
  await as(w, chief, w.A, (trx, access, actor) => retractStory(trx, access, actor, id, '来源不实'));

  const rows = (await withTenant(w.db, w.A.id, (trx) => listAudit(trx, { targetId: id }))).reverse();
  t.same(
    rows.map((r) => [r.action, r.actor_id, r.revision, (r.detail as { step?: number }).step ?? null]),
    [
      ['story.create', reporter.id, 1, null],
      ['story.revise', reporter.id, 2, null],
      ['story.submit', reporter.id, 2, null],
      ['story.reject', editor.id, 2, 1],
      ['story.revise', reporter.id, 3, null],
      ['story.submit', reporter.id, 3, null],
      ['story.approve', editor.id, 3, 1],
      ['story.approve', reviewer.id, 3, 2],
      ['story.approve', chief.id, 3, 3],
      ['story.publish', editor.id, 3, null],
      ['story.correct', editor.id, 3, null],
      ['story.unpublish', editor.id, 3, null],
      ['story.retract', chief.id, 3, null],
    ],
  );
  t.ok(rows.every((r) => r.tenant_id === w.A.id && r.target_kind === 'story' && r.actor_kind === 'staff'));
  t.match(rows[3]!.detail, { comment: '导语过长' }, 'the reason is kept');
  t.match(rows.find((r) => r.action === 'story.retract')!.detail, { comment: '来源不实' });
  t.ok(
    rows.every((r, i) => i === 0 || (r.id > rows[i - 1]!.id && r.at.getTime() >= rows[i - 1]!.at.getTime())),
    'ids and times ascend',
  );

  t.same(
    await withTenant(w.db, w.B.id, (trx) => listAudit(trx, { targetId: id })),
    [],
    'another county reads none of it',
  );
  t.equal(
    (await withPlatform(w.db, (trx) => listAudit(trx, { targetId: id }))).length,
    rows.length,
    'the platform reads all of it',
  );
  const page1 = await withTenant(w.db, w.A.id, (trx) => listAudit(trx, { targetId: id, limit: 5 }));
  const page2 = await withTenant(w.db, w.A.id, (trx) =>
    listAudit(trx, { targetId: id, limit: 5, before: page1.at(-1)!.id }),
  );
  t.same(
    [...page1, ...page2].map((r) => r.id),
    rows
      .slice(-10)
      .reverse()
      .map((r) => r.id),
    'paging backwards with before',
  );
  const byChief = await withTenant(w.db, w.A.id, (trx) => listAudit(trx, { actorId: chief.id, targetId: id }));
  t.same(
    byChief.map((r) => r.action),
    ['story.retract', 'story.approve'],
  );
});

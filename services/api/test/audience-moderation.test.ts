import t from 'tap';
import { reportComment } from '@yiduan/core';
import { withCitizen } from '@yiduan/db';
import { errorCode } from '@yiduan/testkit';
import { audienceWorld } from './audience-fixture.js';

interface CommentOut {
  id: string;
  story: { id: string; title: string | null };
  authorName: string;
  body: string;
  official: boolean;
  status: string;
  heldReason: string | null;
  findings: { severity: string; match: string }[];
  reports: number;
  moderatedAt: string | null;
  moderationNote: string | null;
  parentId: string | null;
}
type Queue = {
  commentQueue: {
    totalCount: number;
    nodes: CommentOut[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  };
};

const FIELDS =
  'id story { id title } authorName body official status heldReason findings { severity match } reports moderatedAt moderationNote parentId';
const QUEUE = `query($t: ID!, $s: CommentQueueFilter, $first: Int, $offset: Int) { commentQueue(tenantId: $t, status: $s, first: $first, offset: $offset) { totalCount nodes { ${FIELDS} } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
const MODERATE = `mutation($t: ID!, $id: ID!, $d: ModerationDecision!, $n: String) { moderateComment(tenantId: $t, id: $id, decision: $d, note: $n) { ${FIELDS} } }`;
const REPLY = `mutation($t: ID!, $id: ID!, $b: String!) { replyToComment(tenantId: $t, commentId: $id, body: $b) { ${FIELDS} } }`;
const SETTINGS = `mutation($t: ID!, $i: AudienceSettingsInput!) { setAudienceSettings(tenantId: $t, input: $i) { commentsPremoderated commentsEnabled messageDueDays } }`;

t.test('moderation: settings, the queue, decisions, reports and official replies', async (t) => {
  const w = await audienceWorld(t);
  const { A, B } = w;
  const owner = w.deps.tdb.owner;
  const admin = await w.as(w.staff.aAdmin);
  const editor = await w.as(w.staff.aEditor);
  const reporter = await w.as(w.staff.aReporter);
  const [reader, other] = await Promise.all([
    w.citizen('13900000001', '热心读者'),
    w.citizen('13900000002', '另一位读者'),
  ]);
  const audits = async (action: string) =>
    Number(
      (
        await owner
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', A.id)
          .where('action', '=', action)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const outbox = async () =>
    Number(
      (
        await owner
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', A.id)
          .where('topic', '=', 'comments.changed')
          .executeTakeFirstOrThrow()
      ).n,
    );

  // settings: who may change them, what is refused, what is recorded
  t.same(
    (
      await admin<{ audienceSettings: unknown }>(
        `query($t: ID!) { audienceSettings(tenantId: $t) { commentsPremoderated commentsEnabled messageDueDays } }`,
        { t: A.id },
      )
    ).data!.audienceSettings,
    { commentsPremoderated: false, commentsEnabled: true, messageDueDays: 5 },
    'defaults',
  );
  t.equal(
    errorCode(await editor(SETTINGS, { t: A.id, i: { commentsPremoderated: true } })),
    'FORBIDDEN',
    'an editor cannot change the settings',
  );
  const bad = await admin(SETTINGS, { t: A.id, i: { messageDueDays: 0 } });
  t.equal(errorCode(bad), 'BAD_USER_INPUT');
  t.equal(bad.errors?.[0]?.extensions?.problems?.[0]?.path, 'messageDueDays', 'the problem names the field');
  t.equal(await audits('audience.settings'), 0, 'refused changes are not recorded');
  const set = await admin<{ setAudienceSettings: unknown }>(SETTINGS, { t: A.id, i: { commentsPremoderated: true } });
  t.same(
    set.data!.setAudienceSettings,
    { commentsPremoderated: true, commentsEnabled: true, messageDueDays: 5 },
    'a partial change keeps the rest',
  );
  t.equal(await audits('audience.settings'), 1, 'the change is audited');
  t.same(
    (
      await w
        .as(w.staff.bAdmin)
        .then((b) =>
          b<{ audienceSettings: { commentsPremoderated: boolean } }>(
            `query($t: ID!) { audienceSettings(tenantId: $t) { commentsPremoderated } }`,
            { t: B.id },
          ),
        )
    ).data!.audienceSettings.commentsPremoderated,
    false,
    "B's settings are B's own",
  );

  // a comment waits for an editor on a pre-moderating face
  const held = await w.comment(reader, A, w.storyA, '文化节什么时候再办？');
  t.equal(held.status, 'pending');
  const queue = await editor<Queue>(QUEUE, { t: A.id });
  t.equal(queue.data!.commentQueue.totalCount, 1);
  t.match(queue.data!.commentQueue.nodes[0], {
    id: held.id,
    story: { id: w.storyA, title: '汝阳县举办杜康文化节' },
    authorName: '热心读者',
    status: 'PENDING',
    heldReason: '本站评论先审后发',
    reports: 0,
    official: false,
  });
  t.equal(errorCode(await reporter(QUEUE, { t: A.id })), 'FORBIDDEN', 'a reporter has no moderation queue');
  t.equal(errorCode(await reporter(MODERATE, { t: A.id, id: held.id, d: 'APPROVE' })), 'FORBIDDEN', 'nor moderates');

  t.equal(
    errorCode(await editor(MODERATE, { t: A.id, id: held.id, d: 'REJECT' })),
    'REASON_REQUIRED',
    'rejecting needs a note',
  );
  t.equal(
    errorCode(await editor(MODERATE, { t: A.id, id: '00000000-0000-4000-8000-000000000000', d: 'APPROVE' })),
    'COMMENT_NOT_FOUND',
  );
  t.equal(
    errorCode(await editor(MODERATE, { t: A.id, id: 'nonsense', d: 'APPROVE' })),
    'COMMENT_NOT_FOUND',
    'a malformed id is not found, not a crash',
  );
  const eventsBefore = await outbox();
  const approved = await editor<{ moderateComment: CommentOut }>(MODERATE, { t: A.id, id: held.id, d: 'APPROVE' });
  t.match(approved.data!.moderateComment, {
    id: held.id,
    status: 'APPROVED',
    story: { title: '汝阳县举办杜康文化节' },
    reports: 0,
  });
  t.ok(approved.data!.moderateComment.moderatedAt, 'moderation time recorded');
  t.equal(await outbox(), eventsBefore + 1, "the face's story pages are told to change");
  t.equal(await audits('comment.approve'), 1);
  t.equal((await editor<Queue>(QUEUE, { t: A.id })).data!.commentQueue.totalCount, 0, 'the queue is empty again');

  // readers report it; the reported queue shows it; hiding takes it off the face
  for (const c of [reader, other])
    await withCitizen(w.deps.db, c.id, (trx) => reportComment(trx, c.id, A.id, held.id, '不实信息'));
  const reported = (await editor<Queue>(QUEUE, { t: A.id, s: 'REPORTED' })).data!.commentQueue;
  t.same(
    reported.nodes.map((n) => [n.id, n.reports, n.status]),
    [[held.id, 2, 'APPROVED']],
    'the reported queue counts the reports',
  );
  const hidden = await editor<{ moderateComment: CommentOut }>(MODERATE, {
    t: A.id,
    id: held.id,
    d: 'HIDE',
    n: '经核实为不实信息',
  });
  t.match(hidden.data!.moderateComment, { status: 'HIDDEN', moderationNote: '经核实为不实信息', reports: 2 });
  t.equal(
    (await editor<Queue>(QUEUE, { t: A.id, s: 'REPORTED' })).data!.commentQueue.totalCount,
    0,
    'a hidden comment leaves the reported queue',
  );
  t.equal(
    (await editor<Queue>(QUEUE, { t: A.id, s: 'HIDDEN' })).data!.commentQueue.nodes[0]?.id,
    held.id,
    'and is found among the hidden',
  );
  t.equal(await audits('comment.hide'), 1);
  const row = await owner
    .selectFrom('comments')
    .select(['status', 'moderated_by'])
    .where('id', '=', held.id)
    .executeTakeFirstOrThrow();
  t.same(row, { status: 'hidden', moderated_by: w.staff.aEditor.id }, 'stored with the moderator');

  // an official reply to an approved comment
  const second = await w.comment(other, A, w.storyA, '希望多办这样的活动');
  await editor(MODERATE, { t: A.id, id: second.id, d: 'APPROVE' });
  const reply = await editor<{ replyToComment: CommentOut }>(REPLY, {
    t: A.id,
    id: second.id,
    b: '感谢关注，明年继续举办。',
  });
  t.match(reply.data!.replyToComment, {
    official: true,
    status: 'APPROVED',
    authorName: '汝阳县',
    parentId: second.id,
    story: { id: w.storyA },
  });
  t.equal(await audits('comment.official_reply'), 1);
  t.equal(
    errorCode(await editor(REPLY, { t: A.id, id: second.id, b: '   ' })),
    'BAD_USER_INPUT',
    'an empty reply is refused',
  );
  t.equal(
    errorCode(await editor(REPLY, { t: B.id, id: second.id, b: '回复' })),
    'FORBIDDEN',
    'no reply in another tenant',
  );
  const bootstrap = await w.anonymous(
    REPLY,
    { t: A.id, id: second.id, b: '回复' },
    { token: w.deps.config.bootstrapOperatorToken },
  );
  t.equal(errorCode(bootstrap), 'FORBIDDEN', 'the bootstrap operator is nobody to sign an official reply');

  // blocking terminology holds a comment even where it would appear at once; findings are shown
  await admin(SETTINGS, { t: A.id, i: { commentsPremoderated: false } });
  const rule = await admin(
    `mutation($t: ID!) { createTerminologyRule(tenantId: $t, input: { pattern: "某某黑幕", kind: LITERAL, severity: BLOCK }) { id } }`,
    { t: A.id },
  );
  t.equal(rule.errors, undefined, 'a blocking rule is set');
  const free = await w.comment(reader, A, w.storyA, '祝贺文化节成功举办');
  t.equal(free.status, 'approved', 'without pre-moderation a clean comment appears at once');
  const blocked = await w.comment(reader, A, w.storyA, '这里有某某黑幕');
  const pending = (await editor<Queue>(QUEUE, { t: A.id })).data!.commentQueue.nodes;
  t.same(
    pending.map((n) => n.id),
    [blocked.id],
  );
  t.equal(pending[0]!.heldReason, '含有禁用表述');
  t.match(pending[0]!.findings, [{ severity: 'BLOCK', match: '某某黑幕' }], 'the finding is shown to the moderator');

  // paging
  const page1 = (await editor<Queue>(QUEUE, { t: A.id, s: 'APPROVED', first: 2 })).data!.commentQueue;
  t.equal(page1.totalCount, 3, 'approved: the second comment, the reply, the clean comment');
  t.equal(page1.nodes.length, 2);
  t.same([page1.pageInfo.hasNextPage, page1.pageInfo.hasPreviousPage], [true, false]);
  const page2 = (await editor<Queue>(QUEUE, { t: A.id, s: 'APPROVED', first: 2, offset: 2 })).data!.commentQueue;
  t.same([page2.nodes.length, page2.pageInfo.hasNextPage, page2.pageInfo.hasPreviousPage], [1, false, true]);
  t.equal(errorCode(await editor(QUEUE, { t: A.id, first: 0 })), 'BAD_USER_INPUT', 'a page of nothing is refused');
  t.equal(errorCode(await editor(QUEUE, { t: A.id, offset: -1 })), 'BAD_USER_INPUT');
});

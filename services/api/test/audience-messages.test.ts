import t from 'tap';
import { rateMessage } from '@yiduan/core';
import { withCitizen } from '@yiduan/db';
import { errorCode } from '@yiduan/testkit';
import { audienceWorld } from './audience-fixture.js';

interface MessageOut {
  id: string;
  serial: string;
  unit: { name: string } | null;
  category: string;
  title: string;
  body: string;
  photos: string[];
  contactName: string | null;
  contactPhone: string | null;
  allowPublic: boolean;
  status: string;
  assignee: { id: string; login: string } | null;
  dueAt: string;
  overdue: boolean;
  reply: string | null;
  replyPublic: boolean;
  repliedAt: string | null;
  rating: number | null;
  events: {
    fromStatus: string | null;
    toStatus: string;
    staff: { id: string } | null;
    byCitizen: boolean;
    note: string | null;
  }[];
}
type Inbox = { messages: { totalCount: number; nodes: MessageOut[] } };
type Overdue = {
  overdueMessages: {
    tenant: { slug: string };
    id: string;
    serial: string;
    unit: { name: string } | null;
    category: string;
    status: string;
  }[];
};

const FIELDS =
  'id serial unit { name } category title body photos contactName contactPhone allowPublic status assignee { id login } dueAt overdue reply replyPublic repliedAt rating events { fromStatus toStatus staff { id } byCitizen note }';
const INBOX = `query($t: ID!, $s: MessageStatus, $u: ID, $o: Boolean) { messages(tenantId: $t, status: $s, unitId: $u, overdueOnly: $o) { totalCount nodes { ${FIELDS} } } }`;
const ONE = `query($t: ID!, $id: ID!) { message(tenantId: $t, id: $id) { ${FIELDS} } }`;
const ASSIGN = `mutation($t: ID!, $id: ID!, $s: ID!, $n: String) { assignMessage(tenantId: $t, id: $id, assigneeId: $s, note: $n) { ${FIELDS} } }`;
const REPLY = `mutation($t: ID!, $id: ID!, $r: String!, $p: Boolean) { replyToMessage(tenantId: $t, id: $id, reply: $r, public: $p) { ${FIELDS} } }`;
const CLOSE = `mutation($t: ID!, $id: ID!, $n: String) { closeMessage(tenantId: $t, id: $id, note: $n) { ${FIELDS} } }`;
const OVERDUE = `query($t: ID!) { overdueMessages(tenantId: $t) { tenant { slug } id serial unit { name } category status } }`;

t.test(
  'messages: the inbox by unit, received → assigned → replied → closed, audited; overdue lists up the tree',
  async (t) => {
    const w = await audienceWorld(t);
    const { A, B, city, province, far, unitX, unitY } = w;
    const owner = w.deps.tdb.owner;
    type Citizen = Awaited<ReturnType<typeof w.citizen>>;
    const [c1, c2, c3, c4, c5, c6, c7] = (await Promise.all(
      ['13700000001', '13700000002', '13700000003', '13700000004', '13700000005', '13700000006', '13700000007'].map(
        (p, i) => w.citizen(p, `留言人${i + 1}`),
      ),
    )) as [Citizen, Citizen, Citizen, Citizen, Citizen, Citizen, Citizen];
    const photo = '11111111-2222-4333-8444-555555555555';
    const m1 = await w.message(c1, A, {
      unit: unitX,
      title: '学校门口交通拥堵',
      category: 'suggestion',
      photos: [photo],
    });
    const m2 = await w.message(c2, A, { title: '噪音扰民', allowPublic: false });
    const m3 = await w.message(c3, A, { unit: unitY, title: '城关镇道路破损' });

    const admin = await w.as(w.staff.aAdmin);
    const unitXStaff = await w.as(w.staff.aUnitX);
    const unitYStaff = await w.as(w.staff.aUnitY);
    const reporter = await w.as(w.staff.aReporter);

    t.test('the inbox: editors see all, unit members their own units only', async (t) => {
      const all = (await admin<Inbox>(INBOX, { t: A.id })).data!.messages;
      t.equal(all.totalCount, 3);
      const one = all.nodes.find((n) => n.id === m1.id)!;
      t.match(one, {
        serial: m1.serial,
        unit: { name: '汝阳县教育局' },
        category: 'SUGGESTION',
        status: 'RECEIVED',
        contactName: '王先生',
        contactPhone: '13800000001',
        allowPublic: true,
        overdue: false,
        assignee: null,
        reply: null,
      });
      t.same(one.photos, [`/assets/${photo}`], 'photos as asset URLs');
      t.same(
        one.events.map((e) => [e.fromStatus, e.toStatus, e.byCitizen]),
        [[null, 'RECEIVED', true]],
      );
      t.ok(new Date(one.dueAt).getTime() > Date.now() + 2 * 86400_000, 'due in five working days');

      const x = (await unitXStaff<Inbox>(INBOX, { t: A.id })).data!.messages;
      t.same(
        x.nodes.map((n) => n.id),
        [m1.id],
        'unit X sees only its message',
      );
      t.same(
        (await unitYStaff<Inbox>(INBOX, { t: A.id })).data!.messages.nodes.map((n) => n.id),
        [m3.id],
        'unit Y sees only its message',
      );
      t.same(
        (await unitXStaff<Inbox>(INBOX, { t: A.id, u: unitY.id })).data!.messages.nodes,
        [],
        "asking for another unit's finds nothing",
      );
      t.equal(errorCode(await unitXStaff(ONE, { t: A.id, id: m2.id })), 'FORBIDDEN', 'nor the tenant-wide ones, by id');
      t.equal(errorCode(await unitXStaff(ONE, { t: A.id, id: m3.id })), 'FORBIDDEN', "nor another unit's, by id");
      t.equal(
        (await unitXStaff<{ message: MessageOut }>(ONE, { t: A.id, id: m1.id })).data!.message.id,
        m1.id,
        'its own, by id',
      );
      t.equal(
        errorCode(await unitXStaff(ASSIGN, { t: A.id, id: m3.id, s: w.staff.aUnitX.id })),
        'FORBIDDEN',
        "cannot handle another unit's message",
      );
      t.equal(errorCode(await reporter(INBOX, { t: A.id })), 'FORBIDDEN', 'a tenant-wide reporter has no inbox');
      t.same(
        (await admin<Inbox>(INBOX, { t: A.id, s: 'RECEIVED', u: unitY.id })).data!.messages.nodes.map((n) => n.id),
        [m3.id],
        'filters by status and unit',
      );
      t.equal(
        (await admin<{ message: unknown }>(ONE, { t: A.id, id: 'not-an-id' })).data!.message,
        null,
        'a malformed id finds nothing',
      );
    });

    t.test('received → assigned → replied (public) → rated → closed, every change recorded', async (t) => {
      const wrongAssignee = await admin(ASSIGN, { t: A.id, id: m1.id, s: w.staff.bAdmin.id });
      t.equal(errorCode(wrongAssignee), 'STAFF_NOT_FOUND', 'the assignee must hold a role in the tenant');
      t.equal(errorCode(await admin(ASSIGN, { t: A.id, id: m1.id, s: 'x' })), 'STAFF_NOT_FOUND');
      const assigned = (
        await admin<{ assignMessage: MessageOut }>(ASSIGN, {
          t: A.id,
          id: m1.id,
          s: w.staff.aUnitX.id,
          n: '请教育局办理',
        })
      ).data!.assignMessage;
      t.match(assigned, { status: 'ASSIGNED', assignee: { id: w.staff.aUnitX.id, login: w.staff.aUnitX.login } });

      const replied = (
        await unitXStaff<{ replyToMessage: MessageOut }>(REPLY, {
          t: A.id,
          id: m1.id,
          r: '已协调交警在上下学时段疏导交通。',
          p: true,
        })
      ).data!.replyToMessage;
      t.match(replied, { status: 'REPLIED', reply: '已协调交警在上下学时段疏导交通。', replyPublic: true });
      t.ok(replied.repliedAt);
      const topics = (
        await owner
          .selectFrom('outbox')
          .select('topic')
          .where('tenant_id', '=', A.id)
          .where('topic', 'like', 'message%')
          .execute()
      )
        .map((r) => r.topic)
        .sort();
      t.same(
        topics,
        ['message.received', 'message.received', 'message.received', 'message.replied', 'messages.public_changed'],
        "the face's message board is told of the public reply",
      );

      await withCitizen(w.deps.db, c1.id, (trx) => rateMessage(trx, c1.id, A.id, m1.id, 5));
      const closed = (await unitXStaff<{ closeMessage: MessageOut }>(CLOSE, { t: A.id, id: m1.id })).data!.closeMessage;
      t.match(closed, { status: 'CLOSED', rating: 5, overdue: false });
      t.equal(
        errorCode(await admin(REPLY, { t: A.id, id: m1.id, r: '补充答复' })),
        'INVALID_TRANSITION',
        'a closed message takes no more replies',
      );
      t.equal(
        errorCode(await admin(ASSIGN, { t: A.id, id: m1.id, s: w.staff.aEditor.id })),
        'INVALID_TRANSITION',
        'nor assignments',
      );

      t.same(
        closed.events.map((e) => [e.fromStatus, e.toStatus, e.staff?.id ?? null, e.byCitizen, e.note]),
        [
          [null, 'RECEIVED', null, true, null],
          ['RECEIVED', 'ASSIGNED', w.staff.aAdmin.id, false, '请教育局办理'],
          ['ASSIGNED', 'REPLIED', w.staff.aUnitX.id, false, null],
          ['REPLIED', 'REPLIED', null, true, '满意度 5 星'],
          ['REPLIED', 'CLOSED', w.staff.aUnitX.id, false, null],
        ],
        'every change in the events, with who made it',
      );
      const stored = await owner
        .selectFrom('citizen_message_events')
        .select(['from_status', 'to_status', 'staff_id'])
        .where('message_id', '=', m1.id)
        .orderBy('id')
        .execute();
      t.equal(stored.length, 5, 'and in citizen_message_events');
      const audit = await owner
        .selectFrom('audit_log')
        .select(['action', 'actor_id', 'detail'])
        .where('tenant_id', '=', A.id)
        .where('target_id', '=', m1.id)
        .orderBy('id')
        .execute();
      t.same(
        audit.map((a) => [a.action, a.actor_id]),
        [
          ['message.assigned', w.staff.aAdmin.id],
          ['message.replied', w.staff.aUnitX.id],
          ['message.closed', w.staff.aUnitX.id],
        ],
        'every staff change in the audit log',
      );
      t.match(audit[0]!.detail, { from: 'received', serial: m1.serial });
    });

    t.test('a reply is public only with the citizen’s agreement; closing unanswered needs a note', async (t) => {
      const before = await owner
        .selectFrom('citizen_message_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('message_id', '=', m2.id)
        .executeTakeFirstOrThrow();
      const refused = await admin(REPLY, { t: A.id, id: m2.id, r: '已联系物业处理。', p: true });
      t.equal(errorCode(refused), 'FORBIDDEN');
      t.match(refused.errors?.[0]?.message, /未同意公开/);
      const after = await owner
        .selectFrom(['citizen_messages as m'])
        .select(['m.status', 'm.reply'])
        .where('m.id', '=', m2.id)
        .executeTakeFirstOrThrow();
      t.same(after, { status: 'received', reply: null }, 'nothing changed');
      t.equal(
        Number(
          (
            await owner
              .selectFrom('citizen_message_events')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('message_id', '=', m2.id)
              .executeTakeFirstOrThrow()
          ).n,
        ),
        Number(before.n),
        'no event either',
      );
      const privateReply = (
        await admin<{ replyToMessage: MessageOut }>(REPLY, { t: A.id, id: m2.id, r: '已联系物业处理。' })
      ).data!.replyToMessage;
      t.match(privateReply, { status: 'REPLIED', replyPublic: false });
      t.equal(
        errorCode(await admin(REPLY, { t: A.id, id: m2.id, r: '   ' })),
        'BAD_USER_INPUT',
        'an empty reply is refused',
      );

      t.equal(
        errorCode(await admin(CLOSE, { t: A.id, id: m3.id })),
        'REASON_REQUIRED',
        'an unanswered message needs a reason to close',
      );
      const closed = (
        await admin<{ closeMessage: MessageOut }>(CLOSE, { t: A.id, id: m3.id, n: '重复留言，已合并办理' })
      ).data!.closeMessage;
      t.match(closed, { status: 'CLOSED', reply: null });
      t.same(closed.events.at(-1), {
        fromStatus: 'RECEIVED',
        toStatus: 'CLOSED',
        staff: { id: w.staff.aAdmin.id },
        byCitizen: false,
        note: '重复留言，已合并办理',
      });
    });

    t.test('overdue messages: listed for the tenant and its ancestors, not for siblings', async (t) => {
      const late = {
        A: await w.message(c4, A, { unit: unitX, title: '汝阳逾期' }),
        B: await w.message(c5, B, { title: '伊川逾期' }),
        city: await w.message(c6, city, { title: '洛阳逾期' }),
        far: await w.message(c7, far, { title: '柘城逾期' }),
      };
      await owner
        .updateTable('citizen_messages')
        .set({ due_at: new Date(Date.now() - 86400_000) })
        .where(
          'id',
          'in',
          Object.values(late).map((m) => m.id),
        )
        .execute();
      // a replied message past its due time is not overdue
      await owner
        .updateTable('citizen_messages')
        .set({ due_at: new Date(Date.now() - 86400_000) })
        .where('id', '=', m2.id)
        .execute();

      const serials = (r: { data: Overdue | null }) =>
        r.data!.overdueMessages.map((m) => `${m.tenant.slug}:${m.serial}`).sort();
      const s = (tenant: string, m: { serial: string }) => `${tenant}:${m.serial}`;
      t.same(serials(await admin<Overdue>(OVERDUE, { t: A.id })), [s('ruyang', late.A)], 'the county: its own');
      const bAdmin = await w.as(w.staff.bAdmin);
      t.same(serials(await bAdmin<Overdue>(OVERDUE, { t: B.id })), [s('yichuan', late.B)], 'the sibling: its own');
      const cityList = await (await w.as(w.staff.cityAdmin))<Overdue>(OVERDUE, { t: city.id });
      t.same(
        serials(cityList),
        [s('luoyang', late.city), s('ruyang', late.A), s('yichuan', late.B)].sort(),
        'the city: its own and its counties’, not another city’s',
      );
      t.match(
        cityList.data!.overdueMessages.find((m) => m.id === late.A.id),
        { unit: { name: '汝阳县教育局' }, category: 'COMPLAINT', status: 'RECEIVED' },
      );
      t.same(
        serials(await (await w.as(w.staff.provinceAdmin))<Overdue>(OVERDUE, { t: province.id })),
        [s('luoyang', late.city), s('ruyang', late.A), s('yichuan', late.B), s('zhecheng', late.far)].sort(),
        'the province: all',
      );
      t.same(
        serials(await (await w.as(w.staff.farAdmin))<Overdue>(OVERDUE, { t: far.id })),
        [s('zhecheng', late.far)],
        'an unrelated county: its own',
      );
      t.equal(
        errorCode(await admin(OVERDUE, { t: B.id })),
        'FORBIDDEN',
        "a county cannot list its sibling's overdue messages",
      );
      t.equal(errorCode(await admin(OVERDUE, { t: city.id })), 'FORBIDDEN', "nor its city's");

      const inbox = (await admin<Inbox>(INBOX, { t: A.id, o: true })).data!.messages;
      t.same(
        inbox.nodes.map((n) => [n.id, n.overdue]),
        [[late.A.id, true]],
        'the inbox filters overdue ones',
      );
      const counts = await (
        await w.as(w.staff.cityAdmin)
      )<{ audienceCounts: { overdue: number; messages: number } }>(
        `query($t: ID!) { audienceCounts(tenantId: $t) { overdue messages } }`,
        { t: A.id },
      );
      t.same(counts.data!.audienceCounts, { overdue: 1, messages: 4 }, 'the city sees the county’s figures');
    });
  },
);

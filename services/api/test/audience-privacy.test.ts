import t from 'tap';
import { sql } from 'kysely';
import { reportComment, setConsent, unfollow } from '@yiduan/core';
import { withCitizen, withTenant } from '@yiduan/db';
import { errorCode } from '@yiduan/testkit';
import { audienceWorld } from './audience-fixture.js';

type Members = {
  members: {
    totalCount: number;
    nodes: {
      id: string;
      displayName: string;
      contact: string | null;
      unit: { name: string } | null;
      consents: { purpose: string; granted: boolean }[];
    }[];
  };
};
type Counts = {
  tenant: { slug: string };
  members: number;
  gained: number;
  lost: number;
  comments: number;
  messages: number;
  overdue: number;
};

const MEMBERS = `query($t: ID!, $u: ID) { members(tenantId: $t, unitId: $u) { totalCount nodes { id displayName contact unit { name } consents { purpose granted } } } }`;
const COUNTS = `query($t: ID!) { audienceCounts(tenantId: $t) { tenant { slug } members gained lost comments messages overdue } }`;
const DESCENDANTS = `query($t: ID!) { audienceCountsOfDescendants(tenantId: $t) { tenant { slug } members gained lost comments messages overdue } }`;

/** Every staff query of the audience that could name or describe a citizen. */
const PERSONAL_QUERIES: [string, string][] = [
  ['members', MEMBERS],
  [
    'members with ended',
    `query($t: ID!) { members(tenantId: $t, includeEnded: true, first: 200) { nodes { displayName contact } } }`,
  ],
  ['commentQueue pending', `query($t: ID!) { commentQueue(tenantId: $t) { nodes { authorName body } } }`],
  [
    'commentQueue approved',
    `query($t: ID!) { commentQueue(tenantId: $t, status: APPROVED) { nodes { authorName body } } }`,
  ],
  [
    'commentQueue reported',
    `query($t: ID!) { commentQueue(tenantId: $t, status: REPORTED) { nodes { authorName body } } }`,
  ],
  ['messages', `query($t: ID!) { messages(tenantId: $t) { nodes { title body contactName contactPhone } } }`],
  ['overdueMessages', `query($t: ID!) { overdueMessages(tenantId: $t) { serial } }`],
];

t.test('privacy: a tenant sees its own members only; ancestors see counts, never lists', async (t) => {
  const w = await audienceWorld(t);
  const { A, B, city, province, far, unitX } = w;
  const [c1, c2, c3, c4, c5] = await Promise.all([
    w.citizen('13800000001', '汝阳读者甲'),
    w.citizen('13800000002', '汝阳读者乙'),
    w.citizen('13800000003', '伊川读者'),
    w.citizen('13800000004', '洛阳读者'),
    w.citizen('13800000005', '柘城读者'),
  ]);
  const m1 = await w.follow(c1, A);
  await w.follow(c2, A, unitX, { contact: false });
  await w.follow(c3, B);
  await w.follow(c4, city);
  await w.follow(c5, far);
  const commentA = await w.comment(c1, A, w.storyA, '文化节办得好');
  await w.comment(c3, B, w.storyB, '丰收了');
  const msgA = await w.message(c1, A, { title: '汝阳的路灯' });
  await w.message(c3, B, { title: '伊川的路灯', contactPhone: '13800000003' });

  const aAdmin = await w.as(w.staff.aAdmin);
  const bAdmin = await w.as(w.staff.bAdmin);
  const cityAdmin = await w.as(w.staff.cityAdmin);
  const provinceAdmin = await w.as(w.staff.provinceAdmin);
  const aReporter = await w.as(w.staff.aReporter);

  t.test('the tenant lists its own members, contact only with consent', async (t) => {
    const r = await aAdmin<Members>(MEMBERS, { t: A.id });
    t.equal(r.data!.members.totalCount, 2);
    const byName = new Map(r.data!.members.nodes.map((n) => [n.displayName, n]));
    t.equal(byName.get('汝阳读者甲')!.contact, '13800000001', 'contact shown with consent');
    t.equal(byName.get('汝阳读者乙')!.contact, null, 'no contact without consent');
    t.equal(byName.get('汝阳读者乙')!.unit?.name, '汝阳县教育局', 'the unit followed');
    t.same(
      byName.get('汝阳读者乙')!.consents.find((c) => c.purpose === 'CONTACT'),
      { purpose: 'CONTACT', granted: false },
    );
    const unit = await aAdmin<Members>(MEMBERS, { t: A.id, u: unitX.id });
    t.same(
      unit.data!.members.nodes.map((n) => n.displayName),
      ['汝阳读者乙'],
      'filtered by unit',
    );
    type Paged = {
      members: { nodes: { displayName: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    };
    const PAGE = `query($t: ID!, $a: String) { members(tenantId: $t, first: 1, after: $a) { nodes { displayName } pageInfo { hasNextPage endCursor } } }`;
    const p1 = (await aAdmin<Paged>(PAGE, { t: A.id })).data!.members;
    const p2 = (await aAdmin<Paged>(PAGE, { t: A.id, a: p1.pageInfo.endCursor })).data!.members;
    t.same([p1.pageInfo.hasNextPage, p2.pageInfo.hasNextPage], [true, false], 'paged by cursor');
    t.same(
      [...p1.nodes, ...p2.nodes].map((n) => n.displayName).sort(),
      ['汝阳读者乙', '汝阳读者甲'],
      'each member once',
    );
    t.equal(errorCode(await aAdmin(PAGE, { t: A.id, a: 'bogus' })), 'BAD_USER_INPUT', 'a forged cursor is refused');
    const viaOwnTenant = await bAdmin<Members>(MEMBERS, { t: B.id, u: unitX.id });
    t.same(viaOwnTenant.data!.members.nodes, [], "another tenant's unit id through one's own tenant finds nothing");
  });

  t.test('no member list of another tenant, whatever the level', async (t) => {
    const cases: [string, typeof aAdmin, string][] = [
      ['sibling county', bAdmin, A.id],
      ['county asking its sibling', aAdmin, B.id],
      ['city on its county', cityAdmin, A.id],
      ['province on a county', provinceAdmin, A.id],
      ['province on a city', provinceAdmin, city.id],
      ['county on its city', aAdmin, city.id],
      ['county on its province', aAdmin, province.id],
      ['county on an unrelated county', aAdmin, far.id],
    ];
    for (const [what, gql, tenantId] of cases) {
      for (const [name, q] of PERSONAL_QUERIES) {
        const r = await gql(q, { t: tenantId });
        t.equal(errorCode(r), 'FORBIDDEN', `${what}: ${name} refused`);
        t.equal(r.data, null, `${what}: ${name} returns no data`);
      }
      t.equal(
        errorCode(
          await gql(`query($t: ID!, $id: ID!) { message(tenantId: $t, id: $id) { id } }`, { t: tenantId, id: msgA.id }),
        ),
        'FORBIDDEN',
        `${what}: message refused`,
      );
    }
    // the city's own list holds its own followers, none of its counties'
    const own = await cityAdmin<Members>(MEMBERS, { t: city.id });
    t.same(
      own.data!.members.nodes.map((n) => n.displayName),
      ['洛阳读者'],
      "the city's list has only the city's own followers",
    );
    const ownProvince = await provinceAdmin<Members>(MEMBERS, { t: province.id });
    t.equal(ownProvince.data!.members.totalCount, 0, "the province's list has none of the counties' followers");
    // staff without an audience role
    t.equal(errorCode(await aReporter(MEMBERS, { t: A.id })), 'FORBIDDEN', 'a reporter cannot list members');
    t.equal(errorCode(await w.anonymous(MEMBERS, { t: A.id })), 'UNAUTHENTICATED');
  });

  t.test('no personal data of another tenant in any answer', async (t) => {
    // a sweep: every personal query, as every other tenant's admin, for every tenant id
    const others = [bAdmin, cityAdmin, provinceAdmin, await w.as(w.staff.farAdmin)];
    const secrets = ['汝阳读者甲', '汝阳读者乙', '13800000001', '13800000002', '文化节办得好', '汝阳的路灯'];
    for (const gql of others) {
      for (const tenantId of [A.id, B.id, city.id, province.id, far.id]) {
        for (const [, q] of [
          ...PERSONAL_QUERIES,
          ['message', `query($t: ID!) { message(tenantId: $t, id: "${msgA.id}") { title body contactPhone } }`] as [
            string,
            string,
          ],
        ]) {
          const text = JSON.stringify(await gql(q, { t: tenantId }));
          for (const s of secrets) if (text.includes(s)) t.fail(`leaked ${s}: ${text}`);
        }
      }
    }
    t.pass('swept every query as every other tenant');
  });

  t.test('ancestors see counts; siblings and unrelated tenants see nothing', async (t) => {
    const expectA = {
      tenant: { slug: 'ruyang' },
      members: 2,
      gained: 2,
      lost: 0,
      comments: 1,
      messages: 1,
      overdue: 0,
    };
    t.same((await aAdmin<{ audienceCounts: Counts }>(COUNTS, { t: A.id })).data!.audienceCounts, expectA, 'own tenant');
    t.same(
      (await cityAdmin<{ audienceCounts: Counts }>(COUNTS, { t: A.id })).data!.audienceCounts,
      expectA,
      'the city on its county',
    );
    t.same(
      (await provinceAdmin<{ audienceCounts: Counts }>(COUNTS, { t: A.id })).data!.audienceCounts,
      expectA,
      'the province on a county',
    );
    const future = await cityAdmin<{ audienceCounts: Counts }>(
      `query($t: ID!, $s: DateTime) { audienceCounts(tenantId: $t, since: $s) { members gained comments } }`,
      { t: A.id, s: '2099-01-01T00:00:00Z' },
    );
    t.same(future.data!.audienceCounts, { members: 2, gained: 0, comments: 0 }, 'figures since a given time');
    t.equal(
      (await provinceAdmin<{ audienceCounts: Counts }>(COUNTS, { t: city.id })).data!.audienceCounts.members,
      1,
      'the province on a city: the city’s own followers',
    );
    for (const [what, gql, tenantId] of [
      ['sibling', bAdmin, A.id],
      ['county on its city', aAdmin, city.id],
      ['county on the province', aAdmin, province.id],
      ['unrelated county', aAdmin, far.id],
      ['city on another city’s county', cityAdmin, far.id],
    ] as const) {
      const r = await gql(COUNTS, { t: tenantId });
      t.equal(errorCode(r), 'FORBIDDEN', `${what}: counts refused`);
      t.equal(r.data, null);
    }
    t.equal(errorCode(await aReporter(COUNTS, { t: B.id })), 'FORBIDDEN', 'a reporter of A on its sibling');
    t.equal(errorCode(await aAdmin(COUNTS, { t: '00000000-0000-4000-8000-000000000000' })), 'TENANT_NOT_FOUND');
    t.equal(errorCode(await w.anonymous(COUNTS, { t: A.id })), 'UNAUTHENTICATED');

    const dash = (await cityAdmin<{ audienceCountsOfDescendants: Counts[] }>(DESCENDANTS, { t: city.id })).data!
      .audienceCountsOfDescendants;
    t.same(
      dash.map((d) => [d.tenant.slug, d.members, d.comments, d.messages]),
      [
        ['luoyang', 1, 0, 0],
        ['ruyang', 2, 1, 1],
        ['yichuan', 1, 1, 1],
      ],
      "the city's dashboard: itself and its counties, not other cities'",
    );
    const provinceDash = (
      await provinceAdmin<{ audienceCountsOfDescendants: Counts[] }>(DESCENDANTS, { t: province.id })
    ).data!.audienceCountsOfDescendants;
    t.equal(provinceDash.length, 8, 'the province sees every tenant');
    t.equal(
      provinceDash.reduce((n, d) => n + d.members, 0),
      5,
      'and the sum of all members',
    );
    t.equal(
      errorCode(await aAdmin(DESCENDANTS, { t: city.id })),
      'FORBIDDEN',
      'a county cannot read its city’s dashboard',
    );
    const own = (await aAdmin<{ audienceCountsOfDescendants: Counts[] }>(DESCENDANTS, { t: A.id })).data!
      .audienceCountsOfDescendants;
    t.same(
      own.map((d) => d.tenant.slug),
      ['ruyang'],
      'a county’s dashboard is itself',
    );
  });

  t.test('a withdrawn consent is honoured in the next CSV export', async (t) => {
    const csv = (token: string | null, tenantId: string) =>
      w.app.inject({
        method: 'GET',
        url: `/exports/members.csv?tenantId=${tenantId}`,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    const adminToken = await w.token(w.staff.aAdmin);
    const first = await csv(adminToken, A.id);
    t.equal(first.statusCode, 200);
    t.equal(first.headers['content-type'], 'text/csv; charset=utf-8');
    t.match(String(first.headers['content-disposition']), /^attachment; filename="members-ruyang-\d{8}\.csv"$/);
    t.equal(first.headers['cache-control'], 'no-store');
    const rowsOf = (body: string) =>
      body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(','));
    const before = rowsOf(first.body);
    t.equal(before.length, 2, 'two members');
    const ji = before.find((r) => r[0] === '汝阳读者甲')!;
    t.equal(ji[6], '13800000001', 'contact exported while consent stands');
    t.equal(ji[4], '是');
    t.equal(before.find((r) => r[0] === '汝阳读者乙')![6], '', 'no contact without consent');

    await withCitizen(w.deps.db, c1.id, (trx) => setConsent(trx, c1.id, m1, 'contact', false));
    const after = rowsOf((await csv(adminToken, A.id)).body);
    const jiAfter = after.find((r) => r[0] === '汝阳读者甲')!;
    t.equal(jiAfter[6], '', 'the withdrawn consent empties the contact column at once');
    t.equal(jiAfter[4], '否');
    const listed = await aAdmin<Members>(MEMBERS, { t: A.id });
    t.equal(
      listed.data!.members.nodes.find((n) => n.displayName === '汝阳读者甲')!.contact,
      null,
      'and the GraphQL list agrees',
    );

    await withCitizen(w.deps.db, c2.id, async (trx) => {
      const m = await trx
        .selectFrom('memberships')
        .select('id')
        .where('citizen_id', '=', c2.id)
        .executeTakeFirstOrThrow();
      await unfollow(trx, c2.id, m.id);
    });
    t.same(
      rowsOf((await csv(adminToken, A.id)).body).map((r) => r[0]),
      ['汝阳读者甲'],
      'an ended membership leaves the export',
    );

    const audits = await w.deps.tdb.owner
      .selectFrom('audit_log')
      .select(['actor_id', 'detail'])
      .where('tenant_id', '=', A.id)
      .where('action', '=', 'audience.members_export')
      .execute();
    t.equal(audits.length, 3, 'every export is audited');
    t.equal(audits[0]!.actor_id, w.staff.aAdmin.id);

    t.equal((await csv(adminToken, B.id)).statusCode, 403, "no export of a sibling's members");
    t.equal(
      (await csv(await w.token(w.staff.cityAdmin), A.id)).statusCode,
      403,
      "no export of a county's members by its city",
    );
    t.equal((await csv(await w.token(w.staff.aReporter), A.id)).statusCode, 403, 'no export by a reporter');
    t.equal((await csv(null, A.id)).statusCode, 401, 'no export without signing in');
    t.equal((await csv(adminToken, 'not-a-uuid')).statusCode, 404);
  });

  t.test('every audience table is isolated by tenant, through the API and underneath it', async (t) => {
    await withCitizen(w.deps.db, c2.id, (trx) => reportComment(trx, c2.id, A.id, commentA.id, '广告'));
    const reported = `query($t: ID!) { commentQueue(tenantId: $t, status: REPORTED) { totalCount nodes { id reports } } }`;
    t.same((await aAdmin<{ commentQueue: unknown }>(reported, { t: A.id })).data!.commentQueue, {
      totalCount: 1,
      nodes: [{ id: commentA.id, reports: 1 }],
    });
    t.same(
      (await bAdmin<{ commentQueue: unknown }>(reported, { t: B.id })).data!.commentQueue,
      { totalCount: 0, nodes: [] },
      "B's queue has none of A's reports",
    );

    const snapshot = async () =>
      (
        await sql<{ s: string }>`SELECT md5(string_agg(x, '|' ORDER BY x)) AS s FROM (
          SELECT row_to_json(c)::text AS x FROM comments c UNION ALL SELECT row_to_json(m)::text FROM citizen_messages m
          UNION ALL SELECT row_to_json(e)::text FROM citizen_message_events e UNION ALL SELECT row_to_json(a)::text FROM audience_settings a
          UNION ALL SELECT row_to_json(r)::text FROM comment_reports r) all_rows`.execute(w.deps.tdb.owner)
      ).rows[0]!.s;
    const before = await snapshot();
    const writes: [string, string, Record<string, unknown>][] = [
      [
        'moderate',
        `mutation($t: ID!, $id: ID!) { moderateComment(tenantId: $t, id: $id, decision: HIDE, note: "x") { id } }`,
        { id: commentA.id },
      ],
      [
        'reply to comment',
        `mutation($t: ID!, $id: ID!) { replyToComment(tenantId: $t, commentId: $id, body: "官方回复") { id } }`,
        { id: commentA.id },
      ],
      [
        'assign',
        `mutation($t: ID!, $id: ID!, $s: ID!) { assignMessage(tenantId: $t, id: $id, assigneeId: $s) { id } }`,
        { id: msgA.id, s: w.staff.bAdmin.id },
      ],
      [
        'reply to message',
        `mutation($t: ID!, $id: ID!) { replyToMessage(tenantId: $t, id: $id, reply: "已处理") { id } }`,
        { id: msgA.id },
      ],
      [
        'close',
        `mutation($t: ID!, $id: ID!) { closeMessage(tenantId: $t, id: $id, note: "x") { id } }`,
        { id: msgA.id },
      ],
    ];
    for (const [what, m, vars] of writes) {
      const viaOwn = await bAdmin(m, { t: B.id, ...vars });
      t.match(errorCode(viaOwn), /^(COMMENT|MESSAGE)_NOT_FOUND$/, `${what} of A's row through B: not found`);
      t.equal(errorCode(await bAdmin(m, { t: A.id, ...vars })), 'FORBIDDEN', `${what} in A by B's admin: forbidden`);
      t.equal(errorCode(await cityAdmin(m, { t: A.id, ...vars })), 'FORBIDDEN', `${what} in A by the city: forbidden`);
    }
    t.same(
      (
        await bAdmin<{ message: unknown }>(`query($t: ID!, $id: ID!) { message(tenantId: $t, id: $id) { id } }`, {
          t: B.id,
          id: msgA.id,
        })
      ).data,
      { message: null },
      "A's message through B: null",
    );
    t.equal(
      errorCode(
        await bAdmin(
          `mutation($t: ID!) { setAudienceSettings(tenantId: $t, input: { commentsEnabled: false }) { commentsEnabled } }`,
          { t: A.id },
        ),
      ),
      'FORBIDDEN',
      "B cannot change A's settings",
    );
    t.equal(await snapshot(), before, 'nothing of any audience table changed');

    // underneath: in B's scope no row of A is changeable, and only what A's face shows anyway is visible
    // (its settings, approved comments, replies the citizen agreed to publish)
    const PUBLIC: Record<string, string> = {
      audience_settings: 'true',
      comments: "status = 'approved'",
      citizen_messages: "reply_public AND status IN ('replied', 'closed')",
    };
    const tables = [
      'audience_settings',
      'memberships',
      'membership_consents',
      'comments',
      'comment_reports',
      'citizen_messages',
      'citizen_message_events',
    ] as const;
    await aAdmin(
      `mutation($t: ID!) { setAudienceSettings(tenantId: $t, input: { messageDueDays: 3 }) { messageDueDays } }`,
      { t: A.id },
    );
    await withTenant(w.deps.db, B.id, async (trx) => {
      for (const table of tables) {
        const count = (where: string) =>
          sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE tenant_id = ${A.id} AND ${sql.raw(where)}`;
        const all = (await count('true').execute(w.deps.tdb.owner)).rows[0]!.n;
        t.ok(all > 0, `${table}: A has rows`);
        const shown = (await count(PUBLIC[table] ?? 'false').execute(w.deps.tdb.owner)).rows[0]!.n;
        t.equal(
          (await count('true').execute(trx)).rows[0]!.n,
          shown,
          `${table}: B's scope sees ${shown ? 'only the public ones' : 'none'} of A's ${all}`,
        );
        const deleted = await trx.deleteFrom(table).where('tenant_id', '=', A.id).executeTakeFirst();
        t.equal(Number(deleted.numDeletedRows), 0, `${table}: B's scope deletes none of A's`);
      }
      const citizens = await trx.selectFrom('citizens').select('display_name').execute();
      t.same(
        citizens.map((c) => c.display_name),
        ['伊川读者'],
        "B's scope sees only its own members among citizens",
      );
    });
  });
});

// An account closed through every step over GraphQL (关停并转, issue #19): the county proposes, a
// sibling and another city can neither see nor act, the city approves, the platform's notice passes
// the county's review chain and appears on the county face, the account's feed is imported with
// original dates and a link back, an old address redirects, 注销 is recorded and the filing tracked.
import t from 'tap';
import { errorCode } from '@yiduan/testkit';
import { demoNewsroom } from './helpers.js';

const FIELDS =
  'id status statusName tenantName account { id name status } successorName reason deciderTenantName noticeStoryId noticePublishedAt filingDue filingOverdue importedItems publishedItems redirects';
const LIST = `query($t: ID!, $d: Date, $a: ID) { govAccountClosures(tenantId: $t, asOf: $d, accountId: $a) { total items { ${FIELDS} } } }`;
const PROPOSE = `mutation($t: ID!, $i: GovClosureInput!) { proposeGovAccountClosure(tenantId: $t, input: $i) { ${FIELDS} } }`;
const DECIDE = `mutation($t: ID!, $id: ID!, $a: Boolean!, $n: String) { decideGovAccountClosure(tenantId: $t, id: $id, approve: $a, note: $n) { ${FIELDS} } }`;
const STEP = (name: string) => `mutation($t: ID!, $id: ID!) { ${name}(tenantId: $t, id: $id) { ${FIELDS} } }`;
const IMPORT =
  'mutation($t: ID!, $id: ID!, $x: String, $f: String) { importGovAccountClosureContent(tenantId: $t, id: $id, text: $x, file: $f) { items imported skipped redirectable } }';
const PUBLISH_CONTENT =
  'mutation($t: ID!, $id: ID!) { publishGovAccountClosureContent(tenantId: $t, id: $id) { published waiting redirects } }';
const APPROVE =
  'mutation($t: ID!, $s: ID!) { approveStory(tenantId: $t, id: $s, comment: "同意") { story { status } } }';
const CREATE = 'mutation($t: ID!, $i: GovAccountInput!) { createGovAccount(tenantId: $t, input: $i) { id } }';

type Closure = {
  id: string;
  status: string;
  statusName: string;
  account: { id: string; name: string; status: string };
  successorName: string;
  noticeStoryId: string | null;
  filingDue: string | null;
  filingOverdue: boolean;
  importedItems: number;
  publishedItems: number;
  redirects: number;
  deciderTenantName: string | null;
};

const FEED = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>汝阳城关</title>
<item><title>城关镇2025年重阳节敬老活动通知</title><link>http://ruyang.localhost/chengguan/2025/1029.html</link><pubDate>Wed, 29 Oct 2025 01:00:00 GMT</pubDate><description>&lt;p&gt;各村（社区）：重阳节敬老活动安排如下。&lt;/p&gt;</description></item>
<item><title>城关镇开展秋季防火宣传</title><link>https://www.toutiao.com/article/ry_cg_0915/</link><pubDate>Mon, 15 Sep 2025 02:00:00 GMT</pubDate><description>秋季防火，人人有责。</description></item>
</channel></rss>`;

t.test('a closure over GraphQL, end to end, with its notice on the county face and a redirect', async (t) => {
  const { id, portal, as, anonymous } = await demoNewsroom(t);
  const ruyang = id('ruyang');
  const ryAdmin = await as('ruyang-admin');
  const ryEditor = await as('ruyang-editor');
  const ryReviewer = await as('ruyang-reviewer');
  const ryChief = await as('ruyang-chief');
  const ryReporter = await as('ruyang-reporter');
  const lyAdmin = await as('luoyang-admin');
  const ycAdmin = await as('yichuan-admin');
  const zzAdmin = await as('zhengzhou-admin');
  const hnAdmin = await as('henan-admin');

  const made = await ryAdmin<{ createGovAccount: { id: string } }>(CREATE, {
    t: ruyang,
    i: { platform: 'TOUTIAO', name: '汝阳城关头条', handle: 'ry_cg_closure', sponsor: '汝阳县城关镇人民政府' },
  });
  t.equal(made.errors, undefined);
  const accountId = made.data!.createGovAccount.id;
  const foreign = await ycAdmin<{ createGovAccount: { id: string } }>(CREATE, {
    t: id('yichuan'),
    i: { platform: 'TOUTIAO', name: '伊川头条', handle: 'yc_closure', sponsor: '伊川县人民政府' },
  });

  // bad input: a clear code and a Chinese message
  const cross = await ryAdmin(PROPOSE, {
    t: ruyang,
    i: { accountId, kind: 'MERGE', successorAccountId: foreign.data!.createGovAccount.id, reason: '合并' },
  });
  t.equal(errorCode(cross), 'BAD_USER_INPUT');
  t.match(cross.errors?.[0]?.message, /只能合并到本单位台账/, "merging into another county's account is refused");
  t.equal(
    errorCode(await ryReporter(PROPOSE, { t: ruyang, i: { accountId, kind: 'CLOSE', reason: '僵尸号' } })),
    'FORBIDDEN',
    'a reporter cannot propose',
  );
  t.equal(
    errorCode(await ycAdmin(PROPOSE, { t: ruyang, i: { accountId, kind: 'CLOSE', reason: '僵尸号' } })),
    'FORBIDDEN',
    'a sibling cannot propose in another county',
  );

  const proposed = await ryAdmin<{ proposeGovAccountClosure: Closure }>(PROPOSE, {
    t: ruyang,
    i: { accountId, kind: 'CLOSE', reason: '超过三个月未更新，职能并入县融媒体中心' },
  });
  t.equal(proposed.errors, undefined);
  const closure = proposed.data!.proposeGovAccountClosure;
  t.equal(closure.status, 'PROPOSED');
  t.equal(closure.statusName, '待上级审批');
  const second = await ryAdmin(PROPOSE, { t: ruyang, i: { accountId, kind: 'CLOSE', reason: '再次' } });
  t.match(second.errors?.[0]?.message, /已有进行中的关停并转申请/, 'a second open closure for one account');
  const early = await ryAdmin(STEP('draftGovAccountClosureNotice'), { t: ruyang, id: closure.id });
  t.equal(errorCode(early), 'INVALID_TRANSITION');
  t.match(early.errors?.[0]?.message, /尚未经上级审批/, 'no notice without approval');
  t.match(
    (await ryAdmin(STEP('deregisterGovAccount'), { t: ruyang, id: closure.id })).errors?.[0]?.message,
    /尚未经上级审批/,
    'no 注销 without approval',
  );

  // isolation: the county, its city and the province see it; a sibling and another city do not
  const total = async (client: typeof ryAdmin, slug: string) => {
    const r = await client<{ govAccountClosures: { total: number } }>(LIST, { t: id(slug), a: accountId });
    return r.errors ? errorCode(r) : r.data!.govAccountClosures.total;
  };
  t.same(
    [
      await total(ryAdmin, 'ruyang'),
      await total(lyAdmin, 'luoyang'),
      await total(hnAdmin, 'henan'),
      await total(ycAdmin, 'yichuan'),
      await total(zzAdmin, 'zhengzhou'),
    ],
    [1, 1, 1, 0, 0],
  );
  t.equal(await total(ycAdmin, 'ruyang'), 'FORBIDDEN', "a sibling cannot read the county's closures");
  t.equal(await total(zzAdmin, 'luoyang'), 'FORBIDDEN');
  t.equal(
    errorCode(
      await ycAdmin(`query($t: ID!, $id: ID!) { govAccountClosure(tenantId: $t, id: $id) { id } }`, {
        t: id('yichuan'),
        id: closure.id,
      }),
    ),
    'NOT_FOUND',
  );
  t.equal(errorCode(await anonymous(LIST, { t: ruyang })), 'UNAUTHENTICATED');
  t.equal(
    errorCode(await ycAdmin(DECIDE, { t: id('yichuan'), id: closure.id, a: true })),
    'NOT_FOUND',
    'a sibling cannot approve',
  );
  t.equal(
    errorCode(await hnAdmin(DECIDE, { t: id('henan'), id: closure.id, a: true })),
    'FORBIDDEN',
    'the province is not the parent',
  );
  t.equal(
    errorCode(await lyAdmin(DECIDE, { t: id('luoyang'), id: closure.id, a: false })),
    'BAD_USER_INPUT',
    'a decline needs a reason',
  );

  const approved = await lyAdmin<{ decideGovAccountClosure: Closure }>(DECIDE, {
    t: id('luoyang'),
    id: closure.id,
    a: true,
    n: '同意关停',
  });
  t.equal(approved.errors, undefined);
  t.equal(approved.data!.decideGovAccountClosure.status, 'APPROVED');
  t.equal(approved.data!.decideGovAccountClosure.deciderTenantName, '洛阳');

  // every step of the owner's: a sibling, the city and the province can neither act in the county nor reach it from their own tenant
  const STEPS = [
    'withdrawGovAccountClosure',
    'draftGovAccountClosureNotice',
    'publishGovAccountClosureNotice',
    'deregisterGovAccount',
  ];
  for (const [who, slug] of [
    [ycAdmin, 'yichuan'],
    [lyAdmin, 'luoyang'],
    [hnAdmin, 'henan'],
  ] as const) {
    for (const m of STEPS) {
      t.equal(errorCode(await who(STEP(m), { t: ruyang, id: closure.id })), 'FORBIDDEN', `${slug} cannot ${m} in 汝阳`);
      // NOT_FOUND (row-level security hides it), or FORBIDDEN first where the step needs a publisher
      t.ok(
        ['NOT_FOUND', 'FORBIDDEN'].includes(errorCode(await who(STEP(m), { t: id(slug), id: closure.id })) ?? ''),
        `${slug} cannot ${m} from its own tenant`,
      );
    }
    t.equal(
      errorCode(await who(IMPORT, { t: ruyang, id: closure.id, x: FEED })),
      'FORBIDDEN',
      `${slug} cannot import into 汝阳`,
    );
    t.ok(
      ['NOT_FOUND', 'FORBIDDEN'].includes(errorCode(await who(PUBLISH_CONTENT, { t: id(slug), id: closure.id })) ?? ''),
      `${slug} cannot publish 汝阳's content`,
    );
  }
  const still = await ryAdmin<{ govAccountClosure: Closure }>(
    `query($t: ID!, $id: ID!) { govAccountClosure(tenantId: $t, id: $id) { ${FIELDS} } }`,
    { t: ruyang, id: closure.id },
  );
  t.equal(still.data?.govAccountClosure.status, 'APPROVED', 'nothing moved');

  // the notice: drafted by the platform, signed by the county's chain, published on its face
  const drafted = await ryAdmin<{ draftGovAccountClosureNotice: Closure }>(STEP('draftGovAccountClosureNotice'), {
    t: ruyang,
    id: closure.id,
  });
  t.equal(drafted.errors, undefined);
  const noticeId = drafted.data!.draftGovAccountClosureNotice.noticeStoryId!;
  t.equal(
    errorCode(await ryEditor(STEP('publishGovAccountClosureNotice'), { t: ruyang, id: closure.id })),
    'REVIEW_NOT_PASSED',
    'not before review',
  );
  const sign = async (storyId: string) => {
    for (const who of [ryEditor, ryReviewer, ryChief])
      t.equal((await who(APPROVE, { t: ruyang, s: storyId })).errors, undefined, 'a step signed');
  };
  await sign(noticeId);
  const noticed = await ryEditor<{ publishGovAccountClosureNotice: Closure }>(STEP('publishGovAccountClosureNotice'), {
    t: ruyang,
    id: closure.id,
  });
  t.equal(noticed.errors, undefined);
  t.equal(noticed.data!.publishGovAccountClosureNotice.account.status, 'CLOSING');

  const face = { host: 'ruyang.localhost' };
  const page = await portal.inject({ method: 'GET', url: `/a/${noticeId}`, headers: face });
  t.equal(page.statusCode, 200);
  t.match(page.body, '关于「汝阳城关头条」今日头条停止更新的公告', 'the notice is on the county face');
  t.match(page.body, '汝阳县融媒体平台', 'naming the successor');
  const home = await portal.inject({ method: 'GET', url: '/', headers: face });
  t.match(home.body, '停止更新的公告', "and on the face's home page");

  // content: a malformed file writes nothing; the feed is imported, reviewed, published under its dates
  const bad = await ryAdmin(IMPORT, {
    t: ruyang,
    id: closure.id,
    x: '{"items": [{"title": "缺时间", "url": "https://x.example/1"}]}',
  });
  t.equal(errorCode(bad), 'BAD_USER_INPUT');
  t.match(bad.errors?.[0]?.message, /导入文件格式不正确：第 1 条缺少发布时间/);
  const imported = await ryAdmin<{
    importGovAccountClosureContent: { items: number; imported: number; redirectable: number };
  }>(IMPORT, { t: ruyang, id: closure.id, f: Buffer.from(FEED).toString('base64') });
  t.same(imported.data?.importGovAccountClosureContent, { items: 2, imported: 2, skipped: 0, redirectable: 1 });
  const stories = await ryEditor<{
    stories: { edges: { node: { id: string; currentRevision: { title: string } } }[] };
  }>(
    `query($t: ID!) { stories(tenantId: $t, first: 50, status: IN_REVIEW) { edges { node { id currentRevision { title } } } } }`,
    { t: ruyang },
  );
  t.equal(stories.errors, undefined);
  const moved = (stories.data?.stories.edges ?? [])
    .map((e) => e.node)
    .filter((n) => ['城关镇2025年重阳节敬老活动通知', '城关镇开展秋季防火宣传'].includes(n.currentRevision.title));
  t.equal(moved.length, 2, 'imported stories wait in review');
  for (const s of moved) await sign(s.id);
  const out = await ryEditor<{ publishGovAccountClosureContent: { published: number; redirects: number } }>(
    PUBLISH_CONTENT,
    { t: ruyang, id: closure.id },
  );
  t.same(out.data?.publishGovAccountClosureContent, { published: 2, waiting: 0, redirects: 1 });
  const old = await portal.inject({ method: 'GET', url: '/chengguan/2025/1029.html', headers: face });
  t.equal(old.statusCode, 301, 'the old address redirects');
  const target = old.headers.location as string;
  t.match(target, /^\/a\/[0-9a-f-]{36}$/);
  const story = await portal.inject({ method: 'GET', url: target, headers: face });
  t.match(story.body, '重阳节敬老活动', 'to the imported story');
  t.match(story.body, '2025-10-29', 'under its original date');
  t.match(story.body, 'http://ruyang.localhost/chengguan/2025/1029.html', 'with the link back');
  t.equal(
    (await portal.inject({ method: 'GET', url: '/chengguan/2025/1029.html', headers: { host: 'yichuan.localhost' } }))
      .statusCode,
    404,
    "not on a sibling's face",
  );

  // 注销 and the filing
  const gone = await ryAdmin<{ deregisterGovAccount: Closure }>(STEP('deregisterGovAccount'), {
    t: ruyang,
    id: closure.id,
  });
  t.equal(gone.errors, undefined);
  t.equal(gone.data!.deregisterGovAccount.account.status, 'CLOSED');
  t.ok(gone.data!.deregisterGovAccount.filingDue);
  const late = await lyAdmin<{ govAccountClosures: { items: Closure[] } }>(LIST, {
    t: id('luoyang'),
    d: '2099-01-01',
    a: accountId,
  });
  t.equal(late.data!.govAccountClosures.items[0]!.filingOverdue, true, 'the city sees the overdue filing');
  t.equal(
    errorCode(
      await lyAdmin(
        `mutation($t: ID!, $id: ID!) { recordGovAccountClosureFiling(tenantId: $t, id: $id, reference: "X") { id } }`,
        { t: id('luoyang'), id: closure.id },
      ),
    ),
    'NOT_FOUND',
    'the city cannot file for the county',
  );
  const filed = await ryAdmin<{ recordGovAccountClosureFiling: Closure }>(
    `mutation($t: ID!, $id: ID!) { recordGovAccountClosureFiling(tenantId: $t, id: $id, reference: "豫政媒报〔2026〕118") { ${FIELDS} } }`,
    { t: ruyang, id: closure.id },
  );
  t.equal(filed.data?.recordGovAccountClosureFiling.status, 'FILED');
  t.equal(filed.data?.recordGovAccountClosureFiling.statusName, '已报备，完成');
});

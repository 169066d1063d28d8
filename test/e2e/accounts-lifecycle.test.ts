// The whole life of government new-media accounts in one run (issue #19, "Must show"): a county
// imports its registry file (bad rows reported, good rows kept); the worker reads an account's
// public feed from a fake feed server and the account, silent 20 days, fails; the province opens an
// inspection round that samples reproducibly; its inspector records a veto and a deduction; the
// scores and the county's 通报 come out; a fix order goes overdue and shows on the county's, the
// city's and the province's lists (never a sibling's); the silent account is closed through every
// step — proposal, the city's approval, the notice on the county face, its content imported with
// original dates and a redirect from the old address, 注销, the filing. Only the services' public
// doors are used (GraphQL, the worker's feed reader, the portal); the only shortcut is time: the
// fix order's days are moved back in SQL, as the days passing would.
import t from 'tap';
import { createServer } from 'node:http';
import { beijingDay } from '@yiduan/core';
import { errorCode } from '@yiduan/testkit';
import { demoNewsroom } from './helpers.js';
import { readAccountFeeds, silentLogger } from '@yiduan/worker';

const DAY = 86_400_000;
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

const IMPORT =
  'mutation($t: ID!, $csv: String) { importGovAccounts(tenantId: $t, csv: $csv) { rows created updated problems { row reason } } }';
const ACCOUNTS =
  'query($t: ID!, $f: GovAccountFilter) { govAccounts(tenantId: $t, filter: $f, first: 100) { total items { id name platform status silentDays health activitySource feedError } } }';
const OPEN =
  'mutation($t: ID!, $i: GovOpenRoundInput!) { openGovRound(tenantId: $t, input: $i) { id seed share sampled } }';
const SAMPLES =
  'query($t: ID!, $r: ID!, $f: ID) { govRoundSamples(tenantId: $t, roundId: $r, forTenant: $f) { tenantId accountId accountName platform silentDays score verdict } }';
const RECORD =
  'mutation($t: ID!, $r: ID!, $i: GovFindingInput!) { recordGovRoundFinding(tenantId: $t, roundId: $r, input: $i) { finding { kind points } sample { score verdict } } }';
const RATES =
  'query($t: ID!, $r: ID!) { govRoundPassRates(tenantId: $t, roundId: $r) { tenantId tenantName sampled passed vetoed rate } }';
const REPORT =
  'query($t: ID!, $r: ID!, $f: ID!) { govRoundReport(tenantId: $t, roundId: $r, forTenant: $f) { title sampled passed text html } }';
const ISSUE =
  'mutation($t: ID!, $r: ID!, $i: GovFixOrderInput!) { issueGovFixOrder(tenantId: $t, roundId: $r, input: $i) { id tenantId status items dueOn } }';
const OVERDUE = 'query($t: ID!) { govOverdueFixOrders(tenantId: $t) { id accountName overdueDays } }';
const CLOSURE =
  'id status account { id status } noticeStoryId filingDue filingOverdue importedItems publishedItems redirects';
const PROPOSE = `mutation($t: ID!, $i: GovClosureInput!) { proposeGovAccountClosure(tenantId: $t, input: $i) { ${CLOSURE} } }`;
const DECIDE = `mutation($t: ID!, $id: ID!) { decideGovAccountClosure(tenantId: $t, id: $id, approve: true, note: "同意关停") { ${CLOSURE} } }`;
const STEP = (name: string) => `mutation($t: ID!, $id: ID!) { ${name}(tenantId: $t, id: $id) { ${CLOSURE} } }`;
const IMPORT_CONTENT =
  'mutation($t: ID!, $id: ID!, $f: String) { importGovAccountClosureContent(tenantId: $t, id: $id, file: $f) { items imported skipped redirectable } }';
const PUBLISH_CONTENT =
  'mutation($t: ID!, $id: ID!) { publishGovAccountClosureContent(tenantId: $t, id: $id) { published waiting redirects } }';
const FILE = `mutation($t: ID!, $id: ID!) { recordGovAccountClosureFiling(tenantId: $t, id: $id, reference: "豫政媒报〔2026〕201") { ${CLOSURE} } }`;
const APPROVE =
  'mutation($t: ID!, $s: ID!) { approveStory(tenantId: $t, id: $s, comment: "同意") { story { status } } }';

type Account = {
  id: string;
  name: string;
  platform: string;
  status: string;
  silentDays: number | null;
  health: string | null;
  activitySource: string | null;
  feedError: string | null;
};
type Sample = {
  tenantId: string;
  accountId: string;
  accountName: string;
  platform: string;
  silentDays: number | null;
  score: number;
  verdict: string;
};
type Closure = {
  id: string;
  status: string;
  account: { id: string; status: string };
  noticeStoryId: string | null;
  filingDue: string | null;
  filingOverdue: boolean;
  importedItems: number;
  publishedItems: number;
  redirects: number;
};

t.test('government accounts, end to end: import, silence, round, scores, report, overdue fix, closure', async (t) => {
  const { deps, id, portal, as } = await demoNewsroom(t);
  const owner = deps.tdb.owner;
  const ruyang = id('ruyang');
  const ryAdmin = await as('ruyang-admin');
  const ryEditor = await as('ruyang-editor');
  const ryReviewer = await as('ruyang-reviewer');
  const ryChief = await as('ruyang-chief');
  const lyAdmin = await as('luoyang-admin');
  const hnAdmin = await as('henan-admin');
  const ycAdmin = await as('yichuan-admin');
  const zzAdmin = await as('zhengzhou-admin');
  const now = Date.now();
  const today = beijingDay(now);

  // a fake feed server: the county's Bilibili account last posted 20 days ago
  const posted = (days: number) => new Date(now - days * DAY).toUTCString();
  const FEED = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>汝阳融媒</title>
<item><title>汝阳县秋季红薯丰收节直播回放</title><link>http://ruyang.localhost/bili/2026/harvest.html</link><pubDate>${posted(20)}</pubDate><description>&lt;p&gt;红薯丰收节直播回放。&lt;/p&gt;</description></item>
<item><title>西泰山红叶季航拍</title><link>https://www.bilibili.com/video/BV1ry_e2e_hongye/</link><pubDate>${posted(26)}</pubDate><description>西泰山红叶季。</description></item>
</channel></rss>`;
  let feedReads = 0;
  const server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/bili.xml')) {
      feedReads++;
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(FEED);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const feedUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/bili.xml`;

  // 1. the registry file: three good rows on platforms the county had none of (so each is always in a
  //    round's sample), three bad rows
  const recent = addDays(today, -1);
  const csv = [
    '平台,账号名称,账号ID或网址,主办单位,最近更新时间,粉丝数,订阅地址',
    `哔哩哔哩,汝阳融媒,ry_rongmei_bili,汝阳县融媒体中心,,"1.2万",${feedUrl}`,
    `快手,汝阳医保,ry_yibao_ks,汝阳县医疗保障局,${recent},3500,`,
    `网站,汝阳县卫生健康委员会,https://wjw.ruyang.gov.cn/,汝阳县卫生健康委员会,${recent},,`,
    `脸书,汝阳海外,ry_overseas,汝阳县人民政府,${recent},,`,
    `快手,汝阳医保（重复）,RY_YIBAO_KS,汝阳县医疗保障局,${recent},,`,
    `抖音,,ry_noname_dy,汝阳县人民政府,${recent},,`,
  ].join('\r\n');
  const imported = await ryAdmin<{
    importGovAccounts: { rows: number; created: number; problems: { row: number; reason: string }[] };
  }>(IMPORT, { t: ruyang, csv });
  t.equal(imported.errors, undefined);
  const report = imported.data!.importGovAccounts;
  t.match(report, { rows: 6, created: 3 }, 'the good rows are kept');
  t.same(
    report.problems.map((p) => p.row),
    [5, 6, 7],
    'each bad row is reported with the row number a spreadsheet shows',
  );
  t.match(report.problems[0]!.reason, /平台/, 'an unknown platform');
  t.match(report.problems[1]!.reason, /与第 3 行是同一平台的同一账号/, 'the same account twice');
  t.match(report.problems[2]!.reason, /账号名称/, 'a missing name');
  const mine = async () =>
    new Map(
      (
        await ryAdmin<{ govAccounts: { items: Account[] } }>(ACCOUNTS, { t: ruyang, f: { tenantId: ruyang } })
      ).data!.govAccounts.items.map((a) => [a.name, a]),
    );
  let registry = await mine();
  t.ok(registry.has('汝阳医保') && registry.has('汝阳县卫生健康委员会') && registry.has('汝阳融媒'));
  t.notOk(registry.has('汝阳海外') || registry.has('汝阳医保（重复）'), 'the bad rows are not');
  t.equal(registry.get('汝阳融媒')!.health, 'UNKNOWN', 'no update known before the feed is read');
  const malformed = await ryAdmin(IMPORT, { t: ruyang, csv: '名称,网址\n汝阳,"未闭合' });
  t.equal(errorCode(malformed), 'BAD_USER_INPUT', 'a file that is not a registry: a clear error');

  // 2. the worker reads the feed: 20 days without an update, past the two-week rule
  const read = await readAccountFeeds({ db: deps.db, log: silentLogger, now: () => now, allowPrivateHosts: true });
  t.ok(read.read >= 1 && feedReads === 1, 'the fake feed was read once');
  registry = await mine();
  t.match(
    registry.get('汝阳融媒'),
    { silentDays: 20, health: 'FAIL', activitySource: 'FEED', feedError: null },
    'the feed-backed account, silent 20 days, fails',
  );
  const cityView = await lyAdmin<{ govAccounts: { items: Account[] } }>(ACCOUNTS, {
    t: id('luoyang'),
    f: { health: 'FAIL' },
  });
  t.ok(
    cityView.data!.govAccounts.items.some((a) => a.name === '汝阳融媒'),
    "the city sees it among its counties' failing accounts",
  );
  const sibling = await ycAdmin<{ govAccounts: { items: Account[] } }>(ACCOUNTS, { t: id('yichuan') });
  t.notOk(
    sibling.data!.govAccounts.items.some((a) => a.name === '汝阳融媒'),
    'a sibling county never sees it',
  );

  // 3. the province's round: reproducible from its seed; the new accounts are each alone on their
  //    platform in the county, so each is drawn (ceil(10 % of 1) = 1)
  const open = (title: string, seed: string) =>
    hnAdmin<{ openGovRound: { id: string; sampled: number } }>(OPEN, {
      t: id('henan'),
      i: { title, seed, share: 0.3 },
    });
  const opened = await open('2026年第四季度全省政务新媒体抽查', 'henan-e2e-q4');
  t.equal(opened.errors, undefined);
  const roundId = opened.data!.openGovRound.id;
  const samplesOf = async (r: string) =>
    (await hnAdmin<{ govRoundSamples: Sample[] }>(SAMPLES, { t: id('henan'), r })).data!.govRoundSamples;
  const samples = await samplesOf(roundId);
  const twin = await open('复核：同一种子', 'henan-e2e-q4');
  t.same(
    (await samplesOf(twin.data!.openGovRound.id)).map((s) => s.accountId).sort(),
    samples.map((s) => s.accountId).sort(),
    'the same seed over the same registry draws the same accounts',
  );
  t.equal(twin.data!.openGovRound.sampled, opened.data!.openGovRound.sampled);
  const sampled = new Map(samples.filter((s) => s.tenantId === ruyang).map((s) => [s.accountName, s]));
  t.match(
    sampled.get('汝阳融媒'),
    { silentDays: 20, verdict: 'VETO', score: 0 },
    'the silent account is vetoed by the two-week rule',
  );
  const yibao = sampled.get('汝阳医保')!;
  const wjw = sampled.get('汝阳县卫生健康委员会')!;
  t.match([yibao, wjw], [{ score: 100 }, { score: 100 }], 'the active accounts start at 100');

  // 4. the inspector: a veto and a deduction
  const veto = await hnAdmin<{ recordGovRoundFinding: { sample: { score: number; verdict: string } } }>(RECORD, {
    t: id('henan'),
    r: roundId,
    i: {
      accountId: wjw.accountId,
      item: 'security',
      note: '公开栏目发布了含身份证号的名单',
      links: ['https://wjw.ruyang.gov.cn/gs/1.html'],
    },
  });
  t.equal(veto.errors, undefined);
  t.same(veto.data!.recordGovRoundFinding.sample, { score: 0, verdict: 'VETO' }, 'a veto: 0, 单项否决');
  const deduction = await hnAdmin<{
    recordGovRoundFinding: { finding: { kind: string; points: number }; sample: { score: number; verdict: string } };
  }>(RECORD, {
    t: id('henan'),
    r: roundId,
    i: { accountId: yibao.accountId, item: 'unverified', points: 15, note: '未完成机构认证' },
  });
  t.equal(deduction.errors, undefined);
  t.same(
    deduction.data!.recordGovRoundFinding,
    { finding: { kind: 'DEDUCTION', points: 15 }, sample: { score: 85, verdict: 'EXCELLENT' } },
    'a deduction: 100 − 15',
  );

  // 5. the scores and the county's report
  const rates = (
    await lyAdmin<{ govRoundPassRates: { tenantId: string; sampled: number; passed: number; vetoed: number }[] }>(
      RATES,
      { t: id('luoyang'), r: roundId },
    )
  ).data!.govRoundPassRates;
  const ryRate = rates.find((r) => r.tenantId === ruyang)!;
  t.equal(ryRate.sampled, [...sampled.keys()].length, "the city reads its county's 合格率");
  t.ok(ryRate.vetoed >= 2 && ryRate.passed >= 1);
  const drafted = await lyAdmin<{ govRoundReport: { title: string; text: string; html: string } }>(REPORT, {
    t: id('luoyang'),
    r: roundId,
    f: ruyang,
  });
  t.equal(drafted.errors, undefined);
  const text = drafted.data!.govRoundReport.text;
  t.equal(drafted.data!.govRoundReport.title, '关于汝阳县政务新媒体抽查情况的通报');
  t.match(text, /汝阳融媒/, 'the report names the silent account');
  t.match(text, /汝阳县卫生健康委员会/, 'the vetoed one');
  t.match(text, /公开栏目发布了含身份证号的名单/, 'with the finding');
  t.match(text, /汝阳医保/, 'and the account above 80');
  t.equal(
    errorCode(await ycAdmin(REPORT, { t: id('yichuan'), r: roundId, f: ruyang })),
    'NOT_FOUND',
    "a sibling cannot read the county's report",
  );

  // 6. a fix order goes overdue and climbs the tree
  const order = await hnAdmin<{ issueGovFixOrder: { id: string; tenantId: string; items: string[] } }>(ISSUE, {
    t: id('henan'),
    r: roundId,
    i: { accountId: wjw.accountId, dueOn: addDays(today, 7), requirement: '删除含个人信息的名单并说明原因' },
  });
  t.equal(order.errors, undefined);
  t.match(order.data!.issueGovFixOrder, { tenantId: ruyang, items: ['security'] });
  const orderId = order.data!.issueGovFixOrder.id;
  const overdue = async (gql: typeof hnAdmin, slug: string) =>
    ((await gql<{ govOverdueFixOrders: { id: string }[] }>(OVERDUE, { t: id(slug) })).data?.govOverdueFixOrders ?? [])
      .map((o) => o.id)
      .includes(orderId);
  t.notOk(await overdue(ryAdmin, 'ruyang'), 'not overdue while the days run');
  // twelve days pass
  await owner
    .updateTable('gov_fix_orders')
    .set({ issued_on: addDays(today, -12), due_on: addDays(today, -5) })
    .where('id', '=', orderId)
    .execute();
  t.same(
    [
      await overdue(ryAdmin, 'ruyang'),
      await overdue(lyAdmin, 'luoyang'),
      await overdue(hnAdmin, 'henan'),
      await overdue(ycAdmin, 'yichuan'),
      await overdue(zzAdmin, 'zhengzhou'),
    ],
    [true, true, true, false, false],
    "overdue on the county's, the city's and the province's lists; never a sibling's or another city's",
  );

  // 7. the silent account is closed through every step
  const silentId = registry.get('汝阳融媒')!.id;
  const proposed = await ryAdmin<{ proposeGovAccountClosure: Closure }>(PROPOSE, {
    t: ruyang,
    i: { accountId: silentId, kind: 'CLOSE', reason: '两周以上未更新，抽查单项否决，职能并入县融媒体中心' },
  });
  t.equal(proposed.errors, undefined);
  const closureId = proposed.data!.proposeGovAccountClosure.id;
  const early = await ryAdmin(STEP('draftGovAccountClosureNotice'), { t: ruyang, id: closureId });
  t.equal(errorCode(early), 'INVALID_TRANSITION', 'a closure without approval goes no further');
  t.equal(
    (await lyAdmin<{ decideGovAccountClosure: Closure }>(DECIDE, { t: id('luoyang'), id: closureId })).data
      ?.decideGovAccountClosure.status,
    'APPROVED',
    'the city approves',
  );
  const notice = await ryAdmin<{ draftGovAccountClosureNotice: Closure }>(STEP('draftGovAccountClosureNotice'), {
    t: ruyang,
    id: closureId,
  });
  const noticeId = notice.data!.draftGovAccountClosureNotice.noticeStoryId!;
  const sign = async (storyId: string) => {
    for (const who of [ryEditor, ryReviewer, ryChief])
      t.equal((await who(APPROVE, { t: ruyang, s: storyId })).errors, undefined, 'a review step signed');
  };
  await sign(noticeId);
  const published = await ryEditor<{ publishGovAccountClosureNotice: Closure }>(
    STEP('publishGovAccountClosureNotice'),
    { t: ruyang, id: closureId },
  );
  t.equal(published.errors, undefined);
  t.equal(published.data!.publishGovAccountClosureNotice.account.status, 'CLOSING');
  const face = { host: 'ruyang.localhost' };
  const page = await portal.inject({ method: 'GET', url: `/a/${noticeId}`, headers: face });
  t.equal(page.statusCode, 200);
  t.match(page.body, '关于「汝阳融媒」哔哩哔哩停止更新的公告', 'the notice is on the county face');

  // its content: the account's own feed, fetched and imported with its dates, a link back, a redirect
  const exported = await (await fetch(feedUrl)).text();
  const moved = await ryAdmin<{ importGovAccountClosureContent: { items: number; imported: number } }>(IMPORT_CONTENT, {
    t: ruyang,
    id: closureId,
    f: Buffer.from(exported).toString('base64'),
  });
  t.same(moved.data?.importGovAccountClosureContent, { items: 2, imported: 2, skipped: 0, redirectable: 1 });
  const inReview = await ryEditor<{
    stories: { edges: { node: { id: string; currentRevision: { title: string } } }[] };
  }>(
    `query($t: ID!) { stories(tenantId: $t, first: 50, status: IN_REVIEW) { edges { node { id currentRevision { title } } } } }`,
    { t: ruyang },
  );
  const toSign = inReview
    .data!.stories.edges.map((e) => e.node)
    .filter((n) => ['汝阳县秋季红薯丰收节直播回放', '西泰山红叶季航拍'].includes(n.currentRevision.title));
  t.equal(toSign.length, 2, 'the moved posts wait in review');
  for (const s of toSign) await sign(s.id);
  t.same(
    (await ryEditor<{ publishGovAccountClosureContent: unknown }>(PUBLISH_CONTENT, { t: ruyang, id: closureId })).data
      ?.publishGovAccountClosureContent,
    { published: 2, waiting: 0, redirects: 1 },
  );
  const old = await portal.inject({ method: 'GET', url: '/bili/2026/harvest.html', headers: face });
  t.equal(old.statusCode, 301, 'the old address redirects');
  const story = await portal.inject({ method: 'GET', url: old.headers.location as string, headers: face });
  t.equal(story.statusCode, 200);
  t.match(story.body, '红薯丰收节直播回放', 'to the moved post');
  t.match(story.body, beijingDay(now - 20 * DAY), 'under its original date');
  t.match(story.body, 'http://ruyang.localhost/bili/2026/harvest.html', 'with the link back');

  // 注销 and the filing
  const gone = await ryAdmin<{ deregisterGovAccount: Closure }>(STEP('deregisterGovAccount'), {
    t: ruyang,
    id: closureId,
  });
  t.equal(gone.errors, undefined);
  t.equal(gone.data!.deregisterGovAccount.account.status, 'CLOSED');
  t.ok(gone.data!.deregisterGovAccount.filingDue, 'the filing falls due');
  registry = await mine();
  t.equal(registry.get('汝阳融媒')!.health, null, 'a closed account leaves the watch list');
  const filed = await ryAdmin<{ recordGovAccountClosureFiling: Closure }>(FILE, { t: ruyang, id: closureId });
  t.equal(filed.errors, undefined);
  t.match(filed.data!.recordGovAccountClosureFiling, { status: 'FILED', filingOverdue: false });
});

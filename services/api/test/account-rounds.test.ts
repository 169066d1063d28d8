import t from 'tap';
import { beijingDay } from '@yiduan/core';
import { type GovPlatform } from '@yiduan/db';
import { errorCode } from '@yiduan/testkit';
import { demoApi } from './demo-api.js';

const ROUND = 'id title seed share checkDay status sampled tenantName';
const OPEN = `mutation($t: ID!, $i: GovOpenRoundInput!) { openGovRound(tenantId: $t, input: $i) { ${ROUND} } }`;
const CLOSE = `mutation($t: ID!, $id: ID!) { closeGovRound(tenantId: $t, id: $id) { id status } }`;
const SAMPLES =
  'query($t: ID!, $r: ID!, $f: ID) { govRoundSamples(tenantId: $t, roundId: $r, forTenant: $f) { tenantId tenantName accountId platform accountName silentDays score verdict findings } }';
const FINDINGS =
  'query($t: ID!, $r: ID!, $f: ID) { govRoundFindings(tenantId: $t, roundId: $r, forTenant: $f) { id tenantId item kind points wording { match replacement severity } } }';
const RECORD =
  'mutation($t: ID!, $r: ID!, $i: GovFindingInput!) { recordGovRoundFinding(tenantId: $t, roundId: $r, input: $i) { finding { id item kind points links wording { match replacement } } sample { score verdict } } }';
const RATES =
  'query($t: ID!, $r: ID!) { govRoundPassRates(tenantId: $t, roundId: $r) { tenantName sampled passed vetoed rate } }';
const REPORT =
  'query($t: ID!, $r: ID!, $f: ID!) { govRoundReport(tenantId: $t, roundId: $r, forTenant: $f) { title sampled passed passRate text html } }';
const ISSUE =
  'mutation($t: ID!, $r: ID!, $i: GovFixOrderInput!) { issueGovFixOrder(tenantId: $t, roundId: $r, input: $i) { id tenantId status dueOn items requirement overdue } }';
const RECHECK =
  'mutation($t: ID!, $id: ID!, $fixed: Boolean!, $n: String) { recheckGovFixOrder(tenantId: $t, id: $id, fixed: $fixed, note: $n) { id status rechecks overdue } }';
const OVERDUE =
  'query($t: ID!) { govOverdueFixOrders(tenantId: $t) { id tenantName accountName overdue overdueDays } }';
const ORDERS = 'query($t: ID!) { govFixOrders(tenantId: $t) { id tenantId status } }';

type Sample = {
  tenantId: string;
  accountId: string;
  platform: string;
  silentDays: number | null;
  score: number;
  verdict: string;
};
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

t.test('inspection rounds over GraphQL: the walk, isolation, bad input', async (t) => {
  const { deps, tenants, id, as, anonymous } = await demoApi(t);
  const owner = deps.tdb.owner;
  const hnAdmin = await as('hn-admin', 'henan', ['tenant_admin']);
  const hnEditor = await as('hn-editor', 'henan', ['editor']);
  const lyEditor = await as('ly-editor', 'luoyang', ['editor']);
  const zzEditor = await as('zz-editor', 'zhengzhou', ['editor']);
  const ryAdmin = await as('ry-admin', 'ruyang', ['tenant_admin']);
  const ryReporter = await as('ry-reporter', 'ruyang', ['reporter']);
  const ycAdmin = await as('yc-admin', 'yichuan', ['tenant_admin']);

  const now = Date.now();
  const registry: [string, GovPlatform, number, number][] = [
    ['ruyang', 'wechat', 20, 0],
    ['ruyang', 'douyin', 2, 2],
    ['yichuan', 'wechat', 10, 0],
  ];
  for (const [slug, platform, n, silent] of registry) {
    await owner
      .insertInto('gov_accounts')
      .values(
        Array.from({ length: n }, (_, i) => ({
          tenant_id: id(slug),
          platform,
          name: `${tenants[slug]!.name}${platform}${i + 1}`,
          handle: `${slug}-${platform}-${i}`,
          handle_key: `${slug}-${platform}-${i}`,
          last_updated_at: new Date(now - (i < silent ? 30 : 1) * 86_400_000),
        })),
      )
      .execute();
  }

  const opened = await hnAdmin<{ openGovRound: { id: string; sampled: number; share: number; status: string } }>(OPEN, {
    t: id('henan'),
    i: { title: '全省政务新媒体抽查', seed: 'q4', share: 0.1 },
  });
  t.equal(opened.errors, undefined);
  t.match(opened.data?.openGovRound, { sampled: 2 + 1 + 1, share: 0.1, status: 'OPEN' });
  const roundId = opened.data!.openGovRound.id;
  const samples = (await hnAdmin<{ govRoundSamples: Sample[] }>(SAMPLES, { t: id('henan'), r: roundId })).data!
    .govRoundSamples;
  const again = await hnAdmin<{ openGovRound: { id: string } }>(OPEN, {
    t: id('henan'),
    i: { title: '同一种子', seed: 'q4', share: 0.1 },
  });
  const againSamples = (
    await hnAdmin<{ govRoundSamples: Sample[] }>(SAMPLES, { t: id('henan'), r: again.data!.openGovRound.id })
  ).data!.govRoundSamples;
  t.same(
    againSamples.map((s) => s.accountId).sort(),
    samples.map((s) => s.accountId).sort(),
    'the same seed draws the same accounts',
  );
  t.match(
    samples.find((s) => s.platform === 'DOUYIN'),
    { silentDays: 30, verdict: 'VETO', score: 0 },
    'the silent 抖音 account is vetoed from its activity',
  );

  const [a, b] = samples.filter((s) => s.tenantId === id('ruyang') && s.platform === 'WECHAT');
  const veto = await hnAdmin<{ recordGovRoundFinding: { sample: { score: number; verdict: string } } }>(RECORD, {
    t: id('henan'),
    r: roundId,
    i: {
      accountId: a!.accountId,
      item: 'bought_followers',
      note: '粉丝量一周内激增 5 万',
      links: ['https://example.org/shot.png'],
    },
  });
  t.equal(veto.errors, undefined);
  t.same(veto.data?.recordGovRoundFinding.sample, { score: 0, verdict: 'VETO' });
  const deduct = await hnAdmin<{
    recordGovRoundFinding: { finding: { kind: string; points: number }; sample: { score: number; verdict: string } };
  }>(RECORD, { t: id('henan'), r: roundId, i: { accountId: b!.accountId, item: 'operator_mismatch', points: 15 } });
  t.match(deduct.data?.recordGovRoundFinding, {
    finding: { kind: 'DEDUCTION', points: 15 },
    sample: { score: 85, verdict: 'EXCELLENT' },
  });
  const more = await hnAdmin<{ recordGovRoundFinding: { sample: { score: number; verdict: string } } }>(RECORD, {
    t: id('henan'),
    r: roundId,
    i: { accountId: b!.accountId, item: 'idle', points: 10 },
  });
  t.same(more.data?.recordGovRoundFinding.sample, { score: 75, verdict: 'PASS' });

  const rates = (
    await lyEditor<{
      govRoundPassRates: { tenantName: string; sampled: number; passed: number; vetoed: number; rate: number }[];
    }>(RATES, { t: id('luoyang'), r: roundId })
  ).data?.govRoundPassRates;
  t.same(
    rates,
    [
      { tenantName: '伊川县', sampled: 1, passed: 1, vetoed: 0, rate: 1 },
      { tenantName: '汝阳县', sampled: 3, passed: 1, vetoed: 2, rate: 1 / 3 },
    ].sort((x, y) => x.tenantName.localeCompare(y.tenantName)),
    '合格率 per county, read by the city',
  );
  const report = await lyEditor<{ govRoundReport: { title: string; text: string; html: string; passed: number } }>(
    REPORT,
    { t: id('luoyang'), r: roundId, f: id('ruyang') },
  );
  t.equal(report.errors, undefined);
  t.match(report.data?.govRoundReport, {
    title: '关于汝阳县政务新媒体抽查情况的通报',
    passed: 1,
    text: /购买粉丝：粉丝量一周内激增 5 万/,
    html: /<h2>二、存在的问题<\/h2>/,
  });

  // fix orders: one goes overdue and climbs the tree; a re-check closes another
  const today = beijingDay(Date.now());
  const orderA = await hnAdmin<{ issueGovFixOrder: { id: string; tenantId: string; status: string; items: string[] } }>(
    ISSUE,
    { t: id('henan'), r: roundId, i: { accountId: a!.accountId, dueOn: addDays(today, 7) } },
  );
  t.equal(orderA.errors, undefined);
  t.match(orderA.data?.issueGovFixOrder, { tenantId: id('ruyang'), status: 'OPEN', items: ['bought_followers'] });
  const orderB = await hnAdmin<{ issueGovFixOrder: { id: string } }>(ISSUE, {
    t: id('henan'),
    r: roundId,
    i: { accountId: b!.accountId, dueOn: addDays(today, 11) },
  });
  await owner
    .updateTable('gov_fix_orders')
    .set({ issued_on: addDays(today, -12), due_on: addDays(today, -3) })
    .where('id', '=', orderA.data!.issueGovFixOrder.id)
    .execute();
  const overdue = async (gql: typeof hnAdmin, slug: string) =>
    (await gql<{ govOverdueFixOrders: { id: string; overdueDays: number }[] }>(OVERDUE, { t: id(slug) })).data
      ?.govOverdueFixOrders;
  t.match(
    await overdue(ryAdmin, 'ruyang'),
    [{ id: orderA.data!.issueGovFixOrder.id, overdueDays: 3 }],
    "the county's overdue list",
  );
  t.match(await overdue(lyEditor, 'luoyang'), [{ id: orderA.data!.issueGovFixOrder.id }], "the city's");
  t.match(await overdue(hnEditor, 'henan'), [{ id: orderA.data!.issueGovFixOrder.id }], "the province's");
  t.same(await overdue(ycAdmin, 'yichuan'), [], "not a sibling's");
  t.same(await overdue(zzEditor, 'zhengzhou'), [], "nor another city's");
  const closed = await hnAdmin<{ recheckGovFixOrder: { status: string; rechecks: number } }>(RECHECK, {
    t: id('henan'),
    id: orderB.data!.issueGovFixOrder.id,
    fixed: true,
    n: '已整改到位',
  });
  t.same(closed.data?.recheckGovFixOrder.status, 'CLOSED', 'a re-check closes it');

  // bad input: clear codes and Chinese messages, nothing written
  const findingsBefore = await owner.selectFrom('gov_round_findings').select('id').execute();
  const ordersBefore = await owner.selectFrom('gov_fix_orders').select(['id', 'status', 'due_on']).execute();
  const unsampled = (
    await owner.selectFrom('gov_accounts').select('id').where('tenant_id', '=', id('ruyang')).execute()
  ).find((x) => !samples.some((s) => s.accountId === x.id))!.id;
  const notIn = await hnAdmin(RECORD, { t: id('henan'), r: roundId, i: { accountId: unsampled, item: 'idle' } });
  t.equal(errorCode(notIn), 'BAD_USER_INPUT');
  t.match(notIn.errors?.[0]?.message, /不在本轮抽查范围内/, 'an account not in the round');
  const unknown = await hnAdmin(RECORD, { t: id('henan'), r: roundId, i: { accountId: b!.accountId, item: 'nope' } });
  t.equal(errorCode(unknown), 'BAD_USER_INPUT');
  t.match(unknown.errors?.[0]?.message, /检查项目不存在/, 'an unknown checklist item');
  const past = await hnAdmin(ISSUE, {
    t: id('henan'),
    r: roundId,
    i: { accountId: samples.find((s) => s.platform === 'DOUYIN')!.accountId, dueOn: addDays(today, -1) },
  });
  t.equal(errorCode(past), 'BAD_USER_INPUT');
  t.match(past.errors?.[0]?.message, /不能早于今天/, 'a due date in the past');
  t.equal(
    errorCode(
      await hnAdmin(ISSUE, { t: id('henan'), r: roundId, i: { accountId: a!.accountId, dueOn: '2026-02-30' } }),
    ),
    'BAD_USER_INPUT',
    'an impossible day',
  );
  t.equal(errorCode(await hnAdmin(CLOSE, { t: id('henan'), id: roundId })), undefined);
  const onClosed = await hnAdmin(RECORD, { t: id('henan'), r: roundId, i: { accountId: b!.accountId, item: 'idle' } });
  t.equal(errorCode(onClosed), 'BAD_USER_INPUT');
  t.match(onClosed.errors?.[0]?.message, /该轮检查已结束/, 'a score on a closed round');
  t.same(await owner.selectFrom('gov_round_findings').select('id').execute(), findingsBefore, 'no finding written');
  t.same(
    await owner.selectFrom('gov_fix_orders').select(['id', 'status', 'due_on']).execute(),
    ordersBefore,
    'no order written',
  );
  t.equal(
    errorCode(await ryAdmin(OPEN, { t: id('ruyang'), i: { title: '县里开轮' } })),
    'FORBIDDEN',
    'a county does not open rounds',
  );
  t.equal(
    errorCode(await hnAdmin(OPEN, { t: id('henan'), i: { title: 'x', share: 0.01 } })),
    'BAD_USER_INPUT',
    'below 10 %',
  );

  // isolation
  t.equal(
    errorCode(await ycAdmin(FINDINGS, { t: id('ruyang'), r: roundId })),
    'FORBIDDEN',
    "a sibling county cannot ask for 汝阳's findings",
  );
  t.equal(
    errorCode(await ycAdmin(REPORT, { t: id('ruyang'), r: roundId, f: id('ruyang') })),
    'FORBIDDEN',
    'nor its report',
  );
  t.equal(
    errorCode(await ycAdmin(REPORT, { t: id('yichuan'), r: roundId, f: id('ruyang') })),
    'NOT_FOUND',
    'not even through its own tenant',
  );
  const ycFindings = (
    await ycAdmin<{ govRoundFindings: { tenantId: string }[] }>(FINDINGS, { t: id('yichuan'), r: roundId })
  ).data?.govRoundFindings;
  t.same(ycFindings, [], "its own view holds none of 汝阳's findings");
  const ycSamples = (
    await ycAdmin<{ govRoundSamples: Sample[] }>(SAMPLES, { t: id('yichuan'), r: roundId, f: id('ruyang') })
  ).data?.govRoundSamples;
  t.same(ycSamples, [], 'nor its samples');
  t.same(
    (await ycAdmin<{ govFixOrders: unknown[] }>(ORDERS, { t: id('yichuan') })).data?.govFixOrders,
    [],
    'nor its fix orders',
  );
  const ryFindings = (
    await ryAdmin<{ govRoundFindings: { tenantId: string }[] }>(FINDINGS, { t: id('ruyang'), r: roundId })
  ).data?.govRoundFindings;
  t.equal(
    ryFindings?.length,
    4,
    'the county sees the findings about itself (the automatic veto, the veto, two deductions)',
  );
  t.ok(ryFindings?.every((f) => f.tenantId === id('ruyang')));
  t.equal(
    (await ryAdmin<{ govFixOrders: unknown[] }>(ORDERS, { t: id('ruyang') })).data?.govFixOrders.length,
    2,
    'and its fix orders',
  );
  t.equal(
    (await zzEditor<{ govRoundSamples: Sample[] }>(SAMPLES, { t: id('zhengzhou'), r: roundId })).data?.govRoundSamples
      .length,
    0,
    "another city: none of 洛阳's counties",
  );
  t.equal(
    (await hnEditor<{ govRoundSamples: Sample[] }>(SAMPLES, { t: id('henan'), r: roundId })).data?.govRoundSamples
      .length,
    4,
    'the province: all',
  );
  t.equal(
    errorCode(await ryAdmin(RECHECK, { t: id('ruyang'), id: orderA.data!.issueGovFixOrder.id, fixed: true })),
    'NOT_FOUND',
    'the county cannot close its own order',
  );
  t.equal(
    errorCode(await ryAdmin(RECHECK, { t: id('henan'), id: orderA.data!.issueGovFixOrder.id, fixed: true })),
    'FORBIDDEN',
    'nor act in the province',
  );
  t.equal(
    errorCode(await hnEditor(RECHECK, { t: id('henan'), id: orderA.data!.issueGovFixOrder.id, fixed: true })),
    'FORBIDDEN',
    'an editor reads but does not inspect',
  );
  t.equal(
    errorCode(await ryReporter(SAMPLES, { t: id('ruyang'), r: roundId })),
    'FORBIDDEN',
    'a reporter does not read rounds',
  );
  t.equal(errorCode(await anonymous(SAMPLES, { t: id('ruyang'), r: roundId })), 'UNAUTHENTICATED');
  const caps = await ryAdmin<{ govRoundCapabilities: { read: boolean; inspect: boolean } }>(
    'query($t: ID!) { govRoundCapabilities(tenantId: $t) { read inspect } }',
    { t: id('ruyang') },
  );
  t.same(caps.data?.govRoundCapabilities, { read: true, inspect: false }, 'a county reads, does not inspect');
  const checklist = await ryAdmin<{ govRoundChecklist: { code: string; kind: string }[] }>(
    '{ govRoundChecklist { code kind } }',
  );
  t.equal(checklist.data?.govRoundChecklist.filter((i) => i.kind === 'VETO').length, 4);
});

import t from 'tap';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { withTenant, type DB, type GovPlatform, type StaffRole } from '@yiduan/db';
import { createTestDatabase, failure, seedDemo } from '@yiduan/testkit';
import {
  Access,
  GOV_CHECKLIST,
  closeGovRound,
  govRoundFindings,
  govRoundPassRates,
  govRoundReport,
  govRoundSamples,
  isGovRoundError,
  issueGovFixOrder,
  listGovFixOrders,
  listGovRounds,
  openGovRound,
  overdueGovFixOrders,
  recheckGovFixOrder,
  recordGovRoundFinding,
  removeGovRoundFinding,
  scoreOf,
  type Actor,
} from '../src/index.js';

const reasonOf = (e: unknown): string | null => (isGovRoundError(e) ? e.reason : null);
const access = (tenantId: string, roles: StaffRole[]) =>
  new Access(tenantId, { id: randomUUID(), display_name: 'tester', is_operator: false }, new Set(roles), new Map());
const INSPECTOR: Actor = { kind: 'system', id: 'inspector', name: '省网信办检查组' };
const DAY = '2026-12-07';
const daysAgo = (n: number): Date => new Date(Date.parse(`${DAY}T10:00:00+08:00`) - n * 86_400_000);

t.test('scoring engine, pure', async (t) => {
  const d = (points: number) => ({ kind: 'deduction', points }) as const;
  const cases: [Parameters<typeof scoreOf>[0], ReturnType<typeof scoreOf>, string][] = [
    [[], { score: 100, verdict: 'excellent' }, 'nothing found: 100'],
    [[d(20)], { score: 80, verdict: 'pass' }, '80 passes, not above 80'],
    [[d(15)], { score: 85, verdict: 'excellent' }, 'above 80: excellent (bonus)'],
    [[d(20), d(20), d(1)], { score: 59, verdict: 'fail' }, 'below 60 fails'],
    [[d(40), d(40), d(40)], { score: 0, verdict: 'fail' }, 'never below 0'],
    [[d(0), { kind: 'veto', points: 0 }], { score: 0, verdict: 'veto' }, 'a veto fails outright'],
  ];
  for (const [findings, expected, what] of cases) t.same(scoreOf(findings), expected, what);
  t.same(
    GOV_CHECKLIST.filter((i) => i.kind === 'veto').map((i) => i.code),
    ['security', 'no_update', 'poor_interaction', 'bought_followers'],
  );
});

t.test('a round: sample, findings, score, report, fix orders up the tree, isolation, bad input', async (t) => {
  const tdb = await createTestDatabase(t);
  const db: DB = tdb.db;
  const { tenants } = await seedDemo(db, { withContent: false });
  const id = (s: string) => tenants[s]!.id;

  // the fixture registry: counts per tenant and platform; the first `silent` of each group silent 20 days
  const registry: [tenant: string, platform: GovPlatform, n: number, silent: number][] = [
    ['ruyang', 'wechat', 25, 0],
    ['ruyang', 'weibo', 12, 0],
    ['ruyang', 'douyin', 3, 3],
    ['yichuan', 'wechat', 15, 0],
    ['yichuan', 'weibo', 5, 0],
    ['guancheng', 'wechat', 8, 0],
    ['luoyang', 'wechat', 2, 0],
  ];
  for (const [slug, platform, n, silent] of registry) {
    await tdb.owner
      .insertInto('gov_accounts')
      .values(
        Array.from({ length: n }, (_, i) => ({
          tenant_id: id(slug),
          platform,
          name: `${tenants[slug]!.name}${platform}${i + 1}`,
          handle: `${slug}-${platform}-${i}`,
          handle_key: `${slug}-${platform}-${i}`,
          last_updated_at: daysAgo(i < silent ? 20 : 2),
        })),
      )
      .execute();
  }
  // a closed account is never sampled
  await tdb.owner
    .insertInto('gov_accounts')
    .values({
      tenant_id: id('guancheng'),
      platform: 'weibo',
      name: '已注销',
      handle: 'gc-closed',
      handle_key: 'gc-closed',
      status: 'closed',
    })
    .execute();
  await tdb.owner
    .insertInto('terminology_rules')
    .values({
      tenant_id: id('henan'),
      pattern: '老百姓',
      kind: 'literal',
      replacement: '群众',
      severity: 'warn',
      note: '规范表述',
    })
    .execute();

  const henan = access(id('henan'), ['tenant_admin']);
  const inHenan = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(db, id('henan'), fn);
  const round = await inHenan((trx) =>
    openGovRound(
      trx,
      henan,
      INSPECTOR,
      tenants.henan!,
      { title: '2026年第四季度政务新媒体抽查', seed: 'henan-2026-q4', share: 0.1, checkDay: DAY },
      DAY,
    ),
  );
  t.equal(round.status, 'open');
  t.equal(round.seed, 'henan-2026-q4');
  const samples = await inHenan((trx) => govRoundSamples(trx, henan, id('henan'), round.id));
  t.equal(round.sampled, samples.length);
  // at least 10 % (and at least one) of every tenant's accounts on every platform
  for (const [slug, platform, n] of registry) {
    const got = samples.filter((s) => s.tenantId === id(slug) && s.platform === platform).length;
    t.equal(got, Math.ceil(n * 0.1), `${slug} ${platform}: ${got} of ${n}`);
    t.ok(got / n >= 0.1, `${slug} ${platform}: at least 10 %`);
  }
  t.notOk(
    samples.some((s) => s.accountName === '已注销'),
    'closed accounts are not sampled',
  );
  // reproducible: the same seed over the same registry draws the same accounts; another seed differs
  const again = await inHenan((trx) =>
    openGovRound(
      trx,
      henan,
      INSPECTOR,
      tenants.henan!,
      { title: '复核抽样', seed: 'henan-2026-q4', share: 0.1, checkDay: DAY },
      DAY,
    ),
  );
  const againIds = (await inHenan((trx) => govRoundSamples(trx, henan, id('henan'), again.id)))
    .map((s) => s.accountId)
    .sort();
  t.same(againIds, samples.map((s) => s.accountId).sort(), 'same seed, same sample');
  const other = await inHenan((trx) =>
    openGovRound(
      trx,
      henan,
      INSPECTOR,
      tenants.henan!,
      { title: '另一种子', seed: 'another-seed', share: 0.1, checkDay: DAY },
      DAY,
    ),
  );
  const otherIds = (await inHenan((trx) => govRoundSamples(trx, henan, id('henan'), other.id)))
    .map((s) => s.accountId)
    .sort();
  t.notSame(otherIds, againIds, 'another seed, another sample');
  t.equal(otherIds.length, againIds.length, 'of the same size');

  // the two-week veto comes from the account's activity: the sampled 抖音 account silent 20 days
  const douyin = samples.find((s) => s.tenantId === id('ruyang') && s.platform === 'douyin')!;
  t.equal(douyin.silentDays, 20);
  t.equal(douyin.verdict, 'veto', 'silent 20 days on the day of the check: vetoed');
  t.equal(douyin.score, 0);

  // an inspector records a veto and deductions
  const [a, b, c] = samples.filter((s) => s.tenantId === id('ruyang') && s.platform === 'wechat');
  t.ok(a && b && c, 'three 汝阳 WeChat accounts sampled');
  const veto = await inHenan((trx) =>
    recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, {
      accountId: a!.accountId,
      item: 'security',
      note: '转发内容泄露内部文件',
      links: ['https://mp.weixin.qq.com/s/abc'],
    }),
  );
  t.equal(veto.sample.score, 0);
  t.equal(veto.sample.verdict, 'veto');
  const wording = await inHenan((trx) =>
    recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, {
      accountId: b!.accountId,
      item: 'wording',
      text: '为老百姓办实事，老百姓满意',
      note: '用语不规范',
    }),
  );
  t.equal(wording.finding.points, 5, 'the usual deduction');
  t.same(
    wording.finding.wording.map((w) => [w.match, w.replacement]),
    [
      ['老百姓', '群众'],
      ['老百姓', '群众'],
    ],
    'the terminology engine ran over the pasted text',
  );
  t.equal(wording.sample.score, 95);
  t.equal(wording.sample.verdict, 'excellent');
  await inHenan((trx) =>
    recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, {
      accountId: b!.accountId,
      item: 'unverified',
      points: 20,
    }),
  );
  const third = await inHenan((trx) =>
    recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, {
      accountId: b!.accountId,
      item: 'duplicate',
      points: 20,
    }),
  );
  t.equal(third.sample.score, 55, '100 − 5 − 20 − 20');
  t.equal(third.sample.verdict, 'fail', 'below 60');
  const removed = await inHenan((trx) =>
    removeGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, third.finding.id),
  );
  t.equal(removed.score, 75, 'a finding removed: rescored');
  t.equal(removed.verdict, 'pass');
  await inHenan((trx) =>
    recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, {
      accountId: c!.accountId,
      item: 'missing_repost',
    }),
  );
  // evidence: a screenshot uploaded to the province (assets context) and a link
  const asset = (tenant: string) => ({
    tenant_id: id(tenant),
    mime: 'image/png',
    bytes: 100,
    width: 10,
    height: 10,
    storage_key: `bench/${tenant}/${randomUUID()}.png`,
  });
  const [shot] = await tdb.owner.insertInto('assets').values(asset('henan')).returning('id').execute();
  const [foreign] = await tdb.owner.insertInto('assets').values(asset('ruyang')).returning('id').execute();
  const withShot = await inHenan((trx) =>
    recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, {
      accountId: c!.accountId,
      item: 'idle',
      points: 5,
      assetIds: [shot!.id],
      links: ['https://example.gov.cn/menu'],
    }),
  );
  t.same(withShot.finding.assetIds, [shot!.id], 'an uploaded screenshot as evidence');
  t.equal(withShot.sample.score, 90);

  // 合格率 per county
  const rates = await inHenan((trx) => govRoundPassRates(trx, henan, id('henan'), round.id));
  const ry = rates.find((r) => r.tenantId === id('ruyang'))!;
  t.match(
    ry,
    { sampled: 3 + 2 + 1, passed: 4, vetoed: 2 },
    '汝阳: 6 sampled, the vetoed 抖音 and the security veto fail',
  );
  t.equal(Math.round(ry.rate * 1000), 667);
  t.match(
    rates.find((r) => r.tenantId === id('yichuan')),
    { sampled: 2 + 1, passed: 3, rate: 1 },
  );

  // the county's report
  const report = await inHenan((trx) => govRoundReport(trx, henan, id('henan'), round.id, id('ruyang'), DAY));
  t.equal(report.title, '关于汝阳县政务新媒体抽查情况的通报');
  t.match(report.text, /抽取账号 6 个/);
  t.match(report.text, /合格率 66\.7%/);
  t.match(report.text, /单项否决（2 个）/);
  t.match(report.text, /安全泄密：转发内容泄露内部文件/);
  t.match(report.text, /两周未更新：检查日前已 20 天未更新/);
  t.match(report.text, /表述不规范（扣 5 分）/);
  t.match(report.html, /<h1>关于汝阳县政务新媒体抽查情况的通报<\/h1>/);
  t.notMatch(report.text, /伊川/, "only the county's own accounts");

  // fix orders: due 7 to 11 days after issue; one goes overdue and climbs the tree, a re-check closes another
  const orderA = await inHenan((trx) =>
    issueGovFixOrder(
      trx,
      henan,
      INSPECTOR,
      id('henan'),
      round.id,
      { accountId: a!.accountId, dueOn: '2026-12-14' },
      DAY,
    ),
  );
  t.equal(orderA.tenantId, id('ruyang'), 'sent to the owning tenant');
  t.same(orderA.items, ['security']);
  t.match(orderA.requirement, /安全泄密/);
  const orderB = await inHenan((trx) =>
    issueGovFixOrder(
      trx,
      henan,
      INSPECTOR,
      id('henan'),
      round.id,
      { accountId: b!.accountId, dueOn: '2026-12-18', requirement: '请规范用语并完成认证' },
      DAY,
    ),
  );
  t.same(orderB.items.sort(), ['unverified', 'wording']);
  const later = '2026-12-16';
  const closed = await inHenan((trx) =>
    recheckGovFixOrder(trx, henan, INSPECTOR, id('henan'), orderB.id, true, '已完成认证，用语已更正', later),
  );
  t.equal(closed.status, 'closed', 'the re-check closes it');
  const notYet = await inHenan((trx) =>
    recheckGovFixOrder(trx, henan, INSPECTOR, id('henan'), orderA.id, false, '仍未整改', later),
  );
  t.equal(notYet.status, 'open', 'not fixed: stays open');
  t.equal(notYet.rechecks, 1);
  const overdue = async (slug: string, day = later) =>
    (
      await withTenant(db, id(slug), (trx) => overdueGovFixOrders(trx, access(id(slug), ['editor']), id(slug), day))
    ).map((o) => o.id);
  t.same(await overdue('ruyang'), [orderA.id], "on the county's own list");
  t.same(await overdue('luoyang'), [orderA.id], "on the city's list");
  t.same(await overdue('henan'), [orderA.id], "and on the province's");
  t.same(await overdue('yichuan'), [], "never on a sibling's");
  t.same(await overdue('zhengzhou'), [], "nor another city's");
  t.same(await overdue('henan', '2026-12-14'), [], 'not overdue on its due day');
  const [late] = await withTenant(db, id('luoyang'), (trx) =>
    overdueGovFixOrders(trx, access(id('luoyang'), ['editor']), id('luoyang'), later),
  );
  t.match(late, { overdue: true, overdueDays: 2, tenantName: '汝阳县', roundTitle: round.title });

  // bad input: a clear reason and nothing written
  const counts = async () => {
    const f = await tdb.owner
      .selectFrom('gov_round_findings')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const o = await tdb.owner
      .selectFrom('gov_fix_orders')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const s = await tdb.owner
      .selectFrom('gov_round_samples')
      .select(['score', 'verdict'])
      .where('round_id', '=', round.id)
      .orderBy('account_id')
      .execute();
    return { f: f.n, o: o.n, s };
  };
  const before = await counts();
  const sampledIds = new Set(samples.map((s) => s.accountId));
  const unsampled = await tdb.owner
    .selectFrom('gov_accounts')
    .select('id')
    .where('tenant_id', '=', id('ruyang'))
    .execute()
    .then((r) => r.find((x) => !sampledIds.has(x.id))!.id);
  const bad = (p: (trx: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<unknown>) => failure(inHenan(p));
  const notIn = await bad((trx) =>
    recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, { accountId: unsampled, item: 'idle' }),
  );
  t.equal(reasonOf(notIn), 'GOV_ROUND_NOT_SAMPLED', 'a finding for an account not in the round');
  t.match(notIn, { code: 'BAD_USER_INPUT', message: /不在本轮抽查范围内/ });
  const unknown = await bad((trx) =>
    recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, { accountId: c!.accountId, item: 'too_cute' }),
  );
  t.equal(reasonOf(unknown), 'GOV_ROUND_ITEM_UNKNOWN', 'an unknown checklist item');
  t.match(unknown, { message: /检查项目不存在/ });
  t.equal(
    reasonOf(
      await bad((trx) =>
        recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, {
          accountId: c!.accountId,
          item: 'wording',
          points: 50,
        }),
      ),
    ),
    'GOV_ROUND_INVALID',
    'more points than the item allows',
  );
  t.equal(
    reasonOf(
      await bad((trx) =>
        recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, {
          accountId: c!.accountId,
          item: 'idle',
          assetIds: [randomUUID()],
        }),
      ),
    ),
    'GOV_ROUND_EVIDENCE_NOT_FOUND',
    'evidence that is not an asset',
  );
  t.equal(
    reasonOf(
      await bad((trx) =>
        recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, {
          accountId: c!.accountId,
          item: 'idle',
          assetIds: [foreign!.id],
        }),
      ),
    ),
    'GOV_ROUND_EVIDENCE_NOT_FOUND',
    "another tenant's asset is not the inspector's evidence",
  );
  t.equal(
    reasonOf(
      await bad((trx) =>
        recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), round.id, {
          accountId: c!.accountId,
          item: 'idle',
          links: ['javascript:alert(1)'],
        }),
      ),
    ),
    'GOV_ROUND_INVALID',
    'a link that is not http(s)',
  );
  const past = await bad((trx) =>
    issueGovFixOrder(
      trx,
      henan,
      INSPECTOR,
      id('henan'),
      round.id,
      { accountId: c!.accountId, dueOn: '2026-12-01' },
      DAY,
    ),
  );
  t.equal(reasonOf(past), 'GOV_FIX_DUE_INVALID', 'a due date in the past');
  t.match(past, { message: /不能早于今天/ });
  t.match(
    await bad((trx) =>
      issueGovFixOrder(
        trx,
        henan,
        INSPECTOR,
        id('henan'),
        round.id,
        { accountId: c!.accountId, dueOn: '2026-12-30' },
        DAY,
      ),
    ),
    { message: /7 至 11 天/ },
    'too far',
  );
  t.equal(
    reasonOf(
      await bad((trx) =>
        issueGovFixOrder(
          trx,
          henan,
          INSPECTOR,
          id('henan'),
          round.id,
          { accountId: a!.accountId, dueOn: '2026-12-15' },
          DAY,
        ),
      ),
    ),
    'GOV_FIX_OPEN',
    'one open order per account',
  );
  const clean = samples.find((s) => s.tenantId === id('yichuan'))!;
  t.equal(
    reasonOf(
      await bad((trx) =>
        issueGovFixOrder(
          trx,
          henan,
          INSPECTOR,
          id('henan'),
          round.id,
          { accountId: clean.accountId, dueOn: '2026-12-15' },
          DAY,
        ),
      ),
    ),
    'GOV_FIX_NOTHING',
    'nothing found, nothing to fix',
  );
  t.equal(
    reasonOf(await bad((trx) => recheckGovFixOrder(trx, henan, INSPECTOR, id('henan'), orderB.id, true, '', later))),
    'GOV_FIX_CLOSED',
    'a closed order is not rechecked again',
  );
  await inHenan((trx) => closeGovRound(trx, henan, INSPECTOR, id('henan'), other.id));
  const onClosed = await bad((trx) =>
    recordGovRoundFinding(trx, henan, INSPECTOR, id('henan'), other.id, { accountId: otherIds[0] ?? '', item: 'idle' }),
  );
  t.equal(reasonOf(onClosed), 'GOV_ROUND_CLOSED', 'a score on a closed round');
  t.match(onClosed, { message: /已结束/ });
  t.same(await counts(), before, 'nothing was written by any of them');
  t.equal(
    reasonOf(
      await failure(
        withTenant(db, id('ruyang'), (trx) =>
          openGovRound(
            trx,
            access(id('ruyang'), ['tenant_admin']),
            INSPECTOR,
            tenants.ruyang!,
            { title: '县里自查' },
            DAY,
          ),
        ),
      ),
    ),
    'GOV_ROUND_LEVEL',
    'a county does not open rounds',
  );
  t.equal(
    reasonOf(
      await failure(
        inHenan((trx) => openGovRound(trx, henan, INSPECTOR, tenants.henan!, { title: 'x', share: 0.05 }, DAY)),
      ),
    ),
    'GOV_ROUND_INVALID',
    'less than 10 %',
  );
  t.match(
    await failure(
      inHenan((trx) =>
        recordGovRoundFinding(trx, access(id('henan'), ['editor']), INSPECTOR, id('henan'), round.id, {
          accountId: c!.accountId,
          item: 'idle',
        }),
      ),
    ),
    { code: 'FORBIDDEN' },
    'an editor reads but does not inspect',
  );

  // a city opens a round for its counties: only its subtree is sampled
  const ly = access(id('luoyang'), ['chief_editor']);
  const cityRound = await withTenant(db, id('luoyang'), (trx) =>
    openGovRound(
      trx,
      ly,
      INSPECTOR,
      tenants.luoyang!,
      { title: '洛阳市抽查', seed: 's', share: 0.2, checkDay: DAY },
      DAY,
    ),
  );
  const citySamples = await withTenant(db, id('luoyang'), (trx) =>
    govRoundSamples(trx, ly, id('luoyang'), cityRound.id),
  );
  t.same(
    [...new Set(citySamples.map((s) => s.tenantName))].sort(),
    ['伊川县', '汝阳县', '洛阳'].sort(),
    'the city, its counties, nobody else',
  );
  t.equal(citySamples.filter((s) => s.tenantId === id('ruyang') && s.platform === 'wechat').length, 5, '20 % of 25');
  t.equal(
    reasonOf(
      await failure(
        withTenant(db, id('luoyang'), (trx) =>
          recordGovRoundFinding(trx, ly, INSPECTOR, id('luoyang'), round.id, { accountId: a!.accountId, item: 'idle' }),
        ),
      ),
    ),
    'GOV_ROUND_NOT_FOUND',
    "the city does not write the province's round",
  );

  const beforeIsolation = await counts();
  // isolation: the county sees its own, its ancestors their subtree, a sibling nothing
  const seen = async (slug: string) =>
    withTenant(db, id(slug), async (trx) => {
      const q = async (table: string) =>
        (await sql<{ tenant_id: string }>`SELECT DISTINCT tenant_id FROM ${sql.table(table)}`.execute(trx)).rows
          .map((r) => r.tenant_id)
          .sort();
      return {
        samples: await q('gov_round_samples'),
        findings: await q('gov_round_findings'),
        orders: await q('gov_fix_orders'),
        rounds: await q('gov_rounds'),
      };
    });
  const ruyangSees = await seen('ruyang');
  t.same(ruyangSees.samples, [id('ruyang')], '汝阳 sees its own samples only');
  t.same(ruyangSees.findings, [id('ruyang')]);
  t.same(ruyangSees.orders, [id('ruyang')]);
  t.same(ruyangSees.rounds, [id('henan'), id('luoyang')].sort(), 'and the rounds its ancestors opened');
  const yichuanSees = await seen('yichuan');
  t.same(yichuanSees.findings, [], "a sibling county sees none of 汝阳's findings");
  t.same(yichuanSees.orders, [], 'nor its fix orders');
  t.notOk(yichuanSees.samples.includes(id('ruyang')), 'nor its samples');
  t.same((await seen('zhengzhou')).samples, [id('guancheng')], 'another city: only its own county');
  t.same((await seen('luoyang')).orders, [id('ruyang')], "the city sees its county's orders");
  t.same(
    (
      await withTenant(db, id('yichuan'), (trx) =>
        govRoundFindings(trx, access(id('yichuan'), ['tenant_admin']), id('yichuan'), round.id),
      )
    ).length,
    0,
  );
  t.same(
    (
      await withTenant(db, id('ruyang'), (trx) =>
        govRoundFindings(trx, access(id('ruyang'), ['editor']), id('ruyang'), round.id),
      )
    ).length,
    6,
    'the county reads the findings about itself (the automatic veto among them)',
  );
  t.same(
    (
      await withTenant(db, id('yichuan'), (trx) =>
        listGovFixOrders(trx, access(id('yichuan'), ['tenant_admin']), id('ruyang'), {}, later),
      )
    ).length,
    0,
    "a sibling asking for 汝阳's orders gets nothing",
  );
  t.equal(
    reasonOf(
      await failure(
        withTenant(db, id('yichuan'), (trx) =>
          govRoundReport(trx, access(id('yichuan'), ['tenant_admin']), id('yichuan'), round.id, id('ruyang'), DAY),
        ),
      ),
    ),
    'GOV_ROUND_NOT_FOUND',
    'nor its report',
  );
  const own = await withTenant(db, id('ruyang'), (trx) =>
    govRoundReport(trx, access(id('ruyang'), ['editor']), id('ruyang'), round.id, id('ruyang'), later),
  );
  t.equal(own.title, report.title, 'the county reads its own report');
  t.match(own.text, /整改期限：2026年12月14日，状态：已逾期/, 'with its fix orders now');
  t.match(own.text, /状态：已销号/);
  t.ok(
    (
      await withTenant(db, id('ruyang'), (trx) => listGovRounds(trx, access(id('ruyang'), ['editor']), id('ruyang')))
    ).some((r) => r.id === round.id),
    "the county lists the province's round",
  );
  // writes: only the round's tenant, not the county, not a sibling, not the city
  const tries = async (slug: string) =>
    withTenant(db, id(slug), async (trx) => ({
      samples: Number(
        (
          await trx
            .updateTable('gov_round_samples')
            .set({ score: 100, verdict: 'excellent' })
            .where('tenant_id', '=', id('ruyang'))
            .where('round_id', '=', round.id)
            .executeTakeFirst()
        ).numUpdatedRows,
      ),
      findings: Number(
        (
          await trx
            .deleteFrom('gov_round_findings')
            .where('tenant_id', '=', id('ruyang'))
            .where('round_id', '=', round.id)
            .executeTakeFirst()
        ).numDeletedRows,
      ),
      orders: Number(
        (
          await trx
            .updateTable('gov_fix_orders')
            .set({ status: 'closed', closed_at: new Date() })
            .where('tenant_id', '=', id('ruyang'))
            .where('round_id', '=', round.id)
            .executeTakeFirst()
        ).numUpdatedRows,
      ),
      rounds: Number(
        (
          await trx
            .updateTable('gov_rounds')
            .set({ status: 'closed', closed_at: new Date() })
            .where('tenant_id', '=', id('henan'))
            .where('id', '=', round.id)
            .executeTakeFirst()
        ).numUpdatedRows,
      ),
    }));
  t.same(
    await tries('ruyang'),
    { samples: 0, findings: 0, orders: 0, rounds: 0 },
    'the county cannot rescore, delete findings, close its own orders or the round',
  );
  t.same(await tries('yichuan'), { samples: 0, findings: 0, orders: 0, rounds: 0 }, 'nor can a sibling');
  t.same(
    await tries('luoyang'),
    { samples: 0, findings: 0, orders: 0, rounds: 0 },
    "nor the city (the province's round is the province's)",
  );
  const forged = await failure(
    withTenant(db, id('ruyang'), (trx) =>
      trx
        .insertInto('gov_round_findings')
        .values({
          tenant_id: id('ruyang'),
          account_id: a!.accountId,
          round_tenant_id: id('henan'),
          round_id: round.id,
          item: 'idle',
          kind: 'deduction',
          points: 1,
        })
        .execute(),
    ),
  );
  t.match(String(forged), /row-level security/, "the county cannot insert a finding into the province's round");
  const forgedAcross = await failure(
    withTenant(db, id('zhengzhou'), (trx) =>
      trx
        .insertInto('gov_fix_orders')
        .values({
          tenant_id: id('ruyang'),
          account_id: a!.accountId,
          round_tenant_id: id('zhengzhou'),
          round_id: round.id,
          items: ['idle'],
          requirement: 'x',
          issued_on: DAY,
          due_on: '2026-12-15',
        })
        .execute(),
    ),
  );
  t.match(String(forgedAcross), /row-level security/, 'another city cannot send orders outside its subtree');
  t.same(await counts(), beforeIsolation, 'still nothing changed');

  const audit = await tdb.owner.selectFrom('audit_log').select('action').where('action', 'like', 'gov_%').execute();
  t.same(
    [...new Set(audit.map((x) => x.action))].sort(),
    [
      'gov_fix_order.issue',
      'gov_fix_order.recheck',
      'gov_round.close',
      'gov_round.finding',
      'gov_round.finding_removed',
      'gov_round.open',
    ],
    'every step audited',
  );
});

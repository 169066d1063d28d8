import t from 'tap';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { withPlatform, withPublic, withTenant, type DB, type StaffRole } from '@yiduan/db';
import { createTestDatabase, failure, seedDemo } from '@yiduan/testkit';
import {
  Access,
  GOV_DEFAULT_THRESHOLDS,
  beijingDay,
  createGovAccount,
  createOrganisation,
  effectiveThresholds,
  govAccountCounts,
  govAccountThresholds,
  healthOf,
  importGovAccounts,
  isGovAccountError,
  listGovAccounts,
  parseCsv,
  recordGovAccountActivity,
  retireGovAccount,
  setGovAccountThresholds,
  silentDays,
  updateGovAccount,
  SYSTEM_ACTOR,
  type GovAccountInput,
} from '../src/index.js';

const reasonOf = (e: unknown): string | null => (isGovAccountError(e) ? e.reason : null);
const access = (tenantId: string, roles: StaffRole[]) =>
  new Access(tenantId, { id: randomUUID(), display_name: 'tester', is_operator: false }, new Set(roles), new Map());
const DAY = '2026-12-07';
/** an instant n Beijing days before DAY, at 10:00 Beijing */
const daysAgo = (n: number): Date => new Date(Date.parse(`${DAY}T10:00:00+08:00`) - n * 86_400_000);

t.test('health and thresholds, pure', async (t) => {
  t.equal(beijingDay(new Date('2026-12-06T16:30:00Z')), '2026-12-07', 'half past midnight in Beijing is the next day');
  t.equal(silentDays(null, DAY), null);
  t.equal(silentDays(daysAgo(0), DAY), 0);
  t.equal(silentDays(daysAgo(14), DAY), 14);
  const d = GOV_DEFAULT_THRESHOLDS;
  t.same(
    d,
    { warnDays: 7, failDays: 14, zombieDays: 90 },
    'the rules: warn at 7, the two-week veto at 14, zombie at three months',
  );
  t.same(
    [0, 6, 7, 13, 14, 89, 90, 400].map((n) => healthOf(n, d)),
    ['ok', 'ok', 'warn', 'warn', 'fail', 'fail', 'zombie', 'zombie'],
  );
  t.equal(healthOf(null, d), 'unknown', 'no update recorded: 未填报');
  t.same(effectiveThresholds([]), d, 'nothing set: the defaults');
  t.same(
    effectiveThresholds([
      { warnDays: 5, failDays: null, zombieDays: 60 },
      { warnDays: null, failDays: 10, zombieDays: 80 },
    ]),
    { warnDays: 5, failDays: 10, zombieDays: 60 },
    'every setting applies; the strictest wins',
  );
  t.same(
    parseCsv('\uFEFFa,"b,""c"""\r\n\r\n1,"多\n行"\n').map((r) => [r.row, r.fields]),
    [
      [1, ['a', 'b,"c"']],
      [3, ['1', '多\n行']],
    ],
    'quotes, blank rows counted, embedded line breaks',
  );
  t.equal(
    reasonOf(await failure(Promise.resolve().then(() => parseCsv('a,"b\n')))),
    'GOV_IMPORT_MALFORMED',
    'an open quote makes the file malformed',
  );
});

t.test('registry, activity, duplicates, thresholds down the tree, visibility', async (t) => {
  const tdb = await createTestDatabase(t);
  const db: DB = tdb.db;
  const { tenants } = await seedDemo(db, { withContent: false });
  const id = (s: string) => tenants[s]!.id;
  const unit = async (slug: string, name: string, tenant = 'ruyang') => {
    const u = randomUUID();
    await tdb.owner
      .insertInto('units')
      .values({ tenant_id: id(tenant), id: u, slug, name, kind: 'bureau' })
      .execute();
    return u;
  };
  const jiaoyu = await unit('jiaoyu', '汝阳县教育局');
  const wenlv = await unit('wenlv', '汝阳县文广旅局');
  const org = await withPlatform(db, (trx) =>
    createOrganisation(trx, SYSTEM_ACTOR, {
      name: '旧时代文化传媒有限公司',
      licenceNo: 'XW-2020-001',
      validUntil: '2025-06-30',
    }),
  );
  const admin = access(id('ruyang'), ['tenant_admin']);
  const base: GovAccountInput = {
    platform: 'wechat',
    name: '汝阳教育',
    handle: 'ruyang_jiaoyu',
    unitId: jiaoyu,
    sponsor: '汝阳县教育局',
    supervisor: '汝阳县人民政府',
    reviewers: ['王敏', '李强'],
  };
  const inRuyang = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(db, id('ruyang'), fn);

  const a = await inRuyang((trx) =>
    createGovAccount(trx, admin, SYSTEM_ACTOR, id('ruyang'), base, { lastUpdatedAt: daysAgo(3), followers: 12000 }),
  );
  t.equal(a.health, 'ok');
  t.same(a.reviewers, ['王敏', '李强']);
  t.equal(a.followers, 12000, 'figures are shown');
  t.equal(a.duplicate, false);
  // the same account id twice on one platform: refused, whatever the case or a URL's dressing
  const twice = await failure(
    inRuyang((trx) =>
      createGovAccount(trx, admin, SYSTEM_ACTOR, id('ruyang'), { ...base, name: '另一个', handle: ' RUYANG_JIAOYU ' }),
    ),
  );
  t.equal(reasonOf(twice), 'GOV_ACCOUNT_HANDLE_TAKEN');
  t.match((twice as Error).message, /重复/);
  // a second WeChat account of the same unit: allowed, and both are flagged as duplicates
  const b = await inRuyang((trx) =>
    createGovAccount(
      trx,
      admin,
      SYSTEM_ACTOR,
      id('ruyang'),
      {
        ...base,
        name: '汝阳教育服务',
        handle: 'ruyang_jyfw',
        operation: 'operator',
        operatorOrgId: org.id,
        contractStart: '2024-01-01',
        contractEnd: '2026-12-31',
      },
      { lastUpdatedAt: daysAgo(20) },
    ),
  );
  t.equal(b.duplicate, true);
  t.equal(b.health, 'fail', 'no update in two weeks: fails');
  t.equal(b.operatorOrgId, org.id);
  await inRuyang((trx) =>
    createGovAccount(
      trx,
      admin,
      SYSTEM_ACTOR,
      id('ruyang'),
      { ...base, platform: 'douyin', name: '汝阳教育抖音', handle: 'ry-jy-douyin' },
      { lastUpdatedAt: daysAgo(120) },
    ),
  );
  await inRuyang((trx) =>
    createGovAccount(trx, admin, SYSTEM_ACTOR, id('ruyang'), {
      platform: 'weibo',
      name: '汝阳文旅',
      handle: 'https://weibo.com/ruyangwenlv/',
      unitId: wenlv,
    }),
  );
  const list = async (scope: string, root: string, filter = {}) =>
    withTenant(db, id(scope), (trx) => listGovAccounts(trx, access(id(scope), ['editor']), id(root), filter, {}, DAY));
  const all = await list('ruyang', 'ruyang');
  t.equal(all.total, 4);
  t.same(
    all.items
      .filter((x) => x.duplicate)
      .map((x) => x.handle)
      .sort(),
    ['ruyang_jiaoyu', 'ruyang_jyfw'],
    'one unit, one platform, two accounts',
  );
  t.same(
    (await list('ruyang', 'ruyang', { health: 'zombie' })).items.map((x) => x.name),
    ['汝阳教育抖音'],
    'three months silent: zombie',
  );
  t.same(
    (await list('ruyang', 'ruyang', { health: 'unknown' })).items.map((x) => x.name),
    ['汝阳文旅'],
    'no update recorded',
  );
  t.same((await list('ruyang', 'ruyang', { platform: 'wechat', duplicate: true })).total, 2);
  // retiring one clears the flag of the other; a retired account has no health and no more changes
  await inRuyang((trx) => retireGovAccount(trx, admin, SYSTEM_ACTOR, id('ruyang'), b.id, 'merged', '并入“汝阳教育”'));
  const after = await list('ruyang', 'ruyang', { platform: 'wechat' });
  t.same(
    after.items.map((x) => [x.name, x.duplicate, x.health, x.status]),
    [
      ['汝阳教育', false, 'ok', 'active'],
      ['汝阳教育服务', false, null, 'merged'],
    ],
  );
  t.equal(
    reasonOf(
      await failure(inRuyang((trx) => updateGovAccount(trx, admin, SYSTEM_ACTOR, id('ruyang'), b.id, { name: 'x' }))),
    ),
    'GOV_ACCOUNT_RETIRED',
  );
  // activity entered by hand
  const fresh = await inRuyang((trx) =>
    recordGovAccountActivity(trx, admin, SYSTEM_ACTOR, id('ruyang'), a.id, { lastUpdatedAt: daysAgo(8), posts: 321 }),
  );
  t.equal(fresh.lastUpdatedAt?.toISOString(), daysAgo(8).toISOString());
  t.equal(fresh.posts, 321);
  t.equal(fresh.followers, 12000, 'figures not given stay');

  // SQL's health (used by the filter) and healthOf agree for every day around the thresholds
  for (const n of [0, 6, 7, 13, 14, 89, 90]) {
    await inRuyang((trx) =>
      recordGovAccountActivity(trx, admin, SYSTEM_ACTOR, id('ruyang'), a.id, { lastUpdatedAt: daysAgo(n) }),
    );
    const got = (await list('ruyang', 'ruyang', { health: healthOf(n, GOV_DEFAULT_THRESHOLDS) })).items.map(
      (x) => x.id,
    );
    t.ok(got.includes(a.id), `${n} days: the filter finds it as ${healthOf(n, GOV_DEFAULT_THRESHOLDS)}`);
  }
  await inRuyang((trx) =>
    recordGovAccountActivity(trx, admin, SYSTEM_ACTOR, id('ruyang'), a.id, { lastUpdatedAt: daysAgo(6) }),
  );

  // bad input
  const bad = async (input: Partial<GovAccountInput>) =>
    reasonOf(
      await failure(
        inRuyang((trx) =>
          createGovAccount(trx, admin, SYSTEM_ACTOR, id('ruyang'), {
            ...base,
            handle: randomUUID(),
            ...input,
          } as GovAccountInput),
        ),
      ),
    );
  t.equal(await bad({ platform: 'myspace' as never }), 'GOV_ACCOUNT_INVALID', 'unknown platform');
  t.equal(await bad({ name: ' ' }), 'GOV_ACCOUNT_INVALID');
  t.equal(await bad({ unitId: randomUUID() }), 'GOV_ACCOUNT_UNIT_NOT_FOUND');
  t.equal(await bad({ operation: 'operator', operatorOrgId: randomUUID() }), 'GOV_ACCOUNT_OPERATOR_NOT_FOUND');
  t.equal(await bad({ contractStart: '2026-02-30' }), 'GOV_ACCOUNT_INVALID');
  t.equal(await bad({ contractStart: '2026-05-01', contractEnd: '2026-04-01' }), 'GOV_ACCOUNT_INVALID');
  const reader = access(id('ruyang'), ['reporter']);
  t.match(
    await failure(inRuyang((trx) => listGovAccounts(trx, reader, id('ruyang')))),
    { code: 'FORBIDDEN' },
    'a reporter does not read the registry',
  );
  t.match(
    await failure(
      inRuyang((trx) =>
        createGovAccount(trx, access(id('ruyang'), ['editor']), SYSTEM_ACTOR, id('ruyang'), { ...base, handle: 'x1' }),
      ),
    ),
    { code: 'FORBIDDEN' },
    'an editor reads but does not manage',
  );

  // thresholds: the province sets them, a city tightens them for its counties, a county cannot
  const province = access(id('henan'), ['tenant_admin']);
  await withTenant(db, id('henan'), (trx) =>
    setGovAccountThresholds(trx, province, SYSTEM_ACTOR, tenants.henan!, { warnDays: 5, failDays: 14, zombieDays: 60 }),
  );
  const luoyang = access(id('luoyang'), ['chief_editor']);
  const loose = await failure(
    withTenant(db, id('luoyang'), (trx) =>
      setGovAccountThresholds(trx, luoyang, SYSTEM_ACTOR, tenants.luoyang!, { failDays: 20 }),
    ),
  );
  t.equal(reasonOf(loose), 'GOV_THRESHOLDS_INVALID', "a city cannot loosen the province's rule");
  t.match((loose as Error).message, /更宽松/);
  t.equal(
    reasonOf(
      await failure(
        withTenant(db, id('luoyang'), (trx) =>
          setGovAccountThresholds(trx, luoyang, SYSTEM_ACTOR, tenants.luoyang!, { failDays: 4 }),
        ),
      ),
    ),
    'GOV_THRESHOLDS_INVALID',
    'warn 5 and fail 4 are out of order',
  );
  await withTenant(db, id('luoyang'), (trx) =>
    setGovAccountThresholds(trx, luoyang, SYSTEM_ACTOR, tenants.luoyang!, { failDays: 10 }),
  );
  t.equal(
    reasonOf(
      await failure(
        withTenant(db, id('ruyang'), (trx) =>
          setGovAccountThresholds(trx, admin, SYSTEM_ACTOR, tenants.ruyang!, { warnDays: 3 }),
        ),
      ),
    ),
    'GOV_THRESHOLDS_LEVEL',
    'a county does not set thresholds',
  );
  const ry = await withTenant(db, id('ruyang'), (trx) => govAccountThresholds(trx, id('ruyang')));
  t.same(
    ry.effective,
    { warnDays: 5, failDays: 10, zombieDays: 60 },
    "a county under 洛阳: the province's and the city's, strictest wins",
  );
  t.same(
    ry.inherited.map((s) => s.tenantId),
    [id('luoyang'), id('henan')],
    'nearest first',
  );
  const gc = await withTenant(db, id('guancheng'), (trx) => govAccountThresholds(trx, id('guancheng')));
  t.same(gc.effective, { warnDays: 5, failDays: 14, zombieDays: 60 }, "a county under 郑州: the province's only");
  t.same(
    (await list('ruyang', 'ruyang', { health: 'warn' })).items.map((x) => x.name),
    ['汝阳教育'],
    'six days silent is a warning once the province says 5',
  );
  t.same(
    (await list('ruyang', 'ruyang', { health: 'zombie' })).items.map((x) => x.name),
    ['汝阳教育抖音'],
  );

  // visibility: the county and its ancestors see the accounts, siblings and other cities never
  await withTenant(db, id('yichuan'), (trx) =>
    createGovAccount(trx, access(id('yichuan'), ['chief_editor']), SYSTEM_ACTOR, id('yichuan'), {
      platform: 'toutiao',
      name: '伊川发布',
      handle: 'yichuanfabu',
    }),
  );
  t.same(
    (await list('luoyang', 'luoyang')).items.map((x) => x.tenantName).sort(),
    ['伊川县', '汝阳县', '汝阳县', '汝阳县', '汝阳县'].sort(),
    'the city: both its counties',
  );
  t.equal((await list('henan', 'henan')).total, 5, 'the province: everything');
  t.equal((await list('yichuan', 'ruyang')).total, 0, 'a sibling county asking for 汝阳 gets nothing (RLS)');
  t.equal((await list('zhengzhou', 'luoyang')).total, 0, 'another city gets nothing');
  const counts = await withTenant(db, id('luoyang'), (trx) =>
    govAccountCounts(trx, access(id('luoyang'), ['editor']), id('luoyang'), DAY),
  );
  t.match(counts, { total: 5, retired: 1, zombie: 1, warn: 1, unknown: 2 });
  const raw = async (scope: string | null) => {
    const q = (trx: Parameters<Parameters<typeof withPublic>[1]>[0]) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM gov_accounts`.execute(trx).then((r) => r.rows[0]!.n);
    return scope ? withTenant(db, id(scope), q) : withPublic(db, q);
  };
  t.equal(await raw(null), 0, 'no scope: nothing');
  t.equal(await raw('guancheng'), 0);
  t.equal(await raw('ruyang'), 4);
  // writes: the owning tenant only, not even its city
  const upd = await withTenant(db, id('luoyang'), (trx) =>
    trx.updateTable('gov_accounts').set({ name: '篡改' }).where('tenant_id', '=', id('ruyang')).executeTakeFirst(),
  );
  t.equal(Number(upd.numUpdatedRows), 0, "the city cannot change a county's account");
  const del = await withTenant(db, id('yichuan'), (trx) =>
    trx.deleteFrom('gov_accounts').where('tenant_id', '=', id('ruyang')).executeTakeFirst(),
  );
  t.equal(Number(del.numDeletedRows), 0, 'a sibling cannot delete one');
  const forged = await failure(
    withTenant(db, id('yichuan'), (trx) =>
      trx
        .insertInto('gov_accounts')
        .values({ tenant_id: id('ruyang'), platform: 'weibo', name: 'x', handle: 'x', handle_key: 'x' })
        .execute(),
    ),
  );
  t.match(String(forged), /row-level security/, 'nor insert into it');
  const forgedTh = await withTenant(db, id('ruyang'), (trx) =>
    trx
      .updateTable('gov_account_thresholds')
      .set({ fail_days: 100 })
      .where('tenant_id', '=', id('henan'))
      .executeTakeFirst(),
  );
  t.equal(Number(forgedTh.numUpdatedRows), 0, "a county cannot change the province's thresholds");
  t.equal(
    reasonOf(
      await failure(
        withTenant(db, id('yichuan'), (trx) =>
          updateGovAccount(trx, access(id('yichuan'), ['tenant_admin']), SYSTEM_ACTOR, id('yichuan'), a.id, {
            name: 'x',
          }),
        ),
      ),
    ),
    'GOV_ACCOUNT_NOT_FOUND',
    "another tenant's account is not found",
  );

  // every change audited
  const audit = await tdb.owner
    .selectFrom('audit_log')
    .select(['action', 'target_id'])
    .where('action', 'like', 'gov_account.%')
    .execute();
  t.same(
    [...new Set(audit.map((x) => x.action))].sort(),
    ['gov_account.activity', 'gov_account.create', 'gov_account.retire', 'gov_account.thresholds'].sort(),
  );
  t.ok(audit.some((x) => x.action === 'gov_account.retire' && x.target_id === b.id));
});

t.test('import: bad rows reported with row and reason, good rows kept, a malformed file writes nothing', async (t) => {
  const tdb = await createTestDatabase(t);
  const db: DB = tdb.db;
  const { tenants } = await seedDemo(db, { withContent: false });
  const id = (s: string) => tenants[s]!.id;
  await tdb.owner
    .insertInto('units')
    .values({ tenant_id: id('yichuan'), slug: 'nongye', name: '伊川县农业农村局', kind: 'bureau' })
    .execute();
  const org = await withPlatform(db, (trx) =>
    createOrganisation(trx, SYSTEM_ACTOR, {
      name: '中原数字传媒服务有限公司',
      licenceNo: 'XW-2024-9',
      validUntil: '2027-12-31',
    }),
  );
  const admin = access(id('yichuan'), ['tenant_admin']);
  const run = (csv: string, opts: { dryRun?: boolean; updateExisting?: boolean } = {}) =>
    withTenant(db, id('yichuan'), (trx) =>
      importGovAccounts(trx, admin, SYSTEM_ACTOR, id('yichuan'), csv, {
        organisations: [org],
        now: Date.parse(`${DAY}T12:00:00+08:00`),
        ...opts,
      }),
    );
  const count = () =>
    tdb.owner
      .selectFrom('gov_accounts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const header = '平台,账号名称,账号ID或网址,主办单位,所属政务号,运营方式,代运营机构,最近更新时间,粉丝数,审核人\n';
  const file =
    header +
    '微信公众号,伊川农业,yc_nongye,伊川县农业农村局,伊川县农业农村局,,,2026-12-01,"1.2万",张伟、刘洋\n' + // row 2: good
    '脸书,伊川外宣,yc_fb,伊川县委宣传部,,,,,,\n' + // row 3: unknown platform
    '抖音,伊川农业抖音,yc_ny_dy,伊川县农业农村局,伊川县农业农村局,代运营,中原数字传媒服务有限公司,2026/11/2 18:30,3400,\n' + // row 4: good
    '微信,伊川农业(重复),YC_NONGYE,,,,,,,\n' + // row 5: the same id as row 2
    '微博,伊川发布,ycfb,,不存在的局,,,,,\n' + // row 6: unknown unit
    '\n' + // row 7: blank
    '快手,伊川乡村,yc_ks,,,,,2026-13-01,,\n' + // row 8: bad date
    '网站,伊川县人民政府网,https://www.yichuan.gov.cn/,伊川县人民政府,,,,2026-12-06 09:00,,\n'; // row 9: good
  const dry = await run(file, { dryRun: true });
  t.equal(await count(), 0, 'a dry run writes nothing');
  t.same({ rows: dry.rows, created: dry.created, dryRun: dry.dryRun }, { rows: 7, created: 3, dryRun: true });
  const report = await run(file);
  t.same(
    report.problems.map((p) => p.row),
    [3, 5, 6, 8],
    'bad rows by their spreadsheet row number',
  );
  t.match(report.problems[0]!.reason, /未知平台“脸书”/);
  t.match(report.problems[1]!.reason, /与第 2 行/);
  t.match(report.problems[2]!.reason, /不存在的局/);
  t.match(report.problems[3]!.reason, /2026-13-01/);
  t.equal(report.created, 3, 'good rows kept');
  t.equal(await count(), 3);
  const rows = await withTenant(db, id('yichuan'), (trx) => listGovAccounts(trx, admin, id('yichuan'), {}, {}, DAY));
  const byHandle = new Map(rows.items.map((x) => [x.handle, x]));
  t.equal(byHandle.get('yc_nongye')!.followers, 12000, '1.2万 is 12000');
  t.same(byHandle.get('yc_nongye')!.reviewers, ['张伟', '刘洋']);
  t.equal(byHandle.get('yc_nongye')!.unitName, '伊川县农业农村局');
  t.equal(byHandle.get('yc_ny_dy')!.operatorOrgId, org.id);
  t.equal(
    byHandle.get('yc_ny_dy')!.lastUpdatedAt?.toISOString(),
    '2026-11-02T10:30:00.000Z',
    'sheet times are Beijing time',
  );
  t.same(
    [byHandle.get('yc_ny_dy')!.silentDays, byHandle.get('yc_ny_dy')!.health],
    [35, 'fail'],
    'imported activity is judged like entered activity',
  );
  t.equal(byHandle.get('yc_nongye')!.duplicate, false, 'a unit with one WeChat and one Douyin account is no duplicate');

  // the same file again: every row is either bad or already registered; nothing changes
  const again = await run(file);
  t.equal(again.created, 0);
  t.ok(
    again.problems.filter((p) => /已登记/.test(p.reason)).length === 3,
    'registered accounts are reported, not duplicated',
  );
  t.equal(await count(), 3);
  // … unless asked to update them
  const upd = await run(header + '微信公众号,伊川农业（新名）,yc_nongye,,,,,2026-12-06,15000,\n', {
    updateExisting: true,
  });
  t.same(
    { created: upd.created, updated: upd.updated, problems: upd.problems.length },
    { created: 0, updated: 1, problems: 0 },
  );
  const renamed = await tdb.owner
    .selectFrom('gov_accounts')
    .select(['name', 'followers'])
    .where('handle_key', '=', 'yc_nongye')
    .executeTakeFirstOrThrow();
  t.same(renamed, { name: '伊川农业（新名）', followers: '15000' });

  // malformed files: a clear error and nothing written
  for (const [csv, why] of [
    ['', /空/],
    ['平台,账号名称\n微博,x\n', /缺少列：账号ID或网址/],
    [header, /没有数据行/],
    [header + '微博,"伊川,x\n', /引号/],
    [header + `${'微博,a,b\n'.repeat(5001)}`, /最多导入 5000 行/],
  ] as const) {
    const err = await failure(run(csv));
    t.equal(reasonOf(err), 'GOV_IMPORT_MALFORMED', `malformed: ${String(why)}`);
    t.match((err as Error).message, why);
  }
  t.equal(await count(), 3, 'nothing written by a malformed file');
  const audit = await tdb.owner
    .selectFrom('audit_log')
    .select(['action', 'detail'])
    .where('action', '=', 'gov_account.import')
    .execute();
  t.equal(audit.length, 2, 'one audit record per import that wrote something');
});

// The accounts dashboards over GraphQL, through the tree: a county sees its own accounts, rounds,
// closures and cost avoided; its city and province see them rolled up; a sibling county or another
// city never. The yearly cost per account is set by a province or city and inherited (nearest
// setting); a county cannot set it; gov_account_costs is isolated by row-level security.
import t from 'tap';
import { withTenant, type GovPlatform } from '@yiduan/db';
import { errorCode } from '@yiduan/testkit';
import { demoApi } from './demo-api.js';

const DASHBOARD = `query($t: ID!) { govAccountDashboard(tenantId: $t) {
  day byPlatform { platform total ok warn fail zombie unknown closing retired }
  rounds { roundId title sampled passed vetoed rate }
  zombies { total items { id name tenant { id } health } }
  failing { total items { id tenant { id } health } }
  closuresByMonth { month proposed deregistered }
  cost { retired yuanPerYear costPerAccount byTenant { tenantId retired costPerAccount yuanPerYear } } } }`;
const SET_COST =
  'mutation($t: ID!, $y: Int) { setGovAccountCost(tenantId: $t, yuanPerYear: $y) { effective own inherited inheritedFrom } }';
const COST = 'query($t: ID!) { govAccountCost(tenantId: $t) { effective own inherited inheritedFrom } }';

type Dashboard = {
  byPlatform: { platform: string; total: number; zombie: number; retired: number }[];
  rounds: { roundId: string; sampled: number; passed: number; rate: number }[];
  zombies: { total: number; items: { name: string; tenant: { id: string }; health: string }[] };
  failing: { total: number; items: { tenant: { id: string }; health: string }[] };
  closuresByMonth: { month: string; proposed: number; deregistered: number }[];
  cost: {
    retired: number;
    yuanPerYear: number;
    costPerAccount: number;
    byTenant: { tenantId: string; retired: number; costPerAccount: number; yuanPerYear: number }[];
  };
};

t.test('the accounts dashboard through the tree, with the cost avoided and isolation', async (t) => {
  const { deps, id, as, anonymous } = await demoApi(t);
  const owner = deps.tdb.owner;
  const hnAdmin = await as('hn-admin', 'henan', ['tenant_admin']);
  const lyAdmin = await as('ly-admin', 'luoyang', ['tenant_admin']);
  const lyEditor = await as('ly-editor', 'luoyang', ['editor']);
  const zzEditor = await as('zz-editor', 'zhengzhou', ['editor']);
  const ryAdmin = await as('ry-admin', 'ruyang', ['tenant_admin']);
  const ryReporter = await as('ry-reporter', 'ruyang', ['reporter']);
  const ycAdmin = await as('yc-admin', 'yichuan', ['tenant_admin']);

  // a registry of our own beside the demo's: zombies, retired accounts in two counties
  const now = Date.now();
  const rows: [string, GovPlatform, string, number, 'active' | 'closed' | 'merged'][] = [
    ['ruyang', 'kuaishou', '汝阳看板僵尸一', 200, 'active'],
    ['ruyang', 'kuaishou', '汝阳看板僵尸二', 120, 'active'],
    ['ruyang', 'bilibili', '汝阳看板已注销', 300, 'closed'],
    ['ruyang', 'bilibili', '汝阳看板已合并', 300, 'merged'],
    ['yichuan', 'kuaishou', '伊川看板僵尸', 150, 'active'],
    ['yichuan', 'bilibili', '伊川看板已注销', 300, 'closed'],
  ];
  for (const [slug, platform, name, silent, status] of rows)
    await owner
      .insertInto('gov_accounts')
      .values({
        tenant_id: id(slug),
        platform,
        name,
        handle: name,
        handle_key: name,
        status,
        last_updated_at: new Date(now - silent * 86_400_000),
      })
      .execute();
  const registry = await owner.selectFrom('gov_accounts').select(['tenant_id', 'status']).execute();
  const of = (slug: string) => registry.filter((r) => r.tenant_id === id(slug));
  const retiredIn = (slug: string) => of(slug).filter((r) => r.status === 'closed' || r.status === 'merged').length;

  // the cost: the province sets it, a city overrides for its counties, a county cannot
  t.match((await ryAdmin<{ govAccountCost: unknown }>(COST, { t: id('ruyang') })).data?.govAccountCost, {
    effective: 60000,
    own: null,
    inherited: null,
  });
  t.equal(errorCode(await ryAdmin(SET_COST, { t: id('ruyang'), y: 1 })), 'FORBIDDEN', 'a county does not set it');
  const negative = await hnAdmin(SET_COST, { t: id('henan'), y: -5 });
  t.equal(errorCode(negative), 'BAD_USER_INPUT');
  t.match(negative.errors?.[0]?.message, /年运维成本/);
  t.equal(
    errorCode(await ycAdmin(SET_COST, { t: id('luoyang'), y: 1 })),
    'FORBIDDEN',
    "a county cannot set its city's",
  );
  t.equal(errorCode(await lyEditor(SET_COST, { t: id('luoyang'), y: 1 })), 'FORBIDDEN', 'an editor cannot');
  t.equal((await hnAdmin(SET_COST, { t: id('henan'), y: 50000 })).errors, undefined);
  t.match((await lyAdmin<{ setGovAccountCost: unknown }>(SET_COST, { t: id('luoyang'), y: 80000 })).data, {
    setGovAccountCost: { effective: 80000, own: 80000, inherited: 50000, inheritedFrom: '河南' },
  });
  t.match((await ryAdmin<{ govAccountCost: unknown }>(COST, { t: id('ruyang') })).data?.govAccountCost, {
    effective: 80000,
    own: null,
    inherited: 80000,
    inheritedFrom: '洛阳',
  });

  // a round and a closure, so that the rates and the wave have something
  const opened = await hnAdmin<{ openGovRound: { id: string } }>(
    'mutation($t: ID!) { openGovRound(tenantId: $t, input: { title: "看板抽查", seed: "dash", share: 1 }) { id } }',
    { t: id('henan') },
  );
  t.equal(opened.errors, undefined);
  const roundId = opened.data!.openGovRound.id;
  const zombieId = (
    await owner.selectFrom('gov_accounts').select('id').where('name', '=', '汝阳看板僵尸一').executeTakeFirstOrThrow()
  ).id;
  const proposed = await ryAdmin(
    'mutation($t: ID!, $a: ID!) { proposeGovAccountClosure(tenantId: $t, input: { accountId: $a, kind: CLOSE, reason: "僵尸号" }) { id } }',
    { t: id('ruyang'), a: zombieId },
  );
  t.equal(proposed.errors, undefined);
  const month = new Date(now + 8 * 3600_000).toISOString().slice(0, 7);

  const dash = async (gql: typeof ryAdmin, slug: string) => {
    const r = await gql<{ govAccountDashboard: Dashboard }>(DASHBOARD, { t: id(slug) });
    t.equal(r.errors, undefined, `${slug}'s dashboard`);
    return r.data!.govAccountDashboard;
  };
  const ry = await dash(ryAdmin, 'ruyang');
  t.equal(
    ry.byPlatform.reduce((n, p) => n + p.total, 0),
    of('ruyang').length,
    "the county's accounts by platform",
  );
  t.ok(ry.zombies.items.some((a) => a.name === '汝阳看板僵尸一'));
  t.ok(
    ry.zombies.items.every((a) => a.tenant.id === id('ruyang') && a.health === 'ZOMBIE'),
    'only its own zombies',
  );
  t.ok(ry.failing.items.every((a) => a.tenant.id === id('ruyang') && a.health === 'FAIL'));
  t.match(ry.rounds, [{ roundId, sampled: of('ruyang').filter((r) => r.status === 'active').length }]);
  t.same(ry.closuresByMonth, [{ month, proposed: 1, deregistered: 0 }], 'the wave: one proposed this month');
  t.same(
    [ry.cost.retired, ry.cost.costPerAccount, ry.cost.yuanPerYear],
    [retiredIn('ruyang'), 80000, retiredIn('ruyang') * 80000],
    'the cost avoided at the city-set 80,000 a year',
  );

  const ly = await dash(lyEditor, 'luoyang');
  t.equal(
    ly.byPlatform.reduce((n, p) => n + p.total, 0),
    of('ruyang').length + of('yichuan').length + of('luoyang').length,
    "the city: its counties' rolled up",
  );
  t.ok(
    ly.zombies.items.some((a) => a.name === '伊川看板僵尸') &&
      ly.zombies.items.some((a) => a.name === '汝阳看板僵尸一'),
  );
  t.same(ly.closuresByMonth, [{ month, proposed: 1, deregistered: 0 }]);
  t.equal(ly.cost.retired, retiredIn('ruyang') + retiredIn('yichuan') + retiredIn('luoyang'));
  t.equal(ly.cost.yuanPerYear, ly.cost.retired * 80000);
  t.ok(ly.rounds[0]!.sampled > ry.rounds[0]!.sampled);

  const hn = await dash(hnAdmin, 'henan');
  t.equal(
    hn.byPlatform.reduce((n, p) => n + p.total, 0),
    registry.length,
    'the province: everything',
  );
  t.equal(
    hn.cost.yuanPerYear,
    ly.cost.yuanPerYear + (hn.cost.retired - ly.cost.retired) * 50000,
    "outside 洛阳 the province's 50,000 applies",
  );

  // siblings and others never
  const yc = await dash(ycAdmin, 'yichuan');
  t.notOk(
    yc.zombies.items.some((a) => a.tenant.id === id('ruyang')),
    "a sibling's dashboard holds none of the county's",
  );
  t.same(yc.closuresByMonth, [], 'nor its closures');
  t.ok(yc.cost.byTenant.every((b) => b.tenantId === id('yichuan')));
  t.same(
    yc.rounds.map((r) => r.sampled),
    [of('yichuan').filter((r) => r.status === 'active').length],
  );
  t.equal(
    errorCode(await ycAdmin(DASHBOARD, { t: id('ruyang') })),
    'FORBIDDEN',
    "a sibling cannot ask for the county's",
  );
  t.equal(errorCode(await zzEditor(DASHBOARD, { t: id('luoyang') })), 'FORBIDDEN', 'nor another city');
  t.equal(errorCode(await ycAdmin(COST, { t: id('ruyang') })), 'FORBIDDEN');
  t.equal(errorCode(await ryReporter(DASHBOARD, { t: id('ruyang') })), 'FORBIDDEN', 'a reporter does not read it');
  t.equal(errorCode(await anonymous(DASHBOARD, { t: id('ruyang') })), 'UNAUTHENTICATED');

  // the platform's own faces and units, judged by the same thresholds (洛阳 fails at 10 days)
  t.equal(
    (
      await lyAdmin(
        'mutation($t: ID!) { setGovAccountThresholds(tenantId: $t, input: { failDays: 10 }) { effective { failDays } } }',
        {
          t: id('luoyang'),
        },
      )
    ).errors,
    undefined,
  );
  const later = new Date(now + 8 * 3600_000 + 12 * 86_400_000).toISOString().slice(0, 10);
  const OWN =
    'query($t: ID!, $d: Date) { govOwnChannels(tenantId: $t, asOf: $d) { tenantId tenantName unitId name silentDays health thresholds { failDays } } }';
  type Own = {
    tenantId: string;
    tenantName: string;
    unitId: string | null;
    silentDays: number;
    health: string;
    thresholds: { failDays: number };
  };
  const own = async (gql: typeof ryAdmin, slug: string) =>
    (await gql<{ govOwnChannels: Own[] }>(OWN, { t: id(slug), d: later })).data!.govOwnChannels;
  const ryOwn = await own(ryAdmin, 'ruyang');
  t.ok(
    ryOwn.some((c) => c.unitId === null && c.tenantName === '汝阳县'),
    "the county's face (and its units: none in this seed)",
  );
  t.ok(
    ryOwn.every((c) => c.tenantId === id('ruyang')),
    'only its own',
  );
  t.ok(
    ryOwn.every((c) => c.silentDays >= 12 && c.health === 'FAIL' && c.thresholds.failDays === 10),
    "nothing published for 12 days: past 洛阳's 10",
  );
  const hnOwn = await own(hnAdmin, 'henan');
  const gc = hnOwn.filter((c) => c.tenantId === id('guancheng'));
  t.ok(
    gc.length > 0 && gc.every((c) => c.health === 'WARN' && c.thresholds.failDays === 14),
    "郑州's county: the defaults, 预警",
  );
  t.ok(
    hnOwn.some((c) => c.tenantId === id('ruyang')),
    'the province sees the counties rolled up',
  );
  t.notOk(
    (await own(ycAdmin, 'yichuan')).some((c) => c.tenantId === id('ruyang')),
    'a sibling never',
  );
  t.equal(errorCode(await ycAdmin(OWN, { t: id('ruyang') })), 'FORBIDDEN');

  // gov_account_costs under row-level security: another tenant can neither see nor change a setting
  const seen = (slug: string) =>
    withTenant(deps.db, id(slug), (trx) => trx.selectFrom('gov_account_costs').select('tenant_id').execute()).then(
      (r) => r.map((x) => x.tenant_id).sort(),
    );
  t.same(await seen('ruyang'), [id('henan'), id('luoyang')].sort(), 'a county reads what applies to it');
  t.same(await seen('zhengzhou'), [id('henan')], "another city does not read 洛阳's");
  const changed = await withTenant(deps.db, id('zhengzhou'), (trx) =>
    trx.updateTable('gov_account_costs').set({ yuan_per_year: 1 }).where('tenant_id', '=', id('luoyang')).execute(),
  );
  t.equal(Number(changed[0]!.numUpdatedRows), 0, "another city cannot change 洛阳's");
  const ryChange = await withTenant(deps.db, id('ruyang'), (trx) =>
    trx.updateTable('gov_account_costs').set({ yuan_per_year: 1 }).where('tenant_id', '=', id('luoyang')).execute(),
  );
  t.equal(Number(ryChange[0]!.numUpdatedRows), 0, "nor can the county change its city's");
  await t.rejects(
    withTenant(deps.db, id('ruyang'), (trx) =>
      trx
        .insertInto('gov_account_costs')
        .values({ tenant_id: id('yichuan'), yuan_per_year: 1 })
        .execute(),
    ),
    'nor write one for a sibling',
  );
  t.same(
    (
      await owner
        .selectFrom('gov_account_costs')
        .select(['tenant_id', 'yuan_per_year'])
        .orderBy('yuan_per_year')
        .execute()
    ).map((r) => r.yuan_per_year),
    [50000, 80000],
    'nothing changed',
  );
});

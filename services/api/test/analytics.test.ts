import t from 'tap';
import { createSession } from '@yiduan/core';
import { withPlatform, type Staff } from '@yiduan/db';
import { createDemoDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { staffWith } from './staff.js';

const FROM = '2026-11-01';
const TO = '2026-11-02';

t.test('analytics over GraphQL and CSV: own, descendants, never siblings; rankings by index and rank', async (t) => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const id = (s: string) => tenants[s]!.id;
  const app = await build(deps);
  t.teardown(() => app.close());
  const owner = deps.tdb.owner;
  // figures for two days: tenant n has views 10n per day (own), the tree rows as the roll-up writes them
  const slugs = Object.keys(tenants);
  for (const [n, slug] of slugs.entries()) {
    for (const day of [FROM, TO]) {
      await owner
        .insertInto('analytics_tenant_daily')
        .values({
          tenant_id: id(slug),
          scope: 'own',
          day,
          views: 10 * (n + 1),
          uniques: n + 1,
          reach_views: 10 * (n + 1),
          stories_published: 1,
        })
        .execute();
    }
  }
  await owner
    .insertInto('analytics_tenant_daily')
    .values({ tenant_id: id('luoyang'), scope: 'tree', day: FROM, views: 999 })
    .execute();
  const unit = await owner
    .insertInto('units')
    .values({ tenant_id: id('ruyang'), slug: 'jiaoyu', name: '汝阳县教育局', kind: 'bureau' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await owner
    .insertInto('analytics_unit_daily')
    .values({ tenant_id: id('ruyang'), unit_id: unit.id, day: FROM, views: 7, stories_published: 2 })
    .execute();

  const token = async (s: Staff) => (await withPlatform(deps.db, (trx) => createSession(trx, s.id))).token;
  const as = async (
    login: string,
    slug: string,
    roles: Parameters<typeof staffWith>[3],
    unitId: string | null = null,
  ) => {
    const s = await staffWith(deps.db, login, id(slug), roles, unitId);
    const tok = await token(s);
    return { gql: graphqlClient(app, { token: tok }), tok };
  };
  const county = await as('ry-admin', 'ruyang', ['tenant_admin']);
  const city = await as('ly-editor', 'luoyang', ['editor']);
  const province = await as('hn-admin', 'henan', ['tenant_admin']);
  const unitMember = await as('ry-unit', 'ruyang', ['reporter'], unit.id);

  const TA = `query($t: ID!, $s: AnalyticsScope) { tenantAnalytics(tenantId: $t, from: "${FROM}", to: "${TO}", scope: $s) { tenant { slug } totals { views uniques storiesPublished } daily { day figures { views } } } }`;
  const own = await county.gql<{
    tenantAnalytics: { totals: { views: number; uniques: number; storiesPublished: number }; daily: { day: string }[] };
  }>(TA, { t: id('ruyang') });
  const n = slugs.indexOf('ruyang') + 1;
  t.same(
    own.data?.tenantAnalytics.totals,
    { views: 20 * n, uniques: 2 * n, storiesPublished: 2 },
    'a county reads its own figures',
  );
  t.same(
    own.data?.tenantAnalytics.daily.map((d) => d.day),
    [FROM, TO],
  );
  t.equal(errorCode(await county.gql(TA, { t: id('yichuan') })), 'FORBIDDEN', 'not a sibling county');
  t.equal(errorCode(await county.gql(TA, { t: id('luoyang') })), 'FORBIDDEN', 'not its parent city');
  const cityReads = await city.gql<{ tenantAnalytics: { totals: { views: number } } }>(TA, { t: id('ruyang') });
  t.equal(cityReads.data?.tenantAnalytics.totals.views, 20 * n, 'the city reads its county');
  t.equal(errorCode(await city.gql(TA, { t: id('guancheng') })), 'FORBIDDEN', "not another city's county");
  const tree = await city.gql<{ tenantAnalytics: { totals: { views: number } } }>(TA, { t: id('luoyang'), s: 'TREE' });
  t.equal(tree.data?.tenantAnalytics.totals.views, 999, 'the subtree figures');
  t.notOk((await province.gql(TA, { t: id('zhecheng') })).errors, 'the province reads everything');
  t.equal(
    errorCode(await unitMember.gql(TA, { t: id('ruyang') })),
    'FORBIDDEN',
    'a unit member does not read tenant-wide figures',
  );
  t.equal(errorCode(await graphqlClient(app)(TA, { t: id('ruyang') })), 'UNAUTHENTICATED');
  const bad = await county.gql(
    `{ tenantAnalytics(tenantId: "${id('ruyang')}", from: "2026-13-01", to: "2026-11-02") { from } }`,
  );
  t.equal(errorCode(bad), 'BAD_USER_INPUT', 'a bad date is a 4xx, not a crash');

  const children = await city.gql<{ childAnalytics: { tenant: { slug: string } }[] }>(
    `{ childAnalytics(tenantId: "${id('luoyang')}", from: "${FROM}", to: "${TO}") { tenant { slug } totals { views } } }`,
  );
  t.same(children.data?.childAnalytics.map((c) => c.tenant.slug).sort(), ['ruyang', 'yichuan']);
  const units = await county.gql<{
    unitAnalytics: { name: string; figures: { views: number; storiesPublished: number } }[];
  }>(
    `{ unitAnalytics(tenantId: "${id('ruyang')}", from: "${FROM}", to: "${TO}") { name figures { views storiesPublished } } }`,
  );
  t.same(units.data?.unitAnalytics, [{ name: '汝阳县教育局', figures: { views: 7, storiesPublished: 2 } }]);

  const R = `query($t: ID!) { ranking(tenantId: $t, level: COUNTY, from: "${FROM}", to: "${TO}") { id name index rank movement figures { views } } }`;
  const ranking = await county.gql<{
    ranking: { id: string; index: number; rank: number; figures: { views: number } | null }[];
  }>(R, { t: id('ruyang') });
  t.equal(ranking.data?.ranking.length, 4, 'every county of the province');
  for (const e of ranking.data?.ranking ?? []) {
    if (e.id === id('ruyang')) t.equal(e.figures?.views, 20 * n, 'own figures shown');
    else t.equal(e.figures, null, 'a peer: index and rank only');
    t.ok(e.index >= 0 && e.index <= 100 && e.rank >= 1);
  }
  t.same(
    ranking.data?.ranking.map((e) => e.rank),
    [1, 2, 3, 4],
    'ranked by index',
  );

  const settings = `mutation($t: ID!) { updateAnalyticsSettings(tenantId: $t, input: { sleepingDays: 10, dormantDays: 40, weights: { reach: 0.5 } }) { sleepingDays dormantDays weights { reach uniques } } }`;
  t.equal(
    errorCode(await county.gql(settings, { t: id('ruyang') })),
    'FORBIDDEN',
    'a county cannot set the thresholds',
  );
  const set = await province.gql<{ updateAnalyticsSettings: unknown }>(settings, { t: id('henan') });
  t.same(set.data?.updateAnalyticsSettings, {
    sleepingDays: 10,
    dormantDays: 40,
    weights: { reach: 0.5, uniques: 0.15 },
  });
  const read = await county.gql<{ analyticsSettings: { sleepingDays: number; tenant: { slug: string } } }>(
    `{ analyticsSettings(tenantId: "${id('ruyang')}") { sleepingDays tenant { slug } } }`,
  );
  t.same(
    read.data?.analyticsSettings,
    { sleepingDays: 10, tenant: { slug: 'henan' } },
    "the county works under its province's thresholds",
  );
  const dormant = await city.gql<{ dormantAccounts: unknown[] }>(
    `{ dormantAccounts(tenantId: "${id('luoyang')}", all: true) { name state daysSilent trend tenant { slug } } }`,
  );
  t.notOk(dormant.errors, 'dormant accounts of the subtree');

  // CSV
  const csv = (tok: string | null, qs: string) =>
    app.inject({
      method: 'GET',
      url: `/exports/analytics.csv?${qs}`,
      headers: tok ? { authorization: `Bearer ${tok}` } : {},
    });
  const daily = await csv(county.tok, `tenantId=${id('ruyang')}&from=${FROM}&to=${TO}&kind=daily`);
  t.equal(daily.statusCode, 200);
  t.match(String(daily.headers['content-type']), 'text/csv');
  t.ok(daily.body.startsWith('\uFEFF日期,阅读量,独立访客'), 'UTF-8 with BOM and Chinese headers');
  t.match(daily.body, `\r\n${FROM},${10 * n},${n},`);
  t.equal(
    (await csv(county.tok, `tenantId=${id('yichuan')}&from=${FROM}&to=${TO}`)).statusCode,
    403,
    'not a sibling, in CSV either',
  );
  t.equal((await csv(null, `tenantId=${id('ruyang')}`)).statusCode, 401);
  t.equal((await csv(county.tok, `tenantId=${id('ruyang')}&kind=nope`)).statusCode, 400);
  const rankCsv = await csv(county.tok, `tenantId=${id('ruyang')}&from=${FROM}&to=${TO}&kind=county-ranking`);
  const lines = rankCsv.body.trim().split('\r\n').slice(1);
  t.equal(lines.length, 4);
  t.equal(lines.filter((l) => /,,,,/.test(l)).length, 3, "peers' figures are blank in the export too");
});

import t from 'tap';
import { withTenant } from '@yiduan/db';
import {
  Access,
  govRoundPassRates,
  govRoundReport,
  listGovRounds,
  overdueGovFixOrders,
  listGovFixOrders,
} from '@yiduan/core';
import { createDemoDatabase } from '@yiduan/testkit';
import { DEMO_ROUND } from '../src/account-rounds.js';

t.test('the demo round: sampled, findings, a report per county, fix orders overdue, closed and running', async (t) => {
  const tdb = await createDemoDatabase(t, 'newsroom');
  const { tenants, staff } = tdb;
  const province = tenants.henan!.id;
  const reader = (slug: string) =>
    new Access(tenants[slug]!.id, staff[`${slug}-editor`]!, new Set(['editor']), new Map());
  const [round] = await withTenant(tdb.db, province, (trx) => listGovRounds(trx, reader('henan'), province));
  t.match(round, { title: DEMO_ROUND.title, seed: DEMO_ROUND.seed, share: 0.3, status: 'open' });
  t.ok(round!.sampled >= 12, `${round!.sampled} accounts sampled`);
  const rates = await withTenant(tdb.db, province, (trx) =>
    govRoundPassRates(trx, reader('henan'), province, round!.id),
  );
  t.ok(rates.length >= 6, 'every tenant with accounts has a 合格率');
  t.ok(rates.some((r) => r.rate < 1) && rates.some((r) => r.vetoed > 0), 'some fail, some by a veto');
  const ruyang = tenants.ruyang!.id;
  const report = await withTenant(tdb.db, province, (trx) =>
    govRoundReport(trx, reader('henan'), province, round!.id, ruyang),
  );
  t.match(report.text, /安全泄密：转发的通知附件含未公开的内部会议纪要/, "汝阳's report names its veto");
  const overdue = await withTenant(tdb.db, tenants.luoyang!.id, (trx) =>
    overdueGovFixOrders(trx, reader('luoyang'), tenants.luoyang!.id),
  );
  t.same(
    overdue.map((o) => o.tenantName),
    ['汝阳县'],
    "one fix order overdue on 洛阳's list",
  );
  const all = await withTenant(tdb.db, province, (trx) => listGovFixOrders(trx, reader('henan'), province));
  t.same(
    all.map((o) => `${o.tenantName}:${o.status}:${o.overdue}`).sort(),
    ['柘城县:open:false', '汝阳县:open:true', '管城回族区:closed:false'].sort(),
    'overdue, closed by a re-check, still running',
  );
});

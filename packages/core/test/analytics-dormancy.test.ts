import t from 'tap';
import { withPlatform, withTenant } from '@yiduan/db';
import {
  addDays,
  checkDormancy,
  dormantAccounts,
  DORMANCY_TOPIC,
  saveAnalyticsSettings,
  DomainError,
} from '../src/index.js';
import { at, fixture } from './analytics-fixture.js';

const D0 = '2026-10-01';

t.test('dormant accounts: flagged on day N, not N-1; parent told; resumption recorded', async (t) => {
  const f = await fixture(t);
  const id = (s: string) => f.tenants[s]!.id;
  const jiaoyu = await f.unit('ruyang', 'jiaoyu');
  await f.story('ruyang', { unitId: jiaoyu, publishedAt: at(D0, 10) });
  const check = (day: string) => withPlatform(f.db, (trx) => checkDormancy(trx, day));
  const warnings = () =>
    f.owner
      .selectFrom('dormancy_warnings')
      .select(['tenant_id', 'unit_id', 'state', 'days_silent', 'notified_tenant_id', 'resumed_at'])
      .orderBy('warned_at')
      .orderBy('state')
      .execute();

  t.equal((await check(addDays(D0, 13))).warned, 0, 'day 13: not sleeping yet');
  t.same(await warnings(), []);
  t.equal((await check(addDays(D0, 14))).warned, 2, 'day 14: the county and its unit are sleeping');
  const w = await warnings();
  t.same(
    new Set(w.map((x) => `${x.unit_id ? 'unit' : 'tenant'}:${x.state}:${x.days_silent}:${x.notified_tenant_id}`)),
    new Set([`tenant:sleeping:14:${id('luoyang')}`, `unit:sleeping:14:${id('ruyang')}`]),
    'the parent city is told about the county, the county about its unit',
  );
  const events = await f.owner
    .selectFrom('outbox')
    .select(['tenant_id', 'payload'])
    .where('topic', '=', DORMANCY_TOPIC)
    .execute();
  t.same(
    new Set(events.map((e) => e.tenant_id)),
    new Set([id('luoyang'), id('ruyang')]),
    'outbox events to the tenants notified',
  );
  t.equal((await check(addDays(D0, 14))).warned, 0, 'a second check the same day warns nobody twice');
  t.equal((await check(addDays(D0, 59))).warned, 0, 'day 59: still only sleeping');
  t.equal((await check(addDays(D0, 60))).warned, 2, 'day 60: dormant');

  // what the city sees in its console
  const seen = await withTenant(f.db, id('luoyang'), (trx) => dormantAccounts(trx, id('luoyang'), addDays(D0, 60)));
  const ruyang = seen.find((a) => a.tenantId === id('ruyang') && a.unitId === null);
  t.equal(ruyang?.state, 'dormant');
  t.equal(ruyang?.daysSilent, 60);
  t.same(ruyang?.lastPublishedAt, at(D0, 10));
  t.equal(ruyang?.trend.length, 8);
  const countySees = await withTenant(f.db, id('yichuan'), (trx) =>
    dormantAccounts(trx, id('yichuan'), addDays(D0, 60)),
  );
  t.notOk(
    countySees.some((a) => a.tenantId === id('ruyang')),
    'a sibling county does not see it',
  );

  // the county publishes again (not through the unit)
  const back = at(addDays(D0, 61), 9);
  await f.story('ruyang', { publishedAt: back });
  const r = await check(addDays(D0, 61));
  t.equal(r.resumed, 2, "the county's two warnings are closed");
  const after = await warnings();
  t.same(
    after.filter((x) => x.unit_id === null).map((x) => x.resumed_at),
    [back, back],
    'with the time activity resumed',
  );
  t.ok(
    after.filter((x) => x.unit_id !== null).every((x) => x.resumed_at === null),
    'the unit is still silent',
  );
});

t.test("thresholds are the province's", async (t) => {
  const f = await fixture(t);
  const id = (s: string) => f.tenants[s]!.id;
  await f.story('yichuan', { publishedAt: at(D0, 10) });
  const err = await withTenant(f.db, id('yichuan'), (trx) =>
    saveAnalyticsSettings(trx, id('yichuan'), { sleepingDays: 3, dormantDays: 5 }, 'x'),
  ).catch((e: unknown) => e);
  t.ok(err instanceof DomainError && err.code === 'FORBIDDEN', 'a county cannot set them');
  const bad = await withTenant(f.db, id('henan'), (trx) =>
    saveAnalyticsSettings(trx, id('henan'), { sleepingDays: 30, dormantDays: 20 }, 'x'),
  ).catch((e: unknown) => e);
  t.ok(bad instanceof DomainError && bad.code === 'BAD_USER_INPUT', 'sleeping must come before dormant');
  await withTenant(f.db, id('henan'), (trx) =>
    saveAnalyticsSettings(trx, id('henan'), { sleepingDays: 7, dormantDays: 30 }, 'henan-admin'),
  );
  t.equal((await withPlatform(f.db, (trx) => checkDormancy(trx, addDays(D0, 6)))).warned, 0, 'day 6 of 7');
  const r = await withPlatform(f.db, (trx) => checkDormancy(trx, addDays(D0, 7)));
  t.equal(r.warned, 1, "day 7 of 7: flagged with the province's threshold");
  const row = await f.owner
    .selectFrom('dormancy_warnings')
    .select(['tenant_id', 'threshold_days'])
    .executeTakeFirstOrThrow();
  t.same(row, { tenant_id: id('yichuan'), threshold_days: 7 });
});

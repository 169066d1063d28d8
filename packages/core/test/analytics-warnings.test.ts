// Dormancy warnings as the analytics pages list them (dormancyWarnings): a tenant sees its
// subtree's, a sibling none; and the outbox topic names of the analytics context.
import t from 'tap';
import { withPlatform, withTenant } from '@yiduan/db';
import {
  addDays,
  ANALYTICS_TOPICS,
  checkDormancy,
  DAILY_TOPIC,
  DORMANCY_TOPIC,
  dormancyWarnings,
} from '../src/index.js';
import { at, fixture } from './analytics-fixture.js';

const D0 = '2026-10-01';

t.test('outbox topics of the analytics context keep their wire names', async (t) => {
  t.same(ANALYTICS_TOPICS, { daily: 'analytics.daily', dormancyWarned: 'analytics.dormancy_warned' });
  t.equal(DAILY_TOPIC, ANALYTICS_TOPICS.daily);
  t.equal(DORMANCY_TOPIC, ANALYTICS_TOPICS.dormancyWarned);
});

t.test("dormancy warnings: the subtree's, newest first, the day as text; a sibling sees none", async (t) => {
  const f = await fixture(t);
  const id = (s: string) => f.tenants[s]!.id;
  await f.story('ruyang', { publishedAt: at(D0, 10) });
  await withPlatform(f.db, (trx) => checkDormancy(trx, addDays(D0, 14)));

  const city = await withTenant(f.db, id('luoyang'), (trx) => dormancyWarnings(trx, id('luoyang')));
  const ruyang = city.find((w) => w.tenantId === id('ruyang') && w.unitId === null);
  t.equal(ruyang?.state, 'sleeping', "the city sees its county's warning");
  t.equal(ruyang?.asOf, addDays(D0, 14), 'the day of the check, as YYYY-MM-DD');
  t.equal(ruyang?.notifiedTenantId, id('luoyang'));
  t.ok(
    city.every((w, i) => i === 0 || city[i - 1]!.warnedAt >= w.warnedAt),
    'newest first',
  );
  t.equal(
    (await withTenant(f.db, id('luoyang'), (trx) => dormancyWarnings(trx, id('luoyang'), { first: 1 }))).length,
    1,
    'first limits the list',
  );

  const sibling = await withTenant(f.db, id('yichuan'), (trx) => dormancyWarnings(trx, id('yichuan')));
  t.notOk(
    sibling.some((w) => w.tenantId === id('ruyang')),
    'a sibling county does not see it through its own subtree',
  );
  const asking = await withTenant(f.db, id('yichuan'), (trx) => dormancyWarnings(trx, id('luoyang')));
  t.same(asking, [], "nor by naming its parent: row-level security shows a tenant's own subtree only");
});

// Message numbers: LY + Beijing date + the tenant's five-digit daily sequence, unique per tenant
// even when many citizens send at the same moment, and the same scheme in the demo seed.
import t from 'tap';
import { nextMessageSerial, sendMessage } from '@yiduan/core';
import { withCitizen, withPlatform, withTenant } from '@yiduan/db';
import { createDemoDeps } from '@yiduan/testkit';

t.test('message numbers are readable, per tenant and day, and unique under concurrent inserts', async (t) => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const A = tenants.ruyang!;
  const B = tenants.yichuan!;
  const citizens = await withPlatform(deps.db, (trx) =>
    trx
      .insertInto('citizens')
      .values(
        Array.from({ length: 24 }, (_, i) => ({
          phone: `1370000${String(i).padStart(4, '0')}`,
          display_name: `市民${i}`,
        })),
      )
      .returning('id')
      .execute(),
  );
  const send = (citizenId: string, tenantId: string, i: number) =>
    withCitizen(deps.db, citizenId, (trx) =>
      sendMessage(trx, deps.cache, {
        tenantId,
        unitId: null,
        citizenId,
        category: 'suggestion',
        title: `建议${i}`,
        body: '希望增加公交班次。',
        allowPublic: false,
        ip: `10.1.0.${i + 1}`,
      }),
    );
  // all at once, on two tenants
  const rows = await Promise.all(citizens.map((c, i) => send(c.id, i % 3 === 0 ? B.id : A.id, i)));
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10).replace(/-/g, '');
  for (const r of rows)
    t.match(r.serial, new RegExp(`^LY${today}\\d{5}$`), `${r.serial}: LY + Beijing date + five digits`);
  const ofA = rows
    .filter((r) => r.tenant_id === A.id)
    .map((r) => r.serial)
    .sort();
  const ofB = rows
    .filter((r) => r.tenant_id === B.id)
    .map((r) => r.serial)
    .sort();
  t.same(
    ofA,
    Array.from({ length: ofA.length }, (_, i) => `LY${today}${String(i + 1).padStart(5, '0')}`),
    "A's numbers run 00001… without gaps or repeats",
  );
  t.same(
    ofB,
    Array.from({ length: ofB.length }, (_, i) => `LY${today}${String(i + 1).padStart(5, '0')}`),
    "B's own sequence",
  );

  // the Beijing day decides the date: 23:30 UTC is the next morning in Beijing (a day far from
  // the demo's messages, which are dated around the day the test runs)
  const late = await withTenant(deps.db, A.id, (trx) => nextMessageSerial(trx, A.id, new Date('2031-06-30T23:30:00Z')));
  t.equal(late, 'LY2031070100001');
  // a scope that may not write the tenant's messages gets no number
  await t.rejects(
    withTenant(deps.db, B.id, (trx) => nextMessageSerial(trx, A.id, new Date())),
    'another tenant cannot draw from A',
  );
  // past 99,999 a day the number grows a digit rather than repeating
  await withPlatform(deps.tdb.owner, (trx) =>
    trx
      .insertInto('message_serials' as never)
      .values({ tenant_id: A.id, day: '2026-12-09', last: 99999 } as never)
      .execute(),
  );
  t.equal(
    await withTenant(deps.db, A.id, (trx) => nextMessageSerial(trx, A.id, new Date('2026-12-09T04:00:00Z'))),
    'LY20261209100000',
  );
});

t.test('the demo seed numbers its messages the same way', async (t) => {
  const deps = await createDemoDeps(t, 'newsroom');
  const serials = await withPlatform(deps.db, (trx) =>
    trx.selectFrom('citizen_messages').select(['tenant_id', 'serial']).execute(),
  );
  t.ok(serials.length > 0);
  for (const s of serials) t.match(s.serial, /^LY20\d{6}\d{5}$/, s.serial);
});

import t from 'tap';
import { addDays, dayOf, mostReadOnFace } from '@yiduan/core';
import { withPublic, withTenant } from '@yiduan/db';
import { get, portal, tenantId } from './helpers.js';
import { desk, invalidate, place, publish, retract } from './newsroom.js';

const HOST = 'ruyang.localhost:3000';

t.test('阅读排行: the most-read stories a face shows, read where they were read', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const ruyang = tenantId(p, 'ruyang');
  const yichuan = tenantId(p, 'yichuan');
  const henan = tenantId(p, 'henan');
  const [a, b, c, gone, old] = [
    await publish(d, ruyang, { title: '甲稿：读者较多' }),
    await publish(d, ruyang, { title: '乙稿：读者最多' }),
    await publish(d, henan, { title: '丙稿：省里下发' }),
    await publish(d, ruyang, { title: '丁稿：已撤回' }),
    await publish(d, ruyang, { title: '戊稿：二十天前' }),
  ];
  const quiet = await publish(d, ruyang, { title: '己稿：无人阅读' });
  await place(d, c, ruyang);
  const today = dayOf(Date.now());
  const reads = (story: { id: string; tenant_id: string }, face: string, views: number, day = today) => ({
    tenant_id: story.tenant_id,
    story_id: story.id,
    face_tenant_id: face,
    day,
    views,
    uniques: views,
  });
  await p.tdb.owner
    .insertInto('analytics_story_daily')
    .values([
      reads(a, ruyang, 120),
      reads(a, ruyang, 30, addDays(today, -3)),
      reads(b, ruyang, 300),
      reads(c, ruyang, 80),
      // read a lot on another face: not this face's reading
      reads(a, yichuan, 100_000),
      reads(gone, ruyang, 9_999),
      reads(old, ruyang, 40, addDays(today, -20)),
      reads(quiet, ruyang, 0),
    ])
    .execute();
  await retract(d, ruyang, gone.id, '测试撤稿');
  await invalidate(p, ruyang);

  const home = (await get(p, HOST)).body;
  const side = home.slice(home.indexOf('>阅读排行</h2>'));
  t.ok(home.includes('>阅读排行</h2>'), 'the sidebar has the ranking');
  const titles = [...side.matchAll(/<li><a href="\/a\/[0-9a-f-]{36}">([^<]+)<\/a><\/li>/g)].map((m) => m[1]);
  t.same(
    titles,
    ['乙稿：读者最多', '甲稿：读者较多', '丙稿：省里下发', '戊稿：二十天前'],
    'most read first; a week of three is filled from the month; the retracted and the unread are left out',
  );

  // the query alone, in each scope: a face reads only the reads it carried
  const period = { from: addDays(today, -6), to: today };
  const own = await withTenant(p.tdb.db, ruyang, (trx) => mostReadOnFace(trx, ruyang, period));
  t.same(
    own.map((r) => [r.title, r.views]),
    [
      ['乙稿：读者最多', 300],
      ['甲稿：读者较多', 150],
      ['丙稿：省里下发', 80],
    ],
    'the week: views summed over days, on this face only',
  );
  t.same(
    await withTenant(p.tdb.db, yichuan, (trx) => mostReadOnFace(trx, ruyang, period)),
    [],
    'a sibling tenant sees none of it',
  );
  t.same(await withPublic(p.tdb.db, (trx) => mostReadOnFace(trx, ruyang, period)), [], 'nor does the public scope');
  t.same(
    (await withTenant(p.tdb.db, yichuan, (trx) => mostReadOnFace(trx, yichuan, period))).map((r) => r.views),
    [],
    'yichuan does not show 甲稿: its 100,000 reads there rank nothing',
  );
});

t.test('no reads, no ranking', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  await publish(d, tenantId(p, 'ruyang'), { title: '无人读过' });
  await invalidate(p, tenantId(p, 'ruyang'));
  const home = (await get(p, HOST)).body;
  t.notMatch(home, '阅读排行', 'the block is left out rather than shown empty');
  t.match(home, '无人读过');
});

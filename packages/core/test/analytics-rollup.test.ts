import t from 'tap';
import { sql } from 'kysely';
import { withTenant } from '@yiduan/db';
import { rollupPending, tenantTotals, topStories, unitTotals } from '../src/index.js';
import { at, DAY, fixture, NOW } from './analytics-fixture.js';

t.test('events in, roll-ups out: story, face, unit, tenant and up the tree', async (t) => {
  const f = await fixture(t);
  const id = (s: string) => f.tenants[s]!.id;
  const jiaoyu = await f.unit('ruyang', 'jiaoyu');
  // S1: a ruyang unit's story, taken up by the city (luoyang) and the province
  const s1 = await f.story('ruyang', { unitId: jiaoyu, publishedAt: at(DAY, 9), faces: ['luoyang', 'henan'] });
  // S2: yichuan, published five days earlier
  const s2 = await f.story('yichuan', { publishedAt: at('2026-11-15', 9) });
  const p1 = `/a/${s1}`;

  // visitors: A, B, C, D (address + user agent, no cookie)
  await f.beacon('ruyang', '10.0.0.1', { k: 'v', p: p1, r: 'https://www.baidu.com/s?wd=汝阳' });
  await f.beacon('ruyang', '10.0.0.1', { k: 'v', p: p1 });
  await f.beacon('ruyang', '10.0.0.2', [
    { k: 'v', p: p1 },
    { k: 'r', p: p1 },
    { k: 's', p: p1, c: 'wechat' },
  ]);
  await f.beacon('ruyang', '10.0.0.2', { k: 'v', p: '/' });
  await f.beacon('luoyang', '10.0.0.1', { k: 'v', p: p1 });
  await f.beacon('luoyang', '10.0.0.3', [
    { k: 'v', p: p1 },
    { k: 'r', p: p1 },
  ]);
  await f.beacon('yichuan', '10.0.0.1', { k: 'v', p: `/a/${s2}` });
  await f.beacon('yichuan', '10.0.0.4', { k: 'v', p: '/s/bendi' });
  // dropped: a read of a story this face does not carry, and a malformed event
  await f.beacon('yichuan', '10.0.0.4', [
    { k: 'r', p: p1 },
    { k: 'x', p: '/' },
  ]);

  t.equal(await f.writer.drain(), 11, 'every well-formed event carried by its face is written');
  t.equal(await f.buffer.size(), 0, 'and acknowledged');
  await rollupPending(f.db, { retentionDays: 400, now: NOW });

  const story = await f.owner
    .selectFrom('analytics_story_daily')
    .select(['face_tenant_id', 'views', 'uniques', 'completions', 'shares', 'tenant_id'])
    .where('story_id', '=', s1)
    .orderBy('views', 'desc')
    .execute();
  t.same(
    story,
    [
      { face_tenant_id: id('ruyang'), views: 3, uniques: 2, completions: 1, shares: 1, tenant_id: id('ruyang') },
      { face_tenant_id: id('luoyang'), views: 2, uniques: 2, completions: 1, shares: 0, tenant_id: id('ruyang') },
    ],
    'reads on the city face are credited to the origin story, with the face that carried them',
  );

  const own = async (slug: string, scope: 'own' | 'tree' = 'own') =>
    f.owner
      .selectFrom('analytics_tenant_daily')
      .select(['views', 'uniques', 'completions', 'shares', 'reach_views', 'syndicated_views', 'stories_published'])
      .where('tenant_id', '=', id(slug))
      .where('scope', '=', scope)
      .where(sql<boolean>`day = ${DAY}::date`)
      .executeTakeFirstOrThrow();
  t.same(await own('ruyang'), {
    views: 4,
    uniques: 2,
    completions: 1,
    shares: 1,
    reach_views: 5,
    syndicated_views: 2,
    stories_published: 1,
  });
  t.same(await own('luoyang'), {
    views: 2,
    uniques: 2,
    completions: 1,
    shares: 0,
    reach_views: 0,
    syndicated_views: 0,
    stories_published: 0,
  });
  t.same(await own('yichuan'), {
    views: 2,
    uniques: 2,
    completions: 0,
    shares: 0,
    reach_views: 1,
    syndicated_views: 0,
    stories_published: 0,
  });
  // luoyang's tree: itself + ruyang + yichuan; four different visitors across the three faces
  t.same(await own('luoyang', 'tree'), {
    views: 8,
    uniques: 4,
    completions: 2,
    shares: 1,
    reach_views: 6,
    syndicated_views: 2,
    stories_published: 1,
  });
  t.same(
    await own('henan', 'tree'),
    { views: 8, uniques: 4, completions: 2, shares: 1, reach_views: 6, syndicated_views: 2, stories_published: 1 },
    'the province = everything',
  );
  t.same(await own('zhengzhou', 'tree'), {
    views: 0,
    uniques: 0,
    completions: 0,
    shares: 0,
    reach_views: 0,
    syndicated_views: 0,
    stories_published: 0,
  });

  const unit = await f.owner
    .selectFrom('analytics_unit_daily')
    .select(['views', 'uniques', 'completions', 'shares', 'stories_published'])
    .where('unit_id', '=', jiaoyu)
    .executeTakeFirstOrThrow();
  t.same(
    unit,
    { views: 5, uniques: 3, completions: 2, shares: 1, stories_published: 1 },
    'the unit: its story wherever it was read',
  );

  const ref = await f.owner
    .selectFrom('analytics_events')
    .select('referrer')
    .where('referrer', 'is not', null)
    .execute();
  t.same(ref, [{ referrer: 'www.baidu.com' }], 'only the referrer host is kept');

  // again: nothing counted twice
  await rollupPending(f.db, { retentionDays: 400, now: NOW });
  t.same(
    await own('luoyang', 'tree'),
    { views: 8, uniques: 4, completions: 2, shares: 1, reach_views: 6, syndicated_views: 2, stories_published: 1 },
    'a second run changes nothing',
  );

  // incremental: one more read of S1 on the province's face, later that day
  await f.beacon('henan', '10.0.0.9', { k: 'v', p: p1 });
  t.equal(await f.writer.drain(), 1);
  const marked = await f.owner.selectFrom('analytics_dirty').select(['tenant_id']).execute();
  t.same(
    new Set(marked.map((m) => m.tenant_id)),
    new Set([id('henan'), id('ruyang')]),
    'the face and the origin are marked',
  );
  await rollupPending(f.db, { retentionDays: 400, now: NOW, sweepRecent: false });
  t.same(await own('ruyang'), {
    views: 4,
    uniques: 2,
    completions: 1,
    shares: 1,
    reach_views: 6,
    syndicated_views: 3,
    stories_published: 1,
  });
  t.same(await own('henan', 'tree'), {
    views: 9,
    uniques: 5,
    completions: 2,
    shares: 1,
    reach_views: 7,
    syndicated_views: 3,
    stories_published: 1,
  });

  // reading through the API functions, in the tenant's own scope
  const period = { from: DAY, to: DAY };
  const top = await withTenant(f.db, id('ruyang'), (trx) => topStories(trx, id('ruyang'), period));
  t.equal(top.length, 1);
  t.equal(top[0]!.views, 6);
  t.same(
    top[0]!.faces.map((x) => [x.faceTenantId, x.views]).sort(),
    [
      [id('henan'), 1],
      [id('luoyang'), 2],
      [id('ruyang'), 3],
    ].sort(),
  );
  const units = await withTenant(f.db, id('ruyang'), (trx) => unitTotals(trx, id('ruyang'), period));
  t.equal(units.find((u) => u.unitId === jiaoyu)?.views, 6, 'including the later read on the province face');
  const totals = await withTenant(f.db, id('luoyang'), (trx) =>
    tenantTotals(trx, [id('luoyang'), id('ruyang')], 'tree', period),
  );
  t.equal(totals.get(id('luoyang'))!.views, 8);
});

t.test('audience and service figures: follows, comments, messages answered on time', async (t) => {
  const f = await fixture(t);
  const ruyang = f.tenants.ruyang!.id;
  const jiaoyu = await f.unit('ruyang', 'jiaoyu');
  const s1 = await f.story('ruyang', { unitId: jiaoyu, publishedAt: at(DAY, 8) });
  const citizens = [];
  for (let i = 0; i < 4; i += 1) {
    const c = await f.owner
      .insertInto('citizens')
      .values({ phone: `1380000000${i}`, display_name: `市民${i}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    citizens.push(c.id);
  }
  // three follows that day (one of the unit), one earlier follow ended that day
  await f.owner
    .insertInto('memberships')
    .values([
      { tenant_id: ruyang, citizen_id: citizens[0]!, created_at: at(DAY, 1) },
      { tenant_id: ruyang, citizen_id: citizens[1]!, created_at: at(DAY, 2) },
      { tenant_id: ruyang, citizen_id: citizens[2]!, unit_id: jiaoyu, created_at: at(DAY, 3) },
      { tenant_id: ruyang, citizen_id: citizens[3]!, created_at: at('2026-11-01', 3), ended_at: at(DAY, 4) },
    ])
    .execute();
  await f.owner
    .insertInto('comments')
    .values([
      {
        tenant_id: ruyang,
        story_tenant_id: ruyang,
        story_id: s1,
        author_name: '甲',
        body: '好',
        status: 'approved',
        findings: '[]',
        created_at: at(DAY, 10),
      },
      {
        tenant_id: ruyang,
        story_tenant_id: ruyang,
        story_id: s1,
        author_name: '乙',
        body: '不错',
        status: 'pending',
        findings: '[]',
        created_at: at(DAY, 11),
      },
    ])
    .execute();
  // two messages due that day: one answered before its due time, one late; one due the next day
  await f.owner
    .insertInto('citizen_messages')
    .values([
      {
        tenant_id: ruyang,
        serial: 'M1',
        category: 'complaint',
        title: '路灯',
        body: '路灯坏了',
        due_at: at(DAY, 12),
        status: 'replied',
        reply: '已修',
        replied_at: at(DAY, 9),
        unit_id: jiaoyu,
      },
      {
        tenant_id: ruyang,
        serial: 'M2',
        category: 'suggestion',
        title: '公交',
        body: '加开公交',
        due_at: at(DAY, 12),
        status: 'replied',
        reply: '收到',
        replied_at: at(DAY, 15),
      },
      { tenant_id: ruyang, serial: 'M3', category: 'help', title: '求助', body: '求助', due_at: at('2026-11-21', 12) },
    ])
    .execute();
  await rollupPending(f.db, { retentionDays: 400, now: NOW });
  const row = await f.owner
    .selectFrom('analytics_tenant_daily')
    .select(['stories_published', 'followers_gained', 'followers_lost', 'comments', 'messages_due', 'messages_on_time'])
    .where('tenant_id', '=', ruyang)
    .where('scope', '=', 'own')
    .where(sql<boolean>`day = ${DAY}::date`)
    .executeTakeFirstOrThrow();
  t.same(row, {
    stories_published: 1,
    followers_gained: 3,
    followers_lost: 1,
    comments: 2,
    messages_due: 2,
    messages_on_time: 1,
  });
  const unit = await f.owner
    .selectFrom('analytics_unit_daily')
    .select(['followers_gained', 'messages_due', 'messages_on_time'])
    .where('unit_id', '=', jiaoyu)
    .where(sql<boolean>`day = ${DAY}::date`)
    .executeTakeFirstOrThrow();
  t.same(unit, { followers_gained: 1, messages_due: 1, messages_on_time: 1 });
  const city = await f.owner
    .selectFrom('analytics_tenant_daily')
    .select(['followers_gained', 'messages_on_time'])
    .where('tenant_id', '=', f.tenants.luoyang!.id)
    .where('scope', '=', 'tree')
    .where(sql<boolean>`day = ${DAY}::date`)
    .executeTakeFirstOrThrow();
  t.same(city, { followers_gained: 3, messages_on_time: 1 }, 'the city sees its counties summed');
});

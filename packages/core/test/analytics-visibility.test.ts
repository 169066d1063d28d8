import t from 'tap';
import { sql } from 'kysely';
import { withPlatform, withPublic, withTenant, type DB } from '@yiduan/db';
import {
  rankingForViewer,
  score,
  DEFAULT_WEIGHTS,
  ZERO,
  assertCanSeeTenant,
  DomainError,
  rollupPending,
} from '../src/index.js';
import { at, DAY, fixture, NOW } from './analytics-fixture.js';
import { failure } from '@yiduan/testkit';

t.test('visibility per level, enforced by row-level security and in code', async (t) => {
  const f = await fixture(t);
  const id = (s: string) => f.tenants[s]!.id;
  const slugOf = new Map(Object.entries(f.tenants).map(([slug, x]) => [x.id, slug]));
  // one event on every face, and a guancheng story carried on ruyang's face
  const jiaoyu = await f.unit('ruyang', 'jiaoyu');
  await f.story('ruyang', { unitId: jiaoyu, publishedAt: at(DAY, 8) });
  const g = await f.story('guancheng', { publishedAt: at(DAY, 8), faces: ['ruyang'] });
  for (const slug of Object.keys(f.tenants)) await f.beacon(slug, '10.9.9.9', { k: 'v', p: '/' });
  await f.beacon('ruyang', '10.9.9.8', { k: 'v', p: `/a/${g}` });
  await f.writer.drain();
  await rollupPending(f.db, { retentionDays: 400, now: NOW });
  await withPlatform(f.db, (trx) =>
    trx
      .insertInto('dormancy_warnings')
      .values({
        tenant_id: id('ruyang'),
        state: 'sleeping',
        threshold_days: 14,
        days_silent: 14,
        notified_tenant_id: id('luoyang'),
        as_of: DAY,
      })
      .execute(),
  );
  await f.owner
    .insertInto('analytics_settings')
    .values({ tenant_id: id('henan'), ranking_weights: '{}' })
    .execute();

  const seen = async (db: DB, viewer: string | null, table: string, col = 'tenant_id'): Promise<string[]> => {
    const q = (trx: Parameters<Parameters<typeof withPublic>[1]>[0]) =>
      sql<{ t: string }>`SELECT DISTINCT ${sql.ref(col)} AS t FROM ${sql.table(table)}`
        .execute(trx)
        .then((r) => r.rows.map((x) => slugOf.get(x.t) ?? x.t).sort());
    return viewer ? withTenant(db, id(viewer), q) : withPublic(db, q);
  };
  const all = Object.keys(f.tenants).sort();
  t.same(await seen(f.db, 'ruyang', 'analytics_tenant_daily'), ['ruyang'], 'a county: its own figures only');
  t.same(
    await seen(f.db, 'luoyang', 'analytics_tenant_daily'),
    ['luoyang', 'ruyang', 'yichuan'],
    "a city: its own and its counties'",
  );
  t.same(
    await seen(f.db, 'zhengzhou', 'analytics_tenant_daily'),
    ['guancheng', 'zhengzhou'],
    "never another city's counties",
  );
  t.same(await seen(f.db, 'henan', 'analytics_tenant_daily'), all, 'the province: everything');
  t.same(await seen(f.db, null, 'analytics_tenant_daily'), [], 'no scope: nothing');
  t.same(await seen(f.db, 'yichuan', 'analytics_unit_daily'), [], 'a sibling county sees no unit of ruyang');
  t.same(await seen(f.db, 'luoyang', 'analytics_unit_daily'), ['ruyang']);
  t.same(await seen(f.db, 'zhengzhou', 'dormancy_warnings'), [], 'warnings: another city sees none');
  t.same(await seen(f.db, 'luoyang', 'dormancy_warnings'), ['ruyang']);
  // raw events (visitor hashes) stay with the face itself, not even its ancestors
  t.same(await seen(f.db, 'ruyang', 'analytics_events'), ['ruyang']);
  t.same(await seen(f.db, 'luoyang', 'analytics_events'), ['luoyang']);
  t.same(await seen(f.db, null, 'analytics_events'), []);
  // a story carried across the tree: origin (guancheng) and face (ruyang) see the row, others not
  t.same(await seen(f.db, 'guancheng', 'analytics_story_daily', 'face_tenant_id'), ['ruyang']);
  t.same(
    await seen(f.db, 'ruyang', 'analytics_story_daily'),
    ['guancheng'],
    "the face sees the reads it carried of another county's story",
  );
  t.same(await seen(f.db, 'yichuan', 'analytics_story_daily'), []);
  t.same(await seen(f.db, 'ruyang', 'analytics_settings'), ['henan'], "the province's settings are read down the tree");

  // isolation of writes: no tenant writes roll-ups or events, nor another tenant's settings
  for (const table of [
    'analytics_tenant_daily',
    'analytics_unit_daily',
    'analytics_story_daily',
    'analytics_events',
    'dormancy_warnings',
    'analytics_dirty',
  ]) {
    const upd = await withTenant(f.db, id('ruyang'), (trx) =>
      sql`UPDATE ${sql.table(table)} SET tenant_id = tenant_id`.execute(trx),
    );
    t.equal(Number(upd.numAffectedRows ?? 0), 0, `${table}: a tenant changes no row`);
    const del = await withTenant(f.db, id('henan'), (trx) => sql`DELETE FROM ${sql.table(table)}`.execute(trx));
    t.equal(Number(del.numAffectedRows ?? 0), 0, `${table}: not even the province deletes one`);
  }
  const forged = await failure(
    withTenant(f.db, id('ruyang'), (trx) =>
      trx
        .insertInto('analytics_tenant_daily')
        .values({ tenant_id: id('ruyang'), scope: 'own', day: DAY, views: 1_000_000 })
        .execute(),
    ),
  );
  t.match(String(forged), /row-level security/, 'a tenant cannot write its own figures');
  const settings = await withTenant(f.db, id('ruyang'), (trx) =>
    trx
      .updateTable('analytics_settings')
      .set({ sleeping_days: 1 })
      .where('tenant_id', '=', id('henan'))
      .executeTakeFirst(),
  );
  t.equal(Number(settings.numUpdatedRows), 0, "a county cannot change the province's settings");
  const partition = await failure(
    withTenant(f.db, id('ruyang'), (trx) =>
      sql`SELECT analytics_ensure_partitions(current_date, current_date)`.execute(trx),
    ),
  );
  t.match(String(partition), /platform scope required/, 'only the worker creates partitions');
  const direct = await failure(
    withPlatform(f.db, (trx) =>
      sql`SELECT count(*) FROM ${sql.table(`analytics_events_${DAY.replace(/-/g, '')}`)}`.execute(trx),
    ),
  );
  t.match(String(direct), /permission denied/, 'partitions are reached through the parent only');

  // code checks, for a precise error before RLS
  await assertCanSeeTenant(f.db, id('luoyang'), id('ruyang'));
  const sibling = await failure(assertCanSeeTenant(f.db, id('ruyang'), id('yichuan')));
  t.ok(sibling instanceof DomainError && sibling.code === 'FORBIDDEN', 'a sibling is refused');
  const up = await failure(assertCanSeeTenant(f.db, id('ruyang'), id('luoyang')));
  t.ok(up instanceof DomainError && up.code === 'FORBIDDEN', 'a descendant does not see its ancestor');

  // rankings: peers show index and rank only
  const period = { from: DAY, to: DAY };
  const counties = await withPlatform(f.db, (trx) =>
    rankingForViewer(trx, id('ruyang'), { kind: 'level', level: 'county' }, period),
  );
  t.same(
    counties.map((c) => slugOf.get(c.id)).sort(),
    ['guancheng', 'ruyang', 'yichuan', 'zhecheng'],
    'counties among counties, across the province',
  );
  for (const c of counties) {
    t.ok(typeof c.index === 'number' && c.rank >= 1);
    if (c.id === id('ruyang')) t.ok(c.figures, 'its own figures');
    else t.equal(c.figures, null, `${slugOf.get(c.id)}: index and rank only`);
  }
  t.equal(counties[0]!.id, id('guancheng'), 'the county whose story reached furthest leads');
  const cities = await withPlatform(f.db, (trx) =>
    rankingForViewer(trx, id('luoyang'), { kind: 'level', level: 'city' }, period),
  );
  t.same(cities.map((c) => slugOf.get(c.id)).sort(), ['luoyang', 'shangqiu', 'zhengzhou']);
  const asCity = await withPlatform(f.db, (trx) =>
    rankingForViewer(trx, id('luoyang'), { kind: 'level', level: 'county' }, period),
  );
  t.same(
    asCity
      .filter((c) => c.figures)
      .map((c) => slugOf.get(c.id))
      .sort(),
    ['ruyang', 'yichuan'],
    "a city sees its own counties' figures in the county ranking",
  );
  const units = await withPlatform(f.db, (trx) =>
    rankingForViewer(trx, id('ruyang'), { kind: 'units', tenantId: id('ruyang') }, period),
  );
  t.equal(units.length, 1);
  const foreign = await failure(
    withPlatform(f.db, (trx) =>
      rankingForViewer(trx, id('yichuan'), { kind: 'units', tenantId: id('ruyang') }, period),
    ),
  );
  t.ok(foreign instanceof DomainError, "a sibling cannot rank another county's units");
});

t.test('the index: normalised per group, weighted, ties share a rank', async (t) => {
  const fig = (o: Partial<typeof ZERO>) => ({ ...ZERO, ...o });
  const s = score(
    [
      {
        id: 'a',
        figures: fig({
          reachViews: 100,
          uniques: 50,
          completions: 20,
          shares: 10,
          storiesPublished: 10,
          followersGained: 5,
          comments: 4,
          messagesDue: 2,
          messagesOnTime: 2,
        }),
      },
      {
        id: 'b',
        figures: fig({
          reachViews: 50,
          uniques: 25,
          completions: 10,
          shares: 5,
          storiesPublished: 5,
          followersGained: 5,
          followersLost: 10,
          comments: 2,
          messagesDue: 2,
          messagesOnTime: 1,
        }),
      },
      {
        id: 'c',
        figures: fig({
          reachViews: 50,
          uniques: 25,
          completions: 10,
          shares: 5,
          storiesPublished: 5,
          comments: 2,
          messagesDue: 2,
          messagesOnTime: 1,
        }),
      },
    ],
    DEFAULT_WEIGHTS,
  );
  t.same(s[0], { id: 'a', index: 100, rank: 1 }, 'the best in every metric scores 100');
  // b and c: half of a's everything, no net followers, half the service rate:
  // 0.3*.5 + .15*.5 + .15*.5 + .1*.5 + .1*.5 + .1*0 + .05*.5 + .05*.5 = 0.45
  t.same(
    s.slice(1),
    [
      { id: 'b', index: 45, rank: 2 },
      { id: 'c', index: 45, rank: 2 },
    ],
    'ties share a rank',
  );
});

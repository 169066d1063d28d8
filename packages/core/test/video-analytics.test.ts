// Plays, watch time and completion per video per face (issue #17, item 5): the player's events go
// through the same beacon parser, buffer and writer as page views, are kept only when a story live
// on the face shows the video, and roll up per face and through the tenant tree. Siblings see
// nothing of each other; bad video events refuse the beacon.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sql } from 'kysely';
import { withTenant } from '@yiduan/db';
import { readBeacon, rollupPending, topVideos } from '../src/index.js';
import { at, count, DAY, fixture, NOW, SECRET, type Fixture } from './analytics-fixture.js';

const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile';

async function video(f: Fixture, tenant: string, title: string): Promise<string> {
  const id = randomUUID();
  await f.owner
    .insertInto('videos')
    .values({
      tenant_id: f.tenants[tenant]!.id,
      id,
      status: 'ready',
      title,
      source_key: id,
      source_bytes: 1000,
      source_width: 720,
      source_height: 1280,
      duration_ms: 10_000,
      hls_prefix: `videos/${id}/run`,
    })
    .execute();
  return id;
}

/** A published story of `tenant` whose revision shows the videos, placed on `faces` too. */
async function videoStory(f: Fixture, tenant: string, videoIds: string[], faces: string[]): Promise<string> {
  const s = await f.story(tenant, { publishedAt: at(DAY, 8) });
  await f.owner
    .updateTable('story_revisions')
    .set({ body: JSON.stringify(videoIds.map((videoId) => ({ type: 'video', videoId, caption: '短视频' }))) })
    .where('story_id', '=', s)
    .execute();
  for (const face of faces)
    await f.owner
      .insertInto('placements')
      .values({
        tenant_id: f.tenants[face]!.id,
        story_id: s,
        origin_tenant_id: f.tenants[tenant]!.id,
        mode: 'pulled',
        placed_at: at(DAY, 8),
      })
      .execute();
  return s;
}

const row = async (f: Fixture, tenant: string, scope: 'own' | 'tree', videoId: string) =>
  f.owner
    .selectFrom('analytics_video_daily')
    .select(['plays', 'viewers', 'watch_ms', 'completion_sum', 'completed', 'video_tenant_id'])
    .where('tenant_id', '=', f.tenants[tenant]!.id)
    .where('scope', '=', scope)
    .where('video_id', '=', videoId)
    .where(sql<boolean>`day = ${DAY}::date`)
    .executeTakeFirst();

t.test('video plays per face, rolled up through the tree', async (t) => {
  const f = await fixture(t);
  const id = (s: string) => f.tenants[s]!.id;
  // a province video in a province story placed on two counties by reference; a county's own video
  const pv = await video(f, 'henan', '省级宣传片');
  const cv = await video(f, 'ruyang', '汝阳短视频');
  const ps = await videoStory(f, 'henan', [pv], ['ruyang', 'yichuan']);
  const cs = await videoStory(f, 'ruyang', [cv], []);
  const P = `/a/${ps}`;

  // ruyang: A plays and watches 3 s up to 70 %, B plays to the end; yichuan: C plays 1.5 s
  await f.beacon('ruyang', '10.0.0.1', [
    { k: 'play', p: P, i: pv },
    { k: 'watch', p: P, i: pv, w: 2000, f: 0.5 },
    { k: 'watch', p: P, i: pv, w: 1000, f: 0.7 },
  ]);
  await f.beacon('ruyang', '10.0.0.2', [
    { k: 'play', p: P, i: pv },
    { k: 'end', p: P, i: pv, w: 3000, f: 1 },
  ]);
  await f.beacon('yichuan', '10.0.0.3', [
    { k: 'play', p: P, i: pv },
    { k: 'watch', p: P, i: pv, w: 1500, f: 0.3 },
  ]);
  await f.beacon('ruyang', '10.0.0.1', [
    { k: 'play', p: `/a/${cs}`, i: cv },
    { k: 'watch', p: `/a/${cs}`, i: cv, w: 4000, f: 0.4 },
  ]);
  // dropped by the writer: the story is not on guancheng's face; the story does not show that video
  await f.beacon('guancheng', '10.0.0.4', { k: 'play', p: P, i: pv });
  await f.beacon('ruyang', '10.0.0.5', { k: 'play', p: P, i: cv });
  t.equal(await f.writer.drain(), 9, 'the video events a face really shows are written, the others dropped');
  await rollupPending(f.db, { retentionDays: 400, now: NOW });

  t.same(
    await row(f, 'ruyang', 'own', pv),
    { plays: 2, viewers: 2, watch_ms: 6000, completion_sum: 1.7, completed: 1, video_tenant_id: id('henan') },
    'the county face: plays, watch time, furthest fraction per viewer, completions',
  );
  t.same(await row(f, 'yichuan', 'own', pv), {
    plays: 1,
    viewers: 1,
    watch_ms: 1500,
    completion_sum: 0.3,
    completed: 0,
    video_tenant_id: id('henan'),
  });
  t.equal(await row(f, 'henan', 'own', pv), undefined, 'nobody played it on the province face');
  const city = await row(f, 'luoyang', 'tree', pv);
  t.same(
    { ...city, completion_sum: Math.round(city!.completion_sum * 100) / 100 },
    { plays: 3, viewers: 3, watch_ms: 7500, completion_sum: 2, completed: 1, video_tenant_id: id('henan') },
    'the city counts its counties',
  );
  const prov = await row(f, 'henan', 'tree', pv);
  t.equal(prov?.plays, 3, 'the province counts them too');
  t.equal(prov?.watch_ms, 7500);
  t.equal((await row(f, 'henan', 'tree', cv))?.plays, 1, "and the county's own video");
  t.equal(await row(f, 'zhengzhou', 'tree', pv), undefined, 'another city has nothing');
  t.equal(await count(f.owner, 'analytics_story_daily'), 0, 'video events are not page views: no story reading rows');

  // the same run again counts nothing twice
  await rollupPending(f.db, { retentionDays: 400, now: NOW });
  t.equal((await row(f, 'luoyang', 'tree', pv))?.plays, 3, 'a repeated roll-up replaces, never adds');

  const period = { from: DAY, to: DAY };
  const prov2 = await withTenant(f.db, id('henan'), (trx) => topVideos(trx, id('henan'), 'tree', period, 10));
  t.same(
    prov2.map((v) => [v.videoId, v.plays, v.watchMs, v.faces.map((x) => x.faceTenantId).sort()]),
    [
      [pv, 3, 7500, [id('ruyang'), id('yichuan')].sort()],
      [cv, 1, 4000, [id('ruyang')]],
    ],
    'the province reads every video of its tree, with the faces it played on',
  );
});

t.test("a sibling county cannot read another's video figures", async (t) => {
  const f = await fixture(t);
  const id = (s: string) => f.tenants[s]!.id;
  const cv = await video(f, 'ruyang', '汝阳短视频');
  const cs = await videoStory(f, 'ruyang', [cv], []);
  await f.beacon('ruyang', '10.0.0.1', [
    { k: 'play', p: `/a/${cs}`, i: cv },
    { k: 'watch', p: `/a/${cs}`, i: cv, w: 4000, f: 0.4 },
  ]);
  await f.writer.drain();
  await rollupPending(f.db, { retentionDays: 400, now: NOW });
  const period = { from: DAY, to: DAY };
  const seen = (viewer: string) =>
    withTenant(f.db, id(viewer), async (trx) => ({
      rows: (await trx.selectFrom('analytics_video_daily').select('tenant_id').execute()).length,
      top: (await topVideos(trx, id('ruyang'), 'own', period, 10)).length,
      events: (await trx.selectFrom('analytics_events').select('event_id').where('video_id', '=', cv).execute()).length,
    }));
  t.same(await seen('ruyang'), { rows: 2, top: 1, events: 2 }, 'the county reads its own (face and subtree rows)');
  t.same(
    await seen('luoyang'),
    { rows: 3, top: 1, events: 0 },
    "its city reads the county's rows and its own tree row, not raw events",
  );
  t.same(await seen('yichuan'), { rows: 0, top: 0, events: 0 }, 'a sibling county reads nothing');
  t.same(await seen('zhengzhou'), { rows: 0, top: 0, events: 0 }, 'another city reads nothing');
  const write = await withTenant(f.db, id('yichuan'), (trx) =>
    trx
      .updateTable('analytics_video_daily')
      .set({ plays: 999 })
      .where('tenant_id', '=', id('ruyang'))
      .executeTakeFirst(),
  );
  t.equal(Number(write.numUpdatedRows), 0, 'nor change them');
  t.equal((await row(f, 'ruyang', 'own', cv))?.plays, 1);
  const forged = await withTenant(f.db, id('yichuan'), (trx) =>
    trx
      .insertInto('analytics_video_daily')
      .values({
        tenant_id: id('yichuan'),
        scope: 'own',
        day: DAY,
        video_id: cv,
        video_tenant_id: id('ruyang'),
        plays: 5,
      })
      .execute(),
  ).then(
    () => null,
    (e: unknown) => e,
  );
  t.ok(forged, 'and a tenant cannot write roll-ups at all (the worker does, in platform scope)');
});

t.test('bad video beacons are refused whole', async (t) => {
  const ctx = { tenantId: randomUUID(), ip: '10.0.0.1', userAgent: UA, now: NOW, secret: SECRET };
  const P = `/a/${randomUUID()}`;
  const vid = randomUUID();
  const ok = readBeacon(
    [
      { k: 'v', p: P },
      { k: 'play', p: P, i: vid },
      { k: 'watch', p: P, i: vid, w: 1200, f: 0.25 },
      { k: 'end', p: P, i: vid, w: 800, f: 0.97 },
    ],
    ctx,
  );
  t.ok(ok.ok, 'well-formed events are read');
  t.same(ok.ok && ok.events.map((e) => [e.k, e.i ?? null, e.w ?? null, e.f ?? null]), [
    ['view', null, null, null],
    ['play', vid, 0, 0],
    ['watch', vid, 1200, 0.25],
    ['end', vid, 800, 0.97],
  ]);
  const bad: [string, unknown][] = [
    ['no video id', { k: 'play', p: P }],
    ['a video id that is no UUID', { k: 'play', p: P, i: 'x' }],
    ['not a story page', { k: 'play', p: '/', i: vid }],
    ['no path', { k: 'watch', i: vid, w: 1, f: 0.1 }],
    ['negative watch time', { k: 'watch', p: P, i: vid, w: -5, f: 0.1 }],
    ['a fractional millisecond count', { k: 'watch', p: P, i: vid, w: 1.5, f: 0.1 }],
    ['more than ten minutes in one event', { k: 'watch', p: P, i: vid, w: 600_001, f: 0.1 }],
    ['watch without a fraction', { k: 'watch', p: P, i: vid, w: 100 }],
    ['a fraction above 1', { k: 'watch', p: P, i: vid, w: 100, f: 7 }],
    ['a fraction as text', { k: 'watch', p: P, i: vid, w: 100, f: '0.5' }],
    ['an end short of the end', { k: 'end', p: P, i: vid, w: 100, f: 0.4 }],
    [
      'one bad event among good ones',
      [
        { k: 'v', p: P },
        { k: 'play', p: P, i: vid },
        { k: 'watch', p: P, i: vid },
      ],
    ],
  ];
  for (const [name, body] of bad) {
    const r = readBeacon(JSON.stringify(body), ctx);
    t.notOk(r.ok, `refused: ${name}`);
  }
  t.ok(readBeacon(JSON.stringify({ k: 'x', p: '/' }), ctx).ok, 'an unknown reading kind is still dropped quietly');
});

// 引题 (kicker) on the faces: above the headline on the story page and in listings, in RSS and
// JSON-LD, found by search, copied by detach; not on a face that does not carry the story.
import t from 'tap';
import { accessFor, detachPlacement, indexStory, staffActor } from '@yiduan/core';
import { withPlatform, withTenant } from '@yiduan/db';
import { get, portal, tenantId } from './helpers.js';
import { desk, invalidate, para, place, publish, section } from './newsroom.js';

const RUYANG = 'ruyang.localhost:3000';

t.test('a kicker is shown, fed, described, searchable and copied', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const [ruyang, yichuan] = [tenantId(p, 'ruyang'), tenantId(p, 'yichuan')];
  const bendi = await section(d, ruyang, 'bendi', '本地');
  const story = await publish(d, ruyang, {
    kicker: '喜迎丰收季',
    title: '汝阳县杜康文化节开幕',
    subtitle: '三天活动吸引数万名游客',
    summary: '文化节持续三天',
    sectionId: bendi.id,
    body: [para('9月20日，汝阳县杜康文化节开幕。')],
  });
  await withPlatform(p.tdb.db, (trx) => indexStory(trx, ruyang, story.id));
  await invalidate(p, ruyang);

  const page = await get(p, RUYANG, `/a/${story.id}`);
  t.equal(page.statusCode, 200);
  t.match(
    page.body,
    '<p class="kicker">喜迎丰收季</p><h1>汝阳县杜康文化节开幕</h1>',
    'the story page: the kicker right above the headline',
  );
  t.match(page.body, '.kicker{', 'styled by the face');
  const ld = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.body)![1]!) as Record<
    string,
    unknown
  >;
  t.same(
    ld.alternativeHeadline,
    ['喜迎丰收季', '三天活动吸引数万名游客'],
    'JSON-LD: kicker and subtitle as the alternative headlines',
  );
  t.equal(ld.headline, '汝阳县杜康文化节开幕', 'the headline stays the title');

  const listing = await get(p, RUYANG, '/s/bendi');
  t.match(
    listing.body,
    /<p class="kicker">喜迎丰收季<\/p><h2 class="story-title">/,
    'a listing: the kicker above the headline',
  );

  const rss = await get(p, RUYANG, '/rss.xml');
  t.match(rss.body, '<title>汝阳县杜康文化节开幕</title>', 'RSS: the title alone');
  t.match(rss.body, '<description>喜迎丰收季　文化节持续三天</description>', 'RSS: the kicker leads the description');

  const found = await get(p, RUYANG, `/search?q=${encodeURIComponent('丰收')}`);
  t.match(found.body, `/a/${story.id}`, 'a word only in the kicker finds the story');

  t.notMatch(
    (await get(p, 'zhecheng.localhost', `/search?q=${encodeURIComponent('丰收')}`)).body,
    story.id,
    'a face that does not carry it does not find it',
  );
  t.equal((await get(p, 'zhecheng.localhost', `/a/${story.id}`)).statusCode, 404);

  // carried by another face, then detached there: the copy keeps the kicker
  await place(d, story, yichuan);
  const placement = await p.tdb.owner
    .selectFrom('placements')
    .select('id')
    .where('tenant_id', '=', yichuan)
    .where('story_id', '=', story.id)
    .executeTakeFirstOrThrow();
  const copy = await withTenant(p.tdb.db, yichuan, async (trx) =>
    detachPlacement(trx, await accessFor(trx, d.writer, yichuan), staffActor(d.writer), placement.id),
  );
  const rev = await p.tdb.owner
    .selectFrom('story_revisions')
    .select(['kicker', 'title', 'subtitle'])
    .where('story_id', '=', copy.id)
    .executeTakeFirstOrThrow();
  t.same(
    rev,
    { kicker: '喜迎丰收季', title: '汝阳县杜康文化节开幕', subtitle: '三天活动吸引数万名游客' },
    'detach copies the kicker',
  );
  await invalidate(p, yichuan);
  t.match(
    (await get(p, 'yichuan.localhost', `/a/${copy.id}`)).body,
    '<p class="kicker">喜迎丰收季</p>',
    "on the copy's page too",
  );
});

// Placed stories on a face: every placement has a section (a push on its default section
// still shows on a section page with its breadcrumb), and lists sort by the story's own
// publication time, which is also the date they show.
import t from 'tap';
import { acceptOffer, accessFor, fanOutChunk, pushStory, staffActor, type Access, type Actor } from '@yiduan/core';
import { sql } from 'kysely';
import { withPlatform, withTenant, type Staff, type Trx } from '@yiduan/db';
import { get, portal, tenantId } from './helpers.js';
import { desk, invalidate, publish, section } from './newsroom.js';

const as = <T>(
  db: Parameters<typeof withTenant>[0],
  who: Staff,
  tenant: string,
  fn: (trx: Trx, access: Access, actor: Actor) => Promise<T>,
): Promise<T> => withTenant(db, tenant, async (trx) => fn(trx, await accessFor(trx, who, tenant), staffActor(who)));

/** The titles of a list page in order, with the datetime each shows. */
function listed(html: string): { title: string; at: string }[] {
  const items = [
    ...html.matchAll(
      /<a [^>]*href="\/a\/[^"]+"[^>]*>([^<]+)<\/a>[\s\S]*?<time dateTime="([^"]+)"|<time dateTime="([^"]+)"[^>]*>[^<]*<\/time>[\s\S]*?<a [^>]*href="\/a\/[^"]+"[^>]*>([^<]+)<\/a>/gi,
    ),
  ];
  return items.map((m) => ({ title: (m[1] ?? m[4] ?? '').trim(), at: m[2] ?? m[3] ?? '' }));
}

t.test('a push left on its default section lands in a section on every face', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const [henan, ruyang, yichuan, guancheng, zhecheng] = ['henan', 'ruyang', 'yichuan', 'guancheng', 'zhecheng'].map(
    (s) => tenantId(p, s),
  ) as [string, string, string, string, string];
  const zhengwu = await section(d, henan, 'zhengwu', '政务');
  await section(d, ruyang, 'bendi', '本地');
  await section(d, ruyang, 'zhengwu', '政务'); // the same slug as the origin's section
  await section(d, yichuan, 'minsheng', '民生');
  await section(d, yichuan, 'bendi', '本地'); // no 政务: the face's default, the first section of its navigation (本地)
  await section(d, zhecheng, 'wenlv', '文旅');
  await section(d, zhecheng, 'shizheng', '政务'); // another slug, the same name
  // guancheng has no section at all: it gets 综合
  const story = await publish(d, henan, { title: '全省防汛工作部署会召开', sectionId: zhengwu.id });
  const job = await as(p.tdb.db, d.writer, henan, (trx, access, actor) =>
    pushStory(trx, access, actor, {
      storyId: story.id,
      targets: { kind: 'list', tenantIds: [ruyang, yichuan, guancheng, zhecheng] },
      mandatory: true,
    }),
  );
  await withPlatform(p.tdb.db, (trx) => fanOutChunk(trx, henan, job.id));

  const expected: [string, string, string][] = [
    ['ruyang', 'zhengwu', '政务'],
    ['yichuan', 'bendi', '本地'],
    ['guancheng', 'zonghe', '综合'],
    ['zhecheng', 'shizheng', '政务'],
  ];
  for (const [slug, sectionSlug, name] of expected) {
    const host = `${slug}.localhost:3000`;
    const page = await get(p, host, `/s/${sectionSlug}`);
    t.equal(page.statusCode, 200, `${slug}: /s/${sectionSlug}`);
    t.match(page.body, '全省防汛工作部署会召开', `${slug}: the pushed story is on the ${name} section page`);
    const one = await get(p, host, `/a/${story.id}`);
    t.equal(one.statusCode, 200);
    const crumb = /<nav class="breadcrumb"[\s\S]*?<\/nav>/.exec(one.body)?.[0] ?? '';
    t.match(crumb, `href="/s/${sectionSlug}"`, `${slug}: the breadcrumb links the section`);
    t.match(crumb, name, `${slug}: the breadcrumb names ${name}`);
  }
  const unsectioned = await p.tdb.owner.selectFrom('placements').select('id').where('section_id', 'is', null).execute();
  t.same(unsectioned, [], 'no placement without a section');

  // isolation: the application cannot call the function that may create a section on any face,
  // nor make another face's placement by hand (its trigger's section would roll back with it)
  const direct = await withTenant(p.tdb.db, ruyang, (trx) =>
    sql`SELECT placement_default_section(${guancheng}::uuid, ${henan}::uuid, ${story.id}::uuid)`.execute(trx),
  ).then(
    () => 'OK',
    (e: unknown) => String(e),
  );
  t.match(direct, /permission denied/, 'placement_default_section is not the application’s to call');
  // nor the one that reads any tenant's headline past row-level security (it serves the placement triggers only)
  const headline = await withTenant(p.tdb.db, ruyang, (trx) =>
    sql`SELECT published_title(${henan}::uuid, ${story.id}::uuid)`.execute(trx),
  ).then(
    () => 'OK',
    (e: unknown) => String(e),
  );
  t.match(headline, /permission denied/, 'published_title is not the application’s to call');
  const sectionsBefore = await p.tdb.owner.selectFrom('sections').select('id').execute();
  const foreign = await withTenant(p.tdb.db, ruyang, (trx) =>
    trx
      .insertInto('placements')
      .values({ tenant_id: tenantId(p, 'shangqiu'), story_id: story.id, origin_tenant_id: henan, mode: 'pulled' })
      .execute(),
  ).then(
    () => 'OK',
    (e: unknown) => String(e),
  );
  t.match(foreign, /row-level security/, 'a county cannot place a story on another face');
  t.equal(
    (await p.tdb.owner.selectFrom('sections').select('id').execute()).length,
    sectionsBefore.length,
    'and no section was left behind there',
  );
});

t.test('a face lists by the story’s own publication time and shows that date', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const [henan, ruyang] = [tenantId(p, 'henan'), tenantId(p, 'ruyang')];
  const bendi = await section(d, ruyang, 'bendi', '本地');
  const hnSection = await section(d, henan, 'minsheng', '民生');
  // the province published three days ago; the county took it up only now, after its own newer story
  const older = await publish(d, henan, { title: '省里三天前的稿件', sectionId: hnSection.id });
  await p.tdb.owner
    .updateTable('stories')
    .set({
      published_at: new Date(Date.now() - 3 * 86400_000),
      first_published_at: new Date(Date.now() - 3 * 86400_000),
    })
    .where('id', '=', older.id)
    .execute();
  await publish(d, ruyang, { title: '汝阳今天的稿件', sectionId: bendi.id });
  const job = await as(p.tdb.db, d.writer, henan, (trx, access, actor) =>
    pushStory(trx, access, actor, {
      storyId: older.id,
      targets: { kind: 'list', tenantIds: [ruyang] },
      mandatory: false,
    }),
  );
  await withPlatform(p.tdb.db, (trx) => fanOutChunk(trx, henan, job.id));
  const offer = await p.tdb.owner
    .selectFrom('placements')
    .select('id')
    .where('tenant_id', '=', ruyang)
    .where('story_id', '=', older.id)
    .executeTakeFirstOrThrow();
  await as(p.tdb.db, d.writer, ruyang, (trx, access, actor) => acceptOffer(trx, access, actor, offer.id, bendi.id));
  await invalidate(p, ruyang);

  for (const path of ['/s/bendi', '/']) {
    const res = await get(p, 'ruyang.localhost:3000', path);
    t.equal(res.statusCode, 200);
    const items = listed(res.body).filter((i) => i.title === '汝阳今天的稿件' || i.title === '省里三天前的稿件');
    t.ok(items.length >= 2, `${path}: both listed (${JSON.stringify(items)})`);
    t.equal(items[0]?.title, '汝阳今天的稿件', `${path}: the newer story first, though placed earlier`);
    // the home page holds several lists (headlines, latest, one per section): each reads newest first
    for (const block of res.body.split(/<section\b/)) {
      const times = listed(block)
        .map((i) => Date.parse(i.at))
        .filter((n) => !Number.isNaN(n));
      t.ok(
        times.every((v, i) => i === 0 || v <= times[i - 1]!),
        `${path}: the dates shown never increase down a list`,
      );
    }
  }
  const bendiPage = await get(p, 'ruyang.localhost:3000', '/s/bendi');
  const shown = listed(bendiPage.body).find((i) => i.title === '省里三天前的稿件');
  t.ok(
    shown && Math.abs(Date.parse(shown.at) - (Date.now() - 3 * 86400_000)) < 3600_000,
    'the placed story shows its own publication date',
  );
});

import t from 'tap';
import { faceFeed, searchFace } from '@yiduan/core';
import { withPublic } from '@yiduan/db';
import { createTestDatabase } from '@yiduan/testkit';
import { generate, verify, type GenerateOptions } from '../src/index.js';
import { arrayLiteral, line } from '../src/copy.js';

t.test('COPY text lines escape what the format needs', async (t) => {
  t.equal(
    line(['a\tb', null, 3, true, new Date('2026-01-02T03:04:05Z')]),
    'a\\tb\t\\N\t3\tt\t2026-01-02T03:04:05.000Z\n',
  );
  t.equal(line(['x\\y\nz', { json: { a: '制\t' } }]), 'x\\\\y\\nz\t{"a":"制\\\\t"}\n');
  t.equal(arrayLiteral(['医保', 'a"b', 'c\\d']), '{"医保","a\\"b","c\\\\d"}');
});

t.test('a small province: consistent, readable by the application, resumable', async (t) => {
  const tdb = await createTestDatabase(t);
  const opts: GenerateOptions = {
    databaseUrl: tdb.ownerUrl,
    cities: 2,
    counties: 4,
    unitsPerCounty: 5,
    stories: 600,
    citizens: 300,
    chunkSize: 200,
    days: 60,
    analyticsDays: 60,
    quiet: true,
    seed: 'test',
  };
  const first = await generate(opts);
  t.equal(first.resumed, false);
  t.same(
    first.phases.find((p) => p.phase === 'stories'),
    { phase: 'stories', chunks: 3, rows: 600, ms: first.phases.find((p) => p.phase === 'stories')!.ms },
  );

  const report = await verify(tdb.ownerUrl);
  t.same(report.failed, [], 'every invariant check holds');
  t.ok(report.checks.length >= 10);

  const count = async (table: string): Promise<number> =>
    Number(
      (
        await tdb.owner
          .selectFrom(table as 'stories')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  t.equal(await count('tenants'), 7, '1 province, 2 cities, 4 counties');
  t.equal(await count('stories'), 600);
  t.equal(await count('units'), 4 * 5 + 2 * 5 + 3);
  t.equal(await count('citizens'), 300);
  t.ok((await count('placements')) > 600 * 0.9, 'own placements, pushes and pulls');
  t.ok((await count('memberships')) >= 300, 'every citizen follows their county');
  t.ok((await count('analytics_tenant_daily')) >= 7 * 60, 'a roll-up row per tenant and day');

  // the application, under row-level security, reads what the generator wrote
  const county = await tdb.owner
    .selectFrom('tenants')
    .select(['id', 'slug'])
    .where('level', '=', 'county')
    .orderBy('slug')
    .executeTakeFirstOrThrow();
  const feed = await withPublic(tdb.db, (trx) => faceFeed(trx, county.id, { limit: 20 }));
  t.ok(feed.length > 0, 'the county face has a feed');
  t.ok(feed.every((s) => s.title.length > 0));
  const pushed = await tdb.owner
    .selectFrom('placements')
    .select(['tenant_id'])
    .where('mode', '=', 'pushed')
    .where('tenant_id', '=', county.id)
    .execute();
  t.ok(pushed.length > 0, 'the county carries stories pushed down to it');

  // search finds a story by words of its own title, on its own face
  const doc = await tdb.owner
    .selectFrom('story_search')
    .select(['tenant_id', 'title'])
    .where('tenant_id', '=', county.id)
    .executeTakeFirstOrThrow();
  const words = doc.title.replace(/[^\p{Script=Han}]/gu, '').slice(0, 4);
  const found = await withPublic(tdb.db, (trx) => searchFace(trx, county.id, words));
  t.ok(found.total > 0, `search for ${words} finds it`);

  // a second run with the same options resumes: nothing is written twice
  const again = await generate(opts);
  t.equal(again.resumed, true);
  t.equal(await count('stories'), 600);
  t.equal(await count('citizens'), 300);

  // other sizes are refused on the same database
  await t.rejects(generate({ ...opts, stories: 700 }), /other options/);
});

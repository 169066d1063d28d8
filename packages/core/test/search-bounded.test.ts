import t from 'tap';
import { sql } from 'kysely';
import { indexStory, searchFace, type SearchOptions, type SearchResult } from '@yiduan/core';
import { withPublic, withTenant, type Executor, type Tenant } from '@yiduan/db';
import { createDemoDatabase, type TestDatabase } from '@yiduan/testkit';

// Search work stays bounded by the count cap, whatever the number of matches
// (docs/search.md, "Bounded work"). The cap is an option (10,000 by default);
// these tests use a small one and many more matching stories, seeded in bulk.

const CAP = 20;
const MATCHES = 300;

/** Rows of story_search read in this transaction (index, bitmap and sequential fetches). */
async function docsRead(ex: Executor): Promise<number> {
  const r = await sql<{ n: string }>`
    SELECT coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0) AS n FROM pg_stat_xact_user_tables WHERE relname = 'story_search'`.execute(
    ex,
  );
  return Number(r.rows[0]?.n ?? 0);
}

/** A search and the documents it read, in one public transaction as the portal runs it. */
function measured(tdb: TestDatabase, face: Tenant, q: string, opts: SearchOptions): Promise<[SearchResult, number]> {
  return withPublic(tdb.db, async (trx) => {
    const before = await docsRead(trx);
    const r = await searchFace(trx, face.id, q, opts);
    return [r, (await docsRead(trx)) - before];
  });
}

/**
 * One story written and indexed as usual, then `copies` copies of it (stories,
 * placements on `face`, documents), published a minute apart and older than it.
 */
async function seed(tdb: TestDatabase, face: Tenant, title: string, copies: number): Promise<string> {
  const at = new Date(Date.now() - 60_000);
  const story = await tdb.owner
    .insertInto('stories')
    .values({
      tenant_id: face.id,
      kind: 'article',
      status: 'published',
      published_revision: 1,
      published_at: at,
      first_published_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tdb.owner
    .insertInto('story_revisions')
    .values({ tenant_id: face.id, story_id: story.id, number: 1, title, summary: '', tags: [], body: '[]' })
    .execute();
  await tdb.owner
    .insertInto('placements')
    .values({
      tenant_id: face.id,
      story_id: story.id,
      origin_tenant_id: face.id,
      mode: 'own',
      status: 'active',
      placed_at: at,
    })
    .execute();
  await withTenant(tdb.db, face.id, (trx) => indexStory(trx, face.id, story.id));
  await sql`
    WITH n AS (SELECT g, gen_random_uuid() AS id, ${at}::timestamptz - g * interval '1 minute' AS at FROM generate_series(1, ${copies}::int) g),
    s AS (INSERT INTO stories (id, tenant_id, kind, status, published_revision, published_at, first_published_at)
          SELECT id, ${face.id}::uuid, 'article', 'published', 1, at, at FROM n RETURNING id),
    p AS (INSERT INTO placements (tenant_id, story_id, origin_tenant_id, mode, status, placed_at)
          SELECT ${face.id}::uuid, n.id, ${face.id}::uuid, 'own', 'active', n.at FROM n JOIN s ON s.id = n.id RETURNING story_id)
    INSERT INTO story_search (tenant_id, story_id, revision, title, tsv, faces, published_at)
    SELECT d.tenant_id, n.id, 1, d.title, d.tsv, d.faces, n.at FROM n JOIN p ON p.story_id = n.id
      CROSS JOIN (SELECT * FROM story_search WHERE story_id = ${story.id}::uuid) d`.execute(tdb.owner);
  await sql`ANALYZE story_search`.execute(tdb.owner);
  await sql`ANALYZE placements`.execute(tdb.owner);
  return story.id;
}

t.test('search work is bounded by the count cap', async (t) => {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const { ruyang, yichuan } = tenants as Record<'ruyang' | 'yichuan', Tenant>;
  const newest = await seed(tdb, ruyang, '汝河水位平稳', MATCHES);

  t.test('more matches than the cap: the total is capped and not all of them are read', async (t) => {
    const [r, read] = await measured(tdb, ruyang, '水位', { countCap: CAP });
    t.equal(r.total, CAP);
    t.ok(r.totalIsCapped, 'reported as "at least"');
    t.equal(r.listed, CAP, 'listed: the matches among the newest cap stories');
    t.equal(r.pages, 2);
    t.equal(r.hits[0]?.storyId, newest, 'the newest first (equal scores)');
    // cap + 1 matches counted, the newest among cap placements, their documents: not MATCHES
    t.ok(read <= 3 * CAP + 1, `read ${read} documents for ${MATCHES + 1} matches`);
  });

  t.test('a one-character query is served from the newest matches, bounded', async (t) => {
    const [r, read] = await measured(tdb, ruyang, '水', { countCap: CAP });
    t.ok(r.totalIsCapped);
    t.equal(r.hits[0]?.storyId, newest);
    t.ok(read <= 3 * CAP + 1, `read ${read} documents for ${MATCHES + 1} matches`);
    const last = await measured(tdb, ruyang, '水', { countCap: CAP, page: 2 });
    t.equal(last[0].hits.length, 10, 'the last page');
    const past = await withPublic(tdb.db, (trx) => searchFace(trx, ruyang.id, '水', { countCap: CAP, page: 3 }));
    t.same(past.hits, [], 'nothing past the listed matches');
  });

  t.test('the default cap is 10,000: below it the total is exact', async (t) => {
    const r = await withPublic(tdb.db, (trx) => searchFace(trx, ruyang.id, '水位'));
    t.equal(r.total, MATCHES + 1);
    t.notOk(r.totalIsCapped);
    t.equal(r.listed, MATCHES + 1 > 500 ? 500 : MATCHES + 1);
  });

  t.test('at most the cap: exact, every match listed', async (t) => {
    const [r] = await measured(tdb, ruyang, '水位', { countCap: MATCHES + 1 });
    t.equal(r.total, MATCHES + 1);
    t.notOk(r.totalIsCapped);
  });

  t.test('another face finds none of them, capped or not', async (t) => {
    for (const countCap of [CAP, undefined]) {
      const r = await withPublic(tdb.db, (trx) => searchFace(trx, yichuan.id, '水', countCap ? { countCap } : {}));
      t.equal(r.total, 0);
      t.notOk(r.totalIsCapped);
      t.same(r.hits, []);
    }
  });

  t.test('a retracted story leaves the capped path too', async (t) => {
    await tdb.owner
      .updateTable('stories')
      .set({ retracted_at: new Date(), retraction_reason: '测试' })
      .where('id', '=', newest)
      .execute();
    const r = await withPublic(tdb.db, (trx) => searchFace(trx, ruyang.id, '水', { countCap: CAP }));
    t.not(r.hits[0]?.storyId, newest);
    t.notOk(r.hits.some((h) => h.storyId === newest));
  });
});

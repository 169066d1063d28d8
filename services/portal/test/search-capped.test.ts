import t from 'tap';
import { sql } from 'kysely';
import { indexStory, SEARCH_COUNT_CAP, SHORT_QUERY_COUNT_CAP } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { get, portal, tenantId } from './helpers.js';
import { desk, para, publish } from './newsroom.js';

// A face with more matches than the count cap (10,000): the total reads "约 10,000+" (a
// one-character query, a prefix of thousands of bigrams, stops counting at 1,000), only the
// newest matches are listed, and paging stops at the deepest page.

const RUYANG = 'ruyang.localhost:3000';
const YICHUAN = 'yichuan.localhost:3000';
const COPIES = SEARCH_COUNT_CAP + 50;

t.test('a search with more matches than the cap', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const ruyang = tenantId(p, 'ruyang');
  const story = await publish(d, ruyang, {
    title: '汝河水位平稳',
    summary: '汛期水情',
    body: [para('水文站报告水位平稳。')],
  });
  const other = await publish(d, ruyang, { title: '城区供水管网改造完工', body: [para('新管网投入使用。')] });
  for (const s of [story, other]) await withPlatform(p.tdb.db, (trx) => indexStory(trx, ruyang, s.id));
  // copies of its document, older by a minute each, in one statement
  await sql`
    WITH n AS (SELECT g, gen_random_uuid() AS id, now() - g * interval '1 minute' AS at FROM generate_series(1, ${COPIES}::int) g),
    s AS (INSERT INTO stories (id, tenant_id, kind, status, published_revision, published_at, first_published_at)
          SELECT id, ${ruyang}::uuid, 'article', 'published', 1, at, at FROM n RETURNING id),
    p AS (INSERT INTO placements (tenant_id, story_id, origin_tenant_id, mode, status, placed_at)
          SELECT ${ruyang}::uuid, n.id, ${ruyang}::uuid, 'own', 'active', n.at FROM n JOIN s ON s.id = n.id RETURNING story_id)
    INSERT INTO story_search (tenant_id, story_id, revision, title, summary, tsv, faces, published_at)
    SELECT d.tenant_id, n.id, 1, d.title, d.summary, d.tsv, d.faces, n.at FROM n JOIN p ON p.story_id = n.id
      CROSS JOIN (SELECT * FROM story_search WHERE story_id = ${story.id}::uuid) d`.execute(p.tdb.owner);
  await sql`ANALYZE`.execute(p.tdb.owner);

  const search = (host: string, q: string, page?: number) =>
    get(p, host, `/search?q=${encodeURIComponent(q)}${page ? `&page=${page}` : ''}`);

  t.test('the total reads "约 10,000+" ("约 1,000+" for one character), the newest are listed', async (t) => {
    t.equal(SHORT_QUERY_COUNT_CAP, 1_000);
    for (const [q, total] of [
      ['水', '1,000'],
      ['水位', '10,000'],
    ] as const) {
      const res = await search(RUYANG, q);
      t.equal(res.statusCode, 200);
      t.match(res.body, `找到约 ${total}+ 条结果`, q);
      t.notMatch(res.body, '共找到');
      t.match(res.body, '结果较多，只列出其中最新的 500 条；增加关键词可缩小范围。');
      t.match(res.body, `href="/a/${story.id}"`, 'the newest story is on the first page');
      t.match(res.body, '第 1 / 50 页');
    }
  });

  t.test('paging stops at the deepest listed page', async (t) => {
    const last = await search(RUYANG, '水', 50);
    t.equal(last.statusCode, 200);
    t.equal((last.body.match(/<li class="story-item">/g) ?? []).length, 10);
    t.notMatch(last.body, 'rel="next"');
    t.equal((await search(RUYANG, '水', 51)).statusCode, 404, 'past the deepest page: no search runs');
    const past = await search(RUYANG, '供水管网', 2);
    t.equal(past.statusCode, 404, 'past the last page');
    t.match(past.body, '没有第 2 页：搜索结果最多列出 1 页', 'says why');
    t.match(past.body, 'value="供水管网"', 'and keeps the form');
  });

  t.test('an exact total below the cap', async (t) => {
    const res = await search(RUYANG, '供水管网');
    t.match(res.body, '共找到 1 条结果');
    t.notMatch(res.body, '只列出');
  });

  t.test('another face finds none of them', async (t) => {
    const res = await search(YICHUAN, '水');
    t.equal(res.statusCode, 200);
    t.match(res.body, '没有找到相关稿件');
  });
});

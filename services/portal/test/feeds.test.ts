import t from 'tap';
import type { Story } from '@yiduan/db';
import { get, portal, tenantId } from './helpers.js';
import { desk, draft, invalidate, place, publish, retract, section, unpublish } from './newsroom.js';
import { texts, xmlProblems } from './xml.js';

const HOST = 'ruyang.localhost:3000';
const ORIGIN = 'http://ruyang.localhost:3000';
const RFC822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;

t.test('RSS, sitemaps and robots.txt', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const [ruyang, henan] = [tenantId(p, 'ruyang'), tenantId(p, 'henan')];
  const bendi = await section(d, ruyang, 'bendi', '本地');
  // a story without a section is placed in the face's default section (本地, first in the navigation): these go to 文旅
  const wenlv = await section(d, ruyang, 'wenlv', '文旅');
  const live: Story[] = [];
  for (let i = 1; i <= 23; i++)
    live.push(
      await publish(d, ruyang, {
        title: `汝阳新闻 ${i} & 更多`,
        summary: `摘要 ${i} <b>`,
        sectionId: i <= 3 ? bendi.id : wenlv.id,
        tags: ['民生'],
      }),
    );
  const old = live[0]!;
  await p.tdb.owner
    .updateTable('stories')
    .set({ published_at: new Date(Date.now() - 5 * 86400_000) })
    .where('id', '=', old.id)
    .execute();
  const unseen = await draft(d, ruyang, { title: '草稿不应出现' });
  const gone = await publish(d, ruyang, { title: '撤回的稿件' });
  await retract(d, ruyang, gone.id, '内容有误');
  const withdrawn = await publish(d, ruyang, { title: '撤下的稿件' });
  await unpublish(d, ruyang, withdrawn.id);
  const provincial = await publish(d, henan, { title: '省里推送的稿件' });
  await place(d, provincial, ruyang, { sectionId: wenlv.id });
  await invalidate(p, ruyang);

  await t.test('the face feed: RSS 2.0, 20 newest, absolute URLs, escaped', async (t) => {
    const res = await get(p, HOST, '/rss.xml');
    t.equal(res.statusCode, 200);
    t.equal(res.headers['content-type'], 'application/rss+xml; charset=utf-8');
    t.type(res.headers.etag, 'string');
    const xml = res.body;
    t.same(xmlProblems(xml), [], 'well-formed');
    t.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"'));
    t.equal((xml.match(/<item>/g) ?? []).length, 20, '20 items');
    t.equal(texts(xml, 'title')[0], '汝阳县融媒体中心', 'channel title');
    t.equal(texts(xml, 'title')[1], '省里推送的稿件', 'newest first, placed stories included');
    t.match(xml, '<title>汝阳新闻 23 &amp; 更多</title>', 'escaped text');
    t.match(xml, '<description>摘要 23 &lt;b&gt;</description>');
    t.notMatch(xml, /<b>|<script/i);
    for (const link of texts(xml, 'link'))
      t.match(link, /^http:\/\/(ruyang|henan)\.localhost:3000\//, `absolute: ${link}`);
    for (const date of texts(xml, 'pubDate')) t.match(date, RFC822);
    t.match(xml, `<guid isPermaLink="true">${ORIGIN}/a/${provincial.id}</guid>`);
    t.match(xml, '<source url="http://henan.localhost:3000/rss.xml">河南</source>', 'a placed item names its source');
    t.match(xml, `<atom:link href="${ORIGIN}/rss.xml" rel="self" type="application/rss+xml"/>`);
    for (const hidden of [unseen.id, gone.id, withdrawn.id]) t.notMatch(xml, hidden);
    t.equal(
      (await get(p, HOST, '/rss.xml', { 'if-none-match': String(res.headers.etag) })).statusCode,
      304,
      'feed readers revalidate cheaply',
    );
  });

  await t.test('a section feed', async (t) => {
    const res = await get(p, HOST, '/s/bendi/rss.xml');
    t.equal(res.statusCode, 200);
    t.same(xmlProblems(res.body), []);
    t.equal((res.body.match(/<item>/g) ?? []).length, 3);
    t.equal(texts(res.body, 'title')[0], '汝阳县融媒体中心 - 本地');
    t.equal(texts(res.body, 'link')[0], `${ORIGIN}/s/bendi`);
    t.equal((await get(p, HOST, '/s/nope/rss.xml')).statusCode, 404);
  });

  await t.test('the sitemap lists live stories only', async (t) => {
    const res = await get(p, HOST, '/sitemap.xml');
    t.equal(res.statusCode, 200);
    t.equal(res.headers['content-type'], 'application/xml; charset=utf-8');
    const xml = res.body;
    t.same(xmlProblems(xml), [], 'well-formed');
    const locs = texts(xml, 'loc');
    t.equal(locs[0], `${ORIGIN}/`, 'home first');
    t.ok(locs.includes(`${ORIGIN}/s/bendi`) && locs.includes(`${ORIGIN}/s/wenlv`), 'every section');
    for (const s of live) t.ok(locs.includes(`${ORIGIN}/a/${s.id}`), `live story ${s.id}`);
    for (const hidden of [unseen.id, gone.id, withdrawn.id])
      t.notMatch(xml, hidden, 'nothing unpublished, draft or retracted');
    t.notMatch(xml, provincial.id, "placed stories are in their origin's sitemap (their canonical URL is there)");
    t.equal(locs.length, 1 + 2 + 23);
    for (const lastmod of texts(xml, 'lastmod')) t.match(lastmod, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  });

  await t.test('the news sitemap: the last two days', async (t) => {
    const res = await get(p, HOST, '/sitemap-news.xml');
    t.equal(res.statusCode, 200);
    t.same(xmlProblems(res.body), []);
    t.match(res.body, 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
    t.equal(texts(res.body, 'loc').length, 22, 'all but the five-day-old story');
    t.notMatch(res.body, old.id);
    t.match(res.body, '<news:name>汝阳县融媒体中心</news:name><news:language>zh-cn</news:language>');
    t.match(res.body, '<news:title>汝阳新闻 23 &amp; 更多</news:title>');
  });

  await t.test('robots.txt points at both sitemaps', async (t) => {
    const res = await get(p, HOST, '/robots.txt');
    t.equal(res.statusCode, 200);
    t.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    t.match(res.body, 'User-agent: *');
    t.match(res.body, `Sitemap: ${ORIGIN}/sitemap.xml\n`);
    t.match(res.body, `Sitemap: ${ORIGIN}/sitemap-news.xml\n`);
    const other = await get(p, 'news.example.cn', '/robots.txt');
    t.equal(other.statusCode, 404, 'unknown hosts have none');
  });
});

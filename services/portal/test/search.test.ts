import t from 'tap';
import { indexStory } from '@yiduan/core';
import { withPlatform, type Story } from '@yiduan/db';
import { get, LEAK, portal, tenantId, type Portal } from './helpers.js';
import { desk, draft, para, place, publish, retract, unpublish } from './newsroom.js';

const RUYANG = 'ruyang.localhost:3000';
const ZHECHENG = 'zhecheng.localhost:3000';

/** What the publish path does once indexing is wired into it; idempotent, so harmless after. */
async function index(p: Portal, story: Story): Promise<void> {
  await withPlatform(p.tdb.db, (trx) => indexStory(trx, story.tenant_id, story.id));
}

const search = (p: Portal, host: string, q: string, page?: string) =>
  get(p, host, `/search?q=${encodeURIComponent(q)}${page ? `&page=${page}` : ''}`);
const count = (body: string): number | null => {
  const m = /共找到 (?:<!-- -->)?(\d+)(?:<!-- -->)? 条结果/.exec(body);
  return m ? Number(m[1]) : null;
};

t.test('the search page of a face', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const ruyang = tenantId(p, 'ruyang');
  const henan = tenantId(p, 'henan');

  const own = await publish(d, ruyang, {
    title: '汝阳县融媒体中心启用新演播厅',
    summary: '新演播厅正式投入使用',
    body: [para('记者从汝阳县融媒体中心获悉，新演播厅本周启用。')],
  });
  const pushed = await publish(d, henan, {
    title: '全面推进乡村振兴',
    summary: '省委部署乡村振兴工作',
    body: [para('各地要一丝不苟抓好落实。')],
  });
  await place(d, pushed, ruyang);
  const unsafe = await publish(d, ruyang, {
    title: '<script>alert(1)</script>汝阳测试',
    summary: '<img src=x onerror=alert(1)> 汝阳',
    body: [para('正文 <b>汝阳</b>')],
  });
  const hidden = await draft(d, ruyang, { title: '汝阳草稿不应出现', body: [para('草稿。')] });
  for (const s of [own, pushed, unsafe]) await index(p, s);
  await withPlatform(p.tdb.db, (trx) => indexStory(trx, ruyang, hidden.id));

  t.test('results: count, highlights, origin, noindex, not cached', async (t) => {
    const res = await search(p, RUYANG, '汝阳');
    t.equal(res.statusCode, 200);
    t.match(res.headers['content-type'], /text\/html/);
    t.equal(res.headers['cache-control'], 'no-store', 'never cached');
    t.equal(res.headers['x-robots-tag'], 'noindex');
    t.match(res.body, '<meta name="robots" content="noindex"/>');
    t.equal(count(res.body), 2, '共找到 2 条结果: the live stories, not the draft');
    t.match(res.body, '<mark>汝阳</mark>县融媒体中心启用新演播厅');
    t.match(res.body, `href="/a/${own.id}"`);
    t.notMatch(res.body, '草稿不应出现');
    t.match(res.body, /<title>搜索：汝阳 - 汝阳县融媒体中心<\/title>/, 'in the face');
    t.match(res.body, 'value="汝阳"', 'the query stays in the form');

    const placed = await search(p, RUYANG, '乡村振兴');
    t.equal(count(placed.body), 1, 'a story placed on the face');
    t.match(placed.body, '来源：河南');
    t.match(placed.body, '<mark>乡村振兴</mark>');
  });

  t.test('stored text is escaped, highlights are real <mark> elements', async (t) => {
    const res = await search(p, RUYANG, '汝阳测试');
    t.equal(count(res.body), 1);
    t.notMatch(res.body, '<script>alert', 'no script from a title');
    t.notMatch(res.body, '<img src=x', 'no element from a summary');
    t.match(res.body, '&lt;script>alert(1)&lt;/script><mark>汝阳测试</mark>');
    const tag = await search(p, RUYANG, '<script>');
    t.notMatch(tag.body, /<script>(?!\s*<\/script>)/, 'the query itself is escaped too');
    t.match(tag.body, 'value="&lt;script>"');
    t.notMatch(res.body, LEAK);
  });

  t.test('a face does not find what it does not carry', async (t) => {
    const res = await search(p, ZHECHENG, '乡村振兴');
    t.equal(res.statusCode, 200);
    t.match(res.body, '没有找到相关稿件');
    t.equal(count(res.body), null);
  });

  t.test('retracted and unpublished stories leave the results', async (t) => {
    const gone = await publish(d, ruyang, { title: '汝阳即将撤回的稿件', body: [para('撤回测试。')] });
    const off = await publish(d, ruyang, { title: '汝阳即将撤下的稿件', body: [para('撤下测试。')] });
    await index(p, gone);
    await index(p, off);
    t.equal(count((await search(p, RUYANG, '即将撤')).body), 2);
    await retract(d, ruyang, gone.id, '内容有误');
    await unpublish(d, ruyang, off.id);
    t.match((await search(p, RUYANG, '即将撤')).body, '没有找到相关稿件', 'gone at once, before indexing catches up');
    await index(p, gone);
    await index(p, off);
    t.equal(
      await p.tdb.owner
        .selectFrom('story_search')
        .select('story_id')
        .where('story_id', 'in', [gone.id, off.id])
        .executeTakeFirst(),
      undefined,
      'and their documents removed',
    );
  });

  t.test('paging keeps the query', async (t) => {
    const zhecheng = tenantId(p, 'zhecheng');
    for (let i = 1; i <= 12; i++)
      await index(p, await publish(d, zhecheng, { title: `柘城辣椒产业简报第${i}期`, body: [para('辣椒丰收。')] }));
    const first = await search(p, ZHECHENG, '辣椒');
    t.equal(count(first.body), 12);
    t.equal((first.body.match(/<li class="story-item">/g) ?? []).length, 10);
    t.match(first.body, `href="/search?q=${encodeURIComponent('辣椒')}&amp;page=2" rel="next"`);
    const second = await search(p, ZHECHENG, '辣椒', '2');
    t.equal(second.statusCode, 200);
    t.equal((second.body.match(/<li class="story-item">/g) ?? []).length, 2);
    t.match(second.body, `href="/search?q=${encodeURIComponent('辣椒')}" rel="prev"`);
    t.equal((await search(p, ZHECHENG, '辣椒', '3')).statusCode, 404, 'past the last page');
    t.equal((await search(p, ZHECHENG, '辣椒', 'x')).statusCode, 404, 'junk page');
    t.equal((await search(p, ZHECHENG, '辣椒', '51')).statusCode, 404, 'beyond the deepest page');
  });

  t.test('empty, blank, repeated and long queries', async (t) => {
    for (const url of ['/search', '/search?q=', '/search?q=%20%E3%80%80', '/search?q=a&q=b']) {
      const res = await get(p, RUYANG, url);
      t.equal(res.statusCode, 200, url);
      t.match(res.body, '请输入要搜索的关键词', url);
      t.notMatch(res.body, '没有找到相关稿件', url);
    }
    const punct = await search(p, RUYANG, '？！');
    t.match(punct.body, '请输入要搜索的关键词', 'punctuation only: nothing to search');
    const long = await search(p, RUYANG, `汝阳${'的'.repeat(150)}`);
    t.equal(long.statusCode, 200);
    t.match(long.body, '搜索词过长，只按前 100 个字搜索');
  });

  t.test('every page of the face has the search box', async (t) => {
    const home = await get(p, RUYANG, '/');
    t.match(
      home.body,
      /<header class="site-header">[\s\S]*<form class="site-search" role="search" action="\/search" method="get"[\s\S]*name="q"[\s\S]*<\/header>/,
    );
  });
});

import t from 'tap';
import { SYSTEM_ACTOR, updateFace } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { get, LEAK, portal, tenantId } from './helpers.js';
import { desk, image, invalidate, place, publish, section, unit } from './newsroom.js';

const HOST = 'ruyang.localhost:3000';
const ORIGIN = 'http://ruyang.localhost:3000';

/** Positions of the strings in the body; -1 when absent. */
const positions = (body: string, parts: string[]): number[] => parts.map((x) => body.indexOf(x));

t.test('home, listings and service pages of a face', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const ruyang = tenantId(p, 'ruyang');
  const henan = tenantId(p, 'henan');
  const bendi = await section(d, ruyang, 'bendi', '本地');
  const wenlv = await section(d, ruyang, 'wenlv', '文旅');
  await section(d, ruyang, 'kong', '空栏目');
  const jiaoyu = await unit(d, ruyang, 'jiaoyu', '汝阳县教育局');
  await unit(d, ruyang, 'chengguan', '城关镇');
  const cover = await image(d, ruyang, { width: 640, height: 360, alt: '杜康祠' });
  for (let i = 1; i <= 22; i++) {
    await publish(d, ruyang, { title: `本地新闻第${i}条`, sectionId: bendi.id, tags: i % 2 ? ['民生'] : [] });
  }
  const festival = await publish(d, ruyang, {
    title: '杜康文化节开幕',
    coverAssetId: cover.id,
    sectionId: wenlv.id,
    unitId: jiaoyu.id,
    tags: ['文化节'],
  });
  const provincial = await publish(d, henan, { title: '全省部署秋粮收购工作' });
  await place(d, provincial, ruyang, { pinned: true });
  await withPlatform(p.tdb.db, (trx) =>
    updateFace(trx, SYSTEM_ACTOR, ruyang, {
      homeLayout: [
        { module: 'pinned' },
        { module: 'headlines', count: 3 },
        { module: 'latest', count: 5 },
        { module: 'section', section: 'bendi', count: 4 },
        { module: 'section', section: 'gone', count: 4 },
        { module: 'units' },
        { module: 'messages' },
        { module: 'follow' },
      ],
    }),
  );
  await invalidate(p, ruyang);

  await t.test('home: the layout modules in order', async (t) => {
    const res = await get(p, HOST);
    t.equal(res.statusCode, 200);
    const body = res.body;
    t.match(body, '--primary:#bf360c;', "the face's colours");
    t.match(body, '<html lang="zh-CN">');
    const order = positions(body, [
      '>置顶</h2>',
      '>头条</h2>',
      '>最新稿件</h2>',
      '>本地</h2>',
      '>政务号</h2>',
      '>留言 / 投诉建议</h2>',
      '>关注我们</h2>',
    ]);
    t.notOk(order.includes(-1), 'every module has its heading');
    t.same(
      [...order].sort((a, b) => a - b),
      order,
      'in the layout order',
    );
    t.notMatch(body, 'gone', 'a layout naming a missing section skips it');

    const pinned = body.slice(order[0], order[1]);
    t.match(pinned, `<a href="/a/${provincial.id}">全省部署秋粮收购工作</a>`, 'the pinned push');
    t.match(pinned, '来源：河南', 'a placed story names its origin');

    const headlines = body.slice(order[1], order[2]);
    t.match(headlines, '杜康文化节开幕', 'headlines are the stories with covers');
    t.notMatch(headlines, '本地新闻', 'stories without a cover are not headlines');
    t.match(
      headlines,
      `<img class="lead-cover" src="/media/${cover.id}?w=640" srcset="/media/${cover.id}?w=320 320w, /media/${cover.id}?w=640 640w" sizes="(min-width: 64rem) 37rem, (min-width: 48rem) 60vw, calc(100vw - 2rem)" width="640" height="360" alt fetchpriority="high" decoding="async"/>`,
      'the lead cover: responsive, sized, decorative beside its title (alt=""); the first headline is the main image, not lazy and fetched first',
    );
    t.equal((body.match(/fetchpriority="high"/g) ?? []).length, 1, 'one image only is fetched first');

    const latest = body.slice(order[2], order[3]);
    t.equal((latest.match(/class="dense-item"/g) ?? []).length, 5, 'latest: the configured count, as a dense list');
    t.match(latest, /本地新闻第22条[\s\S]*本地新闻第21条/, 'newest first');
    t.match(
      latest,
      /<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00" title="\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d">\d\d-\d\d<\/time>/,
      'Beijing time, the day shown',
    );

    const local = body.slice(order[3], order[4]);
    t.equal((local.match(/class="dense-item"/g) ?? []).length, 4);
    t.match(local, '<a class="more" href="/s/bendi" aria-label="更多本地稿件">更多</a>');

    const units = body.slice(order[4], order[5]);
    t.match(units, '<a href="/u/jiaoyu">汝阳县教育局</a>');
    t.match(units, '<a href="/u/chengguan">城关镇</a>');
    t.match(body.slice(order[5], order[6]), '<a class="button" href="/messages">我要留言</a>');
    t.match(body.slice(order[6]), /<a class="button" href="\/follow" rel="nofollow">关注<\/a>/);

    t.match(body, `<link rel="canonical" href="${ORIGIN}/"/>`);
    t.match(
      body,
      `<link rel="alternate" type="application/rss+xml" title="汝阳县融媒体中心" href="${ORIGIN}/rss.xml"/>`,
    );
    t.match(body, '<meta property="og:type" content="website"/>');
    t.notMatch(
      body,
      /<script(?! src="\/_(?:b|me)\.js" defer>)/i,
      'no script on the home page but the reading beacon and the header name script',
    );
    t.notMatch(body, LEAK);
  });

  await t.test('a section pages by 20 with prev/next links', async (t) => {
    const first = await get(p, HOST, '/s/bendi');
    t.equal(first.statusCode, 200);
    t.match(first.body, '<title>本地 - 汝阳县融媒体中心</title>');
    t.match(first.body, '<h1 class="page-title">本地</h1>');
    t.match(first.body, '--primary:#bf360c;');
    t.equal((first.body.match(/class="story-item"/g) ?? []).length, 20);
    t.match(first.body, '<h2 class="story-title"><a href="/a/', 'titles are h2 under the h1');
    t.match(first.body, '<a href="/s/bendi" aria-current="page">本地</a>', 'navigation marks the section');
    t.match(first.body, '<nav class="pagination" aria-label="分页">');
    t.match(first.body, '<a href="/s/bendi?page=2" rel="next">下一页</a>');
    t.notMatch(first.body, 'rel="prev"');
    t.match(first.body, `<link rel="next" href="${ORIGIN}/s/bendi?page=2"/>`);
    t.match(first.body, `<link rel="canonical" href="${ORIGIN}/s/bendi"/>`);
    t.match(first.body, `href="${ORIGIN}/s/bendi/rss.xml"`, 'the section feed is announced');

    const second = await get(p, HOST, '/s/bendi?page=2');
    t.equal(second.statusCode, 200);
    t.equal(
      (second.body.match(/class="story-item"/g) ?? []).length,
      3,
      '22 stories and the provincial one placed without a section (in the default section, 本地): 3 on page 2',
    );
    t.match(second.body, '本地新闻第1条');
    t.match(second.body, '<a href="/s/bendi" rel="prev">上一页</a>', 'page 1 has no query');
    t.match(second.body, `<link rel="prev" href="${ORIGIN}/s/bendi"/>`);
    t.match(second.body, `<link rel="canonical" href="${ORIGIN}/s/bendi?page=2"/>`);
    t.match(second.body, '第 2 / 2 页');
    t.notMatch(second.body, 'rel="next"');

    t.equal((await get(p, HOST, '/s/bendi?page=1')).body, first.body, '?page=1 is page 1');
    for (const url of [
      '/s/bendi?page=3',
      '/s/bendi?page=0',
      '/s/bendi?page=x',
      '/s/bendi?page=1&page=2',
      '/s/nope',
      '/s/Bad_Slug',
    ]) {
      const res = await get(p, HOST, url);
      t.equal(res.statusCode, 404, `${url} → 404`);
      t.equal(res.headers['cache-control'], 'no-store');
      t.match(res.body, '<h1>页面不存在</h1>');
    }

    const empty = await get(p, HOST, '/s/kong');
    t.equal(empty.statusCode, 200, 'an empty section exists');
    t.match(empty.body, '暂无稿件');
    t.notMatch(empty.body, 'class="pagination"');
  });

  await t.test('unit and tag pages', async (t) => {
    const unitPage = await get(p, HOST, '/u/jiaoyu');
    t.equal(unitPage.statusCode, 200);
    t.match(unitPage.body, '<h1 class="page-title">汝阳县教育局</h1>');
    t.match(unitPage.body, `<a href="/a/${festival.id}">杜康文化节开幕</a>`);
    t.notMatch(unitPage.body, '本地新闻');
    t.match(
      unitPage.body,
      `<img class="thumb" src="/media/${cover.id}?w=640" srcset="/media/${cover.id}?w=320 320w, /media/${cover.id}?w=640 640w" sizes="(min-width: 48rem) 10rem, 7.5rem" width="640" height="360" alt loading="lazy" decoding="async"/>`,
      'a thumbnail: lazy, with its own sizes',
    );
    const quiet = await get(p, HOST, '/u/chengguan');
    t.equal(quiet.statusCode, 200);
    t.match(quiet.body, '暂无稿件');
    t.equal((await get(p, HOST, '/u/nobody')).statusCode, 404);
    t.equal((await get(p, 'yichuan.localhost', '/u/jiaoyu')).statusCode, 404, "another face's unit is not here");

    const tag = await get(p, HOST, `/t/${encodeURIComponent('民生')}`);
    t.equal(tag.statusCode, 200);
    t.match(tag.body, '<h1 class="page-title">标签：民生</h1>');
    t.equal((tag.body.match(/class="story-item"/g) ?? []).length, 11, 'the 11 odd stories');
    t.match(tag.body, `<link rel="canonical" href="${ORIGIN}/t/%E6%B0%91%E7%94%9F"/>`);
    t.equal(
      (await get(p, HOST, `/t/${encodeURIComponent('没有这个标签')}`)).statusCode,
      404,
      'a tag nobody uses is a 404',
    );
  });

  await t.test('message board', async (t) => {
    const res = await get(p, HOST, '/messages');
    t.equal(res.statusCode, 200);
    t.match(res.body, '<h1 class="page-title">留言 / 投诉建议</h1>');
    t.match(res.body, '<a class="button" href="/messages/new" rel="nofollow">我要留言</a>');
    t.match(res.body, '公开答复（0）');
    t.match(res.body, '--primary:#bf360c;');
  });

  await t.test('every page kind on another face keeps its own look', async (t) => {
    const res = await get(p, 'yichuan.localhost', '/messages');
    t.match(res.body, '--primary:#01579b;');
    t.notMatch(res.body, '汝阳');
  });
});

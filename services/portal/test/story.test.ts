import t from 'tap';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Block } from '@yiduan/core';
import type { DB } from '@yiduan/db';
import { get, LEAK, portal, tenantId, type Portal } from './helpers.js';
import {
  correct,
  desk,
  draft,
  image,
  invalidate,
  para,
  place,
  publish,
  retract,
  section,
  unpublish,
  type Desk,
} from './newsroom.js';

const RUYANG = 'ruyang.localhost:3000';

/** The JSON-LD block of a page, parsed. */
function jsonLd(body: string): Record<string, unknown> {
  const m = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(body);
  if (!m) throw new Error('no JSON-LD');
  return JSON.parse(m[1]!) as Record<string, unknown>;
}

const canonicalOf = (body: string): string | undefined => /<link rel="canonical" href="([^"]+)"\/>/.exec(body)?.[1];

async function setPublishedAt(p: Portal, storyId: string, at: string): Promise<void> {
  await p.tdb.owner
    .updateTable('stories')
    .set({ published_at: new Date(at) })
    .where('id', '=', storyId)
    .execute();
}

t.test('a story page shows every part of a story', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const ruyang = tenantId(p, 'ruyang');
  const bendi = await section(d, ruyang, 'bendi', '本地');
  const cover = await image(d, ruyang, { width: 800, height: 450, alt: '杜康祠正门' });
  const withAlt = await image(d, ruyang, { width: 320, height: 240 });
  const captioned = await image(d, ruyang, { width: 300, height: 200 });
  const plain = await image(d, ruyang, { width: 200, height: 100, alt: '资料库里的说明' });
  const poster = await image(d, ruyang, { width: 160, height: 90 });
  const body: Block[] = [
    { type: 'heading', level: 2, text: '开幕式' },
    para('9月20日上午，第十届杜康文化节开幕。'),
    { type: 'image', assetId: withAlt.id, alt: '开幕式现场', caption: '开幕式现场（资料图）' },
    { type: 'image', assetId: captioned.id, caption: '游客参观酿酒工艺' },
    { type: 'image', assetId: plain.id },
    { type: 'heading', level: 3, text: '现场花絮' },
    { type: 'quote', text: '杜康酒承载着汝阳的历史。', cite: '县文旅局负责人' },
    { type: 'video', url: 'https://video.example.cn/dukang.mp4', caption: '开幕式视频', posterAssetId: poster.id },
    { type: 'embed', url: 'https://map.example.cn/dukang', caption: '杜康祠位置' },
    { type: 'list', ordered: true, items: ['开幕式', '祭祀大典', '美食节'] },
    { type: 'list', ordered: false, items: ['免费参观', '凭票入场'] },
  ];
  const story = await publish(d, ruyang, {
    title: '第十届杜康文化节开幕',
    subtitle: '三天活动吸引数万名游客',
    summary: '9月20日，第十届杜康文化节在汝阳县开幕。',
    authorLine: '记者 王小明 通讯员 李华',
    sectionId: bendi.id,
    coverAssetId: cover.id,
    tags: ['文化节', '杜康'],
    body,
  });
  // 06:05 UTC is 14:05 in Beijing
  await setPublishedAt(p, story.id, '2026-11-27T06:05:00Z');

  const res = await get(p, RUYANG, `/a/${story.id}`);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  const html = res.body;
  t.notMatch(html, LEAK);
  t.match(html, '<title>第十届杜康文化节开幕 - 汝阳县融媒体中心</title>');
  t.match(html, '--primary:#bf360c;');
  t.match(
    html,
    '<nav class="breadcrumb" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li><a href="/s/bendi">本地</a></li></ol></nav>',
  );
  t.match(html, '<a href="/s/bendi" aria-current="page">本地</a>', 'the navigation marks the section');
  t.match(html, '<h1>第十届杜康文化节开幕</h1>');
  t.match(html, '<p class="subtitle">三天活动吸引数万名游客</p>');
  t.match(html, '<span>记者 王小明 通讯员 李华</span>');
  t.match(
    html,
    '<time datetime="2026-11-27T14:05:00+08:00">2026年11月27日 14:05</time>',
    'published time in Asia/Shanghai',
  );
  t.notMatch(html, '来源：', 'an own story names no source');

  const column = 'sizes="(min-width: 64rem) 62rem, calc(100vw - 2rem)"';
  t.match(
    html,
    `<img src="/media/${cover.id}?w=640" srcset="/media/${cover.id}?w=320 320w, /media/${cover.id}?w=640 640w, /media/${cover.id}?w=960 800w" ${column} width="800" height="450" alt="杜康祠正门" fetchpriority="high" decoding="async"/>`,
    'the cover: responsive up to its own width (never enlarged), eager and fetched first, sized, described',
  );
  t.match(
    html,
    `<img src="/media/${withAlt.id}?w=320" srcset="/media/${withAlt.id}?w=320 320w" ${column} width="320" height="240" alt="开幕式现场" loading="lazy" decoding="async"/><figcaption>开幕式现场（资料图）</figcaption>`,
  );
  t.match(
    html,
    `<img src="/media/${captioned.id}?w=320" srcset="/media/${captioned.id}?w=320 300w" ${column} width="300" height="200" alt="游客参观酿酒工艺" loading="lazy"`,
    'alt from the caption',
  );
  t.match(
    html,
    `<img src="/media/${plain.id}?w=320" srcset="/media/${plain.id}?w=320 200w" ${column} width="200" height="100" alt="资料库里的说明" loading="lazy"`,
    "alt from the asset's description",
  );
  t.equal((html.match(/fetchpriority="high"/g) ?? []).length, 1, 'only the cover is fetched first');
  t.match(html, /<h2>开幕式<\/h2><p>9月20日上午，第十届杜康文化节开幕。<\/p>/);
  t.match(html, '<h3>现场花絮</h3>');
  t.match(
    html,
    '<blockquote><p>杜康酒承载着汝阳的历史。</p><footer>—— <cite>县文旅局负责人</cite></footer></blockquote>',
  );
  t.match(
    html,
    `<video controls preload="none" src="https://video.example.cn/dukang.mp4" poster="/media/${poster.id}?w=1280">`,
    'a poster: the largest copy (no larger than the image)',
  );
  t.match(html, '<a href="https://video.example.cn/dukang.mp4" rel="noopener noreferrer">在新页面观看视频</a>');
  t.match(
    html,
    '<p class="link-card"><a href="https://map.example.cn/dukang" rel="noopener noreferrer nofollow"><span class="link-card-title">杜康祠位置</span><span class="link-card-host">map.example.cn</span></a></p>',
  );
  t.notMatch(html, /<iframe/i, 'embeds are link cards, never frames');
  t.match(html, '<ol><li>开幕式</li><li>祭祀大典</li><li>美食节</li></ol>');
  t.match(html, '<ul><li>免费参观</li><li>凭票入场</li></ul>');
  t.match(html, '<a class="tag" href="/t/%E6%96%87%E5%8C%96%E8%8A%82">文化节</a>');

  t.equal(canonicalOf(html), `http://ruyang.localhost:3000/a/${story.id}`, 'an own story is canonical here');
  t.match(html, `<meta property="og:url" content="http://ruyang.localhost:3000/a/${story.id}"/>`);
  t.match(html, '<meta property="og:type" content="article"/>');
  t.match(html, `<meta property="og:image" content="http://ruyang.localhost:3000/media/${cover.id}"/>`);
  t.match(html, '<meta name="twitter:card" content="summary_large_image"/>');
  t.match(html, '<meta name="description" content="9月20日，第十届杜康文化节在汝阳县开幕。"/>');
  const ld = jsonLd(html);
  t.match(ld, {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: '第十届杜康文化节开幕',
    datePublished: '2026-11-27T14:05:00+08:00',
    url: `http://ruyang.localhost:3000/a/${story.id}`,
    image: [`http://ruyang.localhost:3000/media/${cover.id}`],
    publisher: { '@type': 'Organization', name: '汝阳县融媒体中心' },
    inLanguage: 'zh-CN',
  });
  t.same(
    html.match(/<script[^>]*>/g),
    ['<script type="application/ld+json">', '<script src="/_me.js" defer>', '<script src="/_b.js" defer>'],
    "the JSON-LD data block, the header name script and the face's own reading beacon are the only script elements",
  );

  const upper = await get(p, RUYANG, `/a/${story.id.toUpperCase()}`);
  t.equal(upper.statusCode, 200, 'an upper-case id finds the story');
  t.equal(upper.body, html, 'and the same cached page');

  await t.test('a correction shows with its date', async (t) => {
    await correct(d, ruyang, story.id, '第二段中开幕时间应为9月20日上午9时。');
    await invalidate(p, ruyang);
    const after = await get(p, RUYANG, `/a/${story.id}`);
    t.match(
      after.body,
      /<aside class="corrections" aria-labelledby="corrections-heading"><h2 id="corrections-heading">更正<\/h2><ul><li><time datetime="[^"]+">\d{4}年\d{1,2}月\d{1,2}日<\/time>：第二段中开幕时间应为9月20日上午9时。<\/li><\/ul><\/aside>/,
    );
    t.not(jsonLd(after.body).dateModified, jsonLd(after.body).datePublished, 'dateModified follows the correction');
  });
});

t.test('syndicated stories: 来源, canonical at the origin, 转载自, 410 everywhere after a retraction', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const [ruyang, yichuan, henan] = [tenantId(p, 'ruyang'), tenantId(p, 'yichuan'), tenantId(p, 'henan')];

  const provincial = await publish(d, henan, { title: '全省部署秋粮收购工作', tags: ['秋粮'] });
  await place(d, provincial, ruyang, { localTitle: '秋粮收购：省里部署了' });

  const placed = await get(p, RUYANG, `/a/${provincial.id}`);
  t.equal(placed.statusCode, 200);
  t.match(placed.body, '<h1>秋粮收购：省里部署了</h1>', "the face's own headline");
  t.match(
    placed.body,
    `<span class="source">来源：<a href="http://henan.localhost:3000/a/${provincial.id}">河南</a></span>`,
    'origin named and linked',
  );
  t.equal(canonicalOf(placed.body), `http://henan.localhost:3000/a/${provincial.id}`, "canonical is the origin's URL");
  t.match(placed.body, `<meta property="og:url" content="http://henan.localhost:3000/a/${provincial.id}"/>`);
  t.equal(jsonLd(placed.body).url, `http://henan.localhost:3000/a/${provincial.id}`);
  t.match(jsonLd(placed.body), { publisher: { name: '河南' } });
  t.match(placed.body, '--primary:#bf360c;', "in the carrying face's look");

  const atOrigin = await get(p, 'henan.localhost', `/a/${provincial.id}`);
  t.equal(canonicalOf(atOrigin.body), `http://henan.localhost:3000/a/${provincial.id}`);
  t.match(atOrigin.body, '<h1>全省部署秋粮收购工作</h1>');
  t.notMatch(atOrigin.body, '来源：');

  t.equal(
    (await get(p, 'zhecheng.localhost', `/a/${provincial.id}`)).statusCode,
    404,
    'a face that does not carry it: 404',
  );

  await t.test('a detached copy says 转载自 and links the original', async (t) => {
    const copy = await p.tdb.owner
      .insertInto('stories')
      .values({
        tenant_id: yichuan,
        kind: 'article',
        status: 'published',
        published_revision: 1,
        first_published_at: new Date(),
        published_at: new Date(),
        origin_tenant_id: henan,
        origin_story_id: provincial.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await p.tdb.owner
      .insertInto('story_revisions')
      .values({
        tenant_id: yichuan,
        story_id: copy.id,
        number: 1,
        title: '秋粮收购工作部署',
        body: JSON.stringify([para('本地副本')]),
      })
      .execute();
    await p.tdb.owner
      .insertInto('placements')
      .values({ tenant_id: yichuan, story_id: copy.id, origin_tenant_id: yichuan, mode: 'own', status: 'active' })
      .execute();
    const res = await get(p, 'yichuan.localhost', `/a/${copy.id}`);
    t.equal(res.statusCode, 200);
    t.match(
      res.body,
      `<span class="source">转载自：<a href="http://henan.localhost:3000/a/${provincial.id}">河南</a></span>`,
    );
    t.equal(canonicalOf(res.body), `http://yichuan.localhost:3000/a/${copy.id}`, 'a copy is its own page');
  });

  await t.test('a retracted story is 410 on its own face and on every face that carried it', async (t) => {
    const local = await publish(d, ruyang, { title: '汝阳县某项工作进展' });
    await place(d, local, yichuan);
    t.equal((await get(p, 'yichuan.localhost', `/a/${local.id}`)).statusCode, 200, 'carried, and now cached');
    t.equal((await get(p, RUYANG, `/a/${local.id}`)).statusCode, 200);

    await retract(d, ruyang, local.id, '稿件内容有误');
    // the worker drops the pages of the origin and of every face carrying the story
    await invalidate(p, ruyang, yichuan);
    for (const [host, own] of [
      [RUYANG, true],
      ['yichuan.localhost', false],
    ] as const) {
      const res = await get(p, host, `/a/${local.id}`);
      t.equal(res.statusCode, 410, `410 on ${host}`);
      t.equal(res.headers['cache-control'], 'no-store', 'not cached');
      t.match(res.body, '<h1 class="page-title">该稿件已撤回</h1>');
      t.match(res.body, '撤回原因：稿件内容有误');
      t.match(res.body, /撤回时间：<time datetime="[^"]+">\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d<\/time>/);
      t.notMatch(res.body, '汝阳县某项工作进展', 'the text is gone');
      if (own) t.notMatch(res.body, '来源：');
      else t.match(res.body, '来源：汝阳县');
      t.match(res.body, own ? '--primary:#bf360c;' : '--primary:#01579b;', "in the face's style");
    }
    t.notMatch((await get(p, 'yichuan.localhost')).body, '汝阳县某项工作进展', 'gone from the home page too');
  });
});

t.test('drafts, unpublished, unknown and link stories', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const ruyang = tenantId(p, 'ruyang');
  const unseen = await draft(d, ruyang, { title: '尚未发布的稿件' });
  const withdrawn = await publish(d, ruyang, { title: '撤下的稿件' });
  await unpublish(d, ruyang, withdrawn.id);
  for (const url of [
    `/a/${unseen.id}`,
    `/a/${withdrawn.id}`,
    '/a/00000000-0000-4000-8000-000000000000',
    '/a/not-a-uuid',
  ]) {
    const res = await get(p, RUYANG, url);
    t.equal(res.statusCode, 404, `${url} → 404`);
    t.equal(res.headers['cache-control'], 'no-store');
    t.notMatch(res.body, '尚未发布');
    t.notMatch(res.body, '撤下的稿件');
  }

  // decision: a link story shows a card rather than redirecting (attribution and corrections stay visible)
  const link = await publish(d, ruyang, {
    kind: 'link',
    title: '国务院发布最新政策解读',
    linkUrl: 'https://www.gov.cn/zhengce/',
    body: [],
  });
  const res = await get(p, RUYANG, `/a/${link.id}`);
  t.equal(res.statusCode, 200);
  t.match(
    res.body,
    '<p class="link-card"><a href="https://www.gov.cn/zhengce/" rel="noopener noreferrer"><span class="link-card-title">阅读原文</span><span class="link-card-host">www.gov.cn</span></a></p>',
  );
});

/** Counts the statements a Kysely instance sends. */
class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

t.test('a cold story page costs the same few queries however many images it has', async (t) => {
  const counter = new QueryCounter();
  const p = await portal(t, { wrapReadDb: (db: DB) => db.withPlugin(counter) });
  const d: Desk = await desk(p);
  const ruyang = tenantId(p, 'ruyang');
  const pictures = await Promise.all(Array.from({ length: 12 }, () => image(d, ruyang)));
  const small = await publish(d, ruyang, { body: [{ type: 'image', assetId: pictures[0]!.id }] });
  const big = await publish(d, ruyang, {
    coverAssetId: pictures[0]!.id,
    body: pictures.flatMap((a) => [para('段落'), { type: 'image' as const, assetId: a.id }]),
  });
  const cost = async (id: string): Promise<number> => {
    await get(p, RUYANG); // resolve and cache the site first
    counter.count = 0;
    const res = await get(p, RUYANG, `/a/${id}`);
    t.equal(res.statusCode, 200);
    return counter.count;
  };
  const one = await cost(small.id);
  const twelve = await cost(big.id);
  t.equal(twelve, one, `same count for 1 and 12 images (${one})`);
  t.ok(one <= 8, `bounded: ${one} statements`);
  counter.count = 0;
  await get(p, RUYANG, `/a/${big.id}`);
  t.equal(counter.count, 0, 'a warm page asks the database nothing');
});

import t from 'tap';
import { get, portal, tenantId } from './helpers.js';
import { desk, image, invalidate, place, publish, section } from './newsroom.js';
import { xmlProblems } from './xml.js';

/** A script element other than the JSON-LD data block, the reading beacon and the header name script. */
const LIVE_SCRIPT = /<script(?! type="application\/ld\+json">| src="\/_(?:b|me)\.js" defer>)/i;

t.test('stored text is rendered inert on every page kind', async (t) => {
  const p = await portal(t);
  const d = await desk(p);
  const [ruyang, yichuan] = [tenantId(p, 'ruyang'), tenantId(p, 'yichuan')];
  const bendi = await section(d, ruyang, 'bendi', '本地');
  const picture = await image(d, ruyang);
  const story = await publish(d, ruyang, {
    title: '正常标题',
    sectionId: bendi.id,
    coverAssetId: picture.id,
    body: [{ type: 'paragraph', text: '正常' }],
  });
  await place(d, story, yichuan, { localTitle: '转载标题' });

  // the owner connection bypasses validation, like a hand edit or an old writer
  await p.tdb.owner
    .updateTable('story_revisions')
    .set({
      title: '<script>alert(1)</script>',
      subtitle: '"><img src=x onerror=alert(2)>',
      summary: '</script><script>alert(3)</script>',
      author_line: '<script>alert(4)</script>',
      tags: ['<script>t</script>'],
      link_url: 'javascript:alert(5)',
      body: JSON.stringify([
        { type: 'paragraph', text: '<script>alert(6)</script>' },
        { type: 'heading', level: 7, text: '</h2><script>alert(7)</script>' },
        { type: 'image', assetId: picture.id, caption: '<script>alert(8)</script>', alt: '" onerror="alert(9)' },
        { type: 'quote', text: '引文', cite: '</blockquote><script>alert(10)</script>' },
        { type: 'video', url: 'javascript:alert(11)', caption: '坏视频' },
        { type: 'video', url: 'https://v.example.cn/a.mp4"><script>', caption: '坏视频二' },
        { type: 'embed', url: 'data:text/html,<script>alert(12)</script>', caption: '坏嵌入' },
        { type: 'list', ordered: false, items: ['<img src=x onerror=alert(13)>', 42] },
        { type: 'html', html: '<script>alert(14)</script>' },
        'not a block',
      ]),
    })
    .where('story_id', '=', story.id)
    .execute();
  await p.tdb.owner
    .insertInto('story_corrections')
    .values({ tenant_id: ruyang, story_id: story.id, revision: 1, note: '<script>alert(15)</script>' })
    .execute();
  await p.tdb.owner
    .updateTable('placements')
    .set({ local_title: '<script>alert(16)</script>' })
    .where('tenant_id', '=', yichuan)
    .execute();
  await p.tdb.owner
    .updateTable('tenants')
    .set({ name: '<script>alert(17)</script>' })
    .where('id', '=', ruyang)
    .execute();
  await p.tdb.owner
    .updateTable('faces')
    .set({ site_name: '<script>alert(18)</script>' })
    .where('tenant_id', '=', ruyang)
    .execute();
  await p.cache.invalidateTags(['hosts']);
  await invalidate(p, ruyang, yichuan);

  const pages: [string, string][] = [
    ['ruyang.localhost', `/a/${story.id}`],
    ['yichuan.localhost', `/a/${story.id}`],
    ['ruyang.localhost', '/'],
    ['yichuan.localhost', '/'],
    ['ruyang.localhost', '/s/bendi'],
    ['ruyang.localhost', `/t/${encodeURIComponent('<script>t</script>')}`],
    ['ruyang.localhost', '/messages'],
    ['ruyang.localhost', '/nope'],
  ];
  for (const [host, url] of pages) {
    const res = await get(p, host, url);
    t.ok([200, 404].includes(res.statusCode), `${host}${url} renders (${res.statusCode})`);
    const body = res.body;
    t.notMatch(body, LIVE_SCRIPT, `${host}${url}: no script element`);
    // an escaped quote keeps `onerror=&quot;` inside the alt value; a real handler would be onerror="
    t.notMatch(body, /<img src=x|\sonerror="/i, 'no injected element or handler');
    t.notMatch(body, /javascript:|data:text/i, 'no script URLs');
    t.notMatch(body, /<\/h2><script|<\/blockquote><script/, 'no closed-early element');
  }

  const page = (await get(p, 'ruyang.localhost', `/a/${story.id}`)).body;
  t.match(page, '<h1>&lt;script>alert(1)&lt;/script></h1>', 'the title is text');
  t.match(page, '<p>&lt;script>alert(6)&lt;/script></p>');
  t.match(page, 'alt="&quot; onerror=&quot;alert(9)"', 'attribute values stay inside their quotes');
  t.match(page, '<h2>&lt;/h2>&lt;script>alert(7)&lt;/script></h2>', 'an unknown heading level falls back to h2');
  t.match(page, '<li>&lt;img src=x onerror=alert(13)></li>');
  t.notMatch(page, '坏视频', 'videos without a clean https URL are dropped');
  t.notMatch(page, '坏嵌入');
  t.notMatch(page, 'link-card-title">阅读原文', 'a bad link target shows no card');
  t.match(page, '&lt;script>alert(15)&lt;/script>', 'the correction is text');
  t.match(page, '&lt;script>alert(18)&lt;/script>', 'the face name is text');

  const ldText = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
  t.notMatch(ldText, /[<>]/, 'no angle bracket inside the JSON-LD block');
  const ld = JSON.parse(ldText) as Record<string, unknown>;
  t.equal(ld['@type'], 'NewsArticle');
  t.equal(ld.headline, '<script>alert(1)</script>', 'the data survives the escaping unchanged');

  const carried = (await get(p, 'yichuan.localhost', `/a/${story.id}`)).body;
  t.match(carried, '<h1>&lt;script>alert(16)&lt;/script></h1>', "the carrying face's headline is text");
  t.match(carried, '来源：<a href="http://ruyang.localhost:3000/a/', 'the origin is linked');
  t.match(carried, '>&lt;script>alert(17)&lt;/script></a>', "the origin's name is text");

  for (const url of ['/rss.xml', '/s/bendi/rss.xml', '/sitemap.xml', '/sitemap-news.xml']) {
    const res = await get(p, 'ruyang.localhost', url);
    t.equal(res.statusCode, 200, url);
    t.same(xmlProblems(res.body), [], `${url} is well-formed`);
    t.notMatch(res.body, /<script/i, `${url}: no unescaped script`);
  }
  const rss = (await get(p, 'ruyang.localhost', '/rss.xml')).body;
  t.match(rss, '<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>');
});

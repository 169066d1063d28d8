import t from 'tap';
import { SYSTEM_ACTOR, updateFace } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { get, LEAK, portal, tenantId } from './helpers.js';

t.test('each face renders its own name and colours', async (t) => {
  const p = await portal(t);
  const cases = [
    { host: 'ruyang.localhost:3000', name: '汝阳县融媒体中心', primary: '#bf360c', tagline: '杜康故里 · 恐龙之乡' },
    { host: 'yichuan.localhost:3000', name: '伊川县融媒体中心', primary: '#01579b', tagline: '伊水之滨 · 二程故里' },
    { host: 'henan.localhost:3000', name: '河南融媒', primary: '#b71c1c', tagline: '一端百面 · 全省融媒体平台' },
  ];
  for (const c of cases) {
    const res = await get(p, c.host);
    t.equal(res.statusCode, 200, c.host);
    t.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    t.match(res.body, `<title>${c.name}</title>`);
    t.match(res.body, `<span class="site-name">${c.name}</span>`);
    t.match(res.body, `--primary:${c.primary};`, 'primary colour as a custom property');
    t.match(res.body, c.tagline);
    for (const other of cases.filter((o) => o !== c)) {
      t.notMatch(res.body, other.name, `no trace of ${other.name}`);
      t.notMatch(res.body, other.primary);
    }
  }
});

t.test('the home page is an accessible Chinese HTML5 document', async (t) => {
  const p = await portal(t);
  const { body } = await get(p, 'ruyang.localhost');
  t.ok(body.startsWith('<!DOCTYPE html><html lang="zh-CN">'), 'doctype and language');
  t.match(body, '<meta charset="utf-8"/>');
  t.match(body, '<meta name="viewport" content="width=device-width, initial-scale=1"/>');
  t.match(body, /<a class="skip-link" href="#main">跳到主要内容<\/a>/, 'skip link first in the body');
  t.match(body, /<header class="site-header">[\s\S]*<nav class="site-nav" aria-label="主导航">[\s\S]*<\/header>/);
  t.match(body, /<main id="main" tabindex="-1">[\s\S]*暂无稿件[\s\S]*<\/main>/);
  t.match(body, /<footer class="site-footer">/);
  t.match(body, ':focus-visible{outline:3px solid currentColor', 'visible focus style');
  t.match(body, '<h1 class="sr-only">汝阳县融媒体中心</h1>', 'one h1 per page');
  t.notMatch(
    body,
    /<script(?! src="\/_(?:b|me)\.js" defer>)/i,
    'no script but the reading beacon and the header name script',
  );

  // navigation from the demo seed: home and four sections
  t.match(body, '<a href="/" aria-current="page">首页</a>');
  for (const [label, slug] of [
    ['本地', 'bendi'],
    ['政务', 'zhengwu'],
    ['民生', 'minsheng'],
    ['文旅', 'wenlv'],
  ]) {
    t.match(body, `<a href="/s/${slug}">${label}</a>`, `navigation ${label}`);
  }

  // footer: ICP number linked to MIIT, contact line
  t.match(body, /<a href="https:\/\/beian\.miit\.gov\.cn\/" rel="noopener">豫ICP备\d{8}号<\/a>/);
  t.match(body, '联系方式：汝阳县融媒体中心 新闻热线');
});

t.test('logo, external links and footer records', async (t) => {
  const p = await portal(t);
  const id = tenantId(p, 'ruyang');
  await withPlatform(p.tdb.db, (trx) =>
    updateFace(trx, SYSTEM_ACTOR, id, {
      logoUrl: 'https://static.example.cn/ruyang/logo.png',
      faviconUrl: '/favicon.ico',
      navigation: [
        { kind: 'home', label: '首页' },
        { kind: 'link', label: '政府网', url: 'https://www.ruyang.gov.cn/' },
      ],
      footer: {
        icp: '豫ICP备12345678号',
        publicSecurity: '豫公网安备 41032602000001号',
        contact: '0379-12345678',
        address: '汝阳县城关镇',
      },
    }),
  );
  await p.cache.invalidateTags([`tenant:${id}`]);
  const { body } = await get(p, 'ruyang.localhost');
  t.match(body, '<img src="https://static.example.cn/ruyang/logo.png" alt="汝阳县融媒体中心标志"');
  t.match(body, '<link rel="icon" href="/favicon.ico"/>');
  t.match(body, '<a href="https://www.ruyang.gov.cn/" rel="noopener">政府网</a>');
  t.notMatch(body, '/s/bendi', 'the old navigation is gone');
  t.match(body, '豫公网安备 41032602000001号');
  t.match(body, '地址：汝阳县城关镇');
});

t.test('an unknown path is a 404 in the face style', async (t) => {
  const p = await portal(t);
  for (const url of ['/nope', '/s/bendi', '/a/b/c?x=1']) {
    const res = await get(p, 'yichuan.localhost', url);
    t.equal(res.statusCode, 404, url);
    t.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    t.match(res.body, '<h1>页面不存在</h1>');
    t.match(res.body, '<title>页面不存在 - 伊川县融媒体中心</title>');
    t.match(res.body, '--primary:#01579b;', "the face's own colours");
    t.match(res.body, '<nav class="site-nav"', 'and its navigation');
    t.notMatch(res.body, LEAK);
  }
  const post = await p.app.inject({ method: 'POST', url: '/', headers: { host: 'yichuan.localhost' } });
  t.equal(post.statusCode, 404, 'no such route for POST either');
});

t.test('face data is rendered inert', async (t) => {
  const p = await portal(t);
  const id = tenantId(p, 'ruyang');
  // the owner connection bypasses validation (and row-level security), like a hand edit or an old writer
  await p.tdb.owner
    .updateTable('faces')
    .set({
      site_name: '<script>alert(1)</script>',
      tagline: '"><img src=x onerror=alert(2)>',
      logo_url: 'javascript:alert(3)',
      favicon_url: 'data:text/html,<script>alert(4)</script>',
      theme: JSON.stringify({
        primary: 'red;}</style><script>alert(5)</script>',
        accent: '#ffd54f',
        background: '#ffffff',
        text: '#1f2328',
        headerText: '#ffffff',
      }),
      navigation: JSON.stringify([
        { kind: 'link', label: '坏链接', url: 'javascript:alert(6)' },
        { kind: 'section', label: '坏栏目', section: '"><script>' },
        { kind: 'link', label: '<b>粗</b>', url: '/ok' },
        'not an object',
      ]),
      footer: JSON.stringify({ icp: '<script>alert(7)</script>', contact: 42 }),
    })
    .where('tenant_id', '=', id)
    .execute();
  await p.cache.invalidateTags([`tenant:${id}`]);

  for (const url of ['/', '/missing']) {
    const res = await get(p, 'ruyang.localhost', url);
    t.equal(res.statusCode, url === '/' ? 200 : 404, `${url} still renders`);
    const body = res.body;
    t.notMatch(
      body,
      /<script(?! src="\/_(?:b|me)\.js" defer>)/i,
      'no script element but the reading beacon and the header name script',
    );
    t.notMatch(body, /javascript:|data:text/i, 'no script URLs');
    t.notMatch(body, /<img src="?x/i, 'no injected element');
    t.notMatch(body, /<b>/, 'labels are text');
    t.match(body, '&lt;script>alert(1)&lt;/script>', 'the name is shown as text');
    t.match(body, '&quot;>&lt;img src=x onerror=alert(2)>', 'the tagline is shown as text');
    t.match(body, '--primary:#b71c1c;', 'an invalid colour falls back to the platform theme');
    t.notMatch(body, 'red;}', 'the bad colour never reaches CSS');
    t.match(body, '<a href="/ok">&lt;b>粗&lt;/b></a>', 'the valid link survives, its label escaped');
    t.notMatch(body, '坏链接');
    t.notMatch(body, '坏栏目');
  }
});

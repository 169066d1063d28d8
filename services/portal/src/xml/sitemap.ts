import type { StoryVideo } from '@yiduan/core';
import type { SitemapStory } from '../data/sitemap.js';
import { sectionPath, storyPath } from '../site/urls.js';
import { isoShanghai } from '../views/format.js';
import { el, xml, XML_DECLARATION } from './escape.js';

const URLSET = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"';

/** The video sitemap extension: a story's videos with poster, title and the face's own playlist. */
function videoEntry(origin: string, s: SitemapStory, v: StoryVideo): string {
  const base = `${origin}/v/${v.videoId}`;
  return [
    '<video:video>',
    el('video:thumbnail_loc', `${base}/poster.jpg`),
    el('video:title', v.title || s.title),
    el('video:description', v.title || s.title),
    el('video:content_loc', `${base}/master.m3u8`),
    el('video:duration', String(Math.max(1, Math.round(v.durationMs / 1000)))),
    el('video:publication_date', isoShanghai(s.publishedAt)),
    '</video:video>',
  ].join('');
}

/** Home, every section, every own live story of the face (with its videos). */
export function renderSitemap(
  origin: string,
  sections: string[],
  stories: SitemapStory[],
  videos: ReadonlyMap<string, readonly StoryVideo[]> = new Map(),
): string {
  const urls = [
    `<url>${el('loc', `${origin}/`)}</url>`,
    ...sections.map((slug) => `<url>${el('loc', `${origin}${sectionPath(slug)}`)}</url>`),
    ...stories.map(
      (s) =>
        `<url>${el('loc', `${origin}${storyPath(s.storyId)}`)}${el('lastmod', isoShanghai(s.updatedAt))}${(videos.get(s.storyId) ?? []).map((v) => videoEntry(origin, s, v)).join('')}</url>`,
    ),
  ];
  const ns = videos.size ? ` xmlns:video="${xml('http://www.google.com/schemas/sitemap-video/1.1')}"` : '';
  return [XML_DECLARATION, `<urlset ${URLSET}${ns}>`, ...urls, '</urlset>'].join('\n');
}

/** Google News sitemap: the face's own stories of the last two days. */
export function renderNewsSitemap(origin: string, siteName: string, stories: SitemapStory[]): string {
  const publication = `<news:publication>${el('news:name', siteName)}${el('news:language', 'zh-cn')}</news:publication>`;
  const urls = stories.map(
    (s) =>
      `<url>${el('loc', `${origin}${storyPath(s.storyId)}`)}<news:news>${publication}${el('news:publication_date', isoShanghai(s.publishedAt))}${el('news:title', s.title)}</news:news></url>`,
  );
  return [
    XML_DECLARATION,
    `<urlset ${URLSET} xmlns:news="${xml('http://www.google.com/schemas/sitemap-news/0.9')}">`,
    ...urls,
    '</urlset>',
  ].join('\n');
}

export function renderRobots(origin: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    '',
    `Sitemap: ${origin}/sitemap.xml`,
    `Sitemap: ${origin}/sitemap-news.xml`,
    '',
  ].join('\n');
}

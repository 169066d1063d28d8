import type { SitemapStory } from '../data/sitemap.js';
import { sectionPath, storyPath } from '../site/urls.js';
import { isoShanghai } from '../views/format.js';
import { el, xml, XML_DECLARATION } from './escape.js';

const URLSET = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"';

/** Home, every section, every own live story of the face. */
export function renderSitemap(origin: string, sections: string[], stories: SitemapStory[]): string {
  const urls = [
    `<url>${el('loc', `${origin}/`)}</url>`,
    ...sections.map((slug) => `<url>${el('loc', `${origin}${sectionPath(slug)}`)}</url>`),
    ...stories.map(
      (s) => `<url>${el('loc', `${origin}${storyPath(s.storyId)}`)}${el('lastmod', isoShanghai(s.updatedAt))}</url>`,
    ),
  ];
  return [XML_DECLARATION, `<urlset ${URLSET}>`, ...urls, '</urlset>'].join('\n');
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

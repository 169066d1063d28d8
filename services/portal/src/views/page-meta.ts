import { isoDuration } from '../data/videos.js';
import type { LiveStory } from '../data/story.js';
import { mediaPath, storyPath } from '../site/urls.js';
import { bodyText } from '@yiduan/core';
import type { FaceView } from './face-view.js';
import { excerpt, isoShanghai } from './format.js';
import type { PageMeta } from './head-meta.js';

export interface WebsiteMetaInput {
  /** the page's own title; the site name alone on the home page */
  title?: string;
  description?: string;
  /** the canonical path (page 1 has no query) */
  path: string;
  prev?: string | null;
  next?: string | null;
  feed?: { title: string; path: string } | null;
}

/** Home, listing and service pages. `origin` is the face's `scheme://host[:port]`. */
export function websiteMeta(face: FaceView, origin: string, m: WebsiteMetaInput): PageMeta {
  return {
    canonical: `${origin}${m.path}`,
    title: m.title ? `${m.title} - ${face.siteName}` : face.siteName,
    description: m.description || face.tagline || face.siteName,
    siteName: face.siteName,
    type: 'website',
    prev: m.prev ? `${origin}${m.prev}` : null,
    next: m.next ? `${origin}${m.next}` : null,
    feed: m.feed ? { title: m.feed.title, href: `${origin}${m.feed.path}` } : null,
  };
}

/** 引题 and 副题 are the headline's other lines: one value when one is set, both in reading order otherwise. */
function alternativeHeadline(
  kicker: string | undefined,
  subtitle: string,
): { alternativeHeadline?: string | string[] } {
  const lines = [kicker, subtitle].filter((l): l is string => !!l);
  return lines.length ? { alternativeHeadline: lines.length === 1 ? lines[0]! : lines } : {};
}

/** A story page: canonical at the origin's face for a placed story, here otherwise. */
export function storyMeta(face: FaceView, origin: string, data: LiveStory): PageMeta {
  const { story } = data;
  const canonical = data.originUrl ?? `${origin}${storyPath(story.storyId)}`;
  const description = excerpt(story.summary || story.subtitle || bodyText(data.body), 120) || face.siteName;
  const image =
    story.coverAssetId && data.images.has(story.coverAssetId) ? `${origin}${mediaPath(story.coverAssetId)}` : null;
  const modifiedAt = story.corrections.reduce(
    (latest, c) => (c.createdAt > latest ? c.createdAt : latest),
    story.publishedAt,
  );
  const publisher = story.own ? face.siteName : story.origin.name;
  return {
    canonical,
    title: story.title,
    description,
    siteName: face.siteName,
    type: 'article',
    image,
    article: { publishedAt: story.publishedAt, modifiedAt, tags: story.tags },
    jsonLd: {
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: Array.from(story.title).slice(0, 110).join(''),
      ...alternativeHeadline(story.kicker, story.subtitle),
      description,
      url: canonical,
      mainEntityOfPage: canonical,
      datePublished: isoShanghai(story.publishedAt),
      dateModified: isoShanghai(modifiedAt),
      ...(image ? { image: [image] } : {}),
      author: story.authorLine
        ? [{ '@type': 'Person', name: story.authorLine }]
        : [{ '@type': 'Organization', name: publisher }],
      publisher: { '@type': 'Organization', name: publisher },
      inLanguage: 'zh-CN',
      ...(story.tags.length ? { keywords: story.tags.join(',') } : {}),
      isAccessibleForFree: true,
      ...(data.videos.size
        ? {
            video: [...data.videos.values()].map((v) => ({
              '@type': 'VideoObject',
              name: v.title || story.title,
              description,
              thumbnailUrl: [`${origin}/v/${v.id}/poster.jpg`],
              contentUrl: `${origin}/v/${v.id}/master.m3u8`,
              embedUrl: canonical,
              uploadDate: isoShanghai(v.uploadedAt),
              duration: isoDuration(v.durationMs),
              width: v.width,
              height: v.height,
            })),
          }
        : {}),
    },
  };
}

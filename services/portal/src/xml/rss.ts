import type { FaceStory, StoryVideo } from '@yiduan/core';
import { storyPath, tagPath } from '../site/urls.js';
import { el, xml, XML_DECLARATION } from './escape.js';

export interface RssChannel {
  title: string;
  description: string;
  /** absolute URLs */
  link: string;
  self: string;
  /** this face's `scheme://host[:port]` */
  origin: string;
  stories: FaceStory[];
  /** face origins of placed stories' tenants, for <source> */
  origins: ReadonlyMap<string, string>;
  /** ready videos of the stories, by story id (Media RSS) */
  videos?: ReadonlyMap<string, readonly StoryVideo[]>;
}

/** Media RSS: each video as its HLS playlist with the poster, served by this face. */
function media(c: RssChannel, v: StoryVideo): string {
  const base = `${c.origin}/v/${v.videoId}`;
  return [
    `<media:content url="${xml(`${base}/master.m3u8`)}" type="application/vnd.apple.mpegurl" medium="video" duration="${Math.round(v.durationMs / 1000)}" width="${v.width}" height="${v.height}">`,
    v.title ? el('media:title', v.title) : '',
    `<media:thumbnail url="${xml(`${base}/poster.jpg`)}"/>`,
    '</media:content>',
  ].join('');
}

function item(c: RssChannel, s: FaceStory): string {
  const link = `${c.origin}${storyPath(s.storyId)}`;
  const sourceOrigin = s.own ? undefined : c.origins.get(s.origin.tenantId);
  return [
    '<item>',
    el('title', s.title),
    el('link', link),
    `<guid isPermaLink="true">${xml(link)}</guid>`,
    // toUTCString is RFC 1123, the four-digit-year form of RFC 822 that RSS readers expect
    el('pubDate', s.publishedAt.toUTCString()),
    // the kicker (引题) leads the description: readers show the headline alone
    s.kicker || s.summary || s.subtitle
      ? el('description', [s.kicker, s.summary || s.subtitle].filter(Boolean).join('　'))
      : '',
    ...s.tags.map((t) => `<category domain="${xml(`${c.origin}${tagPath(t)}`)}">${xml(t)}</category>`),
    ...(c.videos?.get(s.storyId) ?? []).map((v) => media(c, v)),
    sourceOrigin ? `<source url="${xml(`${sourceOrigin}/rss.xml`)}">${xml(s.origin.name)}</source>` : '',
    '</item>',
  ].join('');
}

/** RSS 2.0 of a face or section: the newest stories, full absolute URLs. */
export function renderRss(c: RssChannel): string {
  const newest = c.stories[0]?.publishedAt;
  return [
    XML_DECLARATION,
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">',
    '<channel>',
    el('title', c.title),
    el('link', c.link),
    el('description', c.description),
    el('language', 'zh-cn'),
    `<atom:link href="${xml(c.self)}" rel="self" type="application/rss+xml"/>`,
    // the newest story's time, not "now": an unchanged feed keeps its ETag
    newest ? el('lastBuildDate', newest.toUTCString()) : '',
    ...c.stories.map((s) => item(c, s)),
    '</channel>',
    '</rss>',
  ].join('\n');
}

import { ownLiveStories, sectionsOf, type SitemapStory } from '@yiduan/core';
import { withPublic, type DB } from '@yiduan/db';
import type { StoryVideo } from '@yiduan/core';
import { storyVideos } from './videos.js';

export type { SitemapStory };

/** The sitemap protocol's limit per file; beyond it a sitemap index is needed. */
export const SITEMAP_MAX = 50_000;
/** Google News reads at most 1,000 URLs, published in the last two days. */
export const NEWS_MAX = 1_000;
export const NEWS_WINDOW_MS = 2 * 86400_000;

export interface SitemapData {
  sections: string[];
  stories: SitemapStory[];
  /** ready videos of the newest VIDEO_WINDOW stories, by story (the video sitemap extension) */
  videos: Map<string, StoryVideo[]>;
}

/** Video entries are looked up for the newest stories only: one bounded query per sitemap. */
export const VIDEO_WINDOW = 1_000;

export async function loadSitemap(db: DB, tenantId: string): Promise<SitemapData> {
  const found = await withPublic(db, async (trx) => ({
    sections: (await sectionsOf(trx, tenantId)).map((s) => s.slug),
    stories: await ownLiveStories(trx, tenantId, { limit: SITEMAP_MAX - 100 }),
  }));
  const videos = await storyVideos(
    db,
    found.stories.slice(0, VIDEO_WINDOW).map((s) => s.storyId),
  );
  return { ...found, videos };
}

export async function loadNewsSitemap(db: DB, tenantId: string, now = new Date()): Promise<SitemapStory[]> {
  return withPublic(db, (trx) =>
    ownLiveStories(trx, tenantId, { since: new Date(now.getTime() - NEWS_WINDOW_MS), limit: NEWS_MAX }),
  );
}

import { faceFeed, sectionsOf, type FaceStory, type StoryVideo } from '@yiduan/core';
import { storyVideos } from './videos.js';
import { withPublic, type DB } from '@yiduan/db';
import type { UrlConfig } from '../site/urls.js';
import type { Named } from './home.js';
import { originsOf } from './origins.js';

export const RSS_ITEMS = 20;

export interface RssData {
  /** null: the whole face */
  section: Named | null;
  stories: FaceStory[];
  /** face origins of the tenants whose stories are placed here, for <source> */
  origins: Map<string, string>;
  /** ready videos of the listed stories (Media RSS) */
  videos: Map<string, StoryVideo[]>;
}

/** The newest stories of the face or of one section (null: no such section). */
export async function loadRss(
  db: DB,
  config: UrlConfig,
  tenantId: string,
  sectionSlug: string | null,
): Promise<RssData | null> {
  const found = await withPublic(db, async (trx) => {
    let section: { id: string; slug: string; name: string } | undefined;
    if (sectionSlug !== null) {
      section = (await sectionsOf(trx, tenantId)).find((s) => s.slug === sectionSlug);
      if (!section) return null;
    }
    const stories = await faceFeed(trx, tenantId, { sectionId: section?.id, limit: RSS_ITEMS, pinnedFirst: false });
    const origins = await originsOf(
      trx,
      config,
      stories.filter((s) => !s.own).map((s) => s.origin),
    );
    return { section: section ? { slug: section.slug, name: section.name } : null, stories, origins };
  });
  if (!found) return null;
  const videos = await storyVideos(
    db,
    found.stories.map((s) => s.storyId),
  );
  return { ...found, videos };
}

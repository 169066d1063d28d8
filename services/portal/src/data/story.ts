import {
  approvedComments,
  sectionById,
  storyOnFace,
  type Block,
  type FaceStoryPage,
  type PublicComment,
} from '@yiduan/core';
import { withPublic, type DB } from '@yiduan/db';
import { storyPath, type UrlConfig } from '../site/urls.js';
import { imageIdsOf, safeBlocks, videoIdsOf } from '../views/safe-blocks.js';
import { imageMeta, type ImageMap } from './images.js';
import { videoMeta, type VideoMap } from './videos.js';
import type { Named } from './home.js';
import { originsOf } from './origins.js';

export interface LiveStory {
  state: 'live';
  story: FaceStoryPage;
  /** the body re-checked block by block */
  body: Block[];
  images: ImageMap;
  /** the platform's ready videos the body shows */
  videos: VideoMap;
  /** the face's section the story is placed in */
  section: Named | null;
  /** the original on the origin's face, for a placed story */
  originUrl: string | null;
  /** the story a detached copy was copied from */
  copiedFromUrl: string | null;
  /** approved comments on this face (comments belong to the face, not the story's origin) */
  comments: PublicComment[];
}

export interface RetractedStory {
  state: 'retracted';
  reason: string;
  retractedAt: Date;
  /** who retracted it; a face carrying another's story names them */
  origin: { slug: string; name: string };
}

export type StoryData = LiveStory | RetractedStory | { state: 'missing' };

/**
 * A story as this face shows it. A bounded number of queries whatever the
 * body holds: the story with its revision, its corrections, perhaps the
 * copied-from tenant, the section, the origins' domains, and one size lookup
 * for every image together.
 */
export async function loadStory(db: DB, config: UrlConfig, tenantId: string, storyId: string): Promise<StoryData> {
  const found = await withPublic(db, async (trx) => {
    const s = await storyOnFace(trx, tenantId, storyId);
    if (s.state !== 'live') return s;
    const { story } = s;
    const section = story.sectionId ? await sectionById(trx, tenantId, story.sectionId) : undefined;
    const others = [...(story.own ? [] : [story.origin]), ...(story.copiedFrom ? [story.copiedFrom] : [])];
    const origins = await originsOf(trx, config, others);
    const at = (t: { tenantId: string; storyId: string } | null): string | null => {
      const origin = t && origins.get(t.tenantId);
      return t && origin ? `${origin}${storyPath(t.storyId)}` : null;
    };
    return {
      story,
      section: section ? { slug: section.slug, name: section.name } : null,
      originUrl: story.own ? null : at(story.origin),
      copiedFromUrl: at(story.copiedFrom),
      comments: await approvedComments(trx, tenantId, storyId),
    };
  });
  if ('state' in found) {
    if (found.state === 'missing') return found;
    return { state: 'retracted', reason: found.reason, retractedAt: found.retractedAt, origin: found.origin };
  }
  const body = safeBlocks(found.story.body);
  const images = await imageMeta(db, [found.story.coverAssetId, ...imageIdsOf(body)]);
  const videos = await videoMeta(db, videoIdsOf(body));
  return { state: 'live', ...found, body, images, videos };
}

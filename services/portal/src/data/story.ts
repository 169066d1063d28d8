import { storyPageOnFace, type Block, type FaceStoryPage, type PublicComment } from '@yiduan/core';
import { withPublic, type DB } from '@yiduan/db';
import { originOf, storyPath, type UrlConfig } from '../site/urls.js';
import { safeBlocks, videoIdsOf } from '../views/safe-blocks.js';
import { imageMap, type ImageMap } from './images.js';
import { videoMeta, type VideoMap } from './videos.js';
import type { Named } from './home.js';

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
 * A story as this face shows it: one statement in one public-scope transaction whatever the
 * body holds (core's `storyPageOnFace`: the story with its revision and corrections, the
 * section, the origins' hosts, the approved comments and every image's size together); a
 * retracted or missing story, a second.
 */
export async function loadStory(db: DB, config: UrlConfig, tenantId: string, storyId: string): Promise<StoryData> {
  const found = await withPublic(db, (trx) => storyPageOnFace(trx, tenantId, storyId));
  if (found.state !== 'live') {
    if (found.state === 'missing') return found;
    return { state: 'retracted', reason: found.reason, retractedAt: found.retractedAt, origin: found.origin };
  }
  const { story } = found;
  const at = (t: { slug: string; storyId: string } | null, host: string | null): string | null =>
    t ? `${originOf(config, host ?? `${t.slug}.${config.publicBaseDomain}`)}${storyPath(t.storyId)}` : null;
  const body = safeBlocks(story.body);
  return {
    state: 'live',
    story,
    section: found.section,
    originUrl: story.own ? null : at(story.origin, found.originHost),
    copiedFromUrl: at(story.copiedFrom, found.copyOriginHost),
    comments: found.comments,
    body,
    images: imageMap(found.images),
    // the platform's ready videos the body shows: a transaction more, only for a body with video blocks
    videos: await videoMeta(db, videoIdsOf(body)),
  };
}

import { isUuid, videosByIds, videosOfStories, type StoryVideo } from '@yiduan/core';
import { withPlatform, type DB } from '@yiduan/db';

/** What a page needs to draw a video player: its frame size (no layout shift), length and captions. */
export interface VideoMeta {
  id: string;
  title: string;
  width: number;
  height: number;
  durationMs: number;
  captions: boolean;
  uploadedAt: Date;
}

export type VideoMap = ReadonlyMap<string, VideoMeta>;

/**
 * The ready videos among ids, in one query. Platform scope (row-level security hides a tenant's
 * unshared videos from the public); callers pass only ids taken from a story live on the face.
 */
export async function videoMeta(db: DB, ids: readonly string[]): Promise<VideoMap> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return new Map();
  const rows = await withPlatform(db, (trx) => videosByIds(trx, valid));
  return new Map(
    rows
      .filter((v) => v.status === 'ready' && v.hls_prefix)
      .map((v) => [
        v.id,
        {
          id: v.id,
          title: v.title,
          width: v.source_width,
          height: v.source_height,
          durationMs: v.duration_ms,
          captions: v.captions_vtt !== null,
          uploadedAt: v.created_at,
        },
      ]),
  );
}

/** Ready videos of published stories, by story (platform scope, ids from the face's public lists). */
export async function storyVideos(db: DB, storyIds: readonly string[]): Promise<Map<string, StoryVideo[]>> {
  const map = new Map<string, StoryVideo[]>();
  if (storyIds.length === 0) return map;
  for (const v of await withPlatform(db, (trx) => videosOfStories(trx, storyIds))) {
    const list = map.get(v.storyId) ?? [];
    list.push(v);
    map.set(v.storyId, list);
  }
  return map;
}

/** ISO 8601 duration, as schema.org and feeds want it. */
export const isoDuration = (ms: number): string => `PT${Math.max(1, Math.round(ms / 1000))}S`;

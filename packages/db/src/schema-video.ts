import type { ColumnType, Generated, Selectable } from 'kysely';

/** Video tables (migration 2026_12_07_1610_videos). Kept by hand next to the migration. */

type MaybeTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type MaybeText = ColumnType<string | null, string | null | undefined, string | null>;
/** bigint columns come back from pg as strings */
type Big = ColumnType<string, number | string, number | string>;
type MaybeBig = ColumnType<string | null, number | string | null | undefined, number | string | null>;

export type VideoStatus = 'queued' | 'processing' | 'ready' | 'failed';

/** One published rendition of a video (videos.renditions). */
export interface VideoRendition {
  name: string;
  width: number;
  height: number;
  bandwidth: number;
}

export interface VideosTable {
  tenant_id: string;
  id: Generated<string>;
  status: ColumnType<VideoStatus, VideoStatus | undefined, VideoStatus>;
  title: ColumnType<string, string | undefined, string>;
  original_name: ColumnType<string, string | undefined, string>;
  source_key: string;
  source_bytes: Big;
  source_width: number;
  source_height: number;
  duration_ms: number;
  has_audio: ColumnType<boolean, boolean | undefined, boolean>;
  progress: ColumnType<number, number | undefined, number>;
  attempts: ColumnType<number, number | undefined, number>;
  run_id: MaybeText;
  lease_until: MaybeTime;
  error: MaybeText;
  hls_prefix: MaybeText;
  renditions: ColumnType<VideoRendition[], string | undefined, string>;
  bytes: MaybeBig;
  captions_vtt: MaybeText;
  shared: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  ready_at: MaybeTime;
}

export interface VideoLimitsTable {
  tenant_id: string;
  max_bytes: Big;
  max_seconds: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

declare module './schema.js' {
  interface Database {
    videos: VideosTable;
    video_limits: VideoLimitsTable;
  }
}

export type VideoRow = Selectable<VideosTable>;

import type { Placement, PlacementMode, PlacementStatus, SharePolicy, StoryKind } from '@yiduan/db';
import type { Block, StoryText } from '../newsroom/index.js';

export const SHARE_POLICIES: readonly SharePolicy[] = ['none', 'up', 'down', 'tree'];
/**
 * Faces a push places per worker transaction (config FAN_OUT_CHUNK). A province's whole tree
 * (175 faces) goes in one: each chunk is an outbox event followed by its `faces.changed` event, and
 * every extra pair delayed the last face by a queue hop; 174 placements are one INSERT. Larger
 * trees still go in steps, so a killed worker resumes from the last committed chunk.
 */
export const FAN_OUT_CHUNK = 250;

/**
 * A placement's state as every listing reports it: an active or pending placement
 * follows its origin story, so it reads `retracted` (撤稿, for good) or `unpublished`
 * (taken down at the origin, may come back); removed, declined and detached
 * placements keep their own status (the face's decision, or its own copy).
 */
export type PlacementState = PlacementStatus | 'retracted' | 'unpublished';
export type PlacementView = Omit<Placement, 'status'> & { status: PlacementState };

export interface PullInput {
  storyId: string;
  sectionId?: string | null;
  pinned?: boolean;
  localTitle?: string | null;
}

export type PushTargets =
  { kind: 'all' } | { kind: 'level'; level: 'city' | 'county' } | { kind: 'list'; tenantIds: string[] };

export interface PushInput {
  storyId: string;
  targets: PushTargets;
  /** mandatory: appears at once and only the origin can take it down; otherwise offered to the inbox */
  mandatory: boolean;
  /**
   * section slug on the receiving faces (e.g. 'zhengwu'); a face without it places the
   * story in its section named like the origin's, else in its default section (the
   * placements_fill trigger: a placement always has a section)
   */
  sectionSlug?: string | null;
}

export interface PlacementPatch {
  sectionId?: string | null;
  pinned?: boolean;
  position?: number;
  localTitle?: string | null;
}

export interface SyndicationRuleInput {
  kind: 'offer_down' | 'push_down' | 'take_up';
  sourceSectionId?: string | null;
  tag?: string | null;
  targetSectionSlug?: string | null;
  targetLevel?: 'city' | 'county' | null;
}

/**
 * What a face shows: its active placements joined with each story's current
 * published revision. By reference: a correction or retraction at the origin
 * shows on every face at once, with no copy to update.
 */
/** Every declared text of the story (STORY_TEXT_FIELDS), the title being the face's. */
export interface FaceStory extends StoryText {
  placementId: string;
  storyId: string;
  kind: StoryKind;
  mode: PlacementMode;
  mandatory: boolean;
  pinned: boolean;
  /** the face's own headline overrides the origin's */
  title: string;
  originalTitle: string;
  coverAssetId: string | null;
  tags: string[];
  linkUrl: string | null;
  sectionId: string;
  unitId: string | null;
  revision: number;
  /** the story's publication at its origin: what lists sort by (after pins) and what they show */
  publishedAt: Date;
  placedAt: Date;
  origin: { tenantId: string; slug: string; name: string; storyId: string };
  /** the story is the face's own (its own tenant, or a detached copy naming its origin) */
  own: boolean;
}

export interface FeedQuery {
  sectionId?: string | null;
  unitId?: string | null;
  tag?: string | null;
  limit?: number;
  offset?: number;
  pinnedFirst?: boolean;
}

export interface FaceStoryPage extends FaceStory {
  body: Block[];
  corrections: { note: string; createdAt: Date }[];
  /** for a detached copy: the story it was copied from */
  copiedFrom: { tenantId: string; slug: string; name: string; storyId: string } | null;
}

export type StoryOnFace =
  | { state: 'live'; story: FaceStoryPage }
  | {
      state: 'retracted';
      title: string | null;
      reason: string;
      retractedAt: Date;
      origin: { slug: string; name: string };
    }
  | { state: 'missing' };

/** An image a story page draws: its size (no layout shift) and stored description. */
export interface FaceImage {
  id: string;
  width: number;
  height: number;
  alt: string;
  mime: string;
}

/** An approved comment as a face shows it (the audience context's PublicComment). */
export interface FaceComment {
  id: string;
  parentId: string | null;
  authorName: string;
  body: string;
  official: boolean;
  createdAt: Date;
}

/** A story page's data (`storyPageOnFace`): the story and what its page draws besides. */
export type StoryPageOnFace =
  | {
      state: 'live';
      story: FaceStoryPage;
      /** the face's section the story is placed in */
      section: { slug: string; name: string } | null;
      /** primary domains of the origin and of a copy's origin; null: `<slug>.<base domain>` */
      originHost: string | null;
      copyOriginHost: string | null;
      comments: FaceComment[];
      images: FaceImage[];
    }
  | Exclude<StoryOnFace, { state: 'live' }>;

/** A face's own live story as a sitemap lists it (canonical URLs only). */
export interface SitemapStory {
  storyId: string;
  title: string;
  publishedAt: Date;
  updatedAt: Date;
}

export interface PoolFilter {
  tenantId?: string | null;
  sectionId?: string | null;
  from?: Date | null;
  to?: Date | null;
  query?: string | null;
  /** true: only already placed here; false: only not yet placed here */
  placed?: boolean | null;
  limit?: number;
  offset?: number;
}

export interface PoolStory {
  storyId: string;
  tenantId: string;
  tenantName: string;
  kind: StoryKind;
  title: string;
  summary: string;
  sectionName: string | null;
  publishedAt: Date;
  placed: boolean;
}

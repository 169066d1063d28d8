import type { ColumnType } from 'kysely';
import type { PlacementMode, StoryKind, StoryRevisionsTable } from './schema.js';

/** The face listing (migration 2026_12_07_1530_face_listings). Kept by hand next to the migration; written only by triggers. */

type ReadOnly<T> = ColumnType<T, never, never>;

/**
 * The revision's columns the listing copies under the same names: every column of
 * story_revisions but its keys, body and authorship, so a text field added to the revision
 * (STORY_TEXT_FIELDS) is typed here too; the migration that adds it adds the column to
 * face_listings (packages/core/test/face-listings.test.ts checks the declaration against the table).
 */
type CopiedRevision = {
  [
    K in Exclude<keyof StoryRevisionsTable, 'tenant_id' | 'story_id' | 'number' | 'body' | 'created_by' | 'created_at'>
  ]: ReadOnly<StoryRevisionsTable[K] extends ColumnType<infer S, infer _I, infer _U> ? S : StoryRevisionsTable[K]>;
};

export type FaceListingsTable = CopiedRevision & {
  /** the face */
  tenant_id: ReadOnly<string>;
  placement_id: ReadOnly<string>;
  story_id: ReadOnly<string>;
  origin_tenant_id: ReadOnly<string>;
  mode: ReadOnly<PlacementMode>;
  mandatory: ReadOnly<boolean>;
  pinned: ReadOnly<boolean>;
  position: ReadOnly<number>;
  section_id: ReadOnly<string>;
  local_title: ReadOnly<string | null>;
  placed_at: ReadOnly<Date>;
  /** the story's publication at its origin: the lists' order and the date they show */
  published_at: ReadOnly<Date>;
  kind: ReadOnly<StoryKind>;
  unit_id: ReadOnly<string | null>;
  /** a detached copy: the story it was copied from */
  copy_origin_tenant_id: ReadOnly<string | null>;
  copy_origin_story_id: ReadOnly<string | null>;
  revision: ReadOnly<number>;
  origin_slug: ReadOnly<string>;
  origin_name: ReadOnly<string>;
};

declare module './schema.js' {
  interface Database {
    face_listings: FaceListingsTable;
  }
}

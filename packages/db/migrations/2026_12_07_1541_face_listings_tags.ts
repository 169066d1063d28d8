import { sql, type Kysely } from 'kysely';

// A tag page (/t/<tag>) lists a face's stories carrying the tag. It filtered the face's feed
// index, reading every row of the face to find a rare tag (on a face of 428 stories 0.98 ms
// for a tag none carries; linear in the face's size, so a province face at 1,000,000 stories
// pays for all of them). A GIN index on the tags answers `tags @> ARRAY[tag]` directly: the
// planner ANDs it with the face's index for a common tag and reads it alone for a rare one
// (0.07 ms for the same query on the 10,000-story bench province).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX face_listings_tags ON face_listings USING gin (tags)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS face_listings_tags`.execute(db);
}

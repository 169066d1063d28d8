import { sql, type Kysely } from 'kysely';

// 引题 (kicker): the line above a Chinese headline, one more declared text of a revision
// (STORY_TEXT_FIELDS). Existing revisions have none. Search documents need no column of their
// own: the kicker is indexed with the summary's weight and re-indexed when a revision is published.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE story_revisions ADD COLUMN kicker text NOT NULL DEFAULT '' CHECK (char_length(kicker) <= 60)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE story_revisions DROP COLUMN kicker`.execute(db);
}

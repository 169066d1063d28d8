import { sql, type Kysely } from 'kysely';

// A story's state as the newsroom speaks of it, derived from the facts in one
// place: retracted (撤稿, for good) whatever the status column says, unpublished
// (was public, taken down, not back in review or scheduled), else the workflow
// status. A stored generated column: it can never disagree with the facts, every
// row read carries it, and filtering by it is one index scan.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE stories ADD COLUMN state text GENERATED ALWAYS AS (
      CASE
        WHEN retracted_at IS NOT NULL THEN 'retracted'
        WHEN first_published_at IS NOT NULL AND published_revision IS NULL AND status NOT IN ('in_review', 'scheduled') THEN 'unpublished'
        ELSE status
      END) STORED`.execute(db);
  await sql`CREATE INDEX stories_tenant_state ON stories (tenant_id, state, updated_at DESC, id DESC)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE stories DROP COLUMN IF EXISTS state`.execute(db);
}

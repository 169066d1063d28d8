import { sql, type Kysely } from 'kysely';

// What a face carries or was offered from others (facePlacements, the console's 转载 list) is
// read newest placement first: `tenant_id = $1 AND mode <> 'own' ORDER BY placed_at DESC, id DESC
// LIMIT n`. No index had that order, so every placement of the face was read and sorted: on the
// 1,000,000-story bench province a county face holds about 9,000, and the statement took 32 ms
// (the API and its hand-written baseline alike, 31-55 requests/s). This index is its range scan.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX placements_placed ON placements (tenant_id, placed_at DESC, id DESC) WHERE mode <> 'own'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS placements_placed`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Search stays bounded at scale (docs/search.md, "Bounded work"). search_face_matches
// returns every match of a face (a SECURITY DEFINER function is never inlined, so a
// LIMIT outside it does not stop it); these two stop early instead:
//   search_face_first   at most cap + 1 matches, in no order: counted, the caller reports
//                       "cap+" when there are more; else they are every match,
//   search_face_newest  the newest matches among the face's newest `scan` stories,
//                       walking placements_latest: its work is bounded by `scan`
//                       whatever the query (one character, a very common word).
// Their plans are pinned, as they are planned once for any cap: the matching documents
// (GIN index, fenced by OFFSET 0) or the face's newest placements (each document by
// primary key, fenced likewise) drive nested loops,
// so LIMIT stops the work; a hash or merge join would read every match first.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION search_face_first(face uuid, query tsquery, cap int)
    RETURNS TABLE (tenant_id uuid, story_id uuid, published_at timestamptz, local_title text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
      SELECT d.tenant_id, d.story_id, coalesce(s.published_at, d.published_at), p.local_title
        FROM (SELECT d.tenant_id, d.story_id, d.revision, d.published_at FROM story_search d
               WHERE d.faces @> ARRAY[face] AND d.tsv @@ query OFFSET 0) d
        JOIN placements p ON p.tenant_id = face AND p.origin_tenant_id = d.tenant_id AND p.story_id = d.story_id AND p.status = 'active'
        JOIN stories s ON s.tenant_id = d.tenant_id AND s.id = d.story_id AND s.published_revision = d.revision AND s.retracted_at IS NULL
       LIMIT cap + 1
    $$`.execute(db);
  await sql`
    CREATE FUNCTION search_face_newest(face uuid, query tsquery, want int, scan int)
    RETURNS TABLE (tenant_id uuid, story_id uuid, published_at timestamptz, local_title text)
    LANGUAGE sql STABLE SECURITY DEFINER ROWS 100 SET search_path = public
    SET enable_hashjoin = off SET enable_mergejoin = off AS $$
      SELECT d.tenant_id, d.story_id, coalesce(s.published_at, d.published_at), p.local_title
        FROM (SELECT p.origin_tenant_id, p.story_id, p.local_title, p.story_published_at, p.id FROM placements p
               WHERE p.tenant_id = face AND p.status = 'active'
               ORDER BY p.story_published_at DESC, p.id DESC LIMIT scan) p
        -- fenced: each placement's document by primary key, never the GIN index's whole match set
        CROSS JOIN LATERAL (SELECT d.tenant_id, d.story_id, d.revision, d.published_at FROM story_search d
                             WHERE d.tenant_id = p.origin_tenant_id AND d.story_id = p.story_id AND d.tsv @@ query OFFSET 0) d
        JOIN stories s ON s.tenant_id = d.tenant_id AND s.id = d.story_id AND s.published_revision = d.revision AND s.retracted_at IS NULL
       ORDER BY p.story_published_at DESC, p.id DESC
       LIMIT want
    $$`.execute(db);
  for (const fn of ['search_face_first(uuid, tsquery, int)', 'search_face_newest(uuid, tsquery, int, int)']) {
    await sql`REVOKE ALL ON FUNCTION ${sql.raw(fn)} FROM PUBLIC`.execute(db);
    await sql`GRANT EXECUTE ON FUNCTION ${sql.raw(fn)} TO yiduan_app`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS search_face_newest(uuid, tsquery, int, int)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS search_face_first(uuid, tsquery, int)`.execute(db);
}

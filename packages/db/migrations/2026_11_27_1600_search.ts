import { sql, type Kysely } from 'kysely';

// Search (docs/search.md): one document per public story (its published revision),
// written by the application on publish / unpublish / retract. The tsvector holds
// character bigrams computed in TypeScript: PostgreSQL's parsers do not segment
// Chinese, so the lexemes arrive ready-made and are cast, not parsed.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE story_search (
      -- the origin tenant (the story's owner); faces find it through their placements
      tenant_id uuid NOT NULL,
      story_id uuid NOT NULL,
      revision int NOT NULL,
      title text NOT NULL,
      summary text NOT NULL DEFAULT '',
      body_text text NOT NULL DEFAULT '',
      tsv tsvector NOT NULL,
      -- the faces with an active placement of the story, kept by the trigger below:
      -- the index then answers "this face's matches" without touching other faces' rows
      faces uuid[] NOT NULL DEFAULT '{}',
      published_at timestamptz NOT NULL,
      indexed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, story_id),
      FOREIGN KEY (tenant_id, story_id) REFERENCES stories(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX story_search_faces_tsv ON story_search USING gin (faces, tsv)`.execute(db);

  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON story_search TO yiduan_app`.execute(db);
  await sql`ALTER TABLE story_search ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY own_tenant ON story_search FOR ALL
    USING (app_is_platform() OR tenant_id = app_tenant())
    WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  // the public reads a document only while its revision is the story's live one:
  // a stale row (indexing not yet caught up with a retraction) is never exposed
  await sql`
    CREATE POLICY public_read ON story_search FOR SELECT USING (EXISTS (
      SELECT 1 FROM stories s WHERE s.tenant_id = story_search.tenant_id AND s.id = story_search.story_id
        AND s.published_revision = story_search.revision AND s.retracted_at IS NULL))`.execute(db);

  await sql`
    CREATE FUNCTION story_faces(origin uuid, story uuid) RETURNS uuid[] LANGUAGE sql STABLE SET search_path = public AS $$
      SELECT coalesce(array_agg(p.tenant_id ORDER BY p.tenant_id), '{}') FROM placements p
      WHERE p.origin_tenant_id = origin AND p.story_id = story AND p.status = 'active'
    $$`.execute(db);
  // SECURITY DEFINER: a face placing a story updates the origin's document, which
  // row-level security would not let it write. One update per story and statement.
  await sql`
    CREATE FUNCTION placements_refresh_search_faces() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        UPDATE story_search d SET faces = story_faces(d.tenant_id, d.story_id)
         WHERE (d.tenant_id, d.story_id) IN (SELECT origin_tenant_id, story_id FROM new_rows)
           AND d.faces IS DISTINCT FROM story_faces(d.tenant_id, d.story_id);
      ELSIF TG_OP = 'UPDATE' THEN
        UPDATE story_search d SET faces = story_faces(d.tenant_id, d.story_id)
         WHERE (d.tenant_id, d.story_id) IN (SELECT origin_tenant_id, story_id FROM new_rows UNION SELECT origin_tenant_id, story_id FROM old_rows)
           AND d.faces IS DISTINCT FROM story_faces(d.tenant_id, d.story_id);
      ELSE
        UPDATE story_search d SET faces = story_faces(d.tenant_id, d.story_id)
         WHERE (d.tenant_id, d.story_id) IN (SELECT origin_tenant_id, story_id FROM old_rows)
           AND d.faces IS DISTINCT FROM story_faces(d.tenant_id, d.story_id);
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER placements_search_faces_insert AFTER INSERT ON placements
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION placements_refresh_search_faces()`.execute(
    db,
  );
  await sql`
    CREATE TRIGGER placements_search_faces_update AFTER UPDATE ON placements
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION placements_refresh_search_faces()`.execute(
    db,
  );
  await sql`
    CREATE TRIGGER placements_search_faces_delete AFTER DELETE ON placements
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION placements_refresh_search_faces()`.execute(
    db,
  );

  // A face's live matches. SECURITY DEFINER because under row-level security
  // PostgreSQL never uses an index for a non-leakproof operator such as @@ (the
  // policy must run first), which turns every search into a scan of every
  // document. It returns only what the public may see: live stories actively
  // placed on that face. Sequential scans are off inside it: the planner does not
  // charge for reading the out-of-line tsvectors, so for a common term it would
  // pick a scan that reads every document of every face.
  await sql`
    CREATE FUNCTION search_face_matches(face uuid, query tsquery)
    RETURNS TABLE (tenant_id uuid, story_id uuid, published_at timestamptz, local_title text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public SET enable_seqscan = off AS $$
      SELECT d.tenant_id, d.story_id, coalesce(s.published_at, d.published_at), p.local_title
        FROM story_search d
        JOIN placements p ON p.tenant_id = face AND p.origin_tenant_id = d.tenant_id AND p.story_id = d.story_id AND p.status = 'active'
        JOIN stories s ON s.tenant_id = d.tenant_id AND s.id = d.story_id AND s.published_revision = d.revision AND s.retracted_at IS NULL
       WHERE d.faces @> ARRAY[face] AND d.tsv @@ query
    $$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION search_face_matches(uuid, tsquery) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION search_face_matches(uuid, tsquery) TO yiduan_app`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS search_face_matches(uuid, tsquery)`.execute(db);
  await sql`DROP TRIGGER IF EXISTS placements_search_faces_insert ON placements`.execute(db);
  await sql`DROP TRIGGER IF EXISTS placements_search_faces_update ON placements`.execute(db);
  await sql`DROP TRIGGER IF EXISTS placements_search_faces_delete ON placements`.execute(db);
  await sql`DROP FUNCTION IF EXISTS placements_refresh_search_faces()`.execute(db);
  await sql`DROP TABLE IF EXISTS story_search CASCADE`.execute(db);
  await sql`DROP FUNCTION IF EXISTS story_faces(uuid, uuid)`.execute(db);
}

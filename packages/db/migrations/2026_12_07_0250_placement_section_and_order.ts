import { sql, type Kysely } from 'kysely';

// Every placement has a section, and faces order by the story's own publication.
//
// Section: the one chosen, else the face's section named like the origin's section
// (same slug, else same name), else the face's default section (face_default_section:
// the first section of the face's navigation, else its first section by position).
// A face without any section gets 综合 (zonghe). A trigger fills the section whenever
// a placement is written without one (push, pull, rules, detach, the generator, a
// section deleted under it), so no path can leave a story outside every section page.
//
// Order: pinned first, then the story's publication time at the origin
// (stories.published_at), copied onto each placement as story_published_at so that a
// face's list stays one index scan. Triggers keep the copy current in the same
// transaction as the story's change. SECURITY DEFINER: an origin's transaction may
// not write other faces' placements under row-level security.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION face_default_section(face uuid) RETURNS uuid LANGUAGE sql STABLE SET search_path = public AS $$
      SELECT coalesce(
        (SELECT x.id FROM faces f
           CROSS JOIN LATERAL jsonb_array_elements(f.navigation) WITH ORDINALITY AS n(item, i)
           JOIN sections x ON x.tenant_id = f.tenant_id AND x.slug = n.item->>'section'
          WHERE f.tenant_id = face AND n.item->>'kind' = 'section'
          ORDER BY n.i LIMIT 1),
        (SELECT x.id FROM sections x WHERE x.tenant_id = face ORDER BY x.position, x.slug LIMIT 1))
    $$`.execute(db);
  await sql`
    CREATE FUNCTION placement_default_section(face uuid, origin uuid, story uuid) RETURNS uuid LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    DECLARE found uuid;
    BEGIN
      SELECT x.id INTO found FROM stories s
        JOIN sections os ON os.tenant_id = s.tenant_id AND os.id = s.section_id
        JOIN sections x ON x.tenant_id = face AND (x.slug = os.slug OR x.name = os.name)
       WHERE s.tenant_id = origin AND s.id = story
       ORDER BY (x.slug = os.slug) DESC, x.position, x.slug LIMIT 1;
      found := coalesce(found, face_default_section(face));
      IF found IS NULL THEN
        INSERT INTO sections (tenant_id, slug, name, position) VALUES (face, 'zonghe', '综合', 0)
          ON CONFLICT (tenant_id, slug) DO NOTHING;
        SELECT x.id INTO found FROM sections x WHERE x.tenant_id = face AND x.slug = 'zonghe';
      END IF;
      RETURN found;
    END $$`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION face_default_section(uuid) TO yiduan_app`.execute(db);
  // it may create a section on any face: only the owner's trigger calls it, never the application
  await sql`REVOKE EXECUTE ON FUNCTION placement_default_section(uuid, uuid, uuid) FROM PUBLIC`.execute(db);

  // the story's publication time on each placement
  await sql`ALTER TABLE placements ADD COLUMN story_published_at timestamptz`.execute(db);
  await sql`
    UPDATE placements p SET story_published_at = coalesce(s.published_at, s.first_published_at, p.placed_at)
      FROM stories s WHERE s.tenant_id = p.origin_tenant_id AND s.id = p.story_id`.execute(db);
  await sql`UPDATE placements SET story_published_at = placed_at WHERE story_published_at IS NULL`.execute(db);
  await sql`ALTER TABLE placements ALTER COLUMN story_published_at SET NOT NULL`.execute(db);
  await sql`UPDATE placements SET section_id = placement_default_section(tenant_id, origin_tenant_id, story_id) WHERE section_id IS NULL`.execute(
    db,
  );
  await sql`ALTER TABLE placements ALTER COLUMN section_id SET NOT NULL`.execute(db);

  await sql`
    CREATE FUNCTION placements_fill() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      IF NEW.section_id IS NULL THEN
        NEW.section_id := placement_default_section(NEW.tenant_id, NEW.origin_tenant_id, NEW.story_id);
      END IF;
      IF NEW.story_published_at IS NULL THEN
        SELECT coalesce(s.published_at, s.first_published_at) INTO NEW.story_published_at
          FROM stories s WHERE s.tenant_id = NEW.origin_tenant_id AND s.id = NEW.story_id;
        NEW.story_published_at := coalesce(NEW.story_published_at, NEW.placed_at, now());
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER placements_fill BEFORE INSERT OR UPDATE OF section_id, story_published_at ON placements FOR EACH ROW EXECUTE FUNCTION placements_fill()`.execute(
    db,
  );
  await sql`
    CREATE FUNCTION stories_placements_time() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      UPDATE placements SET story_published_at = NEW.published_at
       WHERE story_id = NEW.id AND origin_tenant_id = NEW.tenant_id AND story_published_at IS DISTINCT FROM NEW.published_at;
      RETURN NULL;
    END $$`.execute(db);
  // unpublishing clears published_at: the placements keep the last time (they leave the feeds anyway)
  await sql`
    CREATE TRIGGER stories_placements_time AFTER UPDATE OF published_at ON stories FOR EACH ROW
    WHEN (NEW.published_at IS NOT NULL AND NEW.published_at IS DISTINCT FROM OLD.published_at)
    EXECUTE FUNCTION stories_placements_time()`.execute(db);

  // the feeds' orders: pins first (home, sections), or time alone ("latest")
  await sql`DROP INDEX IF EXISTS placements_feed`.execute(db);
  await sql`DROP INDEX IF EXISTS placements_latest`.execute(db);
  await sql`DROP INDEX IF EXISTS placements_section_feed`.execute(db);
  await sql`CREATE INDEX placements_feed ON placements (tenant_id, pinned DESC, story_published_at DESC, id DESC) WHERE status = 'active'`.execute(
    db,
  );
  await sql`CREATE INDEX placements_latest ON placements (tenant_id, story_published_at DESC, id DESC) WHERE status = 'active'`.execute(
    db,
  );
  await sql`CREATE INDEX placements_section_feed ON placements (tenant_id, section_id, pinned DESC, story_published_at DESC, id DESC) WHERE status = 'active'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS stories_placements_time ON stories`.execute(db);
  await sql`DROP TRIGGER IF EXISTS placements_fill ON placements`.execute(db);
  await sql`DROP FUNCTION IF EXISTS stories_placements_time()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS placements_fill()`.execute(db);
  await sql`DROP INDEX IF EXISTS placements_feed`.execute(db);
  await sql`DROP INDEX IF EXISTS placements_latest`.execute(db);
  await sql`DROP INDEX IF EXISTS placements_section_feed`.execute(db);
  await sql`ALTER TABLE placements DROP COLUMN IF EXISTS story_published_at`.execute(db);
  await sql`ALTER TABLE placements ALTER COLUMN section_id DROP NOT NULL`.execute(db);
  await sql`DROP FUNCTION IF EXISTS placement_default_section(uuid, uuid, uuid)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS face_default_section(uuid)`.execute(db);
  await sql`CREATE INDEX placements_feed ON placements (tenant_id, pinned DESC, placed_at DESC, id DESC) WHERE status = 'active'`.execute(
    db,
  );
  await sql`CREATE INDEX placements_latest ON placements (tenant_id, placed_at DESC, id DESC) WHERE status = 'active'`.execute(
    db,
  );
  await sql`CREATE INDEX placements_section_feed ON placements (tenant_id, section_id, pinned DESC, placed_at DESC, id DESC) WHERE status = 'active'`.execute(
    db,
  );
}

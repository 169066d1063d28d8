import { sql, type Kysely } from 'kysely';

/**
 * A placement keeps its story's last published headline. After 撤稿 (or 撤下) the origin's row is
 * no longer visible to the faces that carried it, yet their editors must still see WHICH story
 * left their face in 本门户转载. Kept current by triggers in the same transaction as a publish.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE placements ADD COLUMN story_title text`.execute(db);
  await sql`
    UPDATE placements p SET story_title = r.title
      FROM stories s JOIN story_revisions r
        ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = coalesce(s.published_revision, s.current_revision)
     WHERE s.tenant_id = p.origin_tenant_id AND s.id = p.story_id`.execute(db);
  await sql`
    CREATE FUNCTION published_title(origin uuid, story uuid) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT r.title FROM stories s JOIN story_revisions r
          ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = coalesce(s.published_revision, s.current_revision)
       WHERE s.tenant_id = origin AND s.id = story
    $$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION published_title(uuid, uuid) FROM PUBLIC`.execute(db);
  await sql`
    CREATE FUNCTION placements_title() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      IF NEW.story_title IS NULL THEN NEW.story_title := published_title(NEW.origin_tenant_id, NEW.story_id); END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER placements_title BEFORE INSERT ON placements FOR EACH ROW EXECUTE FUNCTION placements_title()`.execute(
    db,
  );
  await sql`
    CREATE FUNCTION stories_placements_title() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    DECLARE headline text := published_title(NEW.tenant_id, NEW.id);
    BEGIN
      UPDATE placements SET story_title = headline
       WHERE story_id = NEW.id AND origin_tenant_id = NEW.tenant_id AND story_title IS DISTINCT FROM headline;
      RETURN NULL;
    END $$`.execute(db);
  // a new published revision (publish, republish after an edit); taking it down keeps the last one
  await sql`
    CREATE TRIGGER stories_placements_title AFTER UPDATE OF published_revision ON stories FOR EACH ROW
    WHEN (NEW.published_revision IS NOT NULL AND NEW.published_revision IS DISTINCT FROM OLD.published_revision)
    EXECUTE FUNCTION stories_placements_title()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS stories_placements_title ON stories`.execute(db);
  await sql`DROP TRIGGER IF EXISTS placements_title ON placements`.execute(db);
  await sql`DROP FUNCTION IF EXISTS stories_placements_title()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS placements_title()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS published_title(uuid, uuid)`.execute(db);
  await sql`ALTER TABLE placements DROP COLUMN IF EXISTS story_title`.execute(db);
}

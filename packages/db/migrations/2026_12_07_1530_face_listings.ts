import { sql, type Kysely } from 'kysely';

// The face listing (read model): one denormalised row per story a face shows, i.e. per active
// placement whose story has a published revision and is not retracted. A face's lists (home
// blocks, section, unit and tag pages, RSS) and its story page read this table alone.
//
// Kept current by triggers in the same transaction as every change (SECURITY DEFINER: an
// origin's transaction may not write other faces' rows under row-level security):
//   placements  insert (statement, transition table), update of what a face decides
//               (status, pin, position, section, headline, mode), delete (foreign key cascade)
//   stories     a new published revision, publication time, unpublish, retraction, unit, kind, copy origin
//   story_revisions  an update of the published revision in place
//   tenants     the origin's slug or name
// The rows are computed by face_listings_refresh(placement ids): delete, then insert from the
// join the faces used to read (placements + stories + story_revisions + tenants).
//
// The story's text fields follow the declaration (STORY_TEXT_FIELDS): face_listings_compile()
// writes face_listings_refresh from the catalog, copying every face_listings column that
// story_revisions has under the same name. A migration adding a text field adds the column to
// both tables and calls `SELECT face_listings_compile(); SELECT face_listings_rebuild();`.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE face_listings (
      tenant_id uuid NOT NULL,
      placement_id uuid NOT NULL,
      story_id uuid NOT NULL,
      origin_tenant_id uuid NOT NULL,
      mode text NOT NULL,
      mandatory boolean NOT NULL,
      pinned boolean NOT NULL,
      position int NOT NULL,
      section_id uuid NOT NULL,
      local_title text,
      placed_at timestamptz NOT NULL,
      -- the story's publication at its origin (placements.story_published_at): the lists' order
      published_at timestamptz NOT NULL,
      kind text NOT NULL,
      unit_id uuid,
      copy_origin_tenant_id uuid,
      copy_origin_story_id uuid,
      revision int NOT NULL,
      -- the declared texts (STORY_TEXT_FIELDS), named as in story_revisions
      kicker text NOT NULL DEFAULT '',
      title text NOT NULL,
      subtitle text NOT NULL DEFAULT '',
      summary text NOT NULL DEFAULT '',
      author_line text NOT NULL DEFAULT '',
      cover_asset_id uuid,
      tags text[] NOT NULL DEFAULT '{}',
      link_url text,
      origin_slug text NOT NULL,
      origin_name text NOT NULL,
      PRIMARY KEY (tenant_id, story_id),
      UNIQUE (placement_id),
      FOREIGN KEY (tenant_id, placement_id) REFERENCES placements(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  // the lists' orders: pins first (home, sections, units, tags), or time alone ("latest", RSS)
  await sql`CREATE INDEX face_listings_feed ON face_listings (tenant_id, pinned DESC, published_at DESC, placement_id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX face_listings_latest ON face_listings (tenant_id, published_at DESC, placement_id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX face_listings_section ON face_listings (tenant_id, section_id, pinned DESC, published_at DESC, placement_id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX face_listings_unit ON face_listings (tenant_id, unit_id, pinned DESC, published_at DESC, placement_id DESC) WHERE unit_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX face_listings_origin ON face_listings (origin_tenant_id)`.execute(db);

  // Read-only for the application; only the definer functions below write it. A face's tenant
  // reads its rows (console, API); the public scope (the portal renders every face's website
  // under it) reads all rows, which are exactly what the faces publish. Another tenant's scope
  // reads none.
  await sql`GRANT SELECT ON face_listings TO yiduan_app`.execute(db);
  await sql`ALTER TABLE face_listings ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`CREATE POLICY own_read ON face_listings FOR SELECT USING (app_is_platform() OR tenant_id = app_tenant())`.execute(
    db,
  );
  await sql`CREATE POLICY public_read ON face_listings FOR SELECT USING (app_tenant() IS NULL)`.execute(db);

  // Writes face_listings_refresh(uuid[]) from the catalog (see above).
  await sql`
    CREATE FUNCTION face_listings_compile() RETURNS void LANGUAGE plpgsql SET search_path = public AS $c$
    DECLARE texts text[];
    BEGIN
      SELECT array_agg(quote_ident(l.attname::text) ORDER BY l.attnum) INTO texts
        FROM pg_attribute l JOIN pg_attribute r ON r.attrelid = 'story_revisions'::regclass AND r.attname = l.attname AND NOT r.attisdropped
       WHERE l.attrelid = 'face_listings'::regclass AND l.attnum > 0 AND NOT l.attisdropped
         AND l.attname NOT IN ('tenant_id', 'story_id');
      EXECUTE format($f$
        CREATE OR REPLACE FUNCTION face_listings_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $r$
        BEGIN
          DELETE FROM face_listings WHERE placement_id = ANY(ids);
          INSERT INTO face_listings (tenant_id, placement_id, story_id, origin_tenant_id, mode, mandatory, pinned, position,
                 section_id, local_title, placed_at, published_at, kind, unit_id, copy_origin_tenant_id, copy_origin_story_id,
                 revision, origin_slug, origin_name, %s)
          SELECT p.tenant_id, p.id, p.story_id, p.origin_tenant_id, p.mode, p.mandatory, p.pinned, p.position,
                 p.section_id, p.local_title, p.placed_at, p.story_published_at, s.kind, s.unit_id, s.origin_tenant_id, s.origin_story_id,
                 r.number, o.slug, o.name, %s
            FROM placements p
            JOIN stories s ON s.tenant_id = p.origin_tenant_id AND s.id = p.story_id
            JOIN story_revisions r ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.published_revision
            JOIN tenants o ON o.id = s.tenant_id
           WHERE p.id = ANY(ids) AND p.status = 'active' AND s.retracted_at IS NULL;
        END $r$$f$,
        array_to_string(texts, ', '),
        (SELECT string_agg('r.' || t, ', ') FROM unnest(texts) AS t));
      REVOKE ALL ON FUNCTION face_listings_refresh(uuid[]) FROM PUBLIC;
    END $c$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION face_listings_compile() FROM PUBLIC`.execute(db);
  await sql`SELECT face_listings_compile()`.execute(db);

  // every row again from the placements (the backfill; after a bulk load without triggers)
  await sql`
    CREATE FUNCTION face_listings_rebuild() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      DELETE FROM face_listings;
      PERFORM face_listings_refresh(array_agg(id)) FROM placements WHERE status = 'active';
      RETURN (SELECT count(*) FROM face_listings);
    END $$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION face_listings_rebuild() FROM PUBLIC`.execute(db);

  await sql`
    CREATE FUNCTION face_listings_refresh_story(origin uuid, story uuid) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
      SELECT face_listings_refresh(array(SELECT id FROM placements WHERE story_id = story AND origin_tenant_id = origin))
    $$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION face_listings_refresh_story(uuid, uuid) FROM PUBLIC`.execute(db);

  // One writer of a story's listing rows at a time, always story first, then placement: every
  // placement write first takes a share lock on its story (BEFORE the placement row is locked).
  // A change at the origin holds the story's row lock, so a face's concurrent pin, accept or pull
  // waits for it and then refreshes from the committed story (each statement of the refresh
  // takes a fresh snapshot under READ COMMITTED), and the origin's refresh never overwrites a
  // face's uncommitted change with what it read before. The order (story, then placements) is the
  // one the origin's own triggers take, so the two cannot deadlock on one story.
  await sql`
    CREATE FUNCTION placements_lock_story() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      PERFORM 1 FROM stories WHERE tenant_id = NEW.origin_tenant_id AND id = NEW.story_id FOR SHARE;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER placements_lock_story BEFORE INSERT OR UPDATE ON placements FOR EACH ROW EXECUTE FUNCTION placements_lock_story()`.execute(
    db,
  );

  // placements: inserted (push fan-out, pull, rules, accept, detach's own copy) and changed by a face
  await sql`
    CREATE FUNCTION placements_listing_inserted() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      PERFORM face_listings_refresh(array(SELECT id FROM changed));
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER placements_listing_inserted AFTER INSERT ON placements
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION placements_listing_inserted()`.execute(db);
  await sql`
    CREATE FUNCTION placements_listing_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      PERFORM face_listings_refresh(ARRAY[NEW.id]);
      RETURN NULL;
    END $$`.execute(db);
  // story_published_at is left out: stories_sync_face_listings refreshes every placement of the story
  await sql`
    CREATE TRIGGER placements_listing_changed AFTER UPDATE ON placements FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.pinned IS DISTINCT FROM NEW.pinned
       OR OLD.position IS DISTINCT FROM NEW.position OR OLD.section_id IS DISTINCT FROM NEW.section_id
       OR OLD.local_title IS DISTINCT FROM NEW.local_title OR OLD.mode IS DISTINCT FROM NEW.mode
       OR OLD.mandatory IS DISTINCT FROM NEW.mandatory OR OLD.placed_at IS DISTINCT FROM NEW.placed_at
       OR OLD.story_id IS DISTINCT FROM NEW.story_id OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
    EXECUTE FUNCTION placements_listing_changed()`.execute(db);

  // stories: named to fire after stories_placements_time / _title (AFTER triggers run by name),
  // so that it reads the placements' new story_published_at
  await sql`
    CREATE FUNCTION stories_sync_face_listings() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      PERFORM face_listings_refresh_story(NEW.tenant_id, NEW.id);
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER stories_sync_face_listings AFTER UPDATE ON stories FOR EACH ROW
    WHEN (OLD.published_revision IS DISTINCT FROM NEW.published_revision OR OLD.published_at IS DISTINCT FROM NEW.published_at
       OR OLD.retracted_at IS DISTINCT FROM NEW.retracted_at OR OLD.unit_id IS DISTINCT FROM NEW.unit_id
       OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.origin_tenant_id IS DISTINCT FROM NEW.origin_tenant_id
       OR OLD.origin_story_id IS DISTINCT FROM NEW.origin_story_id)
    EXECUTE FUNCTION stories_sync_face_listings()`.execute(db);

  // a published revision changed in place (not a path the newsroom takes today; kept right anyway)
  await sql`
    CREATE FUNCTION story_revisions_sync_face_listings() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM stories s WHERE s.tenant_id = NEW.tenant_id AND s.id = NEW.story_id AND s.published_revision = NEW.number FOR SHARE) THEN
        PERFORM face_listings_refresh_story(NEW.tenant_id, NEW.story_id);
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER story_revisions_sync_face_listings AFTER UPDATE ON story_revisions FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION story_revisions_sync_face_listings()`.execute(db);

  // the origin's name and slug as every face shows them
  await sql`
    CREATE FUNCTION tenants_sync_face_listings() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      UPDATE face_listings SET origin_slug = NEW.slug, origin_name = NEW.name WHERE origin_tenant_id = NEW.id;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER tenants_sync_face_listings AFTER UPDATE OF slug, name ON tenants FOR EACH ROW
    WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION tenants_sync_face_listings()`.execute(db);

  for (const f of [
    'placements_lock_story()',
    'placements_listing_inserted()',
    'placements_listing_changed()',
    'stories_sync_face_listings()',
    'story_revisions_sync_face_listings()',
    'tenants_sync_face_listings()',
  ]) {
    await sql`REVOKE ALL ON FUNCTION ${sql.raw(f)} FROM PUBLIC`.execute(db);
  }

  await sql`SELECT face_listings_rebuild()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS tenants_sync_face_listings ON tenants`.execute(db);
  await sql`DROP TRIGGER IF EXISTS story_revisions_sync_face_listings ON story_revisions`.execute(db);
  await sql`DROP TRIGGER IF EXISTS stories_sync_face_listings ON stories`.execute(db);
  await sql`DROP TRIGGER IF EXISTS placements_listing_changed ON placements`.execute(db);
  await sql`DROP TRIGGER IF EXISTS placements_listing_inserted ON placements`.execute(db);
  await sql`DROP TRIGGER IF EXISTS placements_lock_story ON placements`.execute(db);
  for (const f of [
    'tenants_sync_face_listings()',
    'story_revisions_sync_face_listings()',
    'stories_sync_face_listings()',
    'placements_listing_changed()',
    'placements_listing_inserted()',
    'placements_lock_story()',
    'face_listings_refresh_story(uuid, uuid)',
    'face_listings_rebuild()',
    'face_listings_refresh(uuid[])',
    'face_listings_compile()',
  ]) {
    await sql`DROP FUNCTION IF EXISTS ${sql.raw(f)}`.execute(db);
  }
  await sql`DROP TABLE IF EXISTS face_listings`.execute(db);
}

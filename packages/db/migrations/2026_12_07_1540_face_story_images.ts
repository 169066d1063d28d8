import { sql, type Kysely } from 'kysely';

// The images a face's pages draw, readable in the public scope so that a page is one
// transaction: face_story_images (a story page: cover, image blocks, video posters) and
// face_cover_images (a list page: the covers of the stories it lists). Row-level security hides a tenant's
// unshared assets from the public even when a published story shows them; this function answers
// only for a story live on the face (its face_listings row) and only the sizes and descriptions of
// the assets its published revision names, nothing else of the asset (SECURITY DEFINER, like
// the listing's own triggers). Before it, the portal read the sizes in a platform-scope
// transaction of its own: three more round trips per uncached page. face_cover_images answers
// an asset only while it is the cover of a story live on that face.
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION face_story_images(face uuid, story uuid)
      RETURNS TABLE (id uuid, width integer, height integer, alt text, mime text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT a.id, a.width, a.height, a.alt, a.mime
        FROM face_listings l
        JOIN story_revisions r ON r.tenant_id = l.origin_tenant_id AND r.story_id = l.story_id AND r.number = l.revision
        CROSS JOIN LATERAL (
          SELECT r.cover_asset_id AS asset_id
          UNION
          SELECT (CASE b->>'type' WHEN 'image' THEN b->>'assetId' ELSE b->>'posterAssetId' END)::uuid
            FROM jsonb_array_elements(CASE jsonb_typeof(r.body) WHEN 'array' THEN r.body ELSE '[]'::jsonb END) b
           WHERE (b->>'type' = 'image' AND b->>'assetId' ~ ${sql.lit(UUID)})
              OR (b->>'type' = 'video' AND b->>'posterAssetId' ~ ${sql.lit(UUID)})
        ) x
        JOIN assets a ON a.id = x.asset_id
       WHERE l.tenant_id = face AND l.story_id = story
    $$`.execute(db);
  await sql`CREATE INDEX face_listings_cover ON face_listings (cover_asset_id) WHERE cover_asset_id IS NOT NULL`.execute(
    db,
  );
  await sql`
    CREATE FUNCTION face_cover_images(face uuid, ids uuid[])
      RETURNS TABLE (id uuid, width integer, height integer, alt text, mime text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT a.id, a.width, a.height, a.alt, a.mime
        FROM assets a
       WHERE a.id = ANY(ids)
         AND EXISTS (SELECT 1 FROM face_listings l WHERE l.cover_asset_id = a.id AND l.tenant_id = face)
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS face_cover_images(uuid, uuid[])`.execute(db);
  await sql`DROP INDEX IF EXISTS face_listings_cover`.execute(db);
  await sql`DROP FUNCTION IF EXISTS face_story_images(uuid, uuid)`.execute(db);
}

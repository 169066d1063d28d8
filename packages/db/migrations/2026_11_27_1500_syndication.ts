import { sql, type Kysely } from 'kysely';

// Syndication by reference: a placement puts one story on one face. The origin's
// own publication is a placement too, so a face's feed is one query over placements.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE stories
      ADD COLUMN share_policy text NOT NULL DEFAULT 'up' CHECK (share_policy IN ('none', 'up', 'down', 'tree')),
      -- a detached copy remembers what it was copied from, for attribution
      ADD COLUMN origin_tenant_id uuid REFERENCES tenants(id),
      ADD COLUMN origin_story_id uuid`.execute(db);

  await sql`
    CREATE TABLE placements (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      story_id uuid NOT NULL,
      origin_tenant_id uuid NOT NULL,
      mode text NOT NULL CHECK (mode IN ('own', 'pulled', 'pushed', 'offered', 'rule')),
      mandatory boolean NOT NULL DEFAULT false,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pending', 'declined', 'removed', 'detached')),
      section_id uuid,
      pinned boolean NOT NULL DEFAULT false,
      position int NOT NULL DEFAULT 0,
      local_title text CHECK (local_title IS NULL OR char_length(local_title) BETWEEN 1 AND 120),
      decline_reason text,
      detached_story_id uuid,
      placed_by text,
      job_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- when it entered this face: orders the feed
      placed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, story_id),
      FOREIGN KEY (origin_tenant_id, story_id) REFERENCES stories(tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, section_id) REFERENCES sections(tenant_id, id) ON DELETE SET NULL (section_id)
    )`.execute(db);
  await sql`CREATE INDEX placements_feed ON placements (tenant_id, pinned DESC, placed_at DESC, id DESC) WHERE status = 'active'`.execute(
    db,
  );
  // "latest" lists ignore pins; section lists put pins first: each order has its own index
  // (measured in test/bench/syndication.bench.ts: 1,198 ms → 5.5 ms for the province at 1M placements)
  await sql`CREATE INDEX placements_latest ON placements (tenant_id, placed_at DESC, id DESC) WHERE status = 'active'`.execute(
    db,
  );
  await sql`CREATE INDEX placements_section_feed ON placements (tenant_id, section_id, pinned DESC, placed_at DESC, id DESC) WHERE status = 'active'`.execute(
    db,
  );
  await sql`CREATE INDEX placements_story ON placements (story_id)`.execute(db);
  await sql`CREATE INDEX placements_inbox ON placements (tenant_id, created_at DESC) WHERE status = 'pending'`.execute(
    db,
  );

  // Push jobs: a fan-out to many faces, carried out by the worker, with progress.
  await sql`
    CREATE TABLE syndication_jobs (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      story_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('push', 'withdraw')),
      mandatory boolean NOT NULL DEFAULT false,
      targets uuid[] NOT NULL,
      section_slug text,
      total int NOT NULL,
      done int NOT NULL DEFAULT 0,
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished', 'failed')),
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);

  // Standing rules, run when a story is published.
  await sql`
    CREATE TABLE syndication_rules (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      kind text NOT NULL CHECK (kind IN ('offer_down', 'push_down', 'take_up')),
      -- offer_down / push_down: stories of this own section go to descendants
      source_section_id uuid,
      -- take_up: stories with this tag from descendants come into target_section_id
      tag text,
      target_section_slug text,
      target_level text CHECK (target_level IS NULL OR target_level IN ('city', 'county')),
      enabled boolean NOT NULL DEFAULT true,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, source_section_id) REFERENCES sections(tenant_id, id) ON DELETE CASCADE,
      CHECK ((kind = 'take_up' AND tag IS NOT NULL) OR (kind <> 'take_up' AND source_section_id IS NOT NULL))
    )`.execute(db);

  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON placements, syndication_jobs, syndication_rules TO yiduan_app`.execute(
    db,
  );
  for (const t of ['placements', 'syndication_jobs', 'syndication_rules']) {
    await sql`ALTER TABLE ${sql.table(t)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY own_tenant ON ${sql.table(t)} FOR ALL
      USING (app_is_platform() OR tenant_id = app_tenant())
      WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  }
  // "where is my story": the origin sees every placement of its stories
  await sql`CREATE POLICY origin_read ON placements FOR SELECT USING (origin_tenant_id = app_tenant())`.execute(db);
  // faces read active placements publicly (the feed joins the story's own public state)
  await sql`CREATE POLICY public_read ON placements FOR SELECT USING (status = 'active')`.execute(db);
  // an ancestor browsing its descendants' pool sees their published, shareable stories:
  // already covered by stories.public_read (published and not retracted)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS syndication_rules, syndication_jobs, placements CASCADE`.execute(db);
  await sql`ALTER TABLE stories DROP COLUMN IF EXISTS share_policy, DROP COLUMN IF EXISTS origin_tenant_id, DROP COLUMN IF EXISTS origin_story_id`.execute(
    db,
  );
}

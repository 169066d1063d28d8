import { sql, type Kysely } from 'kysely';

// Short video as a first-class asset (issue #17). A video row is both the asset and its transcoding
// job: the API inserts it 'queued' once a resumable upload is complete and ffprobe accepted it; a
// worker claims it (lease_until, run_id), transcodes into its own work folder, uploads the
// renditions under a prefix of its own run and records that prefix with status 'ready' in one
// update guarded by run_id. Nothing is served before that update, so a killed worker leaves
// nothing half-published; its lease runs out and the next worker starts the job again.
// video_limits: per-tenant limits (size, duration) overriding the configured defaults.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE videos (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'processing', 'ready', 'failed')),
      title text NOT NULL DEFAULT '',
      original_name text NOT NULL DEFAULT '',
      -- the uploaded original, relative to the upload folder (the tus upload id)
      source_key text NOT NULL,
      source_bytes bigint NOT NULL CHECK (source_bytes > 0),
      source_width int NOT NULL CHECK (source_width > 0),
      source_height int NOT NULL CHECK (source_height > 0),
      duration_ms int NOT NULL CHECK (duration_ms > 0),
      has_audio boolean NOT NULL DEFAULT false,
      progress int NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
      attempts int NOT NULL DEFAULT 0,
      run_id uuid,
      lease_until timestamptz,
      error text,
      -- set together with status 'ready': where master.m3u8, the renditions and poster.jpg are
      hls_prefix text,
      renditions jsonb NOT NULL DEFAULT '[]',
      bytes bigint,
      captions_vtt text,
      shared boolean NOT NULL DEFAULT false,
      created_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      ready_at timestamptz,
      PRIMARY KEY (tenant_id, id),
      CHECK ((status = 'ready') = (hls_prefix IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX videos_tenant_recent ON videos (tenant_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX videos_jobs ON videos (created_at) WHERE status IN ('queued', 'processing')`.execute(db);
  await sql`
    CREATE TABLE video_limits (
      tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
      max_bytes bigint NOT NULL CHECK (max_bytes > 0),
      max_seconds int NOT NULL CHECK (max_seconds > 0),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  for (const t of ['videos', 'video_limits']) {
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${sql.table(t)} TO yiduan_app`.execute(db);
    await sql`ALTER TABLE ${sql.table(t)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY own_tenant ON ${sql.table(t)} FOR ALL
      USING (app_is_platform() OR tenant_id = app_tenant())
      WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  }
  // a shared video serves the whole tree by reference (resource connectivity), like shared images
  await sql`CREATE POLICY shared_read ON videos FOR SELECT USING (shared AND status = 'ready')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS video_limits`.execute(db);
  await sql`DROP TABLE IF EXISTS videos`.execute(db);
}

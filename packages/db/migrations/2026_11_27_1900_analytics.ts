import { sql, type Kysely } from 'kysely';

// The data layer: raw reading events in daily partitions, daily roll-ups per story, tenant
// (own face and whole subtree) and unit, the province's thresholds and ranking weights, and
// the record of dormant-account warnings. Days are China Standard Time days (Asia/Shanghai).

// "this tenant or one of its ancestors is the scope": ancestors see their descendants' figures
const SEES = (col: string) =>
  sql.raw(`(app_is_platform() OR ${col} IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = app_tenant()))`);

export async function up(db: Kysely<any>): Promise<void> {
  // Raw events, one partition per day. The primary key leads with the tenant (the face the
  // event was read on) and carries the partition key; event_id is the buffer's entry id, so a
  // batch written twice (a writer that died after COMMIT and before XACK) inserts nothing twice.
  await sql`
    CREATE TABLE analytics_events (
      tenant_id uuid NOT NULL,
      day date NOT NULL,
      event_id text NOT NULL,
      at timestamptz NOT NULL,
      kind text NOT NULL CHECK (kind IN ('view', 'read', 'share')),
      story_id uuid,
      story_tenant_id uuid,
      unit_id uuid,
      visitor bigint NOT NULL,
      path text NOT NULL DEFAULT '/',
      referrer text,
      channel text,
      PRIMARY KEY (tenant_id, day, event_id)
    ) PARTITION BY RANGE (day)`.execute(db);
  await sql`CREATE INDEX analytics_events_origin ON analytics_events (story_tenant_id, day) WHERE story_tenant_id IS NOT NULL`.execute(
    db,
  );

  // Partitions are created by the owner on the worker's request (the application role cannot
  // create tables); both functions refuse anything but platform scope.
  await sql`
    CREATE FUNCTION analytics_ensure_partitions(from_day date, to_day date) RETURNS int
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    DECLARE d date := from_day; n int := 0; part text;
    BEGIN
      IF NOT app_is_platform() THEN RAISE EXCEPTION 'analytics partitions: platform scope required' USING ERRCODE = '42501'; END IF;
      IF to_day - from_day > 800 THEN RAISE EXCEPTION 'analytics partitions: range too long' USING ERRCODE = '22023'; END IF;
      PERFORM pg_advisory_xact_lock(727019);
      WHILE d <= to_day LOOP
        part := 'analytics_events_' || to_char(d, 'YYYYMMDD');
        IF to_regclass(part) IS NULL THEN
          EXECUTE format('CREATE TABLE %I PARTITION OF analytics_events FOR VALUES FROM (%L) TO (%L)', part, d, d + 1);
          n := n + 1;
        END IF;
        d := d + 1;
      END LOOP;
      RETURN n;
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION analytics_drop_partitions(before_day date) RETURNS int
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    DECLARE r record; n int := 0;
    BEGIN
      IF NOT app_is_platform() THEN RAISE EXCEPTION 'analytics partitions: platform scope required' USING ERRCODE = '42501'; END IF;
      PERFORM pg_advisory_xact_lock(727019);
      FOR r IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'analytics_events'::regclass AND c.relname ~ '^analytics_events_[0-9]{8}$'
           AND to_date(right(c.relname, 8), 'YYYYMMDD') < before_day
      LOOP
        EXECUTE format('DROP TABLE %I', r.relname);
        n := n + 1;
      END LOOP;
      RETURN n;
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION analytics_partitions() RETURNS TABLE (day date)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT to_date(right(c.relname, 8), 'YYYYMMDD') FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'analytics_events'::regclass AND c.relname ~ '^analytics_events_[0-9]{8}$' ORDER BY 1
    $$`.execute(db);

  // (tenant, day) pairs whose roll-ups must be recomputed: written with the events, consumed by the roll-up.
  await sql`
    CREATE TABLE analytics_dirty (
      tenant_id uuid NOT NULL,
      day date NOT NULL,
      marked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, day)
    )`.execute(db);

  // Per story and day and the face it was read on; tenant_id is the story's origin.
  await sql`
    CREATE TABLE analytics_story_daily (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      story_id uuid NOT NULL,
      day date NOT NULL,
      face_tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      views int NOT NULL DEFAULT 0,
      uniques int NOT NULL DEFAULT 0,
      completions int NOT NULL DEFAULT 0,
      shares int NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, story_id, day, face_tenant_id)
    )`.execute(db);
  await sql`CREATE INDEX analytics_story_daily_face ON analytics_story_daily (face_tenant_id, day)`.execute(db);
  await sql`CREATE INDEX analytics_story_daily_day ON analytics_story_daily (tenant_id, day)`.execute(db);

  // Per tenant and day: scope 'own' is the tenant's own face and publishing; 'tree' adds every descendant.
  await sql`
    CREATE TABLE analytics_tenant_daily (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      scope text NOT NULL CHECK (scope IN ('own', 'tree')),
      day date NOT NULL,
      views int NOT NULL DEFAULT 0,
      uniques int NOT NULL DEFAULT 0,
      completions int NOT NULL DEFAULT 0,
      shares int NOT NULL DEFAULT 0,
      -- reads of this tenant's stories wherever they were carried, and of those on other faces only
      reach_views int NOT NULL DEFAULT 0,
      syndicated_views int NOT NULL DEFAULT 0,
      stories_published int NOT NULL DEFAULT 0,
      followers_gained int NOT NULL DEFAULT 0,
      followers_lost int NOT NULL DEFAULT 0,
      comments int NOT NULL DEFAULT 0,
      messages_due int NOT NULL DEFAULT 0,
      messages_on_time int NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, scope, day)
    )`.execute(db);
  await sql`CREATE INDEX analytics_tenant_daily_day ON analytics_tenant_daily (scope, day)`.execute(db);

  await sql`
    CREATE TABLE analytics_unit_daily (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      unit_id uuid NOT NULL,
      day date NOT NULL,
      views int NOT NULL DEFAULT 0,
      uniques int NOT NULL DEFAULT 0,
      completions int NOT NULL DEFAULT 0,
      shares int NOT NULL DEFAULT 0,
      stories_published int NOT NULL DEFAULT 0,
      followers_gained int NOT NULL DEFAULT 0,
      followers_lost int NOT NULL DEFAULT 0,
      messages_due int NOT NULL DEFAULT 0,
      messages_on_time int NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, unit_id, day),
      FOREIGN KEY (tenant_id, unit_id) REFERENCES units(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);

  // Set by the province for its whole tree: dormancy thresholds and the ranking weights.
  await sql`
    CREATE TABLE analytics_settings (
      tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
      sleeping_days int NOT NULL DEFAULT 14 CHECK (sleeping_days BETWEEN 1 AND 365),
      dormant_days int NOT NULL DEFAULT 60 CHECK (dormant_days BETWEEN 2 AND 730),
      ranking_weights jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(ranking_weights) = 'object'),
      updated_by text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (sleeping_days < dormant_days)
    )`.execute(db);

  // One row per warning: a tenant (unit_id null) or a unit of it went quiet; resumed_at when it published again.
  await sql`
    CREATE TABLE dormancy_warnings (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      unit_id uuid,
      state text NOT NULL CHECK (state IN ('sleeping', 'dormant')),
      threshold_days int NOT NULL,
      days_silent int NOT NULL,
      last_published_at timestamptz,
      -- who was told: the parent tenant for a tenant, the hosting tenant for a unit
      notified_tenant_id uuid REFERENCES tenants(id) ON DELETE SET NULL,
      as_of date NOT NULL,
      warned_at timestamptz NOT NULL DEFAULT now(),
      resumed_at timestamptz,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, unit_id) REFERENCES units(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`
    CREATE UNIQUE INDEX dormancy_warnings_open ON dormancy_warnings
      (tenant_id, coalesce(unit_id, '00000000-0000-0000-0000-000000000000'::uuid), state) WHERE resumed_at IS NULL`.execute(
    db,
  );

  // The daily roll-up reads these by tenant and day range.
  await sql`CREATE INDEX IF NOT EXISTS stories_first_published ON stories (tenant_id, first_published_at) WHERE first_published_at IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX IF NOT EXISTS memberships_tenant_ended ON memberships (tenant_id, ended_at) WHERE ended_at IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX IF NOT EXISTS comments_tenant_created ON comments (tenant_id, created_at)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS citizen_messages_due ON citizen_messages (tenant_id, due_at)`.execute(db);

  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON analytics_events, analytics_dirty, analytics_story_daily, analytics_tenant_daily, analytics_unit_daily, analytics_settings, dormancy_warnings TO yiduan_app`.execute(
    db,
  );
  await sql`GRANT EXECUTE ON FUNCTION analytics_ensure_partitions(date, date), analytics_drop_partitions(date), analytics_partitions() TO yiduan_app`.execute(
    db,
  );
  for (const t of [
    'analytics_events',
    'analytics_dirty',
    'analytics_story_daily',
    'analytics_tenant_daily',
    'analytics_unit_daily',
    'analytics_settings',
    'dormancy_warnings',
  ]) {
    await sql`ALTER TABLE ${sql.table(t)} ENABLE ROW LEVEL SECURITY`.execute(db);
  }
  // Raw events carry visitor hashes: the face's own tenant reads them, only the worker writes.
  await sql`CREATE POLICY own_read ON analytics_events FOR SELECT USING (app_is_platform() OR tenant_id = app_tenant())`.execute(
    db,
  );
  await sql`CREATE POLICY platform_write ON analytics_events FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
    db,
  );
  await sql`CREATE POLICY platform_all ON analytics_dirty FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
    db,
  );
  // Roll-ups: written by the worker; read by the tenant itself and its ancestors, never by siblings.
  for (const t of ['analytics_story_daily', 'analytics_tenant_daily', 'analytics_unit_daily']) {
    await sql`CREATE POLICY platform_write ON ${sql.table(t)} FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
      db,
    );
    await sql`CREATE POLICY tree_read ON ${sql.table(t)} FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
  }
  // the face that carried a story sees the reads it carried
  await sql`CREATE POLICY face_read ON analytics_story_daily FOR SELECT USING (${SEES('face_tenant_id')})`.execute(db);
  // settings: written by their tenant (the domain layer allows the province only), read down the tree
  await sql`
    CREATE POLICY own_write ON analytics_settings FOR ALL
    USING (app_is_platform() OR tenant_id = app_tenant())
    WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  await sql`
    CREATE POLICY ancestors_read ON analytics_settings FOR SELECT
    USING (tenant_id IN (SELECT ancestor_id FROM tenant_tree WHERE descendant_id = app_tenant()))`.execute(db);
  await sql`CREATE POLICY platform_write ON dormancy_warnings FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
    db,
  );
  await sql`CREATE POLICY tree_read ON dormancy_warnings FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS dormancy_warnings, analytics_settings, analytics_unit_daily, analytics_tenant_daily, analytics_story_daily, analytics_dirty, analytics_events CASCADE`.execute(
    db,
  );
  await sql`DROP INDEX IF EXISTS stories_first_published, memberships_tenant_ended, comments_tenant_created, citizen_messages_due`.execute(
    db,
  );
  await sql`DROP FUNCTION IF EXISTS analytics_ensure_partitions(date, date), analytics_drop_partitions(date), analytics_partitions()`.execute(
    db,
  );
}

import { sql, type Kysely } from 'kysely';

// Plays, watch time and completion of videos (issue #17, item 5). The face's player sends
// 'play', 'watch' and 'end' events to the same beacon as page views; they travel the same buffer
// and land in the same daily partitions of analytics_events, with the video, the watched
// milliseconds since the previous event and the furthest fraction of the video reached.
// analytics_video_daily holds the roll-up per face (scope 'own') and per subtree (scope 'tree'),
// per video and CST day, written by the worker like the other roll-ups (platform scope) and read
// down the tree (a tenant sees its own rows and its descendants').

const SEES = (col: string) =>
  sql`(app_is_platform() OR ${sql.ref(col)} IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = app_tenant()))`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE analytics_events DROP CONSTRAINT IF EXISTS analytics_events_kind_check`.execute(db);
  await sql`ALTER TABLE analytics_events ADD CONSTRAINT analytics_events_kind_check
    CHECK (kind IN ('view', 'read', 'share', 'play', 'watch', 'end'))`.execute(db);
  await sql`ALTER TABLE analytics_events
    ADD COLUMN video_id uuid,
    ADD COLUMN video_tenant_id uuid,
    ADD COLUMN watch_ms int CHECK (watch_ms BETWEEN 0 AND 600000),
    ADD COLUMN fraction real CHECK (fraction BETWEEN 0 AND 1),
    ADD CONSTRAINT analytics_events_video_kind CHECK ((kind IN ('play', 'watch', 'end')) = (video_id IS NOT NULL))`.execute(
    db,
  );

  await sql`
    CREATE TABLE analytics_video_daily (
      -- the face (scope 'own') or the subtree's root (scope 'tree')
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      scope text NOT NULL CHECK (scope IN ('own', 'tree')),
      day date NOT NULL,
      video_id uuid NOT NULL,
      -- the video's owner (a province video plays on county faces by reference)
      video_tenant_id uuid NOT NULL,
      plays int NOT NULL DEFAULT 0 CHECK (plays >= 0),
      -- visitor-faces that played it; completion_sum is the sum of their furthest fractions
      viewers int NOT NULL DEFAULT 0 CHECK (viewers >= 0),
      watch_ms bigint NOT NULL DEFAULT 0 CHECK (watch_ms >= 0),
      completion_sum real NOT NULL DEFAULT 0 CHECK (completion_sum >= 0),
      -- plays that reached the end (95 %)
      completed int NOT NULL DEFAULT 0 CHECK (completed >= 0),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, scope, day, video_id)
    )`.execute(db);
  await sql`CREATE INDEX analytics_video_daily_video ON analytics_video_daily (video_tenant_id, video_id, day)`.execute(
    db,
  );
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON analytics_video_daily TO yiduan_app`.execute(db);
  await sql`ALTER TABLE analytics_video_daily ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`CREATE POLICY platform_write ON analytics_video_daily FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
    db,
  );
  await sql`CREATE POLICY tree_read ON analytics_video_daily FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS analytics_video_daily`.execute(db);
  await sql`DELETE FROM analytics_events WHERE kind IN ('play', 'watch', 'end')`.execute(db);
  await sql`ALTER TABLE analytics_events DROP CONSTRAINT IF EXISTS analytics_events_video_kind,
    DROP COLUMN IF EXISTS video_id, DROP COLUMN IF EXISTS video_tenant_id, DROP COLUMN IF EXISTS watch_ms, DROP COLUMN IF EXISTS fraction`.execute(
    db,
  );
  await sql`ALTER TABLE analytics_events DROP CONSTRAINT IF EXISTS analytics_events_kind_check`.execute(db);
  await sql`ALTER TABLE analytics_events ADD CONSTRAINT analytics_events_kind_check CHECK (kind IN ('view', 'read', 'share'))`.execute(
    db,
  );
}

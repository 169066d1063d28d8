import { sql, type Kysely } from 'kysely';

// Planning, third increment (issue #20).
//
// 1. A campaign is shared with the descendants chosen by level (every city, or every county, of the
//    owner's subtree: reach 'level' with reach_level) or by an explicit list (reach 'list', the rows
//    of campaign_shares), besides 'own' and 'subtree' (all). campaign_reaches() says whether a
//    tenant is in a campaign's share; row-level security reads campaigns with it, and triggers
//    refuse a topic naming a campaign that does not reach its tenant and a desk coverage given to a
//    tenant outside the share, whatever the code does.
// 2. The coverage state of another tenant's assignment row is no longer the assignee's to write: a
//    county may change its answer (status, story, …) on its province's row; a change of the state
//    must then be the one that answer and the story's own state give, and the completion time is
//    stamped by the database when the state becomes completed (the answer guard); any other value is
//    refused (42501).
// 3. Re-assignment: the notice kind 'reassigned' (the old desk is told).
// 4. Credit: planning_credit() lists the stories delivered on a topic's or a campaign's coverages
//    (completed: published) with the faces that carry them (face_listings: the origin's own face and
//    every face that took it up) and their page views on every face (analytics_story_daily). A
//    definer function for the viewer itself only, over topics of the viewer's subtree (as the board):
//    a province sees where its counties' deliveries went, though it cannot read other faces' listings.

const SEES = (col: string) =>
  sql.raw(`(app_is_platform() OR ${col} IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = app_tenant()))`);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE campaigns DROP CONSTRAINT campaigns_reach_check`.execute(db);
  await sql`
    ALTER TABLE campaigns
      ADD CONSTRAINT campaigns_reach_check CHECK (reach IN ('own', 'subtree', 'level', 'list')),
      ADD COLUMN reach_level text CHECK (reach_level IN ('city', 'county')),
      ADD CONSTRAINT campaigns_reach_level CHECK ((reach = 'level') = (reach_level IS NOT NULL))`.execute(db);

  await sql`
    CREATE TABLE campaign_shares (
      -- the campaign's own tenant
      tenant_id uuid NOT NULL,
      campaign_id uuid NOT NULL,
      -- a proper descendant of the owner it is shared with (reach 'list')
      share_tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, campaign_id, share_tenant_id),
      FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX campaign_shares_with ON campaign_shares (share_tenant_id)`.execute(db);
  await sql`GRANT SELECT, INSERT, DELETE ON campaign_shares TO yiduan_app`.execute(db);
  await sql`ALTER TABLE campaign_shares ENABLE ROW LEVEL SECURITY`.execute(db);
  // written by the campaign's tenant; read by it, its ancestors, and the tenant a row names (its own row only)
  await sql`
    CREATE POLICY own_write ON campaign_shares FOR ALL
    USING (app_is_platform() OR tenant_id = app_tenant())
    WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  await sql`CREATE POLICY tree_read ON campaign_shares FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
  await sql`CREATE POLICY shared_read ON campaign_shares FOR SELECT USING (share_tenant_id = app_tenant())`.execute(db);
  await sql`
    CREATE FUNCTION campaign_shares_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM tenant_tree WHERE ancestor_id = NEW.tenant_id AND descendant_id = NEW.share_tenant_id AND depth > 0) THEN
        RAISE EXCEPTION 'a campaign is shared with descendants of its tenant only' USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER campaign_shares_tree BEFORE INSERT OR UPDATE ON campaign_shares FOR EACH ROW EXECUTE FUNCTION campaign_shares_check()`.execute(
    db,
  );

  // whether a campaign (its key, reach and level given) reaches tenant t: its own tenant, or a proper
  // descendant chosen by the reach. A definer function: it reads the share list whatever the scope.
  await sql`
    CREATE FUNCTION campaign_reaches(c_tenant uuid, c_id uuid, c_reach text, c_level text, t uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT t IS NOT NULL AND (c_tenant = t OR (
        c_reach <> 'own'
        AND EXISTS (SELECT 1 FROM tenant_tree WHERE ancestor_id = c_tenant AND descendant_id = t AND depth > 0)
        AND CASE c_reach
              WHEN 'subtree' THEN true
              WHEN 'level' THEN EXISTS (SELECT 1 FROM tenants te WHERE te.id = t AND te.level::text = c_level)
              WHEN 'list' THEN EXISTS (SELECT 1 FROM campaign_shares s
                                        WHERE s.tenant_id = c_tenant AND s.campaign_id = c_id AND s.share_tenant_id = t)
              ELSE false END))
    $$`.execute(db);
  // the same, by the campaign's key alone
  await sql`
    CREATE FUNCTION campaign_shared_with(c_tenant uuid, c_id uuid, t uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT coalesce((SELECT campaign_reaches(c.tenant_id, c.id, c.reach, c.reach_level, t)
                         FROM campaigns c WHERE c.tenant_id = c_tenant AND c.id = c_id), false)
    $$`.execute(db);
  for (const f of ['campaign_reaches(uuid, uuid, text, text, uuid)', 'campaign_shared_with(uuid, uuid, uuid)']) {
    await sql`REVOKE ALL ON FUNCTION ${sql.raw(f)} FROM PUBLIC`.execute(db);
    await sql`GRANT EXECUTE ON FUNCTION ${sql.raw(f)} TO yiduan_app`.execute(db);
  }

  // descendants read a campaign shared with them (all, by level or by list)
  await sql`DROP POLICY reach_read ON campaigns`.execute(db);
  await sql`
    CREATE POLICY reach_read ON campaigns FOR SELECT
    USING (reach <> 'own' AND campaign_reaches(tenant_id, id, reach, reach_level, app_tenant()))`.execute(db);

  // a topic names a campaign that reaches its tenant; a desk coverage goes to a tenant inside the share
  await sql`
    CREATE FUNCTION planning_share_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.campaign_id IS NULL THEN
        RETURN NEW;
      END IF;
      IF TG_TABLE_NAME = 'topics' THEN
        IF NOT campaign_shared_with(NEW.campaign_tenant_id, NEW.campaign_id, NEW.tenant_id) THEN
          RAISE EXCEPTION 'a topic names a campaign shared with its tenant' USING ERRCODE = '23514';
        END IF;
      ELSIF NEW.assignee_tenant_id <> NEW.tenant_id
            AND NOT campaign_shared_with(NEW.campaign_tenant_id, NEW.campaign_id, NEW.assignee_tenant_id) THEN
        RAISE EXCEPTION 'a desk coverage of a campaign goes to a tenant it is shared with' USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER topics_share BEFORE INSERT OR UPDATE OF campaign_tenant_id, campaign_id ON topics FOR EACH ROW EXECUTE FUNCTION planning_share_check()`.execute(
    db,
  );
  await sql`CREATE TRIGGER assignments_share BEFORE INSERT OR UPDATE OF assignee_tenant_id, campaign_tenant_id, campaign_id ON assignments FOR EACH ROW EXECUTE FUNCTION planning_share_check()`.execute(
    db,
  );

  // the other party's answer: the coverage state and completion time follow it, never written freely
  await sql`
    CREATE OR REPLACE FUNCTION planning_answer_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      answer text[];
      waiting text[];
      derived text;
    BEGIN
      IF app_is_platform() OR OLD.tenant_id = app_tenant() THEN
        RETURN NEW;
      END IF;
      IF TG_TABLE_NAME = 'assignments' THEN
        answer := ARRAY['status', 'state', 'completed_at', 'answered_at', 'answered_by_name', 'decline_reason', 'story_id', 'story_title', 'filed_at', 'filed_by_name', 'updated_at'];
        waiting := ARRAY['assigned', 'accepted'];
      ELSE
        answer := ARRAY['status', 'decided_at', 'decided_by_name', 'decision_note', 'updated_at'];
        waiting := ARRAY['pending'];
      END IF;
      IF (to_jsonb(NEW) - answer) IS DISTINCT FROM (to_jsonb(OLD) - answer)
         OR NOT (OLD.status = ANY (waiting)) OR NEW.status NOT IN ('accepted', 'declined') THEN
        RAISE EXCEPTION 'only the answer may change in another tenant''s %', TG_TABLE_NAME USING ERRCODE = '42501';
      END IF;
      IF TG_TABLE_NAME = 'assignments' THEN
        derived := CASE
          WHEN NEW.status = 'declined' THEN 'declined'
          WHEN NEW.story_id IS NULL THEN 'accepted'
          ELSE coverage_state_of((SELECT s.state FROM stories s WHERE s.tenant_id = NEW.assignee_tenant_id AND s.id = NEW.story_id)) END;
        IF NEW.state IS DISTINCT FROM OLD.state AND NEW.state IS DISTINCT FROM derived THEN
          RAISE EXCEPTION 'the coverage state of another tenant''s assignment follows the answer and the story' USING ERRCODE = '42501';
        END IF;
        IF NEW.state = 'completed' AND OLD.state IS DISTINCT FROM 'completed' THEN
          NEW.completed_at := now();
        ELSIF NEW.completed_at IS DISTINCT FROM OLD.completed_at THEN
          RAISE EXCEPTION 'the completion time of another tenant''s assignment is not written' USING ERRCODE = '42501';
        END IF;
      END IF;
      RETURN NEW;
    END $$`.execute(db);

  await sql`
    CREATE FUNCTION planning_credit(viewer uuid, t_tenant uuid, t_id uuid, c_tenant uuid, c_id uuid)
    RETURNS TABLE (story_tenant_id uuid, story_id uuid, title text, published_at timestamptz, faces int,
                   face_names text[], views bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      WITH tp AS (
        SELECT t.tenant_id, t.id, t.upstream_tenant_id, t.upstream_assignment_id FROM topics t
         WHERE (app_is_platform() OR viewer = app_tenant())
           AND t.tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = viewer)
           AND (t_id IS NULL OR (t.tenant_id = t_tenant AND t.id = t_id))
           AND (c_id IS NULL OR (t.campaign_tenant_id = c_tenant AND t.campaign_id = c_id))
           AND (t_id IS NOT NULL OR c_id IS NOT NULL)),
      delivered AS (
        -- the topic's own coverages, and the ancestor's coverage a local topic answers (filed up the chain)
        SELECT a.assignee_tenant_id AS st, a.story_id AS sid
          FROM tp JOIN assignments a ON a.tenant_id = tp.tenant_id AND a.topic_id = tp.id
         WHERE a.state = 'completed' AND a.story_id IS NOT NULL
        UNION
        SELECT u.assignee_tenant_id, u.story_id
          FROM tp JOIN assignments u ON u.tenant_id = tp.upstream_tenant_id AND u.id = tp.upstream_assignment_id
         WHERE u.state = 'completed' AND u.story_id IS NOT NULL AND u.assignee_tenant_id = tp.tenant_id)
      SELECT d.st, d.sid, rv.title, s.first_published_at,
             (SELECT count(*)::int FROM face_listings f WHERE f.origin_tenant_id = d.st AND f.story_id = d.sid),
             ARRAY(SELECT te.name FROM face_listings f JOIN tenants te ON te.id = f.tenant_id
                    WHERE f.origin_tenant_id = d.st AND f.story_id = d.sid ORDER BY te.name),
             (SELECT coalesce(sum(x.views), 0)::bigint FROM analytics_story_daily x WHERE x.tenant_id = d.st AND x.story_id = d.sid)
        FROM delivered d
        JOIN stories s ON s.tenant_id = d.st AND s.id = d.sid AND s.state = 'published'
        JOIN story_revisions rv ON rv.tenant_id = s.tenant_id AND rv.story_id = s.id
                               AND rv.number = coalesce(s.published_revision, s.current_revision)
       ORDER BY s.first_published_at DESC NULLS LAST, d.sid
    $$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION planning_credit(uuid, uuid, uuid, uuid, uuid) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION planning_credit(uuid, uuid, uuid, uuid, uuid) TO yiduan_app`.execute(db);

  await sql`ALTER TABLE planning_notices DROP CONSTRAINT planning_notices_kind_check`.execute(db);
  await sql`
    ALTER TABLE planning_notices ADD CONSTRAINT planning_notices_kind_check CHECK (kind IN (
      'assigned', 'accepted', 'declined', 'cancelled', 'submitted', 'completed', 'pitched', 'pitch_accepted',
      'pitch_declined', 'overdue', 'reassigned'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS planning_credit(uuid, uuid, uuid, uuid, uuid)`.execute(db);
  await sql`DROP TRIGGER IF EXISTS topics_share ON topics`.execute(db);
  await sql`DROP TRIGGER IF EXISTS assignments_share ON assignments`.execute(db);
  await sql`DROP FUNCTION IF EXISTS planning_share_check()`.execute(db);
  await sql`DROP POLICY IF EXISTS reach_read ON campaigns`.execute(db);
  await sql`
    CREATE POLICY reach_read ON campaigns FOR SELECT
    USING (reach = 'subtree' AND tenant_id IN (SELECT ancestor_id FROM tenant_tree WHERE descendant_id = app_tenant() AND depth > 0))`.execute(
    db,
  );
  await sql`DROP TABLE IF EXISTS campaign_shares`.execute(db);
  await sql`DROP FUNCTION IF EXISTS campaign_shared_with(uuid, uuid, uuid), campaign_reaches(uuid, uuid, text, text, uuid), campaign_shares_check()`.execute(
    db,
  );
  await sql`ALTER TABLE campaigns DROP CONSTRAINT IF EXISTS campaigns_reach_level, DROP COLUMN IF EXISTS reach_level`.execute(
    db,
  );
  await sql`UPDATE campaigns SET reach = 'subtree' WHERE reach IN ('level', 'list')`.execute(db);
  await sql`ALTER TABLE campaigns DROP CONSTRAINT campaigns_reach_check`.execute(db);
  await sql`ALTER TABLE campaigns ADD CONSTRAINT campaigns_reach_check CHECK (reach IN ('own', 'subtree'))`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Planning, second increment (issue #20): an assignment is the coverage (任务). It now
// stores its coverage state, draft aside (a planned topic without coverage is the draft):
// assigned → accepted → in_progress (a story filed, still a draft) → submitted (the story in
// review, approved or scheduled) → completed (published), or declined (with a reason) or
// cancelled. Every change is a row of assignment_history (who, when, from, to, why).
//
// The story drives the last three states: a trigger on stories moves every assignment that names
// the story, in the same transaction as the review step or the publication that changed the
// story's state, and records the change. It is a definer function because a county's publication
// moves its province's desk assignment too (the province's row, answered by the county).
//
// Overdue coverages climb the tree like overdue messages: overdue_coverages(root) lists those
// assigned by or to a tenant of root's subtree, only for root itself (a definer function: a city
// cannot read its province's rows, but it sees the province's coverages given to its counties).

const SEES = (col: string) =>
  sql.raw(`(app_is_platform() OR ${col} IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = app_tenant()))`);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE assignments
      ADD COLUMN state text NOT NULL DEFAULT 'assigned'
        CHECK (state IN ('assigned', 'accepted', 'in_progress', 'submitted', 'completed', 'declined', 'cancelled')),
      ADD COLUMN completed_at timestamptz`.execute(db);
  // the rows of the first increment: their state from their status and their story
  await sql`
    UPDATE assignments a SET
      state = CASE
        WHEN a.status IN ('declined', 'cancelled') THEN a.status
        WHEN a.story_id IS NULL THEN a.status
        WHEN s.state = 'published' THEN 'completed'
        WHEN s.state IN ('in_review', 'approved', 'scheduled') THEN 'submitted'
        ELSE 'in_progress' END,
      completed_at = CASE WHEN s.state = 'published' THEN coalesce(s.first_published_at, s.updated_at) END
      FROM assignments a2 LEFT JOIN stories s ON s.tenant_id = a2.assignee_tenant_id AND s.id = a2.story_id
     WHERE a2.tenant_id = a.tenant_id AND a2.id = a.id`.execute(db);
  await sql`
    ALTER TABLE assignments ADD CONSTRAINT assignments_state_status CHECK (
      (status = 'assigned' AND state = 'assigned')
      OR (status = 'accepted' AND state IN ('accepted', 'in_progress', 'submitted', 'completed'))
      OR (status = state AND status IN ('declined', 'cancelled')))`.execute(db);
  await sql`CREATE INDEX assignments_due ON assignments (due_at) WHERE state IN ('assigned', 'accepted', 'in_progress', 'submitted')`.execute(
    db,
  );
  await sql`CREATE INDEX assignments_campaign ON assignments (campaign_tenant_id, campaign_id) WHERE campaign_id IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE assignment_history (
      -- the assignment's own (assigning) tenant
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      assignment_id uuid NOT NULL,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      -- the tenant that acted (the assigner, the assignee tenant) and who: a name, as review events keep it
      actor_tenant_id uuid REFERENCES tenants(id) ON DELETE SET NULL,
      actor_name text NOT NULL CHECK (char_length(actor_name) <= 100),
      from_state text,
      to_state text NOT NULL,
      reason text CHECK (char_length(reason) <= 300),
      story_id uuid,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, assignment_id) REFERENCES assignments(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX assignment_history_of ON assignment_history (tenant_id, assignment_id, at)`.execute(db);
  await sql`GRANT SELECT, INSERT ON assignment_history TO yiduan_app`.execute(db);
  await sql`ALTER TABLE assignment_history ENABLE ROW LEVEL SECURITY`.execute(db);
  // written by the assignment's tenant or its assignee tenant (its answer), never changed; read by
  // the assignment's tenant, its ancestors and the assignee tenant
  await sql`
    CREATE POLICY own_write ON assignment_history FOR INSERT
    WITH CHECK (app_is_platform() OR tenant_id = app_tenant() OR EXISTS (
      SELECT 1 FROM assignments a WHERE a.tenant_id = assignment_history.tenant_id AND a.id = assignment_history.assignment_id
         AND a.assignee_tenant_id = app_tenant()))`.execute(db);
  await sql`CREATE POLICY tree_read ON assignment_history FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
  await sql`
    CREATE POLICY assignee_read ON assignment_history FOR SELECT
    USING (EXISTS (SELECT 1 FROM assignments a WHERE a.tenant_id = assignment_history.tenant_id
                     AND a.id = assignment_history.assignment_id AND a.assignee_tenant_id = app_tenant()))`.execute(db);

  // the assignee tenant's answer now also moves the state (and its completion time)
  await sql`
    CREATE OR REPLACE FUNCTION planning_answer_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      answer text[];
      waiting text[];
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
      RETURN NEW;
    END $$`.execute(db);

  // once content is linked the desk (the assignee) stays, and one coverage takes one delivery
  await sql`
    CREATE FUNCTION assignments_delivery_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.story_id IS NOT NULL AND (NEW.assignee_tenant_id IS DISTINCT FROM OLD.assignee_tenant_id
                                       OR NEW.assignee_staff_id IS DISTINCT FROM OLD.assignee_staff_id) THEN
        RAISE EXCEPTION 'the assignee of a coverage with content linked does not change' USING ERRCODE = '23514';
      END IF;
      IF OLD.story_id IS NOT NULL AND NEW.story_id IS NOT NULL AND NEW.story_id <> OLD.story_id
         AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.tenant_id = OLD.assignee_tenant_id AND s.id = OLD.story_id AND s.state = 'retracted') THEN
        RAISE EXCEPTION 'a coverage takes one delivery' USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER assignments_delivery_guard BEFORE UPDATE OF assignee_tenant_id, assignee_staff_id, story_id ON assignments FOR EACH ROW EXECUTE FUNCTION assignments_delivery_guard()`.execute(
    db,
  );

  // the story moves its coverages: review → submitted, publication → completed, in the same transaction
  await sql`
    CREATE FUNCTION coverage_state_of(story_state text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE
        WHEN story_state = 'published' THEN 'completed'
        WHEN story_state IN ('in_review', 'approved', 'scheduled') THEN 'submitted'
        ELSE 'in_progress' END
    $$`.execute(db);
  await sql`
    CREATE FUNCTION stories_move_coverages() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    DECLARE
      a record;
      target text := coverage_state_of(NEW.state);
    BEGIN
      FOR a IN
        SELECT x.tenant_id, x.id, x.state FROM assignments x
         WHERE x.assignee_tenant_id = NEW.tenant_id AND x.story_id = NEW.id AND x.status = 'accepted'
           AND x.state IS DISTINCT FROM target
         FOR UPDATE
      LOOP
        UPDATE assignments SET state = target, updated_at = now(),
               completed_at = CASE WHEN target = 'completed' THEN now() ELSE completed_at END
         WHERE tenant_id = a.tenant_id AND id = a.id;
        INSERT INTO assignment_history (tenant_id, assignment_id, actor_tenant_id, actor_name, from_state, to_state, reason, story_id)
        VALUES (a.tenant_id, a.id, NEW.tenant_id, '稿件流程', a.state, target, 'story ' || NEW.state, NEW.id);
        -- the planning desk's event, as the service writes it: boards and notices follow it
        INSERT INTO outbox (tenant_id, topic, payload)
        VALUES (NEW.tenant_id, 'planning.assignment_changed', jsonb_build_object(
          'kind', 'assignment', 'id', a.id, 'action', 'progress', 'state', target,
          'ownerTenantId', a.tenant_id, 'otherTenantId', NEW.tenant_id));
      END LOOP;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER stories_move_coverages AFTER UPDATE ON stories FOR EACH ROW
    WHEN (NEW.state IS DISTINCT FROM OLD.state)
    EXECUTE FUNCTION stories_move_coverages()`.execute(db);

  // 通知: what the planning desk tells a person (staff_id) or a desk (staff_id null: its editors) of a
  // tenant; written by the worker from the outbox (platform scope), read and marked read by the tenant
  await sql`
    CREATE TABLE planning_notices (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      staff_id uuid REFERENCES staff(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('assigned', 'accepted', 'declined', 'cancelled', 'submitted', 'completed', 'pitched', 'pitch_accepted', 'pitch_declined', 'overdue')),
      text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 300),
      assignment_tenant_id uuid,
      assignment_id uuid,
      pitch_id uuid,
      -- the outbox event it came from: a repeated delivery writes nothing twice
      event_id bigint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, event_id, kind, staff_id)
    )`.execute(db);
  await sql`CREATE INDEX planning_notices_unread ON planning_notices (tenant_id, staff_id, created_at DESC) WHERE read_at IS NULL`.execute(
    db,
  );
  await sql`GRANT SELECT, INSERT, UPDATE ON planning_notices TO yiduan_app`.execute(db);
  await sql`ALTER TABLE planning_notices ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY own_read ON planning_notices FOR SELECT USING (app_is_platform() OR tenant_id = app_tenant())`.execute(
    db,
  );
  await sql`
    CREATE POLICY own_mark ON planning_notices FOR UPDATE
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())`.execute(db);
  await sql`CREATE POLICY worker_write ON planning_notices FOR INSERT WITH CHECK (app_is_platform())`.execute(db);

  // overdue coverages of a subtree, for its root only (like overdue_messages)
  await sql`
    CREATE FUNCTION overdue_coverages(root uuid)
    RETURNS TABLE (tenant_id uuid, id uuid, assignee_tenant_id uuid, assignee_name text, title text, task text,
                   state text, due_at timestamptz, campaign_tenant_id uuid, campaign_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT a.tenant_id, a.id, a.assignee_tenant_id, a.assignee_name, a.title, a.task, a.state, a.due_at,
             a.campaign_tenant_id, a.campaign_id
        FROM assignments a
       WHERE a.state IN ('assigned', 'accepted', 'in_progress', 'submitted') AND a.due_at < now()
         AND (a.assignee_tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = root)
              OR a.tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = root))
         AND (app_is_platform() OR root = app_tenant())
       ORDER BY a.due_at, a.id
    $$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION overdue_coverages(uuid) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION overdue_coverages(uuid) TO yiduan_app`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS stories_move_coverages ON stories`.execute(db);
  await sql`DROP TRIGGER IF EXISTS assignments_delivery_guard ON assignments`.execute(db);
  await sql`DROP FUNCTION IF EXISTS overdue_coverages(uuid), stories_move_coverages(), coverage_state_of(text), assignments_delivery_guard()`.execute(
    db,
  );
  await sql`DROP TABLE IF EXISTS assignment_history, planning_notices`.execute(db);
  await sql`DROP INDEX IF EXISTS assignments_due`.execute(db);
  await sql`DROP INDEX IF EXISTS assignments_campaign`.execute(db);
  await sql`ALTER TABLE assignments DROP CONSTRAINT IF EXISTS assignments_state_status, DROP COLUMN IF EXISTS state, DROP COLUMN IF EXISTS completed_at`.execute(
    db,
  );
}

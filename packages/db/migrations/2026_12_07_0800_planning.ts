import { sql, type Kysely } from 'kysely';

// Planning (选题策划): campaigns (专题) hold topics (选题); a reporter proposes a topic to the desk
// (报题), the desk plans it and assigns people (派单), or assigns a descendant tenant as a desk (下派),
// which answers and covers it with its own people; a county pitches a topic up to an ancestor
// (上报), which accepts or declines it.
//
// Every row is written by its own tenant. Two answers cross tenants, each on the other party's row
// and only in its answer columns: the assignee tenant of a desk assignment accepts, declines or
// files a story; the receiver of a pitch accepts or declines it. Row-level security lets the other
// party update those rows, and a trigger refuses any change there beyond the answer. Ancestors read
// their subtree's plans (roll-up); siblings never see each other's.

const SEES = (col: string) =>
  sql.raw(`(app_is_platform() OR ${col} IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = app_tenant()))`);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE campaigns (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
      brief text NOT NULL DEFAULT '' CHECK (char_length(brief) <= 2000),
      starts_on date,
      ends_on date,
      -- own: the tenant's own plan; subtree: its descendants see it, name it on their topics and pitch into it
      reach text NOT NULL DEFAULT 'subtree' CHECK (reach IN ('own', 'subtree')),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      created_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      created_by_name text NOT NULL DEFAULT '' CHECK (char_length(created_by_name) <= 100),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
    )`.execute(db);
  await sql`CREATE INDEX campaigns_open ON campaigns (tenant_id, status, created_at DESC)`.execute(db);

  await sql`
    CREATE TABLE topics (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 80),
      brief text NOT NULL DEFAULT '' CHECK (char_length(brief) <= 2000),
      -- the campaign this coverage belongs to: the tenant's own, or an ancestor's that reaches it
      campaign_tenant_id uuid,
      campaign_id uuid,
      due_at timestamptz,
      status text NOT NULL CHECK (status IN ('proposed', 'planned', 'declined', 'done', 'dropped')),
      -- desk: planned by the desk; proposal: a staff member's 报题; assignment: an ancestor's desk assignment accepted
      origin text NOT NULL CHECK (origin IN ('desk', 'proposal', 'assignment')),
      proposed_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      proposed_by_name text NOT NULL DEFAULT '' CHECK (char_length(proposed_by_name) <= 100),
      decided_by_name text CHECK (char_length(decided_by_name) <= 100),
      decided_at timestamptz,
      decision_note text CHECK (char_length(decision_note) <= 300),
      closed_note text CHECK (char_length(closed_note) <= 300),
      upstream_tenant_id uuid,
      upstream_assignment_id uuid,
      created_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      created_by_name text NOT NULL DEFAULT '' CHECK (char_length(created_by_name) <= 100),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (campaign_tenant_id, campaign_id) REFERENCES campaigns(tenant_id, id) ON DELETE SET NULL (campaign_tenant_id, campaign_id),
      CHECK ((campaign_tenant_id IS NULL) = (campaign_id IS NULL)),
      CHECK ((upstream_tenant_id IS NULL) = (upstream_assignment_id IS NULL)),
      CHECK (origin <> 'assignment' OR upstream_assignment_id IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX topics_list ON topics (tenant_id, status, updated_at DESC)`.execute(db);
  await sql`CREATE INDEX topics_campaign ON topics (campaign_tenant_id, campaign_id) WHERE campaign_id IS NOT NULL`.execute(
    db,
  );
  // one local topic per accepted desk assignment
  await sql`CREATE UNIQUE INDEX topics_upstream ON topics (tenant_id, upstream_tenant_id, upstream_assignment_id) WHERE upstream_assignment_id IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE assignments (
      -- the assigning tenant (its desk)
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      topic_id uuid NOT NULL,
      -- the tenant itself (a person of its staff) or a descendant (a desk assignment to that tenant)
      assignee_tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      assignee_staff_id uuid REFERENCES staff(id),
      -- the person's or the tenant's name when assigned: the other tenants cannot read staff rows
      assignee_name text NOT NULL CHECK (char_length(assignee_name) BETWEEN 1 AND 100),
      task text NOT NULL CHECK (task IN ('write', 'photo', 'video', 'live', 'design', 'other')),
      -- the topic's title when assigned, and the topic's campaign: the assignee may not read the assigner's topic
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 80),
      campaign_tenant_id uuid,
      campaign_id uuid,
      instructions text NOT NULL DEFAULT '' CHECK (char_length(instructions) <= 1000),
      due_at timestamptz,
      status text NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned', 'accepted', 'declined', 'cancelled')),
      answered_at timestamptz,
      answered_by_name text CHECK (char_length(answered_by_name) <= 100),
      decline_reason text CHECK (char_length(decline_reason) <= 300),
      cancelled_at timestamptz,
      cancel_reason text CHECK (char_length(cancel_reason) <= 300),
      -- the story that covers it (交稿): the assignee tenant's own
      story_id uuid,
      story_title text CHECK (char_length(story_title) <= 200),
      filed_at timestamptz,
      filed_by_name text CHECK (char_length(filed_by_name) <= 100),
      assigned_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      assigned_by_name text NOT NULL DEFAULT '' CHECK (char_length(assigned_by_name) <= 100),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, topic_id) REFERENCES topics(tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (assignee_tenant_id, story_id) REFERENCES stories(tenant_id, id) ON DELETE SET NULL (story_id),
      FOREIGN KEY (campaign_tenant_id, campaign_id) REFERENCES campaigns(tenant_id, id) ON DELETE SET NULL (campaign_tenant_id, campaign_id),
      CHECK ((assignee_tenant_id = tenant_id) = (assignee_staff_id IS NOT NULL)),
      CHECK (story_id IS NULL OR status IN ('accepted', 'cancelled')),
      CHECK (status <> 'declined' OR decline_reason IS NOT NULL),
      CHECK ((campaign_tenant_id IS NULL) = (campaign_id IS NULL))
    )`.execute(db);
  await sql`CREATE INDEX assignments_topic ON assignments (tenant_id, topic_id)`.execute(db);
  await sql`CREATE INDEX assignments_assignee ON assignments (assignee_tenant_id, assignee_staff_id, status)`.execute(
    db,
  );
  // the assignee finds an assignment by its id alone (it does not know the assigner's tenant up front)
  await sql`CREATE INDEX assignments_id ON assignments (id)`.execute(db);
  // the same person or desk is not assigned the same task on one topic twice while it is open
  await sql`
    CREATE UNIQUE INDEX assignments_open_once ON assignments (tenant_id, topic_id, assignee_tenant_id, coalesce(assignee_staff_id, '00000000-0000-0000-0000-000000000000'::uuid), task)
    WHERE status IN ('assigned', 'accepted')`.execute(db);
  await sql`
    ALTER TABLE topics ADD FOREIGN KEY (upstream_tenant_id, upstream_assignment_id)
      REFERENCES assignments(tenant_id, id) ON DELETE SET NULL (upstream_tenant_id, upstream_assignment_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE pitches (
      -- the pitching tenant
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      topic_id uuid NOT NULL,
      -- an ancestor, which decides
      to_tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      -- one of the ancestor's campaigns, when pitched into one
      campaign_id uuid,
      note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
      pitched_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      pitched_by_name text NOT NULL DEFAULT '' CHECK (char_length(pitched_by_name) <= 100),
      decided_at timestamptz,
      decided_by_name text CHECK (char_length(decided_by_name) <= 100),
      decision_note text CHECK (char_length(decision_note) <= 300),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, topic_id) REFERENCES topics(tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (to_tenant_id, campaign_id) REFERENCES campaigns(tenant_id, id) ON DELETE SET NULL (campaign_id),
      CHECK (to_tenant_id <> tenant_id),
      CHECK (status <> 'declined' OR decision_note IS NOT NULL)
    )`.execute(db);
  // one live pitch of a topic to one ancestor
  await sql`CREATE UNIQUE INDEX pitches_live ON pitches (tenant_id, topic_id, to_tenant_id) WHERE status IN ('pending', 'accepted')`.execute(
    db,
  );
  await sql`CREATE INDEX pitches_inbox ON pitches (to_tenant_id, status, created_at DESC)`.execute(db);
  await sql`CREATE INDEX pitches_id ON pitches (id)`.execute(db);

  // The tree, as the last line behind the code's checks: an assignment goes to the tenant itself or
  // a descendant, a pitch to a proper ancestor.
  await sql`
    CREATE FUNCTION planning_tree_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_TABLE_NAME = 'assignments' THEN
        IF NOT EXISTS (SELECT 1 FROM tenant_tree WHERE ancestor_id = NEW.tenant_id AND descendant_id = NEW.assignee_tenant_id) THEN
          RAISE EXCEPTION 'an assignment goes to the tenant itself or one of its descendants' USING ERRCODE = '23514';
        END IF;
      ELSIF NOT EXISTS (SELECT 1 FROM tenant_tree WHERE ancestor_id = NEW.to_tenant_id AND descendant_id = NEW.tenant_id AND depth > 0) THEN
        RAISE EXCEPTION 'a pitch goes to an ancestor' USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER assignments_tree BEFORE INSERT OR UPDATE OF tenant_id, assignee_tenant_id ON assignments FOR EACH ROW EXECUTE FUNCTION planning_tree_check()`.execute(
    db,
  );
  await sql`CREATE TRIGGER pitches_tree BEFORE INSERT OR UPDATE OF tenant_id, to_tenant_id ON pitches FOR EACH ROW EXECUTE FUNCTION planning_tree_check()`.execute(
    db,
  );

  // The other party's answer: in a scope other than the row's own tenant (the assignee tenant of a
  // desk assignment, the receiver of a pitch) only the answer columns change, and only while the
  // row waits for that answer: an open assignment becomes accepted (a story filed on it too) or
  // declined; a pending pitch becomes accepted or declined. A cancelled assignment, a withdrawn or
  // decided pitch, stays as it is.
  await sql`
    CREATE FUNCTION planning_answer_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      answer text[];
      waiting text[];
    BEGIN
      IF app_is_platform() OR OLD.tenant_id = app_tenant() THEN
        RETURN NEW;
      END IF;
      IF TG_TABLE_NAME = 'assignments' THEN
        answer := ARRAY['status', 'answered_at', 'answered_by_name', 'decline_reason', 'story_id', 'story_title', 'filed_at', 'filed_by_name', 'updated_at'];
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
  await sql`CREATE TRIGGER assignments_answer_guard BEFORE UPDATE ON assignments FOR EACH ROW EXECUTE FUNCTION planning_answer_guard()`.execute(
    db,
  );
  await sql`CREATE TRIGGER pitches_answer_guard BEFORE UPDATE ON pitches FOR EACH ROW EXECUTE FUNCTION planning_answer_guard()`.execute(
    db,
  );

  const tables = ['campaigns', 'topics', 'assignments', 'pitches'];
  for (const t of tables) {
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${sql.table(t)} TO yiduan_app`.execute(db);
    await sql`ALTER TABLE ${sql.table(t)} ENABLE ROW LEVEL SECURITY`.execute(db);
    // written by the owning tenant (or the platform); read by it and its ancestors
    await sql`
      CREATE POLICY own_write ON ${sql.table(t)} FOR ALL
      USING (app_is_platform() OR tenant_id = app_tenant())
      WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
    await sql`CREATE POLICY tree_read ON ${sql.table(t)} FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
  }
  // a campaign that reaches down is read by its descendants (they name it and pitch into it)
  await sql`
    CREATE POLICY reach_read ON campaigns FOR SELECT
    USING (reach = 'subtree' AND tenant_id IN (SELECT ancestor_id FROM tenant_tree WHERE descendant_id = app_tenant() AND depth > 0))`.execute(
    db,
  );
  // a desk assignment is read and answered by its assignee tenant
  await sql`CREATE POLICY assignee_read ON assignments FOR SELECT USING (assignee_tenant_id = app_tenant())`.execute(
    db,
  );
  await sql`
    CREATE POLICY assignee_answer ON assignments FOR UPDATE
    USING (assignee_tenant_id = app_tenant()) WITH CHECK (assignee_tenant_id = app_tenant())`.execute(db);
  // a pitch is answered by the ancestor it went to (which reads it through tree_read)
  await sql`
    CREATE POLICY receiver_answer ON pitches FOR UPDATE
    USING (to_tenant_id = app_tenant()) WITH CHECK (to_tenant_id = app_tenant())`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE IF EXISTS topics DROP CONSTRAINT IF EXISTS topics_upstream_tenant_id_upstream_assignment_id_fkey`.execute(
    db,
  );
  await sql`DROP TABLE IF EXISTS pitches, assignments, topics, campaigns`.execute(db);
  await sql`DROP FUNCTION IF EXISTS planning_answer_guard(), planning_tree_check()`.execute(db);
}

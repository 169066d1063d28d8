import { sql, type Kysely } from 'kysely';

// Closures of government new-media accounts (关停并转): a tenant proposes closing or merging one of
// its accounts, its parent decides, the tenant's face carries the stop-update notice (停更公告, a
// story), the account's content may be imported into the unit's column as stories with their old
// addresses redirected, 注销 is recorded, and the filing to the national system is tracked.
// The owning tenant reads and writes; its ancestors read; the direct parent may only decide a
// proposal (a trigger holds it to the decision columns); siblings see nothing.

const SEES = (col: string) =>
  sql.raw(`(app_is_platform() OR ${col} IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = app_tenant()))`);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE gov_account_closures (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('close', 'merge')),
      -- the successor named by the notice: the tenant's face (its column for the unit) or a kept account
      successor_account_id uuid,
      section_id uuid,
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
      status text NOT NULL DEFAULT 'proposed'
        CHECK (status IN ('proposed', 'approved', 'declined', 'withdrawn', 'noticed', 'deregistered', 'filed')),
      proposed_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      proposed_by_name text NOT NULL,
      proposed_at timestamptz NOT NULL DEFAULT now(),
      decided_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      decided_by_name text,
      decider_tenant_id uuid REFERENCES tenants(id),
      decided_at timestamptz,
      decision_note text NOT NULL DEFAULT '' CHECK (length(decision_note) <= 500),
      notice_story_id uuid,
      notice_drafted_at timestamptz,
      notice_published_at timestamptz,
      deregistered_at timestamptz,
      deregistered_by_name text,
      filing_due date,
      filed_at timestamptz,
      filing_ref text CHECK (length(filing_ref) <= 100),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, account_id) REFERENCES gov_accounts(tenant_id, id) ON DELETE CASCADE,
      -- a kept account of the same tenant (another tenant's account cannot be named)
      FOREIGN KEY (tenant_id, successor_account_id) REFERENCES gov_accounts(tenant_id, id),
      FOREIGN KEY (tenant_id, section_id) REFERENCES sections(tenant_id, id),
      FOREIGN KEY (tenant_id, notice_story_id) REFERENCES stories(tenant_id, id),
      CHECK (successor_account_id IS NULL OR kind = 'merge'),
      CHECK (successor_account_id IS DISTINCT FROM account_id),
      CHECK ((status IN ('proposed', 'withdrawn')) OR decided_at IS NOT NULL),
      CHECK (status NOT IN ('deregistered', 'filed') OR (deregistered_at IS NOT NULL AND filing_due IS NOT NULL AND notice_published_at IS NOT NULL)),
      CHECK (status <> 'filed' OR filed_at IS NOT NULL)
    )`.execute(db);
  // one open closure per account (declined and withdrawn ones are history)
  await sql`CREATE UNIQUE INDEX gov_account_closures_open ON gov_account_closures (tenant_id, account_id) WHERE status NOT IN ('declined', 'withdrawn')`.execute(
    db,
  );
  await sql`CREATE INDEX gov_account_closures_status ON gov_account_closures (tenant_id, status, proposed_at DESC)`.execute(
    db,
  );

  // What was imported from the closed account: one row per item, the story it became, its old address
  await sql`
    CREATE TABLE gov_account_closure_items (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      closure_id uuid NOT NULL,
      story_id uuid NOT NULL,
      original_url text NOT NULL CHECK (original_url ~ '^https?://' AND length(original_url) <= 1000),
      original_at timestamptz NOT NULL,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      published_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, closure_id, original_url),
      FOREIGN KEY (tenant_id, closure_id) REFERENCES gov_account_closures(tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, story_id) REFERENCES stories(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);

  // Old addresses the platform served (a path on one of the tenant's face hosts) and the story now
  // holding the content: the face answers them with a permanent redirect once the story is public.
  await sql`
    CREATE TABLE content_redirects (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      path text NOT NULL CHECK (path ~ '^/' AND length(path) <= 1000),
      story_id uuid NOT NULL,
      closure_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, path),
      FOREIGN KEY (tenant_id, story_id) REFERENCES stories(tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, closure_id) REFERENCES gov_account_closures(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);

  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON gov_account_closures, gov_account_closure_items, content_redirects TO yiduan_app`.execute(
    db,
  );
  for (const t of ['gov_account_closures', 'gov_account_closure_items', 'content_redirects']) {
    await sql`ALTER TABLE ${sql.table(t)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY own_write ON ${sql.table(t)} FOR ALL
      USING (app_is_platform() OR tenant_id = app_tenant())
      WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  }
  await sql`CREATE POLICY tree_read ON gov_account_closures FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
  await sql`CREATE POLICY tree_read ON gov_account_closure_items FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
  // the direct parent decides a proposal of its child (the trigger below limits what it may change)
  await sql`
    CREATE POLICY parent_decides ON gov_account_closures FOR UPDATE
    USING (tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = app_tenant() AND depth = 1))
    WITH CHECK (tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = app_tenant() AND depth = 1))`.execute(
    db,
  );
  // a redirect is a public answer of a public face: anyone may read it, only its tenant writes it
  await sql`CREATE POLICY public_read ON content_redirects FOR SELECT USING (true)`.execute(db);

  await sql`
    CREATE FUNCTION gov_account_closures_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE decision text[] := ARRAY['status', 'decided_by', 'decided_by_name', 'decider_tenant_id', 'decided_at', 'decision_note', 'updated_at'];
    BEGIN
      IF app_is_platform() OR NEW.tenant_id = app_tenant() THEN
        RETURN NEW;
      END IF;
      -- an ancestor only turns a proposal into a decision, and changes nothing else
      IF OLD.status <> 'proposed' OR NEW.status NOT IN ('approved', 'declined') OR NEW.decider_tenant_id IS DISTINCT FROM app_tenant()
         OR (to_jsonb(NEW) - decision) <> (to_jsonb(OLD) - decision) THEN
        RAISE EXCEPTION 'a parent tenant may only decide a proposed closure' USING ERRCODE = '42501';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER gov_account_closures_guard BEFORE UPDATE ON gov_account_closures FOR EACH ROW EXECUTE FUNCTION gov_account_closures_guard()`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS content_redirects, gov_account_closure_items, gov_account_closures`.execute(db);
  await sql`DROP FUNCTION IF EXISTS gov_account_closures_guard()`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Newsroom: staff identity and grants, operator organisations, units, sections,
// stories with revisions, review chain, corrections, assets, terminology rules.
// Big tenant-owned tables lead their primary key with tenant_id (Citus-ready).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION app_staff() RETURNS uuid LANGUAGE sql STABLE AS
    $$ SELECT nullif(current_setting('app.staff_id', true), '')::uuid $$`.execute(db);

  // Operator organisations (代运营): act on several tenants while their qualification is valid.
  await sql`
    CREATE TABLE organisations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      licence_no text NOT NULL CHECK (char_length(licence_no) BETWEEN 1 AND 64),
      valid_until date NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // Staff are platform-wide people; what they may do is in grants, per tenant.
  await sql`
    CREATE TABLE staff (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      login text NOT NULL UNIQUE CHECK (login = lower(login) AND login ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
      display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 40),
      password_hash text NOT NULL,
      is_operator boolean NOT NULL DEFAULT false,
      org_id uuid REFERENCES organisations(id) ON DELETE SET NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_login_at timestamptz
    )`.execute(db);

  await sql`
    CREATE TABLE staff_sessions (
      id text PRIMARY KEY,
      staff_id uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      ip text,
      user_agent text
    )`.execute(db);
  await sql`CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id) WHERE revoked_at IS NULL`.execute(db);

  await sql`
    CREATE TABLE units (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      slug text NOT NULL CHECK (slug ~ '^[a-z][a-z0-9-]{1,39}$'),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
      kind text NOT NULL CHECK (kind IN ('bureau', 'township', 'institution', 'enterprise', 'other')),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, slug)
    )`.execute(db);

  await sql`
    CREATE TABLE grants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      staff_id uuid REFERENCES staff(id) ON DELETE CASCADE,
      org_id uuid REFERENCES organisations(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('reporter', 'editor', 'reviewer', 'chief_editor', 'tenant_admin')),
      unit_id uuid,
      granted_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      CHECK ((staff_id IS NULL) <> (org_id IS NULL)),
      FOREIGN KEY (tenant_id, unit_id) REFERENCES units(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX grants_staff ON grants (staff_id, tenant_id) WHERE revoked_at IS NULL`.execute(db);
  await sql`CREATE INDEX grants_org ON grants (org_id, tenant_id) WHERE revoked_at IS NULL`.execute(db);
  await sql`CREATE INDEX grants_tenant ON grants (tenant_id) WHERE revoked_at IS NULL`.execute(db);
  await sql`
    CREATE UNIQUE INDEX grants_unique_active ON grants (tenant_id, coalesce(staff_id, org_id), role, coalesce(unit_id, '00000000-0000-0000-0000-000000000000'))
    WHERE revoked_at IS NULL`.execute(db);

  // The review chain: 1 to 3 steps, each naming the role that signs it.
  await sql`
    CREATE TABLE review_chains (
      tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
      steps text[] NOT NULL CHECK (cardinality(steps) BETWEEN 1 AND 3
        AND steps <@ ARRAY['editor', 'reviewer', 'chief_editor']::text[]),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE sections (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      slug text NOT NULL CHECK (slug ~ '^[a-z][a-z0-9-]{0,39}$'),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 20),
      position int NOT NULL DEFAULT 0,
      review_steps text[] CHECK (review_steps IS NULL OR (cardinality(review_steps) BETWEEN 1 AND 3
        AND review_steps <@ ARRAY['editor', 'reviewer', 'chief_editor']::text[])),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, slug)
    )`.execute(db);

  await sql`
    CREATE TABLE assets (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      kind text NOT NULL DEFAULT 'image' CHECK (kind IN ('image')),
      mime text NOT NULL,
      bytes int NOT NULL CHECK (bytes > 0),
      width int NOT NULL CHECK (width > 0),
      height int NOT NULL CHECK (height > 0),
      storage_key text NOT NULL,
      original_name text NOT NULL DEFAULT '',
      alt text NOT NULL DEFAULT '',
      shared boolean NOT NULL DEFAULT false,
      created_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX assets_shared ON assets (created_at DESC) WHERE shared`.execute(db);
  await sql`CREATE INDEX assets_tenant_recent ON assets (tenant_id, created_at DESC, id DESC)`.execute(db);

  await sql`
    CREATE TABLE stories (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      kind text NOT NULL CHECK (kind IN ('article', 'video', 'gallery', 'link')),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'approved', 'scheduled', 'published')),
      section_id uuid,
      unit_id uuid,
      current_revision int NOT NULL DEFAULT 1,
      -- the revision under review and the step it waits for (1-based), while in_review
      review_revision int,
      review_step int,
      review_steps text[],
      published_revision int,
      scheduled_at timestamptz,
      first_published_at timestamptz,
      published_at timestamptz,
      retracted_at timestamptz,
      retraction_reason text,
      created_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, section_id) REFERENCES sections(tenant_id, id),
      FOREIGN KEY (tenant_id, unit_id) REFERENCES units(tenant_id, id),
      CHECK (retracted_at IS NULL OR retraction_reason IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX stories_tenant_status ON stories (tenant_id, status, updated_at DESC)`.execute(db);
  await sql`CREATE INDEX stories_public ON stories (tenant_id, published_at DESC) WHERE published_revision IS NOT NULL AND retracted_at IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX stories_unit ON stories (tenant_id, unit_id, updated_at DESC)`.execute(db);

  await sql`
    CREATE TABLE story_revisions (
      tenant_id uuid NOT NULL,
      story_id uuid NOT NULL,
      number int NOT NULL CHECK (number >= 1),
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
      subtitle text NOT NULL DEFAULT '',
      summary text NOT NULL DEFAULT '',
      cover_asset_id uuid,
      tags text[] NOT NULL DEFAULT '{}',
      author_line text NOT NULL DEFAULT '',
      link_url text,
      body jsonb NOT NULL CHECK (jsonb_typeof(body) = 'array'),
      created_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, story_id, number),
      FOREIGN KEY (tenant_id, story_id) REFERENCES stories(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);

  // Every review-chain event, kept: who, when, what revision, decision, comment.
  await sql`
    CREATE TABLE review_events (
      tenant_id uuid NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      story_id uuid NOT NULL,
      revision int NOT NULL,
      step int,
      action text NOT NULL CHECK (action IN ('submit', 'approve', 'reject', 'withdraw', 'schedule', 'publish', 'unpublish', 'correct', 'retract')),
      actor_id uuid REFERENCES staff(id) ON DELETE SET NULL,
      actor_name text NOT NULL,
      comment text NOT NULL DEFAULT '',
      at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, story_id) REFERENCES stories(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX review_events_story ON review_events (tenant_id, story_id, id)`.execute(db);

  await sql`
    CREATE TABLE story_corrections (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      story_id uuid NOT NULL,
      revision int NOT NULL,
      note text NOT NULL CHECK (char_length(note) BETWEEN 1 AND 500),
      created_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, story_id) REFERENCES stories(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);

  await sql`
    CREATE TABLE terminology_rules (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      pattern text NOT NULL CHECK (char_length(pattern) BETWEEN 1 AND 200),
      kind text NOT NULL CHECK (kind IN ('literal', 'regex')),
      replacement text,
      severity text NOT NULL CHECK (severity IN ('block', 'warn')),
      note text NOT NULL DEFAULT '',
      enabled boolean NOT NULL DEFAULT true,
      created_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);

  const tenantPrivate = [
    'units',
    'grants',
    'review_chains',
    'sections',
    'assets',
    'stories',
    'story_revisions',
    'review_events',
    'story_corrections',
    'terminology_rules',
  ];
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON organisations, staff, staff_sessions TO yiduan_app`.execute(db);
  for (const t of tenantPrivate) {
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${sql.table(t)} TO yiduan_app`.execute(db);
  }
  await sql`REVOKE UPDATE, DELETE ON review_events FROM yiduan_app`.execute(db);
  await sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO yiduan_app`.execute(db);

  for (const t of ['organisations', 'staff', 'staff_sessions', ...tenantPrivate]) {
    await sql`ALTER TABLE ${sql.table(t)} ENABLE ROW LEVEL SECURITY`.execute(db);
  }
  // identity tables: the auth layer works in platform scope; a signed-in person reads their own row
  await sql`CREATE POLICY platform_all ON organisations FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
    db,
  );
  await sql`CREATE POLICY platform_all ON staff_sessions FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
    db,
  );
  await sql`CREATE POLICY platform_all ON staff FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
    db,
  );
  await sql`
    CREATE POLICY colleagues_read ON staff FOR SELECT USING (
      id = app_staff()
      OR EXISTS (SELECT 1 FROM grants g WHERE g.tenant_id = app_tenant() AND g.revoked_at IS NULL
                 AND (g.staff_id = staff.id OR (staff.org_id IS NOT NULL AND g.org_id = staff.org_id))))`.execute(db);
  await sql`CREATE POLICY org_read ON organisations FOR SELECT USING (
      EXISTS (SELECT 1 FROM grants g WHERE g.tenant_id = app_tenant() AND g.org_id = organisations.id))`.execute(db);

  // tenant-private tables: own tenant, or platform scope
  for (const t of [
    'units',
    'grants',
    'review_chains',
    'sections',
    'assets',
    'stories',
    'story_revisions',
    'review_events',
    'story_corrections',
    'terminology_rules',
  ]) {
    await sql`
      CREATE POLICY own_tenant ON ${sql.table(t)} FOR ALL
      USING (app_is_platform() OR tenant_id = app_tenant())
      WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  }
  // public reads: what faces show
  await sql`CREATE POLICY public_read ON units FOR SELECT USING (status <> 'closed')`.execute(db);
  await sql`CREATE POLICY public_read ON sections FOR SELECT USING (true)`.execute(db);
  // published stories are public; a retracted one stays visible as a row (not its text) so
  // that its URL can answer 410 with the notice instead of a plain 404
  await sql`CREATE POLICY public_read ON stories FOR SELECT USING ((published_revision IS NOT NULL AND retracted_at IS NULL) OR (retracted_at IS NOT NULL AND first_published_at IS NOT NULL))`.execute(
    db,
  );
  await sql`
    CREATE POLICY public_read ON story_revisions FOR SELECT USING (EXISTS (
      SELECT 1 FROM stories s WHERE s.tenant_id = story_revisions.tenant_id AND s.id = story_revisions.story_id
        AND s.published_revision = story_revisions.number AND s.retracted_at IS NULL))`.execute(db);
  await sql`
    CREATE POLICY public_read ON story_corrections FOR SELECT USING (EXISTS (
      SELECT 1 FROM stories s WHERE s.tenant_id = story_corrections.tenant_id AND s.id = story_corrections.story_id
        AND s.published_revision IS NOT NULL AND s.retracted_at IS NULL))`.execute(db);
  // shared assets serve the whole tree (resource connectivity)
  await sql`CREATE POLICY shared_read ON assets FOR SELECT USING (shared)`.execute(db);
  // the province's rules apply to every descendant: a tenant reads its ancestors' rules
  await sql`
    CREATE POLICY inherited_read ON terminology_rules FOR SELECT USING (tenant_id IN (
      SELECT ancestor_id FROM tenant_tree WHERE descendant_id = app_tenant()))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'terminology_rules',
    'story_corrections',
    'review_events',
    'story_revisions',
    'stories',
    'assets',
    'sections',
    'review_chains',
    'grants',
    'units',
    'staff_sessions',
    'staff',
    'organisations',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)} CASCADE`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS app_staff`.execute(db);
}

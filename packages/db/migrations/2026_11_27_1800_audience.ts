import { sql, type Kysely } from 'kysely';

// Audience: one citizen account for every face (platform-owned), and what each
// tenant owns of its audience: memberships (follows) with consents, comments on
// its face, and messages (留言) to it or its units.
//
// A citizen acts in "citizen scope": app.citizen_id set for the transaction.
// Sign-in machinery (sessions, codes, authorization codes) is platform-only.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION app_citizen() RETURNS uuid LANGUAGE sql STABLE AS
    $$ SELECT nullif(current_setting('app.citizen_id', true), '')::uuid $$`.execute(db);

  await sql`
    CREATE TABLE citizens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- normalised: +86 mobile numbers as 11 digits, e-mail lower-cased
      phone text UNIQUE CHECK (phone ~ '^1[3-9][0-9]{9}$'),
      email text UNIQUE CHECK (email = lower(email) AND length(email) <= 254),
      password_hash text,
      display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 40),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz,
      CHECK (status = 'deleted' OR phone IS NOT NULL OR email IS NOT NULL),
      -- a deleted account keeps no way to reach or identify its person
      CHECK (status = 'active' OR (phone IS NULL AND email IS NULL AND password_hash IS NULL))
    )`.execute(db);

  // central (on the sign-in host) and face sessions; a face session hangs off the central one,
  // so signing out centrally ends it everywhere
  await sql`
    CREATE TABLE citizen_sessions (
      id text PRIMARY KEY,
      citizen_id uuid NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('central', 'face')),
      central_id text REFERENCES citizen_sessions(id) ON DELETE CASCADE,
      host text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      ip text,
      user_agent text,
      CHECK ((kind = 'central') = (central_id IS NULL))
    )`.execute(db);
  await sql`CREATE INDEX citizen_sessions_citizen ON citizen_sessions (citizen_id) WHERE revoked_at IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX citizen_sessions_central ON citizen_sessions (central_id) WHERE central_id IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE citizen_codes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      destination text NOT NULL,
      code_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      attempts int NOT NULL DEFAULT 0,
      consumed_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX citizen_codes_destination ON citizen_codes (destination, created_at DESC)`.execute(db);

  // authorization codes of the sign-in flow (single use, bound to a PKCE challenge and a redirect URI)
  await sql`
    CREATE TABLE sso_codes (
      code_hash text PRIMARY KEY,
      citizen_id uuid NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
      central_id text NOT NULL REFERENCES citizen_sessions(id) ON DELETE CASCADE,
      client_host text NOT NULL,
      redirect_uri text NOT NULL,
      code_challenge text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    )`.execute(db);

  await sql`
    CREATE TABLE memberships (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      citizen_id uuid NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
      unit_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, unit_id) REFERENCES units(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`
    CREATE UNIQUE INDEX memberships_one_active ON memberships
      (tenant_id, citizen_id, coalesce(unit_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE ended_at IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX memberships_citizen ON memberships (citizen_id)`.execute(db);
  await sql`CREATE INDEX memberships_tenant_created ON memberships (tenant_id, created_at)`.execute(db);

  // consents are an append-only record: the newest row per (membership, purpose) is the current state
  await sql`
    CREATE TABLE membership_consents (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id bigint GENERATED ALWAYS AS IDENTITY,
      membership_id uuid NOT NULL,
      purpose text NOT NULL CHECK (purpose IN ('news', 'contact', 'share_parent')),
      granted boolean NOT NULL,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX membership_consents_current ON membership_consents (tenant_id, membership_id, purpose, id DESC)`.execute(
    db,
  );

  await sql`
    CREATE TABLE comments (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      story_tenant_id uuid NOT NULL,
      story_id uuid NOT NULL,
      parent_id uuid,
      citizen_id uuid REFERENCES citizens(id) ON DELETE SET NULL,
      staff_id uuid REFERENCES staff(id),
      author_name text NOT NULL,
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
      official boolean NOT NULL DEFAULT false,
      status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'hidden')),
      held_reason text,
      findings jsonb NOT NULL DEFAULT '[]',
      moderated_by uuid REFERENCES staff(id),
      moderated_at timestamptz,
      moderation_note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (story_tenant_id, story_id) REFERENCES stories(tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, parent_id) REFERENCES comments(tenant_id, id) ON DELETE CASCADE,
      CHECK (official = (staff_id IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX comments_story ON comments (tenant_id, story_tenant_id, story_id, created_at) WHERE status = 'approved'`.execute(
    db,
  );
  await sql`CREATE INDEX comments_pending ON comments (tenant_id, created_at) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX comments_citizen ON comments (citizen_id)`.execute(db);

  await sql`
    CREATE TABLE comment_reports (
      tenant_id uuid NOT NULL,
      comment_id uuid NOT NULL,
      citizen_id uuid NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, comment_id, citizen_id),
      FOREIGN KEY (tenant_id, comment_id) REFERENCES comments(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);

  await sql`
    CREATE TABLE citizen_messages (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      -- 编号 shown to the citizen, unique per tenant
      serial text NOT NULL,
      unit_id uuid,
      citizen_id uuid REFERENCES citizens(id) ON DELETE SET NULL,
      category text NOT NULL CHECK (category IN ('consultation', 'complaint', 'suggestion', 'help')),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 3000),
      photos uuid[] NOT NULL DEFAULT '{}',
      contact_name text,
      contact_phone text,
      allow_public boolean NOT NULL DEFAULT false,
      status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'assigned', 'replied', 'closed')),
      assignee_id uuid REFERENCES staff(id),
      due_at timestamptz NOT NULL,
      reply text,
      reply_public boolean NOT NULL DEFAULT false,
      replied_by uuid REFERENCES staff(id),
      replied_at timestamptz,
      rating smallint CHECK (rating BETWEEN 1 AND 5),
      rated_at timestamptz,
      closed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, serial),
      FOREIGN KEY (tenant_id, unit_id) REFERENCES units(tenant_id, id),
      CHECK (NOT reply_public OR allow_public),
      CHECK ((status IN ('replied', 'closed')) = (reply IS NOT NULL) OR status = 'closed')
    )`.execute(db);
  await sql`CREATE INDEX citizen_messages_open ON citizen_messages (tenant_id, due_at) WHERE status IN ('received', 'assigned')`.execute(
    db,
  );
  await sql`CREATE INDEX citizen_messages_public ON citizen_messages (tenant_id, replied_at DESC) WHERE reply_public`.execute(
    db,
  );
  await sql`CREATE INDEX citizen_messages_citizen ON citizen_messages (citizen_id)`.execute(db);

  // every status change of a message, with who made it
  await sql`
    CREATE TABLE citizen_message_events (
      tenant_id uuid NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      message_id uuid NOT NULL,
      from_status text,
      to_status text NOT NULL,
      staff_id uuid REFERENCES staff(id),
      by_citizen boolean NOT NULL DEFAULT false,
      note text,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, message_id) REFERENCES citizen_messages(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);

  // each tenant's own rules for its audience
  await sql`
    CREATE TABLE audience_settings (
      tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
      -- every comment waits for an editor (comments on units' stories always do)
      comments_premoderated boolean NOT NULL DEFAULT false,
      comments_enabled boolean NOT NULL DEFAULT true,
      -- the service level for messages: answered within this many working days
      message_due_days int NOT NULL DEFAULT 5 CHECK (message_due_days BETWEEN 1 AND 60),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  const tenantOwned = [
    'audience_settings',
    'memberships',
    'membership_consents',
    'comments',
    'comment_reports',
    'citizen_messages',
    'citizen_message_events',
  ];
  const platformOnly = ['citizen_sessions', 'citizen_codes', 'sso_codes'];
  for (const t of [...tenantOwned, ...platformOnly, 'citizens']) {
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${sql.table(t)} TO yiduan_app`.execute(db);
    await sql`ALTER TABLE ${sql.table(t)} ENABLE ROW LEVEL SECURITY`.execute(db);
  }
  await sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO yiduan_app`.execute(db);
  for (const t of tenantOwned) {
    await sql`
      CREATE POLICY own_tenant ON ${sql.table(t)} FOR ALL
      USING (app_is_platform() OR tenant_id = app_tenant())
      WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  }
  for (const t of platformOnly) {
    await sql`CREATE POLICY platform_all ON ${sql.table(t)} FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
      db,
    );
  }

  // citizens: the platform (sign-in), the citizen themself, and the tenants they follow (members list)
  await sql`CREATE POLICY platform_all ON citizens FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
    db,
  );
  await sql`CREATE POLICY self ON citizens FOR ALL USING (id = app_citizen()) WITH CHECK (id = app_citizen())`.execute(
    db,
  );
  await sql`
    CREATE POLICY member_of ON citizens FOR SELECT USING (EXISTS (
      SELECT 1 FROM memberships m WHERE m.citizen_id = citizens.id AND m.tenant_id = app_tenant()))`.execute(db);

  // a citizen's own rows in tenant-owned tables
  for (const t of ['memberships', 'comments', 'comment_reports', 'citizen_messages']) {
    await sql`CREATE POLICY citizen_self ON ${sql.table(t)} FOR ALL USING (citizen_id = app_citizen()) WITH CHECK (citizen_id = app_citizen())`.execute(
      db,
    );
  }
  await sql`
    CREATE POLICY citizen_self ON membership_consents FOR ALL
    USING (EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = membership_consents.tenant_id AND m.id = membership_consents.membership_id AND m.citizen_id = app_citizen()))
    WITH CHECK (EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = membership_consents.tenant_id AND m.id = membership_consents.membership_id AND m.citizen_id = app_citizen()))`.execute(
    db,
  );
  await sql`
    CREATE POLICY citizen_self ON citizen_message_events FOR SELECT
    USING (EXISTS (SELECT 1 FROM citizen_messages m WHERE m.tenant_id = citizen_message_events.tenant_id AND m.id = citizen_message_events.message_id AND m.citizen_id = app_citizen()))`.execute(
    db,
  );
  await sql`
    CREATE POLICY citizen_append ON citizen_message_events FOR INSERT
    WITH CHECK (by_citizen AND staff_id IS NULL AND EXISTS (SELECT 1 FROM citizen_messages m WHERE m.tenant_id = citizen_message_events.tenant_id AND m.id = citizen_message_events.message_id AND m.citizen_id = app_citizen()))`.execute(
    db,
  );

  await sql`CREATE POLICY public_read ON audience_settings FOR SELECT USING (true)`.execute(db);
  // a citizen's action may announce itself to the worker (a comment shown, a message received),
  // and nothing else: the topics are fixed here
  await sql`
    CREATE POLICY citizen_enqueue ON outbox FOR INSERT
    WITH CHECK (app_citizen() IS NOT NULL AND topic IN ('comments.changed', 'message.received'))`.execute(db);
  // what faces show to everyone: approved comments, replies the citizen agreed to publish
  await sql`CREATE POLICY public_read ON comments FOR SELECT USING (status = 'approved')`.execute(db);
  await sql`CREATE POLICY public_read ON citizen_messages FOR SELECT USING (reply_public AND status IN ('replied', 'closed'))`.execute(
    db,
  );

  // Ancestors see counts and trends of their descendants' audiences, never the member lists:
  // a definer function returning figures only, checked against the caller's tenant.
  await sql`
    CREATE FUNCTION audience_counts(target uuid, since timestamptz)
    RETURNS TABLE (members bigint, gained bigint, lost bigint, comments bigint, messages bigint, overdue bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT
        (SELECT count(*) FROM memberships m WHERE m.tenant_id = target AND m.ended_at IS NULL),
        (SELECT count(*) FROM memberships m WHERE m.tenant_id = target AND m.created_at >= since),
        (SELECT count(*) FROM memberships m WHERE m.tenant_id = target AND m.ended_at >= since),
        (SELECT count(*) FROM comments c WHERE c.tenant_id = target AND c.created_at >= since),
        (SELECT count(*) FROM citizen_messages x WHERE x.tenant_id = target AND x.created_at >= since),
        (SELECT count(*) FROM citizen_messages x WHERE x.tenant_id = target AND x.status IN ('received', 'assigned') AND x.due_at < now())
      WHERE app_is_platform() OR EXISTS (
        SELECT 1 FROM tenant_tree t WHERE t.ancestor_id = app_tenant() AND t.descendant_id = target)
    $$`.execute(db);
  // overdue messages of a tenant's subtree, without the citizen's text or contact details
  await sql`
    CREATE FUNCTION overdue_messages(root uuid)
    RETURNS TABLE (tenant_id uuid, id uuid, serial text, unit_id uuid, category text, status text, created_at timestamptz, due_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT x.tenant_id, x.id, x.serial, x.unit_id, x.category, x.status, x.created_at, x.due_at
        FROM tenant_tree t JOIN citizen_messages x ON x.tenant_id = t.descendant_id
       WHERE t.ancestor_id = root AND x.status IN ('received', 'assigned') AND x.due_at < now()
         AND (app_is_platform() OR root = app_tenant())
       ORDER BY x.due_at
    $$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION audience_counts(uuid, timestamptz), overdue_messages(uuid) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION audience_counts(uuid, timestamptz), overdue_messages(uuid) TO yiduan_app`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP POLICY IF EXISTS citizen_enqueue ON outbox`.execute(db);
  await sql`DROP FUNCTION IF EXISTS overdue_messages(uuid), audience_counts(uuid, timestamptz)`.execute(db);
  await sql`
    DROP TABLE IF EXISTS citizen_message_events, citizen_messages, comment_reports, comments,
      membership_consents, memberships, audience_settings, sso_codes, citizen_codes, citizen_sessions, citizens CASCADE`.execute(
    db,
  );
  await sql`DROP FUNCTION IF EXISTS app_citizen()`.execute(db);
}

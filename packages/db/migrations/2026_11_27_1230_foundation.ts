import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they take Kysely<any> on purpose so that they
// never depend on the application's evolving Database type (the lint config allows it here).

export const APP_ROLE = 'yiduan_app';

export async function up(db: Kysely<any>): Promise<void> {
  // The application role: not the owner, no superuser, no BYPASSRLS, so
  // row-level security always applies to it. Roles are cluster-wide.
  await sql`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yiduan_app') THEN
        CREATE ROLE yiduan_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF;
    END $$`.execute(db);
  await sql`GRANT USAGE ON SCHEMA public TO yiduan_app`.execute(db);

  // Session helpers read the per-transaction settings that withTenant / withPlatform set.
  await sql`
    CREATE FUNCTION app_tenant() RETURNS uuid LANGUAGE sql STABLE AS
    $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$`.execute(db);
  await sql`
    CREATE FUNCTION app_is_platform() RETURNS boolean LANGUAGE sql STABLE AS
    $$ SELECT coalesce(current_setting('app.platform', true), '') = 'on' $$`.execute(db);

  await sql`CREATE TYPE tenant_level AS ENUM ('province', 'city', 'county')`.execute(db);
  await sql`
    CREATE TABLE tenants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z][a-z0-9-]{1,39}$'),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
      level tenant_level NOT NULL,
      parent_id uuid REFERENCES tenants(id) ON DELETE RESTRICT,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
      settings jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX tenants_parent ON tenants (parent_id)`.execute(db);

  // Closure table: every (ancestor, descendant) pair including self at depth 0,
  // so "all descendants" and "all ancestors" are one indexed lookup each.
  await sql`
    CREATE TABLE tenant_tree (
      ancestor_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      descendant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      depth int NOT NULL CHECK (depth >= 0),
      PRIMARY KEY (ancestor_id, descendant_id)
    )`.execute(db);
  await sql`CREATE INDEX tenant_tree_descendant ON tenant_tree (descendant_id, depth)`.execute(db);

  // Level rules and acyclicity are enforced here as the last line of defence;
  // the domain layer checks first to give a precise error code.
  await sql`
    CREATE FUNCTION tenants_check_tree() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE parent_level tenant_level;
    BEGIN
      IF NEW.parent_id IS NULL THEN
        IF NEW.level <> 'province' THEN
          RAISE EXCEPTION 'tenant_level_rule: a % needs a parent', NEW.level USING ERRCODE = '23514';
        END IF;
      ELSE
        IF NEW.parent_id = NEW.id THEN
          RAISE EXCEPTION 'tenant_cycle: a tenant cannot be its own parent' USING ERRCODE = '23514';
        END IF;
        SELECT level INTO parent_level FROM tenants WHERE id = NEW.parent_id;
        IF NEW.level = 'province'
           OR (NEW.level = 'city' AND parent_level <> 'province')
           OR (NEW.level = 'county' AND parent_level NOT IN ('province', 'city')) THEN
          RAISE EXCEPTION 'tenant_level_rule: a % cannot sit under a %', NEW.level, parent_level USING ERRCODE = '23514';
        END IF;
        IF TG_OP = 'UPDATE' AND EXISTS (
          SELECT 1 FROM tenant_tree WHERE ancestor_id = NEW.id AND descendant_id = NEW.parent_id
        ) THEN
          RAISE EXCEPTION 'tenant_cycle: the new parent is a descendant' USING ERRCODE = '23514';
        END IF;
      END IF;
      IF TG_OP = 'UPDATE' AND NEW.level IS DISTINCT FROM OLD.level AND EXISTS (
        SELECT 1 FROM tenants c WHERE c.parent_id = NEW.id AND (
          c.level = 'province' OR NEW.level = 'county'
          OR (c.level = 'city' AND NEW.level <> 'province'))
      ) THEN
        RAISE EXCEPTION 'tenant_level_rule: children of % would break the level rules', NEW.slug USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER tenants_check_tree BEFORE INSERT OR UPDATE OF parent_id, level ON tenants
    FOR EACH ROW EXECUTE FUNCTION tenants_check_tree()`.execute(db);

  // SECURITY DEFINER: the closure rows are maintained by the owner, so the
  // application role only ever reads tenant_tree.
  await sql`
    CREATE FUNCTION tenants_maintain_tree() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO tenant_tree (ancestor_id, descendant_id, depth)
        SELECT ancestor_id, NEW.id, depth + 1 FROM tenant_tree WHERE descendant_id = NEW.parent_id
        UNION ALL SELECT NEW.id, NEW.id, 0;
      ELSIF NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
        -- move the subtree: cut links from old ancestors, join it under the new ones
        DELETE FROM tenant_tree t
         WHERE t.descendant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = NEW.id)
           AND t.ancestor_id NOT IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = NEW.id);
        INSERT INTO tenant_tree (ancestor_id, descendant_id, depth)
        SELECT a.ancestor_id, d.descendant_id, a.depth + d.depth + 1
          FROM tenant_tree a, tenant_tree d
         WHERE a.descendant_id = NEW.parent_id AND d.ancestor_id = NEW.id;
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER tenants_maintain_tree AFTER INSERT OR UPDATE OF parent_id ON tenants
    FOR EACH ROW EXECUTE FUNCTION tenants_maintain_tree()`.execute(db);

  await sql`
    CREATE TABLE tenant_domains (
      host text PRIMARY KEY CHECK (host = lower(host) AND host ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$'),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      is_primary boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX tenant_domains_one_primary ON tenant_domains (tenant_id) WHERE is_primary`.execute(db);
  await sql`CREATE INDEX tenant_domains_tenant ON tenant_domains (tenant_id)`.execute(db);
  // Exactly one primary among a tenant's domains, checked at commit so that a
  // primary can be moved inside one transaction.
  await sql`
    CREATE FUNCTION tenant_domains_check_primary() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE t uuid := coalesce(NEW.tenant_id, OLD.tenant_id);
    BEGIN
      IF EXISTS (SELECT 1 FROM tenant_domains WHERE tenant_id = t)
         AND NOT EXISTS (SELECT 1 FROM tenant_domains WHERE tenant_id = t AND is_primary) THEN
        RAISE EXCEPTION 'tenant_domain_primary: tenant % has domains but no primary', t USING ERRCODE = '23514';
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE CONSTRAINT TRIGGER tenant_domains_check_primary AFTER INSERT OR UPDATE OR DELETE ON tenant_domains
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tenant_domains_check_primary()`.execute(db);

  await sql`
    CREATE TABLE faces (
      tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
      site_name text NOT NULL CHECK (char_length(site_name) BETWEEN 1 AND 64),
      tagline text NOT NULL DEFAULT '',
      logo_url text,
      favicon_url text,
      theme jsonb NOT NULL CHECK (jsonb_typeof(theme) = 'object'),
      navigation jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(navigation) = 'array'),
      home_layout jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(home_layout) = 'array'),
      footer jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(footer) = 'object'),
      version int NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      tenant_id uuid REFERENCES tenants(id) ON DELETE SET NULL,
      topic text NOT NULL CHECK (topic ~ '^[a-z][a-z0-9_.]*$'),
      payload jsonb NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
      attempts int NOT NULL DEFAULT 0,
      available_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      processed_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX outbox_pending ON outbox (available_at, id) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX outbox_dead ON outbox (id) WHERE status = 'dead'`.execute(db);
  // Wake the worker at commit instead of making it poll fast.
  await sql`
    CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('outbox', ''); RETURN NULL; END $$`.execute(db);
  await sql`
    CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`.execute(db);
  // Receipts make every consumer idempotent: one row per (consumer, event).
  await sql`
    CREATE TABLE outbox_receipts (
      consumer text NOT NULL,
      event_id bigint NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`.execute(db);

  await sql`
    CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      tenant_id uuid REFERENCES tenants(id) ON DELETE RESTRICT,
      at timestamptz NOT NULL DEFAULT now(),
      actor_kind text NOT NULL,
      actor_id text,
      actor_name text,
      action text NOT NULL,
      target_kind text,
      target_id text,
      revision int,
      detail jsonb NOT NULL DEFAULT '{}'
    )`.execute(db);
  await sql`CREATE INDEX audit_log_tenant ON audit_log (tenant_id, at DESC)`.execute(db);
  await sql`CREATE INDEX audit_log_target ON audit_log (target_kind, target_id, at)`.execute(db);
  await sql`CREATE INDEX audit_log_actor ON audit_log (actor_id, at DESC)`.execute(db);

  // Privileges: the application role reads the public registry, writes through
  // policies, and may only append to the audit log.
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, tenant_domains, faces, outbox, outbox_receipts TO yiduan_app`.execute(
    db,
  );
  await sql`GRANT SELECT ON tenant_tree TO yiduan_app`.execute(db);
  await sql`GRANT SELECT, INSERT ON audit_log TO yiduan_app`.execute(db);
  await sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO yiduan_app`.execute(db);

  for (const table of ['tenants', 'tenant_tree', 'tenant_domains', 'faces', 'outbox', 'outbox_receipts', 'audit_log']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
  }
  // The registry (tenants, tree, domains, faces) is public: faces are public websites.
  for (const table of ['tenants', 'tenant_tree', 'tenant_domains', 'faces']) {
    await sql`CREATE POLICY public_read ON ${sql.table(table)} FOR SELECT USING (true)`.execute(db);
  }
  for (const table of ['tenants', 'tenant_domains']) {
    await sql`CREATE POLICY platform_write ON ${sql.table(table)} FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
      db,
    );
  }
  await sql`
    CREATE POLICY own_or_platform_write ON faces FOR ALL
    USING (app_is_platform() OR tenant_id = app_tenant())
    WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  await sql`
    CREATE POLICY enqueue ON outbox FOR INSERT
    WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  await sql`CREATE POLICY consume ON outbox FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
    db,
  );
  await sql`CREATE POLICY consume ON outbox_receipts FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
    db,
  );
  await sql`
    CREATE POLICY append ON audit_log FOR INSERT
    WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  await sql`
    CREATE POLICY read_own ON audit_log FOR SELECT
    USING (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'outbox_receipts', 'outbox', 'faces', 'tenant_domains', 'tenant_tree', 'tenants']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)} CASCADE`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS outbox_notify, tenant_domains_check_primary, tenants_maintain_tree, tenants_check_tree, app_is_platform, app_tenant`.execute(
    db,
  );
  await sql`DROP TYPE IF EXISTS tenant_level`.execute(db);
  // The role is cluster-wide and may serve other databases; it is left in place.
}

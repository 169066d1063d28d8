import { sql, type Kysely } from 'kysely';

// Agreements (用户协议, 隐私政策): each tenant's own texts, versioned. An edit is a draft (one per
// kind, the tenant's own); publishing it makes it the next version, readable by everyone and
// frozen from then on. A tenant without a published text shows the platform's default (version 0,
// in code). A citizen's acceptance of a version is an append-only record of the citizen's own.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE agreements (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('terms', 'privacy')),
      version int NOT NULL CHECK (version >= 1),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 30000),
      status text NOT NULL CHECK (status IN ('draft', 'published')),
      created_by uuid REFERENCES staff(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      PRIMARY KEY (tenant_id, kind, version),
      CHECK ((status = 'published') = (published_at IS NOT NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX agreements_one_draft ON agreements (tenant_id, kind) WHERE status = 'draft'`.execute(
    db,
  );
  await sql`GRANT SELECT, INSERT, UPDATE ON agreements TO yiduan_app`.execute(db);
  await sql`ALTER TABLE agreements ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`CREATE POLICY own_read ON agreements FOR SELECT USING (app_is_platform() OR tenant_id = app_tenant())`.execute(
    db,
  );
  await sql`CREATE POLICY own_insert ON agreements FOR INSERT WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(
    db,
  );
  // a published version is never rewritten: only the tenant's draft changes (and becomes published)
  await sql`
    CREATE POLICY own_draft ON agreements FOR UPDATE
    USING ((app_is_platform() OR tenant_id = app_tenant()) AND status = 'draft')
    WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  await sql`CREATE POLICY public_read ON agreements FOR SELECT USING (status = 'published')`.execute(db);

  await sql`
    CREATE TABLE agreement_acceptances (
      citizen_id uuid NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
      id bigint GENERATED ALWAYS AS IDENTITY,
      -- whose texts were shown (the face the citizen came from); null: the platform's own
      tenant_id uuid REFERENCES tenants(id) ON DELETE SET NULL,
      kind text NOT NULL CHECK (kind IN ('terms', 'privacy')),
      -- 0 is the platform's default text
      version int NOT NULL CHECK (version >= 0),
      accepted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (citizen_id, id)
    )`.execute(db);
  await sql`CREATE INDEX agreement_acceptances_tenant ON agreement_acceptances (tenant_id, kind, version) WHERE tenant_id IS NOT NULL`.execute(
    db,
  );
  await sql`GRANT SELECT, INSERT ON agreement_acceptances TO yiduan_app`.execute(db);
  await sql`ALTER TABLE agreement_acceptances ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`CREATE POLICY platform_all ON agreement_acceptances FOR ALL USING (app_is_platform()) WITH CHECK (app_is_platform())`.execute(
    db,
  );
  await sql`CREATE POLICY citizen_self ON agreement_acceptances FOR ALL USING (citizen_id = app_citizen()) WITH CHECK (citizen_id = app_citizen())`.execute(
    db,
  );
  await sql`CREATE POLICY tenant_read ON agreement_acceptances FOR SELECT USING (tenant_id = app_tenant())`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS agreement_acceptances, agreements`.execute(db);
}

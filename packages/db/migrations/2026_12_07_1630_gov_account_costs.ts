import { sql, type Kysely } from 'kysely';

// The yearly cost of keeping one government new-media account (a dedicated maintainer, e.g. 60,000
// yuan a year), set by a province or a city for its subtree; the dashboards multiply it by the
// accounts closed or merged (the cost avoided). The nearest setting up a tenant's chain applies.
// Written by its tenant; read by its subtree (it applies there) and its ancestors.

const SEES = (col: string) =>
  sql.raw(`(app_is_platform() OR ${col} IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = app_tenant()))`);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE gov_account_costs (
      tenant_id uuid NOT NULL PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
      yuan_per_year int NOT NULL CHECK (yuan_per_year BETWEEN 0 AND 10000000),
      updated_by text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON gov_account_costs TO yiduan_app`.execute(db);
  await sql`ALTER TABLE gov_account_costs ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY own_write ON gov_account_costs FOR ALL
    USING (app_is_platform() OR tenant_id = app_tenant())
    WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  await sql`CREATE POLICY tree_read ON gov_account_costs FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
  await sql`
    CREATE POLICY ancestors_read ON gov_account_costs FOR SELECT
    USING (tenant_id IN (SELECT ancestor_id FROM tenant_tree WHERE descendant_id = app_tenant()))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS gov_account_costs`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Inspection rounds of government new-media accounts (政务新媒体抽查): a province (or a city for its
// counties) opens a round, the platform samples its subtree's open accounts, inspectors record
// findings per checklist item, the score of each sampled account follows from them, and fix orders
// (整改通知) go to the owning tenant with a due date until a re-check closes them.
//
// Samples, findings and fix orders are about one tenant's account (`tenant_id`, the owner) and are
// written by the tenant that opened the round (`round_tenant_id`, the owner or an ancestor of it).
// The owner and its ancestors read them; siblings never.

const SEES = (col: string) =>
  sql.raw(`(app_is_platform() OR ${col} IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = app_tenant()))`);
/** written by the round's tenant, about an account of its subtree */
const ROUND_WRITES = sql.raw(`(app_is_platform() OR round_tenant_id = app_tenant())`);
const IN_ROUND_SUBTREE = sql.raw(
  `(app_is_platform() OR (round_tenant_id = app_tenant() AND tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = app_tenant())))`,
);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE gov_rounds (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
      -- the sample is reproducible: the same seed over the same registry draws the same accounts
      seed text NOT NULL CHECK (length(seed) BETWEEN 1 AND 64),
      share numeric(4, 3) NOT NULL CHECK (share >= 0.1 AND share <= 1),
      check_day date NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      sampled int NOT NULL DEFAULT 0,
      opened_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);

  await sql`
    CREATE TABLE gov_round_samples (
      tenant_id uuid NOT NULL,
      account_id uuid NOT NULL,
      round_tenant_id uuid NOT NULL,
      round_id uuid NOT NULL,
      platform text NOT NULL,
      account_name text NOT NULL,
      -- whole Beijing days without an update on the day of the check (null: none recorded)
      silent_days int,
      score int NOT NULL DEFAULT 100 CHECK (score BETWEEN 0 AND 100),
      verdict text NOT NULL DEFAULT 'excellent' CHECK (verdict IN ('excellent', 'pass', 'fail', 'veto')),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, round_id, account_id),
      FOREIGN KEY (round_tenant_id, round_id) REFERENCES gov_rounds(tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, account_id) REFERENCES gov_accounts(tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX gov_round_samples_round ON gov_round_samples (round_tenant_id, round_id, tenant_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE gov_round_findings (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL,
      round_tenant_id uuid NOT NULL,
      round_id uuid NOT NULL,
      item text NOT NULL CHECK (length(item) BETWEEN 1 AND 40),
      kind text NOT NULL CHECK (kind IN ('veto', 'deduction')),
      points int NOT NULL CHECK (points BETWEEN 0 AND 100),
      note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
      links text[] NOT NULL DEFAULT '{}' CHECK (cardinality(links) <= 10),
      asset_ids uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(asset_ids) <= 10),
      -- what the terminology engine found in the pasted text of a wording finding
      wording jsonb,
      recorded_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      recorded_by_name text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, round_id, account_id) REFERENCES gov_round_samples(tenant_id, round_id, account_id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX gov_round_findings_sample ON gov_round_findings (tenant_id, round_id, account_id)`.execute(db);

  await sql`
    CREATE TABLE gov_fix_orders (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL,
      round_tenant_id uuid NOT NULL,
      round_id uuid NOT NULL,
      items text[] NOT NULL CHECK (cardinality(items) BETWEEN 1 AND 20),
      requirement text NOT NULL CHECK (length(requirement) BETWEEN 1 AND 1000),
      issued_on date NOT NULL,
      due_on date NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      recheck_note text NOT NULL DEFAULT '' CHECK (length(recheck_note) <= 1000),
      rechecks int NOT NULL DEFAULT 0,
      rechecked_at timestamptz,
      closed_at timestamptz,
      issued_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, round_id, account_id) REFERENCES gov_round_samples(tenant_id, round_id, account_id) ON DELETE CASCADE,
      CHECK (due_on > issued_on),
      CHECK ((status = 'closed') = (closed_at IS NOT NULL))
    )`.execute(db);
  // at most one open order per sampled account; the overdue lists read open orders by due day
  await sql`CREATE UNIQUE INDEX gov_fix_orders_open ON gov_fix_orders (tenant_id, round_id, account_id) WHERE status = 'open'`.execute(
    db,
  );
  await sql`CREATE INDEX gov_fix_orders_due ON gov_fix_orders (due_on) WHERE status = 'open'`.execute(db);

  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON gov_rounds, gov_round_samples, gov_round_findings, gov_fix_orders TO yiduan_app`.execute(
    db,
  );
  for (const table of ['gov_rounds', 'gov_round_samples', 'gov_round_findings', 'gov_fix_orders']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
  }
  // rounds: the opening tenant writes; it and its ancestors read; its subtree reads the round's header
  await sql`
    CREATE POLICY own_write ON gov_rounds FOR ALL
    USING (app_is_platform() OR tenant_id = app_tenant())
    WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  await sql`CREATE POLICY tree_read ON gov_rounds FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
  await sql`
    CREATE POLICY subtree_read ON gov_rounds FOR SELECT
    USING (tenant_id IN (SELECT ancestor_id FROM tenant_tree WHERE descendant_id = app_tenant()))`.execute(db);
  // samples, findings, fix orders: the round's tenant writes (about its subtree's accounts only);
  // the owning tenant and its ancestors read
  for (const table of ['gov_round_samples', 'gov_round_findings', 'gov_fix_orders']) {
    await sql`CREATE POLICY round_write ON ${sql.table(table)} FOR ALL USING (${ROUND_WRITES}) WITH CHECK (${IN_ROUND_SUBTREE})`.execute(
      db,
    );
    await sql`CREATE POLICY tree_read ON ${sql.table(table)} FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS gov_fix_orders, gov_round_findings, gov_round_samples, gov_rounds`.execute(db);
}

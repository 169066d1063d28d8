import { sql, type Kysely } from 'kysely';

// Government new-media accounts (政务新媒体台账): the accounts a tenant's units run on other
// platforms (WeChat, Weibo, Douyin …), their operation (self or an operator organisation), their
// last update and figures, and the activity thresholds a province or city sets for its subtree.
// A county reads and writes its own accounts; its ancestors read them (roll-ups), siblings never.

const SEES = (col: string) =>
  sql.raw(`(app_is_platform() OR ${col} IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = app_tenant()))`);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE gov_accounts (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      unit_id uuid,
      platform text NOT NULL CHECK (platform IN ('wechat', 'weibo', 'douyin', 'kuaishou', 'toutiao', 'bilibili', 'app', 'website', 'other')),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      -- the account id or URL as entered, and its normalised form (one per platform in a tenant)
      handle text NOT NULL CHECK (length(handle) BETWEEN 1 AND 300),
      handle_key text NOT NULL CHECK (length(handle_key) BETWEEN 1 AND 300),
      verified_subject text NOT NULL DEFAULT '' CHECK (length(verified_subject) <= 100),
      sponsor text NOT NULL DEFAULT '' CHECK (length(sponsor) <= 100),
      supervisor text NOT NULL DEFAULT '' CHECK (length(supervisor) <= 100),
      filing_no text NOT NULL DEFAULT '' CHECK (length(filing_no) <= 64),
      operation text NOT NULL DEFAULT 'self' CHECK (operation IN ('self', 'operator')),
      operator_org_id uuid REFERENCES organisations(id),
      contract_start date,
      contract_end date,
      reviewers text[] NOT NULL DEFAULT '{}' CHECK (cardinality(reviewers) <= 10),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closing', 'closed', 'merged')),
      last_updated_at timestamptz,
      followers bigint CHECK (followers >= 0),
      posts bigint CHECK (posts >= 0),
      reads bigint CHECK (reads >= 0),
      figures_at timestamptz,
      activity_source text CHECK (activity_source IN ('manual', 'import', 'feed')),
      -- a public feed (RSS, Atom or JSON Feed) the worker reads the last update from
      feed_url text CHECK (feed_url ~ '^https?://' AND length(feed_url) <= 500),
      feed_checked_at timestamptz,
      feed_error text CHECK (length(feed_error) <= 200),
      note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
      created_by uuid REFERENCES staff(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, unit_id) REFERENCES units(tenant_id, id) ON DELETE SET NULL (unit_id),
      CHECK ((operation = 'operator') = (operator_org_id IS NOT NULL)),
      CHECK (contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX gov_accounts_handle ON gov_accounts (tenant_id, platform, handle_key)`.execute(db);
  // the duplicate flag groups a unit's (or, without a unit, a sponsor's) accounts per platform
  await sql`CREATE INDEX gov_accounts_unit_platform ON gov_accounts (tenant_id, platform, unit_id)`.execute(db);
  // the feed reader takes the open accounts with a feed, least recently checked first
  await sql`CREATE INDEX gov_accounts_feed_due ON gov_accounts (feed_checked_at NULLS FIRST) WHERE feed_url IS NOT NULL AND status IN ('active', 'closing')`.execute(
    db,
  );

  // Thresholds in days, set by a province or a city for its subtree; every ancestor's apply and
  // the strictest wins (as every ancestor's terminology rules apply). Null: not set here.
  await sql`
    CREATE TABLE gov_account_thresholds (
      tenant_id uuid NOT NULL PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
      warn_days int CHECK (warn_days BETWEEN 1 AND 365),
      fail_days int CHECK (fail_days BETWEEN 1 AND 365),
      zombie_days int CHECK (zombie_days BETWEEN 1 AND 730),
      updated_by text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (warn_days IS NULL OR fail_days IS NULL OR warn_days < fail_days),
      CHECK (fail_days IS NULL OR zombie_days IS NULL OR fail_days < zombie_days),
      CHECK (warn_days IS NULL OR zombie_days IS NULL OR warn_days < zombie_days)
    )`.execute(db);

  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON gov_accounts, gov_account_thresholds TO yiduan_app`.execute(db);
  await sql`ALTER TABLE gov_accounts ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE gov_account_thresholds ENABLE ROW LEVEL SECURITY`.execute(db);
  // accounts: the owning tenant writes; it and its ancestors read
  await sql`
    CREATE POLICY own_write ON gov_accounts FOR ALL
    USING (app_is_platform() OR tenant_id = app_tenant())
    WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  await sql`CREATE POLICY tree_read ON gov_accounts FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
  // thresholds: written by their tenant; read by its subtree (they apply there) and its ancestors
  await sql`
    CREATE POLICY own_write ON gov_account_thresholds FOR ALL
    USING (app_is_platform() OR tenant_id = app_tenant())
    WITH CHECK (app_is_platform() OR tenant_id = app_tenant())`.execute(db);
  await sql`CREATE POLICY tree_read ON gov_account_thresholds FOR SELECT USING (${SEES('tenant_id')})`.execute(db);
  await sql`
    CREATE POLICY ancestors_read ON gov_account_thresholds FOR SELECT
    USING (tenant_id IN (SELECT ancestor_id FROM tenant_tree WHERE descendant_id = app_tenant()))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS gov_account_thresholds, gov_accounts`.execute(db);
}

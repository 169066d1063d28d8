import { sql, type Kysely } from 'kysely';

// A tamper-evident audit log: each row carries the hash of its tenant's previous row
// and its own content, so an edited or deleted row breaks the chain from there on.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE audit_log ADD COLUMN prev_hash text, ADD COLUMN hash text`.execute(db);
  await sql`CREATE INDEX audit_log_chain ON audit_log (tenant_id, id DESC)`.execute(db);
  await sql`
    CREATE FUNCTION audit_log_hash(prev text, r audit_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT encode(sha256(convert_to(concat_ws('|',
        coalesce(prev, ''), coalesce(r.tenant_id::text, ''), extract(epoch FROM r.at)::text,
        r.actor_kind, coalesce(r.actor_id, ''), coalesce(r.actor_name, ''), r.action,
        coalesce(r.target_kind, ''), coalesce(r.target_id, ''), coalesce(r.revision::text, ''),
        r.detail::text), 'UTF8')), 'hex')
    $$`.execute(db);
  // SECURITY DEFINER: the chain reads the previous row whatever the caller's scope.
  // The per-tenant advisory lock orders concurrent appends of one tenant until commit.
  await sql`
    CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(727002, hashtext(coalesce(NEW.tenant_id::text, 'platform')));
      SELECT hash INTO NEW.prev_hash FROM audit_log
       WHERE tenant_id IS NOT DISTINCT FROM NEW.tenant_id ORDER BY id DESC LIMIT 1;
      NEW.hash := audit_log_hash(NEW.prev_hash, NEW);
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain()`.execute(
    db,
  );
  // rows written before the chain existed get one, in order
  await sql`
    DO $$ DECLARE r audit_log; prev text; last_tenant text := '-';
    BEGIN
      FOR r IN SELECT * FROM audit_log ORDER BY coalesce(tenant_id::text, 'platform'), id LOOP
        IF coalesce(r.tenant_id::text, 'platform') <> last_tenant THEN prev := NULL; last_tenant := coalesce(r.tenant_id::text, 'platform'); END IF;
        UPDATE audit_log SET prev_hash = prev, hash = audit_log_hash(prev, r) WHERE id = r.id;
        prev := audit_log_hash(prev, r);
      END LOOP;
    END $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS audit_log_chain ON audit_log`.execute(db);
  await sql`DROP FUNCTION IF EXISTS audit_log_chain, audit_log_hash`.execute(db);
  await sql`DROP INDEX IF EXISTS audit_log_chain`.execute(db);
  await sql`ALTER TABLE audit_log DROP COLUMN IF EXISTS prev_hash, DROP COLUMN IF EXISTS hash`.execute(db);
}

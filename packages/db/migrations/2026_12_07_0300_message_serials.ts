import { sql, type Kysely } from 'kysely';

// Message numbers (留言编号) people can read out on the phone: LY + the Beijing date + a per-tenant
// daily sequence of five digits (LY2026120700001). The counter row is taken with an upsert in
// the sending transaction, so concurrent messages queue on it and never share a number; a
// rolled-back message gives its number back. Nobody reads or writes the counters directly: a
// definer function hands numbers out to any scope that may write a message for the tenant.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE message_serials (
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      day date NOT NULL,
      last int NOT NULL CHECK (last >= 1),
      PRIMARY KEY (tenant_id, day)
    )`.execute(db);
  await sql`ALTER TABLE message_serials ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE FUNCTION next_message_serial(tenant uuid, at timestamptz DEFAULT now())
    RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    DECLARE
      d date := (at AT TIME ZONE 'Asia/Shanghai')::date;
      n int;
    BEGIN
      IF NOT (app_is_platform() OR app_citizen() IS NOT NULL OR tenant = app_tenant()) THEN
        RAISE EXCEPTION 'no scope for a message number' USING ERRCODE = '42501';
      END IF;
      INSERT INTO message_serials AS s (tenant_id, day, last) VALUES (tenant, d, 1)
        ON CONFLICT (tenant_id, day) DO UPDATE SET last = s.last + 1
        RETURNING s.last INTO n;
      RETURN 'LY' || to_char(d, 'YYYYMMDD') || lpad(n::text, greatest(5, length(n::text)), '0');
    END
    $$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION next_message_serial(uuid, timestamptz) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION next_message_serial(uuid, timestamptz) TO yiduan_app`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS next_message_serial(uuid, timestamptz)`.execute(db);
  await sql`DROP TABLE IF EXISTS message_serials`.execute(db);
}

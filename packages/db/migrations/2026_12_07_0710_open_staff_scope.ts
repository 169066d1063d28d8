import { sql, type Kysely } from 'kysely';

/**
 * Opening a staff member's tenant transaction with its access check in the same round trip
 * (docs/data-layer.md, "One round trip to open a scope"). The API's first statement in a tenant
 * was a platform-scoped read of staff_sessions (platform-only), then a statement to narrow the
 * scope. This definer function does the same check (the session by its token digest is open and
 * not expired, its staff member active, the grants held in the tenant, own and through a valid
 * organisation) and sets the scope itself: the tenant and the session's own staff member when the
 * session is open, the tenant exists and the person holds a role there (or is an operator);
 * otherwise every setting is cleared (public scope), and the caller refuses the request. It
 * returns only what the caller would learn anyway: the session's person (to its bearer) and
 * their roles in the tenant. A wrong digest returns nulls; it never reads another tenant's rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION app_open_staff_scope(session_digest text, tenant uuid)
      RETURNS TABLE (_me_id uuid, _me_name text, _me_operator boolean, _grants json)
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    DECLARE
      me record;
      held json := '[]'::json;
      member boolean := false;
    BEGIN
      SELECT st.id, st.display_name, st.is_operator, st.org_id INTO me
        FROM public.staff_sessions s JOIN public.staff st ON st.id = s.staff_id
       WHERE s.id = session_digest AND s.revoked_at IS NULL AND s.expires_at > now() AND st.status = 'active';
      IF me.id IS NOT NULL AND EXISTS (SELECT 1 FROM public.tenants t WHERE t.id = tenant) THEN
        SELECT coalesce(json_agg(json_build_array(h.role, h.unit_id)), '[]'::json) INTO held FROM (
          SELECT g.role, g.unit_id FROM public.grants g
           WHERE g.tenant_id = tenant AND g.revoked_at IS NULL AND g.staff_id = me.id
          UNION ALL
          SELECT g.role, g.unit_id FROM public.grants g JOIN public.organisations o ON o.id = g.org_id
           WHERE g.tenant_id = tenant AND g.revoked_at IS NULL AND g.org_id = me.org_id
             AND o.status = 'active' AND o.valid_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date) h;
        member := me.is_operator OR json_array_length(held) > 0;
      END IF;
      -- transaction-local, as scope.ts sets them; cleared unless the check passed
      PERFORM set_config('app.tenant_id', CASE WHEN member THEN tenant::text ELSE '' END, true),
              set_config('app.staff_id', CASE WHEN member THEN me.id::text ELSE '' END, true),
              set_config('app.citizen_id', '', true),
              set_config('app.platform', '', true);
      RETURN QUERY SELECT me.id, me.display_name, me.is_operator, held;
    END $$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION app_open_staff_scope(text, uuid) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION app_open_staff_scope(text, uuid) TO yiduan_app`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS app_open_staff_scope(text, uuid)`.execute(db);
}

import { sql } from 'kysely';
import type { Executor, Grant, Staff, StaffRole, Tenant, Unit } from '@yiduan/db';
import { isUuid } from '../tenancy/index.js';
import type { HeldRole, NewGrant, OrganisationInput, OrganisationView, QualificationPatch } from './model.js';

// ── grants and access ─────────────────────────────────────────────────────────

/**
 * The roles one staff member holds in one tenant, their own and their organisation's (one query).
 * An organisation's grants count only while it is active and its qualification valid in Beijing today.
 */
export async function rolesHeldIn(
  ex: Executor,
  staff: Pick<Staff, 'id' | 'org_id'>,
  tenantId: string,
): Promise<HeldRole[]> {
  const rows = await sql<HeldRole>`
    SELECT g.role, g.unit_id FROM grants g
     WHERE g.tenant_id = ${tenantId} AND g.revoked_at IS NULL AND g.staff_id = ${staff.id}
    UNION ALL
    SELECT g.role, g.unit_id FROM grants g JOIN organisations o ON o.id = g.org_id
     WHERE g.tenant_id = ${tenantId} AND g.revoked_at IS NULL AND g.org_id = ${staff.org_id}
       AND o.status = 'active' AND o.valid_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date`.execute(ex);
  return rows.rows;
}

/** Tenants where the staff member currently holds any role (for the tenant switcher). */
export async function tenantsOfStaff(
  ex: Executor,
  staff: Pick<Staff, 'id' | 'org_id'>,
): Promise<{ tenant_id: string; role: StaffRole; unit_id: string | null }[]> {
  const r = await sql<{ tenant_id: string; role: StaffRole; unit_id: string | null }>`
    SELECT g.tenant_id, g.role, g.unit_id FROM grants g
     WHERE g.revoked_at IS NULL AND g.staff_id = ${staff.id}
    UNION ALL
    SELECT g.tenant_id, g.role, g.unit_id FROM grants g JOIN organisations o ON o.id = g.org_id
     WHERE g.revoked_at IS NULL AND g.org_id = ${staff.org_id}
       AND o.status = 'active' AND o.valid_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date`.execute(ex);
  return r.rows;
}

/** Tenants where the staff member holds a grant of their own (not through their organisation). */
export async function tenantsWithOwnGrants(ex: Executor, staffId: string): Promise<string[]> {
  const rows = await ex
    .selectFrom('grants')
    .select('tenant_id')
    .where('staff_id', '=', staffId)
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map((g) => g.tenant_id);
}

/** The tenant's row (or nulls), the open session's person and their grants there: one row whatever is missing. */
export type SessionAccessRow = Partial<Tenant> & {
  _me_id: string | null;
  _me_name: string | null;
  _me_operator: boolean | null;
  _grants: [StaffRole, string | null][];
};

export async function sessionAccessRow(ex: Executor, sessionId: string, tenantId: string): Promise<SessionAccessRow> {
  const { rows } = await sql<SessionAccessRow>`
    WITH me AS (
      SELECT st.id, st.display_name, st.is_operator, st.org_id FROM staff_sessions s JOIN staff st ON st.id = s.staff_id
       WHERE s.id = ${sessionId} AND s.revoked_at IS NULL AND s.expires_at > now() AND st.status = 'active'),
    held AS (
      SELECT g.role, g.unit_id FROM grants g JOIN me ON g.staff_id = me.id
       WHERE g.tenant_id = ${tenantId} AND g.revoked_at IS NULL
      UNION ALL
      SELECT g.role, g.unit_id FROM grants g JOIN me ON g.org_id = me.org_id JOIN organisations o ON o.id = g.org_id
       WHERE g.tenant_id = ${tenantId} AND g.revoked_at IS NULL
         AND o.status = 'active' AND o.valid_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date)
    SELECT t.*, me.id AS _me_id, me.display_name AS _me_name, me.is_operator AS _me_operator,
           (SELECT coalesce(json_agg(json_build_array(h.role, h.unit_id)), '[]'::json) FROM held h) AS _grants
      FROM (VALUES (1)) AS one (x) LEFT JOIN tenants t ON t.id = ${tenantId} LEFT JOIN me ON true`.execute(ex);
  return rows[0]!;
}

export async function insertGrant(ex: Executor, values: NewGrant): Promise<Grant> {
  return ex.insertInto('grants').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Revokes an open grant of the tenant; undefined when there is none. */
export async function revokeGrantRow(ex: Executor, tenantId: string, grantId: string): Promise<Grant | undefined> {
  return ex
    .updateTable('grants')
    .set({ revoked_at: new Date() })
    .where('id', '=', grantId)
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function grantsOfTenant(ex: Executor, tenantId: string): Promise<Grant[]> {
  return ex
    .selectFrom('grants')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

/** A unit of the tenant (named explicitly: platform scope sees every tenant's units). */
export async function unitOfTenant(
  ex: Executor,
  tenantId: string,
  unitId: string,
): Promise<Pick<Unit, 'id' | 'status'> | undefined> {
  if (!isUuid(unitId)) return undefined;
  return ex
    .selectFrom('units')
    .select(['id', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', unitId)
    .executeTakeFirst();
}

// ── staff ─────────────────────────────────────────────────────────────────────

export async function staffExists(ex: Executor, id: string): Promise<boolean> {
  return (
    isUuid(id) && (await ex.selectFrom('staff').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
  );
}

export async function insertStaff(
  ex: Executor,
  values: Pick<Staff, 'login' | 'display_name' | 'password_hash' | 'is_operator' | 'org_id'>,
): Promise<Staff> {
  return ex.insertInto('staff').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function staffById(ex: Executor, id: string): Promise<Staff | undefined> {
  if (!isUuid(id)) return undefined;
  return ex.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function staffByIds(ex: Executor, ids: readonly string[]): Promise<Staff[]> {
  const valid = ids.filter(isUuid);
  return valid.length ? ex.selectFrom('staff').selectAll().where('id', 'in', valid).execute() : [];
}

/** The same, ordered by login (a tenant's staff list). */
export async function staffByIdsByLogin(ex: Executor, ids: readonly string[]): Promise<Staff[]> {
  const valid = ids.filter(isUuid);
  return valid.length ? ex.selectFrom('staff').selectAll().where('id', 'in', valid).orderBy('login').execute() : [];
}

export async function staffByLogin(ex: Executor, login: string): Promise<Staff | undefined> {
  return ex.selectFrom('staff').selectAll().where('login', '=', login.trim().toLowerCase()).executeTakeFirst();
}

export async function setStaffStatusRow(
  ex: Executor,
  id: string,
  status: 'active' | 'disabled',
): Promise<Staff | undefined> {
  return ex.updateTable('staff').set({ status }).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function touchLastLogin(ex: Executor, staffId: string): Promise<void> {
  await ex.updateTable('staff').set({ last_login_at: new Date() }).where('id', '=', staffId).execute();
}

// ── sessions ──────────────────────────────────────────────────────────────────

export async function insertSession(
  ex: Executor,
  s: { digest: string; staffId: string; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<void> {
  await ex
    .insertInto('staff_sessions')
    .values({ id: s.digest, staff_id: s.staffId, expires_at: s.expiresAt, ip: s.ip, user_agent: s.userAgent })
    .execute();
}

/** The session with its staff member's row, whatever its state (the caller judges it). */
export async function sessionWithStaff(ex: Executor, digest: string) {
  return ex
    .selectFrom('staff_sessions as s')
    .innerJoin('staff', 'staff.id', 's.staff_id')
    .selectAll('staff')
    .select(['s.id as session_id', 's.expires_at', 's.revoked_at'])
    .where('s.id', '=', digest)
    .executeTakeFirst();
}

export async function revokeSession(ex: Executor, sessionId: string): Promise<void> {
  await ex
    .updateTable('staff_sessions')
    .set({ revoked_at: new Date() })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes every open session of one staff member; how many there were. */
export async function revokeSessionsOf(ex: Executor, staffId: string): Promise<number> {
  const r = await ex
    .updateTable('staff_sessions')
    .set({ revoked_at: new Date() })
    .where('staff_id', '=', staffId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ── operator organisations ────────────────────────────────────────────────────

export async function organisationExists(ex: Executor, id: string): Promise<boolean> {
  return (
    isUuid(id) &&
    (await ex.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
  );
}

/** Organisations as shown, optionally only some; one query. */
function organisationViews(ex: Executor) {
  return (
    ex
      .selectFrom('organisations')
      .select(['id', 'name', 'licence_no', 'status', 'created_at', 'updated_at'])
      .select(sql<string>`valid_until::text`.as('valid_until'))
      // the same comparison as rolesHeldIn makes on every request: Beijing's date, inclusive
      .select(
        sql<boolean>`(status = 'active' AND valid_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date)`.as('valid'),
      )
  );
}

export async function listOrganisations(ex: Executor): Promise<OrganisationView[]> {
  return organisationViews(ex).orderBy('name').execute();
}

/** Organisations by id as shown, in any order; one query (the batched Grant/Staff.organisation). */
export async function organisationsByIds(ex: Executor, ids: readonly string[]): Promise<OrganisationView[]> {
  const valid = [...new Set(ids.filter(isUuid))];
  return valid.length ? organisationViews(ex).where('id', 'in', valid).execute() : [];
}

export async function organisationById(ex: Executor, id: string): Promise<OrganisationView | null> {
  if (!isUuid(id)) return null;
  return (await organisationViews(ex).where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function insertOrganisation(
  ex: Executor,
  input: OrganisationInput,
): Promise<{ id: string; licence_no: string }> {
  return ex
    .insertInto('organisations')
    .values({ name: input.name.trim(), licence_no: input.licenceNo.trim(), valid_until: input.validUntil })
    .returning(['id', 'licence_no'])
    .executeTakeFirstOrThrow();
}

/** Writes the given fields; false when there is no such organisation. */
export async function updateOrganisationRow(ex: Executor, orgId: string, input: QualificationPatch): Promise<boolean> {
  const org = await ex
    .updateTable('organisations')
    .set({
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.licenceNo !== undefined ? { licence_no: input.licenceNo.trim() } : {}),
      ...(input.validUntil !== undefined ? { valid_until: input.validUntil } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', orgId)
    .returning('id')
    .executeTakeFirst();
  return org !== undefined;
}

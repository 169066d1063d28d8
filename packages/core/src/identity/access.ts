import { sql } from 'kysely';
import type { Executor, Staff, StaffRole, Tenant } from '@yiduan/db';
import { DomainError } from '../errors.js';

/**
 * What one staff member may do in one tenant: roles granted tenant-wide and
 * roles limited to units. Operator organisations' grants count only while
 * the organisation's qualification is valid, checked here on every request,
 * so an expired qualification stops access at once.
 */
export class Access {
  constructor(
    readonly tenantId: string,
    readonly staff: Pick<Staff, 'id' | 'display_name' | 'is_operator'>,
    readonly tenantWide: ReadonlySet<StaffRole>,
    readonly byUnit: ReadonlyMap<string, ReadonlySet<StaffRole>>,
  ) {}

  get isOperator(): boolean {
    return this.staff.is_operator;
  }

  /** Any role at all in this tenant (or the platform operator). */
  get member(): boolean {
    return this.isOperator || this.tenantWide.size > 0 || this.byUnit.size > 0;
  }

  /** Whether the role is held for a story of this unit (null: a story of no unit). */
  has(role: StaffRole, unitId: string | null = null): boolean {
    if (this.isOperator || this.tenantWide.has(role)) return true;
    return unitId !== null && (this.byUnit.get(unitId)?.has(role) ?? false);
  }

  hasAny(roles: readonly StaffRole[], unitId: string | null = null): boolean {
    return roles.some((r) => this.has(r, unitId));
  }

  /** Units this person is limited to; null when they see the whole tenant. */
  get unitScope(): string[] | null {
    if (this.isOperator || this.tenantWide.size > 0) return null;
    return [...this.byUnit.keys()];
  }

  roles(): StaffRole[] {
    const all = new Set<StaffRole>(this.tenantWide);
    for (const set of this.byUnit.values()) for (const r of set) all.add(r);
    return [...all];
  }

  require(role: StaffRole | readonly StaffRole[], unitId: string | null = null): void {
    const roles = typeof role === 'string' ? [role] : role;
    if (!this.hasAny(roles, unitId)) throw new DomainError('FORBIDDEN');
  }

  requireMember(): void {
    if (!this.member) throw new DomainError('FORBIDDEN', '您在该租户没有任何角色');
  }
}

interface GrantRow {
  role: StaffRole;
  unit_id: string | null;
}

/** Loads the effective grants of one staff member in one tenant (one query). */
export async function accessFor(ex: Executor, staff: Pick<Staff, 'id' | 'display_name' | 'is_operator' | 'org_id'> & { status?: Staff['status'] }, tenantId: string): Promise<Access> {
  if (staff.status === 'disabled') return new Access(tenantId, { ...staff, is_operator: false }, new Set(), new Map());
  const rows = await sql<GrantRow>`
    SELECT g.role, g.unit_id FROM grants g
     WHERE g.tenant_id = ${tenantId} AND g.revoked_at IS NULL AND g.staff_id = ${staff.id}
    UNION ALL
    SELECT g.role, g.unit_id FROM grants g JOIN organisations o ON o.id = g.org_id
     WHERE g.tenant_id = ${tenantId} AND g.revoked_at IS NULL AND g.org_id = ${staff.org_id}
       AND o.status = 'active' AND o.valid_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date`.execute(ex);
  const tenantWide = new Set<StaffRole>();
  const byUnit = new Map<string, Set<StaffRole>>();
  for (const r of rows.rows) {
    if (r.unit_id === null) tenantWide.add(r.role);
    else {
      const set = byUnit.get(r.unit_id) ?? new Set<StaffRole>();
      set.add(r.role);
      byUnit.set(r.unit_id, set);
    }
  }
  return new Access(tenantId, staff, tenantWide, byUnit);
}

/** Tenants where the staff member currently holds any role (for the tenant switcher). */
export async function tenantsOfStaff(ex: Executor, staff: Pick<Staff, 'id' | 'org_id'>): Promise<{ tenant_id: string; role: StaffRole; unit_id: string | null }[]> {
  const r = await sql<{ tenant_id: string; role: StaffRole; unit_id: string | null }>`
    SELECT g.tenant_id, g.role, g.unit_id FROM grants g
     WHERE g.revoked_at IS NULL AND g.staff_id = ${staff.id}
    UNION ALL
    SELECT g.tenant_id, g.role, g.unit_id FROM grants g JOIN organisations o ON o.id = g.org_id
     WHERE g.revoked_at IS NULL AND g.org_id = ${staff.org_id}
       AND o.status = 'active' AND o.valid_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date`.execute(ex);
  return r.rows;
}

export type SessionAccess = { ok: true; access: Access; tenant: Tenant } | { ok: false; reason: 'SESSION_ENDED' | 'TENANT_NOT_FOUND' };

/**
 * A signed-in session's access in one tenant, in one round trip: whether the session
 * is still open (not revoked, not expired, its staff member active), the staff
 * member's current operator flag, the tenant (a public row), and the grants there.
 * Reads staff_sessions, so it runs in platform scope; the caller narrows the
 * transaction to the tenant before any tenant data is read. Checked on every
 * request that touches a tenant, so an ended session or a revoked grant stops
 * tenant access at once, whatever identity cache sits in front.
 */
export async function sessionAccessIn(ex: Executor, sessionId: string, tenantId: string): Promise<SessionAccess> {
  type Row = Partial<Tenant> & { _me_id: string | null; _me_name: string | null; _me_operator: boolean | null; _grants: [StaffRole, string | null][] };
  // one row whatever is missing: the tenant's columns (null when there is none), the person, their grants
  const { rows } = await sql<Row>`
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
  const { _me_id, _me_name, _me_operator, _grants, ...tenant } = rows[0]!;
  if (!_me_id) return { ok: false, reason: 'SESSION_ENDED' };
  if (!tenant.id) return { ok: false, reason: 'TENANT_NOT_FOUND' };
  const tenantWide = new Set<StaffRole>();
  const byUnit = new Map<string, Set<StaffRole>>();
  for (const [role, unitId] of _grants) {
    if (unitId === null) tenantWide.add(role);
    else {
      const set = byUnit.get(unitId) ?? new Set<StaffRole>();
      set.add(role);
      byUnit.set(unitId, set);
    }
  }
  return { ok: true, access: new Access(tenantId, { id: _me_id, display_name: _me_name!, is_operator: _me_operator! }, tenantWide, byUnit), tenant: tenant as Tenant };
}

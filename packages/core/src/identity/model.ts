import type { Grant, Organisation, Staff, StaffRole, Tenant } from '@yiduan/db';
import type { Actor } from '../actor.js';
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

/** One role held in a tenant: tenant-wide (unit null) or limited to a unit. */
export interface HeldRole {
  role: StaffRole;
  unit_id: string | null;
}

/** Builds an Access from the roles held (in any order, duplicates allowed). */
export function accessFromRoles(
  tenantId: string,
  staff: Pick<Staff, 'id' | 'display_name' | 'is_operator'>,
  held: Iterable<HeldRole>,
): Access {
  const tenantWide = new Set<StaffRole>();
  const byUnit = new Map<string, Set<StaffRole>>();
  for (const r of held) {
    if (r.unit_id === null) tenantWide.add(r.role);
    else {
      const set = byUnit.get(r.unit_id) ?? new Set<StaffRole>();
      set.add(r.role);
      byUnit.set(r.unit_id, set);
    }
  }
  return new Access(tenantId, staff, tenantWide, byUnit);
}

export type SessionAccess =
  { ok: true; access: Access; tenant: Tenant } | { ok: false; reason: 'SESSION_ENDED' | 'TENANT_NOT_FOUND' };

// ── staff ─────────────────────────────────────────────────────────────────────

const LOGIN = /^[a-z0-9][a-z0-9._-]{2,39}$/;

export const staffActor = (s: Pick<Staff, 'id' | 'display_name'>): Actor => ({
  kind: 'staff',
  id: s.id,
  name: s.display_name,
});

export interface NewStaff {
  login: string;
  displayName: string;
  password: string;
  isOperator?: boolean;
  orgId?: string | null;
}

/** The login and name a new account will have, checked; throws BAD_USER_INPUT naming the field. */
export function checkNewStaff(input: NewStaff): { login: string; name: string } {
  const login = input.login.trim().toLowerCase();
  if (!LOGIN.test(login))
    throw new DomainError('BAD_USER_INPUT', '登录名只能使用字母、数字、点、下划线和连字符，3 到 40 个字符', [
      { path: 'login', message: '格式不正确' },
    ]);
  const name = input.displayName.trim();
  if (name.length < 1 || name.length > 40)
    throw new DomainError('BAD_USER_INPUT', '姓名长度应为 1 到 40 个字符', [
      { path: 'displayName', message: '长度不正确' },
    ]);
  return { login, name };
}

// ── grants ────────────────────────────────────────────────────────────────────

export const STAFF_ROLES: readonly StaffRole[] = ['reporter', 'editor', 'reviewer', 'chief_editor', 'tenant_admin'];

export interface GrantInput {
  tenantId: string;
  role: StaffRole;
  staffId?: string | null;
  orgId?: string | null;
  unitId?: string | null;
  /** the caller already verified the person or organisation in platform scope (staff rows are not tenant rows) */
  skipPartyCheck?: boolean;
}

/** What a grant row is written with, after the checks. */
export type NewGrant = Pick<Grant, 'tenant_id' | 'role' | 'staff_id' | 'org_id' | 'unit_id' | 'granted_by'>;

export interface UnitMemberInput {
  tenantId: string;
  unitId: string;
  login: string;
  displayName: string;
  password: string;
}

// ── sessions ──────────────────────────────────────────────────────────────────

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Failed logins allowed per account and per address in one window. */
export const LOGIN_LIMITS = { perAccount: 5, perIp: 30, windowSeconds: 15 * 60 };

export interface SessionInfo {
  sessionId: string;
  staff: Staff;
  expiresAt: Date;
}

export interface LoginInput {
  login: string;
  password: string;
  ip: string;
  userAgent?: string;
}

export type LoginResult =
  { ok: true; token: string; expiresAt: Date; staff: Staff } | { ok: false; error: DomainError };

// ── operator organisations ────────────────────────────────────────────────────

/**
 * An operator organisation (代运营) as it is shown: the qualification's last valid day as stored
 * (`YYYY-MM-DD`, read as text: the `pg` driver turns a `date` column into a JS Date at local
 * midnight, which prints as "Mon Jan 01 2024 …" and shifts a day in zones east of UTC), and
 * whether its grants count today.
 */
export interface OrganisationView extends Omit<Organisation, 'valid_until'> {
  /** the last day the qualification is valid, inclusive (a Beijing calendar day) */
  valid_until: string;
  /** active and not past `valid_until` in Beijing today: the rule the access check applies to its grants */
  valid: boolean;
}

export interface OrganisationInput {
  name: string;
  licenceNo: string;
  /** 'YYYY-MM-DD' */
  validUntil: string;
}

export type QualificationPatch = Partial<OrganisationInput> & { status?: 'active' | 'suspended' };

/** A real calendar day written 'YYYY-MM-DD' (Date.parse alone takes 2024-02-30 as 1 March). */
function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function checkOrg(input: Partial<OrganisationInput>): void {
  if (input.name !== undefined && (input.name.trim().length < 1 || input.name.length > 100))
    throw new DomainError('BAD_USER_INPUT', '机构名称长度应为 1 到 100 个字符');
  if (input.licenceNo !== undefined && (input.licenceNo.trim().length < 1 || input.licenceNo.length > 64))
    throw new DomainError('BAD_USER_INPUT', '资质证号不能为空');
  if (input.validUntil !== undefined && !isCalendarDay(input.validUntil)) {
    throw new DomainError('BAD_USER_INPUT', '有效期格式应为 YYYY-MM-DD', [
      { path: 'validUntil', message: '请填写有效的日期，如 2027-06-30' },
    ]);
  }
}

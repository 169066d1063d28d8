import { isUniqueViolation, type Executor, type Grant, type Staff, type Tenant } from '@yiduan/db';
import type { Cache } from '@yiduan/cache';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';
import { isUuid } from '../tenancy/index.js';
import { grantErrors } from './errors.js';
import {
  Access,
  accessFromRoles,
  checkNewStaff,
  checkOrg,
  LOGIN_LIMITS,
  SESSION_TTL_MS,
  STAFF_ROLES,
  staffActor,
  type GrantInput,
  type LoginInput,
  type LoginResult,
  type NewStaff,
  type OrganisationInput,
  type OrganisationView,
  type QualificationPatch,
  type SessionAccess,
  type SessionInfo,
  type UnitMemberInput,
} from './model.js';
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import {
  insertGrant,
  insertOrganisation,
  insertSession,
  insertStaff,
  organisationById,
  organisationExists,
  revokeGrantRow,
  revokeSessionsOf,
  rolesHeldIn,
  sessionAccessRow,
  sessionWithStaff,
  type SessionAccessRow,
  setStaffStatusRow,
  staffByLogin,
  staffExists,
  touchLastLogin,
  unitOfTenant,
  updateOrganisationRow,
} from './repo.js';
import { newSessionToken, tokenDigest } from './tokens.js';

// ── access ────────────────────────────────────────────────────────────────────

/** Loads the effective grants of one staff member in one tenant (one query). */
export async function accessFor(
  ex: Executor,
  staff: Pick<Staff, 'id' | 'display_name' | 'is_operator' | 'org_id'> & { status?: Staff['status'] },
  tenantId: string,
): Promise<Access> {
  if (staff.status === 'disabled') return new Access(tenantId, { ...staff, is_operator: false }, new Set(), new Map());
  return accessFromRoles(tenantId, staff, await rolesHeldIn(ex, staff, tenantId));
}

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
  return sessionAccessOf(await sessionAccessRow(ex, sessionId, tenantId), tenantId);
}

/**
 * The same judgement of a row of the same shape, e.g. the one @yiduan/db's withSessionScope
 * returns with BEGIN (the definer function app_open_staff_scope makes the check there).
 */
export function sessionAccessOf(row: SessionAccessRow, tenantId: string): SessionAccess {
  const { _me_id, _me_name, _me_operator, _grants, ...tenant } = row;
  if (!_me_id) return { ok: false, reason: 'SESSION_ENDED' };
  if (!tenant.id) return { ok: false, reason: 'TENANT_NOT_FOUND' };
  const held = _grants.map(([role, unit_id]) => ({ role, unit_id }));
  return {
    ok: true,
    access: accessFromRoles(tenantId, { id: _me_id, display_name: _me_name!, is_operator: _me_operator! }, held),
    tenant: tenant as Tenant,
  };
}

// ── grants ────────────────────────────────────────────────────────────────────

/** The person or organisation of a grant exists (platform scope: staff rows are not tenant rows). */
export async function checkGrantParty(
  ex: Executor,
  party: { staffId?: string | null; orgId?: string | null },
): Promise<void> {
  if (party.staffId && !(await staffExists(ex, party.staffId))) throw new DomainError('STAFF_NOT_FOUND');
  if (party.orgId && !(await organisationExists(ex, party.orgId))) throw new DomainError('ORGANISATION_NOT_FOUND');
}

/** Grants a role in a tenant to a person or an operator organisation, optionally limited to a unit. */
export async function grantRole(ex: Executor, actor: Actor, input: GrantInput): Promise<Grant> {
  if (!STAFF_ROLES.includes(input.role)) throw grantErrors.badRole();
  if (input.unitId && input.role !== 'reporter') throw grantErrors.unitNotReporter();
  if (!input.staffId === !input.orgId) throw grantErrors.noParty();
  if (!input.skipPartyCheck) await checkGrantParty(ex, input);
  if (input.unitId && !(await unitOfTenant(ex, input.tenantId, input.unitId))) throw new DomainError('UNIT_NOT_FOUND');
  let grant: Grant;
  try {
    grant = await insertGrant(ex, {
      tenant_id: input.tenantId,
      role: input.role,
      staff_id: input.staffId ?? null,
      org_id: input.orgId ?? null,
      unit_id: input.unitId ?? null,
      granted_by: actor.id,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw grantErrors.alreadyGranted();
    throw err;
  }
  await appendAudit(ex, actor, {
    tenantId: input.tenantId,
    action: 'grant.add',
    targetKind: grant.staff_id ? 'staff' : 'organisation',
    targetId: grant.staff_id ?? grant.org_id ?? '',
    detail: { role: grant.role, unitId: grant.unit_id, grantId: grant.id },
  });
  return grant;
}

export async function revokeGrant(ex: Executor, actor: Actor, tenantId: string, grantId: string): Promise<Grant> {
  if (!isUuid(grantId)) throw new DomainError('NOT_FOUND');
  const g = await revokeGrantRow(ex, tenantId, grantId);
  if (!g) throw grantErrors.notFound();
  await appendAudit(ex, actor, {
    tenantId,
    action: 'grant.revoke',
    targetKind: g.staff_id ? 'staff' : 'organisation',
    targetId: g.staff_id ?? g.org_id ?? '',
    detail: { role: g.role, grantId },
  });
  return g;
}

/**
 * A tenant admin's way to add a unit member (政务号通讯员): a new person of no organisation and
 * never an operator, granted REPORTER on one unit of the tenant; both audited. Runs in platform
 * scope (staff are platform rows), inside the caller's transaction: a refused grant leaves no
 * account behind. The caller has checked that the actor administers `tenantId`; the unit is
 * checked here to be that tenant's and open.
 */
export async function addUnitMember(
  ex: Executor,
  actor: Actor,
  input: UnitMemberInput,
): Promise<{ staff: Staff; grant: Grant }> {
  const unit = await unitOfTenant(ex, input.tenantId, input.unitId);
  if (!unit) throw new DomainError('UNIT_NOT_FOUND');
  if (unit.status === 'closed') throw grantErrors.unitClosed();
  const staff = await createStaff(ex, actor, {
    login: input.login,
    displayName: input.displayName,
    password: input.password,
    isOperator: false,
    orgId: null,
  });
  const grant = await grantRole(ex, actor, {
    tenantId: input.tenantId,
    role: 'reporter',
    staffId: staff.id,
    unitId: unit.id,
    skipPartyCheck: true,
  });
  return { staff, grant };
}

// ── staff ─────────────────────────────────────────────────────────────────────

/** Creates a staff account (platform scope). Roles come separately, as grants. */
export async function createStaff(ex: Executor, actor: Actor, input: NewStaff): Promise<Staff> {
  const { login, name } = checkNewStaff(input);
  const weak = passwordProblem(input.password);
  if (weak) throw new DomainError('BAD_USER_INPUT', weak, [{ path: 'password', message: weak }]);
  if (input.orgId && !(await organisationExists(ex, input.orgId))) throw new DomainError('ORGANISATION_NOT_FOUND');
  let staff: Staff;
  try {
    staff = await insertStaff(ex, {
      login,
      display_name: name,
      password_hash: await hashPassword(input.password),
      is_operator: input.isOperator ?? false,
      org_id: input.orgId ?? null,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('LOGIN_TAKEN');
    throw err;
  }
  await appendAudit(ex, actor, {
    tenantId: null,
    action: 'staff.create',
    targetKind: 'staff',
    targetId: staff.id,
    detail: { login },
  });
  return staff;
}

export async function setStaffStatus(
  ex: Executor,
  actor: Actor,
  id: string,
  status: 'active' | 'disabled',
): Promise<Staff> {
  const row = await setStaffStatusRow(ex, id, status);
  if (!row) throw new DomainError('STAFF_NOT_FOUND');
  if (status === 'disabled') await revokeSessionsOf(ex, id);
  await appendAudit(ex, actor, {
    tenantId: null,
    action: `staff.${status === 'active' ? 'enable' : 'disable'}`,
    targetKind: 'staff',
    targetId: id,
  });
  return row;
}

// ── sessions ──────────────────────────────────────────────────────────────────

export async function createSession(
  ex: Executor,
  staffId: string,
  meta: { ip?: string; userAgent?: string } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await insertSession(ex, {
    digest: tokenDigest(token),
    staffId,
    expiresAt,
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { token, expiresAt };
}

/** The signed-in staff member behind a token, or null when unknown, revoked, expired or disabled. */
export async function sessionByToken(ex: Executor, token: string): Promise<SessionInfo | null> {
  if (!token || token.length > 100) return null;
  const row = await sessionWithStaff(ex, tokenDigest(token));
  if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now() || row.status !== 'active') return null;
  const { session_id, expires_at, revoked_at: _r, ...staff } = row;
  return { sessionId: session_id, staff, expiresAt: expires_at };
}

export async function revokeAllSessions(ex: Executor, actor: Actor, staffId: string): Promise<number> {
  const n = await revokeSessionsOf(ex, staffId);
  await appendAudit(ex, actor, {
    tenantId: null,
    action: 'session.revoke_all',
    targetKind: 'staff',
    targetId: staffId,
  });
  return n;
}

async function throttled(cache: Cache, keys: [string, number][]): Promise<boolean> {
  for (const [key, limit] of keys) {
    const n = Number((await cache.get(key)) ?? 0);
    if (n >= limit) return true;
  }
  return false;
}

/**
 * Password login with throttling per account and per address (counted in the
 * cache, so it holds across processes with Redis). Runs in platform scope.
 * Throws on failure: the failure's audit row goes down with the caller's
 * transaction, so callers that must keep it use attemptLogin and throw after commit.
 */
export async function login(
  ex: Executor,
  cache: Cache,
  input: LoginInput,
): Promise<{ token: string; expiresAt: Date; staff: Staff }> {
  const r = await attemptLogin(ex, cache, input);
  if (!r.ok) throw r.error;
  return r;
}

/** Like login, but a failure is returned (with its audit row written) instead of thrown. */
export async function attemptLogin(ex: Executor, cache: Cache, input: LoginInput): Promise<LoginResult> {
  const name = input.login.trim().toLowerCase().slice(0, 40);
  const keys: [string, number][] = [
    [`login-fail:acct:${name}`, LOGIN_LIMITS.perAccount],
    [`login-fail:ip:${input.ip}`, LOGIN_LIMITS.perIp],
  ];
  if (await throttled(cache, keys)) {
    await appendAudit(
      ex,
      { kind: 'staff', id: 'unknown', name },
      { tenantId: null, action: 'login.throttled', targetKind: 'staff', targetId: name, detail: { ip: input.ip } },
    );
    return { ok: false, error: new DomainError('LOGIN_THROTTLED') };
  }
  const staff = await staffByLogin(ex, name);
  const ok = staff
    ? await verifyPassword(staff.password_hash, input.password)
    : (await verifyPassword(await dummyHash(), input.password), false);
  if (!staff || !ok || staff.status !== 'active') {
    for (const [key] of keys) await cache.incrWindow(key, LOGIN_LIMITS.windowSeconds).catch(() => 0);
    const who: Actor = staff ? staffActor(staff) : { kind: 'staff', id: 'unknown', name };
    await appendAudit(ex, who, {
      tenantId: null,
      action: 'login.fail',
      targetKind: 'staff',
      targetId: staff?.id ?? name,
      detail: { ip: input.ip },
    });
    return { ok: false, error: new DomainError('LOGIN_FAILED') };
  }
  const session = await createSession(ex, staff.id, {
    ip: input.ip,
    ...(input.userAgent ? { userAgent: input.userAgent } : {}),
  });
  await touchLastLogin(ex, staff.id);
  await appendAudit(ex, staffActor(staff), {
    tenantId: null,
    action: 'login',
    targetKind: 'staff',
    targetId: staff.id,
    detail: { ip: input.ip },
  });
  await cache.del(keys[0]![0]);
  return { ok: true, ...session, staff };
}

// ── operator organisations ────────────────────────────────────────────────────

/** Re-reads what was written, so every answer shows the stored day and the validity it gives. */
async function reread(ex: Executor, id: string): Promise<OrganisationView> {
  const org = await organisationById(ex, id);
  if (!org) throw new DomainError('ORGANISATION_NOT_FOUND');
  return org;
}

/** Operator organisations (代运营) are platform records with a qualification on file. */
export async function createOrganisation(
  ex: Executor,
  actor: Actor,
  input: OrganisationInput,
): Promise<OrganisationView> {
  checkOrg(input);
  const org = await insertOrganisation(ex, input);
  await appendAudit(ex, actor, {
    tenantId: null,
    action: 'organisation.create',
    targetKind: 'organisation',
    targetId: org.id,
    detail: { licenceNo: org.licence_no, validUntil: input.validUntil },
  });
  return reread(ex, org.id);
}

export async function updateQualification(
  ex: Executor,
  actor: Actor,
  orgId: string,
  input: QualificationPatch,
): Promise<OrganisationView> {
  checkOrg(input);
  if (!isUuid(orgId)) throw new DomainError('ORGANISATION_NOT_FOUND');
  if (!(await updateOrganisationRow(ex, orgId, input))) throw new DomainError('ORGANISATION_NOT_FOUND');
  await appendAudit(ex, actor, {
    tenantId: null,
    action: 'organisation.update',
    targetKind: 'organisation',
    targetId: orgId,
    detail: { ...input },
  });
  return reread(ex, orgId);
}

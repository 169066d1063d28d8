import type { Executor, Staff } from '@yiduan/db';
import type { Cache } from '@yiduan/cache';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';
import { dummyHash, verifyPassword } from './passwords.js';
import { staffActor, staffByLogin } from './staff.js';
import { newSessionToken, tokenDigest } from './tokens.js';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Failed logins allowed per account and per address in one window. */
export const LOGIN_LIMITS = { perAccount: 5, perIp: 30, windowSeconds: 15 * 60 };


export interface SessionInfo {
  sessionId: string;
  staff: Staff;
  expiresAt: Date;
}

export async function createSession(ex: Executor, staffId: string, meta: { ip?: string; userAgent?: string } = {}): Promise<{ token: string; expiresAt: Date }> {
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await ex
    .insertInto('staff_sessions')
    .values({ id: tokenDigest(token), staff_id: staffId, expires_at: expiresAt, ip: meta.ip ?? null, user_agent: meta.userAgent?.slice(0, 300) ?? null })
    .execute();
  return { token, expiresAt };
}

/** The signed-in staff member behind a token, or null when unknown, revoked, expired or disabled. */
export async function sessionByToken(ex: Executor, token: string): Promise<SessionInfo | null> {
  if (!token || token.length > 100) return null;
  const row = await ex
    .selectFrom('staff_sessions as s')
    .innerJoin('staff', 'staff.id', 's.staff_id')
    .selectAll('staff')
    .select(['s.id as session_id', 's.expires_at', 's.revoked_at'])
    .where('s.id', '=', tokenDigest(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now() || row.status !== 'active') return null;
  const { session_id, expires_at, revoked_at: _r, ...staff } = row;
  return { sessionId: session_id, staff, expiresAt: expires_at };
}

export async function revokeSession(ex: Executor, sessionId: string): Promise<void> {
  await ex.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

export async function revokeAllSessions(ex: Executor, actor: Actor, staffId: string): Promise<number> {
  const r = await ex.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('staff_id', '=', staffId).where('revoked_at', 'is', null).executeTakeFirst();
  await appendAudit(ex, actor, { tenantId: null, action: 'session.revoke_all', targetKind: 'staff', targetId: staffId });
  return Number(r.numUpdatedRows);
}

async function throttled(cache: Cache, keys: [string, number][]): Promise<boolean> {
  for (const [key, limit] of keys) {
    const n = Number((await cache.get(key)) ?? 0);
    if (n >= limit) return true;
  }
  return false;
}

export type LoginResult = { ok: true; token: string; expiresAt: Date; staff: Staff } | { ok: false; error: DomainError };

/**
 * Password login with throttling per account and per address (counted in the
 * cache, so it holds across processes with Redis). Runs in platform scope.
 * Throws on failure: the failure's audit row goes down with the caller's
 * transaction, so callers that must keep it use attemptLogin and throw after commit.
 */
export async function login(ex: Executor, cache: Cache, input: LoginInput): Promise<{ token: string; expiresAt: Date; staff: Staff }> {
  const r = await attemptLogin(ex, cache, input);
  if (!r.ok) throw r.error;
  return r;
}

export interface LoginInput {
  login: string;
  password: string;
  ip: string;
  userAgent?: string;
}

/** Like login, but a failure is returned (with its audit row written) instead of thrown. */
export async function attemptLogin(ex: Executor, cache: Cache, input: LoginInput): Promise<LoginResult> {
  const name = input.login.trim().toLowerCase().slice(0, 40);
  const keys: [string, number][] = [
    [`login-fail:acct:${name}`, LOGIN_LIMITS.perAccount],
    [`login-fail:ip:${input.ip}`, LOGIN_LIMITS.perIp],
  ];
  if (await throttled(cache, keys)) {
    await appendAudit(ex, { kind: 'staff', id: 'unknown', name }, { tenantId: null, action: 'login.throttled', targetKind: 'staff', targetId: name, detail: { ip: input.ip } });
    return { ok: false, error: new DomainError('LOGIN_THROTTLED') };
  }
  const staff = await staffByLogin(ex, name);
  const ok = staff ? await verifyPassword(staff.password_hash, input.password) : (await verifyPassword(await dummyHash(), input.password), false);
  if (!staff || !ok || staff.status !== 'active') {
    for (const [key] of keys) await cache.incrWindow(key, LOGIN_LIMITS.windowSeconds).catch(() => 0);
    const who: Actor = staff ? staffActor(staff) : { kind: 'staff', id: 'unknown', name };
    await appendAudit(ex, who, { tenantId: null, action: 'login.fail', targetKind: 'staff', targetId: staff?.id ?? name, detail: { ip: input.ip } });
    return { ok: false, error: new DomainError('LOGIN_FAILED') };
  }
  const session = await createSession(ex, staff.id, { ip: input.ip, ...(input.userAgent ? { userAgent: input.userAgent } : {}) });
  await ex.updateTable('staff').set({ last_login_at: new Date() }).where('id', '=', staff.id).execute();
  await appendAudit(ex, staffActor(staff), { tenantId: null, action: 'login', targetKind: 'staff', targetId: staff.id, detail: { ip: input.ip } });
  await cache.del(keys[0]![0]);
  return { ok: true, ...session, staff };
}

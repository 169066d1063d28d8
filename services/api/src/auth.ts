import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Config } from '@yiduan/config';
import type { Cache } from '@yiduan/cache';
import {
  Access,
  accessFor,
  DomainError,
  isUuid,
  sessionAccessOf,
  sessionByToken,
  tenantById,
  tokenDigest,
  type Actor,
  type SessionAccessRow,
} from '@yiduan/core';
import { withPlatform, withScope, withSessionScope, type DB, type Scope, type Tenant, type Trx } from '@yiduan/db';
import type { GraphQLContext, RequestMemo, SessionEnd, Viewer } from './context.js';

export type { RequestMemo, SessionEnd };

export const SESSION_COOKIE = 'yd_staff';
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

const BOOTSTRAP: Viewer = {
  kind: 'operator',
  id: 'bootstrap-operator',
  name: '平台运营（引导账号）',
  roles: ['platform_operator'],
  login: null,
  staff: null,
  sessionId: null,
};

/**
 * The bootstrap operator presents `BOOTSTRAP_OPERATOR_TOKEN` (so a new platform
 * can be set up before any staff exist); staff present a session token, as a
 * bearer token or the console's HttpOnly cookie.
 */
export async function viewerFrom(
  request: FastifyRequest,
  config: Config,
  db: DB,
  sessions?: SessionCache,
): Promise<Viewer | null> {
  const token = tokenOf(request);
  return token ? viewerFromToken(token, config, db, sessions) : null;
}

export async function viewerFromToken(
  token: string,
  config: Config,
  db: DB,
  sessions?: SessionCache,
): Promise<Viewer | null> {
  // compare digests: constant time and independent of the token's length
  if (timingSafeEqual(digest(token), digest(config.bootstrapOperatorToken))) return BOOTSTRAP;
  if (!token || token.length > 100) return null;
  const id = tokenDigest(token);
  const known = sessions?.get(id);
  if (known) return known;
  const session = await withPlatform(db, (trx) => sessionByToken(trx, token));
  if (!session) return null;
  const s = session.staff;
  const viewer: Viewer = {
    kind: 'staff',
    id: s.id,
    name: s.display_name,
    roles: s.is_operator ? ['platform_operator'] : [],
    login: s.login,
    staff: s,
    sessionId: session.sessionId,
  };
  sessions?.set(id, viewer, session.expiresAt);
  return viewer;
}

/** Cache channel on which every API process hears of ended sessions. */
export const SESSIONS_CHANNEL = 'staff-sessions-ended';

/**
 * Who a session token belongs to, remembered for at most `ttlMs` (2 s by default) and
 * never past the session's expiry, so that a feed request does not pay a platform
 * transaction for the session lookup. What this may leave stale is bounded and small:
 * - tenant data is never served on it alone: every request that enters a tenant checks
 *   the session, the staff member's status and the grants in the same query (tenantRunner);
 * - operators are never cached (their requests reach platform-wide data without a tenant);
 * - logout and revocation through this API forget the entry here at once and in the
 *   other API processes through the cache's publish/subscribe ({@link SESSIONS_CHANNEL});
 * - what is left is the viewer's own identity (`viewer`, `memberships`) for at most
 *   `ttlMs` after a session ended some other way (e.g. in the database directly).
 */
export class SessionCache {
  readonly #entries = new Map<string, { viewer: Viewer; until: number }>();

  constructor(
    readonly ttlMs = 2_000,
    readonly maxEntries = 10_000,
    readonly cache: Pick<Cache, 'publish'> | null = null,
  ) {}

  get(sessionId: string): Viewer | undefined {
    const e = this.#entries.get(sessionId);
    if (!e) return undefined;
    if (e.until > Date.now()) return e.viewer;
    this.#entries.delete(sessionId);
    return undefined;
  }

  set(sessionId: string, viewer: Viewer, expiresAt: Date): void {
    if (this.ttlMs <= 0 || isOperator(viewer)) return;
    // the oldest entry goes first (a Map keeps insertion order)
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    Object.freeze(viewer.staff);
    this.#entries.set(sessionId, {
      viewer: Object.freeze(viewer),
      until: Math.min(Date.now() + this.ttlMs, expiresAt.getTime()),
    });
  }

  /** Forgets ended sessions in this process only (see end). */
  forget(ended: SessionEnd): void {
    if ('sessionId' in ended) this.#entries.delete(ended.sessionId);
    else for (const [id, e] of this.#entries) if (e.viewer.id === ended.staffId) this.#entries.delete(id);
  }

  /** Call after the change committed: forgets here and tells the other processes. */
  async end(ended: SessionEnd): Promise<void> {
    this.forget(ended);
    // the other processes' entries expire within ttlMs anyway: a cache outage only delays them
    await this.cache?.publish(SESSIONS_CHANNEL, JSON.stringify(ended)).catch(() => undefined);
  }

  /** Applies a message of SESSIONS_CHANNEL; malformed ones are ignored. */
  heard(message: string): void {
    try {
      const m = JSON.parse(message) as Partial<Record<'sessionId' | 'staffId', unknown>>;
      if (typeof m.sessionId === 'string') this.forget({ sessionId: m.sessionId });
      else if (typeof m.staffId === 'string') this.forget({ staffId: m.staffId });
    } catch {
      // entries expire within ttlMs anyway
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}

export const isOperator = (viewer: Viewer | null): boolean => viewer?.roles.includes('platform_operator') ?? false;

export function requireOperator(ctx: Pick<GraphQLContext, 'viewer'>): Viewer {
  if (!ctx.viewer) throw new DomainError('UNAUTHENTICATED');
  if (!isOperator(ctx.viewer)) throw new DomainError('FORBIDDEN', '仅平台运营人员可以执行此操作');
  return ctx.viewer;
}

export function requireViewer(ctx: Pick<GraphQLContext, 'viewer'>): Viewer {
  if (!ctx.viewer) throw new DomainError('UNAUTHENTICATED');
  return ctx.viewer;
}

/** The bootstrap operator has no staff row: give it an operator's access everywhere. */
function operatorAccess(tenantId: string, viewer: Viewer): Access {
  return new Access(tenantId, { id: viewer.id, display_name: viewer.name, is_operator: true }, new Set(), new Map());
}

export const requestMemo = (): RequestMemo => ({ access: new Map(), tenants: new Map() });

/** The tenant, the person (policies let them read their own staff row), platform off. */
const staffScope = (tenantId: string, viewer: Viewer): Scope => ({ tenantId, staffId: viewer.staff?.id ?? null });

/** A member's access, or the refusal every path gives. */
function member(found: { access: Access; tenant: Tenant }): { access: Access; tenant: Tenant } {
  if (!found.access.member) throw new DomainError('FORBIDDEN', '您在该租户没有任何角色');
  return found;
}

/**
 * Opens the tenant's transaction with the viewer's access checked. A session's check (session
 * open, staff member active, the tenant, the grants) rides with BEGIN in one round trip and sets
 * the scope only when it passes (withSessionScope, app_open_staff_scope); the bootstrap operator,
 * who has no session, opens the tenant's scope and is checked inside.
 */
function withCheckedAccess<T>(
  db: DB,
  tenantId: string,
  viewer: Viewer,
  fn: (trx: Trx, found: { access: Access; tenant: Tenant }) => Promise<T>,
): Promise<T> {
  if (viewer.staff && viewer.sessionId) {
    return withSessionScope<T, SessionAccessRow>(db, { sessionDigest: viewer.sessionId, tenantId }, (trx, row) => {
      const r = sessionAccessOf(row, tenantId);
      if (!r.ok) throw new DomainError(r.reason === 'SESSION_ENDED' ? 'UNAUTHENTICATED' : 'TENANT_NOT_FOUND');
      return fn(trx, member(r));
    });
  }
  return withScope(db, staffScope(tenantId, viewer), async (trx) => {
    const tenant = await tenantById(trx, tenantId);
    if (!tenant) throw new DomainError('TENANT_NOT_FOUND');
    return fn(
      trx,
      member({
        access: viewer.staff ? await accessFor(trx, viewer.staff, tenantId) : operatorAccess(tenantId, viewer),
        tenant,
      }),
    );
  });
}

/**
 * Opens a tenant-scoped transaction with the viewer's access in that tenant. The access
 * (session still open, staff member active, grants) is checked in the first transaction
 * a request opens in a tenant; with a memo, later ones of the same request reuse it and
 * pay only for the scope. A memo lives as long as one request: a revoked grant or an
 * ended session is refused from the next request on.
 */
export function tenantRunner(db: DB, viewer: Viewer | null, memo?: RequestMemo) {
  return async <T>(tenantId: string, fn: (trx: Trx, access: Access, actor: Actor) => Promise<T>): Promise<T> => {
    if (!viewer) throw new DomainError('UNAUTHENTICATED');
    if (!isUuid(tenantId)) throw new DomainError('TENANT_NOT_FOUND');
    const known = memo?.access.get(tenantId);
    if (known) {
      const access = await known;
      return withScope(db, staffScope(tenantId, viewer), (trx) => fn(trx, access, viewer));
    }
    let settle: { resolve: (a: Access) => void; reject: (e: unknown) => void } | undefined;
    if (memo) {
      const pending = new Promise<Access>((resolve, reject) => (settle = { resolve, reject }));
      pending.catch(() => undefined); // a refusal reaches the caller below; waiters see it too
      memo.access.set(tenantId, pending);
    }
    let checked = false;
    try {
      return await withCheckedAccess(db, tenantId, viewer, async (trx, { access, tenant }) => {
        checked = true;
        memo?.tenants.set(tenantId, tenant);
        settle?.resolve(access);
        return fn(trx, access, viewer);
      });
    } catch (err) {
      if (!checked) {
        settle?.reject(err);
        memo?.access.delete(tenantId);
      }
      throw err;
    }
  };
}

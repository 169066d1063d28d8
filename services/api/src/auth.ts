import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Config } from '@yiduan/config';
import { Access, accessFor, DomainError, sessionByToken, tenantById, type Actor } from '@yiduan/core';
import { withPlatform, withTenant, type DB, type Trx } from '@yiduan/db';
import type { GraphQLContext, Viewer } from './context.js';

export const SESSION_COOKIE = 'yd_staff';
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

const BOOTSTRAP: Viewer = { kind: 'operator', id: 'bootstrap-operator', name: '平台运营（引导账号）', roles: ['platform_operator'], login: null, staff: null, sessionId: null };

/**
 * The bootstrap operator presents `BOOTSTRAP_OPERATOR_TOKEN` (so a new platform
 * can be set up before any staff exist); staff present a session token, as a
 * bearer token or the console's HttpOnly cookie.
 */
export async function viewerFrom(request: FastifyRequest, config: Config, db: DB): Promise<Viewer | null> {
  const token = tokenOf(request);
  return token ? viewerFromToken(token, config, db) : null;
}

export async function viewerFromToken(token: string, config: Config, db: DB): Promise<Viewer | null> {
  // compare digests: constant time and independent of the token's length
  if (timingSafeEqual(digest(token), digest(config.bootstrapOperatorToken))) return BOOTSTRAP;
  const session = await withPlatform(db, (trx) => sessionByToken(trx, token));
  if (!session) return null;
  const s = session.staff;
  return { kind: 'staff', id: s.id, name: s.display_name, roles: s.is_operator ? ['platform_operator'] : [], login: s.login, staff: s, sessionId: session.sessionId };
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

/** Opens a tenant-scoped transaction with the viewer's access in that tenant. */
export function tenantRunner(db: DB, viewer: Viewer | null) {
  return async <T>(tenantId: string, fn: (trx: Trx, access: Access, actor: Actor) => Promise<T>): Promise<T> => {
    if (!viewer) throw new DomainError('UNAUTHENTICATED');
    if (!(await tenantById(db, tenantId))) throw new DomainError('TENANT_NOT_FOUND');
    return withTenant(db, tenantId, async (trx) => {
      const access = viewer.staff ? await accessFor(trx, viewer.staff, tenantId) : operatorAccess(tenantId, viewer);
      if (!access.member) throw new DomainError('FORBIDDEN', '您在该租户没有任何角色');
      // carry the staff id too: policies let a person read their own staff row
      if (viewer.staff) await sql`SELECT set_config('app.staff_id', ${viewer.staff.id}, true)`.execute(trx);
      return fn(trx, access, viewer);
    });
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { citizenSessionByToken, type CitizenSession } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';

/** The face's own session (host-only cookie of the face's domain). */
export const FACE_COOKIE = 'yd_citizen';
/** The central session, on the sign-in host only. */
export const CENTRAL_COOKIE = 'yd_sso';
/** state, PKCE verifier and where to return, between /auth/login and /auth/callback */
export const FLOW_COOKIE = 'yd_signin';

const scheme = (request: FastifyRequest): 'https' | 'http' => (request.server.config.env === 'production' ? 'https' : 'http');

/** `scheme://host[:port]` exactly as this request reached us (cookies belong to this host). */
export const requestOrigin = (request: FastifyRequest): string => `${scheme(request)}://${request.host}`;
export const accountOrigin = (request: FastifyRequest): string => `${scheme(request)}://${request.server.config.accountHost}`;
export const accountHostname = (accountHost: string): string => accountHost.replace(/:\d+$/, '');

export function cookieOptions(request: FastifyRequest, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.server.config.env === 'production',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

const seen = new WeakMap<FastifyRequest, CitizenSession | null>();

/** The signed-in citizen of this request (face or central cookie, by host), once per request. */
export async function citizenOf(request: FastifyRequest, cookieName: string): Promise<CitizenSession | null> {
  if (seen.has(request)) return seen.get(request)!;
  const token = request.cookies[cookieName];
  const session = token ? await withPlatform(request.server.db, (trx) => citizenSessionByToken(trx, token, request.host)) : null;
  seen.set(request, session);
  return session;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, name: string, token: string, expiresAt: Date): void {
  void reply.setCookie(name, token, cookieOptions(request, Math.floor((expiresAt.getTime() - Date.now()) / 1000)));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, name: string): void {
  void reply.clearCookie(name, cookieOptions(request));
}

/** A local path to go back to after signing in: never another origin (no open redirects). */
export function safeNext(raw: unknown, fallback = '/'): string {
  if (typeof raw !== 'string' || raw.length > 500) return fallback;
  return raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') && !/[\r\n]/.test(raw) ? raw : fallback;
}

/** Where a page needing a signed-in citizen sends strangers. */
export function sendToSignIn(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').redirect(`/auth/login?next=${encodeURIComponent(safeNext(request.url))}`, 303);
}

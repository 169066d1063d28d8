import type { FastifyReply, FastifyRequest } from 'fastify';
import { citizenSessionByToken, type CitizenSession } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';

/** The face's own session (host-only cookie of the face's domain). */
export const FACE_COOKIE = 'yd_citizen';
/** The central session, on the sign-in host only. */
export const CENTRAL_COOKIE = 'yd_sso';
/** state, PKCE verifier and where to return, between /auth/login and /auth/callback */
export const FLOW_COOKIE = 'yd_signin';

const scheme = (request: FastifyRequest): 'https' | 'http' =>
  request.server.config.env === 'production' ? 'https' : 'http';

/** `scheme://host[:port]` exactly as this request reached us (cookies belong to this host). */
export const requestOrigin = (request: FastifyRequest): string => `${scheme(request)}://${request.host}`;
export const accountOrigin = (request: FastifyRequest): string =>
  `${scheme(request)}://${request.server.config.accountHost}`;
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
  const session = token
    ? await withPlatform(request.server.db, (trx) => citizenSessionByToken(trx, token, request.host))
    : null;
  seen.set(request, session);
  return session;
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  token: string,
  expiresAt: Date,
): void {
  void reply.setCookie(name, token, cookieOptions(request, Math.floor((expiresAt.getTime() - Date.now()) / 1000)));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, name: string): void {
  void reply.clearCookie(name, cookieOptions(request));
}

const LOCAL_BASE = 'http://local.invalid';

/**
 * A local path to go back to after signing in: never another origin (no open redirects), always
 * ASCII (a Location header with other characters makes Node throw). The address is parsed as a
 * WHATWG URL against a placeholder origin, as a browser would: `/\t/evil.example`, `/\\evil`,
 * `//evil` or `/.//evil` would leave the site, so any control character, white space or
 * backslash is refused outright, and the parsed result must keep the placeholder origin and not
 * start with `//`. What comes back is the URL's own serialisation (non-ASCII percent-encoded).
 */
export function safeNext(raw: unknown, fallback = '/'): string {
  if (typeof raw !== 'string' || raw.length > 500 || !raw.startsWith('/')) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u0020\u007f-\u009f\\\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]/.test(raw))
    return fallback;
  let url: URL;
  try {
    url = new URL(raw, LOCAL_BASE);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === LOCAL_BASE && path.startsWith('/') && !path.startsWith('//') && path.length <= 2000
    ? path
    : fallback;
}

/** Where a page needing a signed-in citizen sends strangers. */
export function sendToSignIn(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-store')
    .redirect(`/auth/login?next=${encodeURIComponent(safeNext(request.url))}`, 303);
}

import { createHash } from 'node:crypto';
import type { Executor } from '@yiduan/db';
import { DomainError } from '../../errors.js';
import { newSessionToken as newToken, tokenDigest as digest } from '../../identity/index.js';
import { resolveHost } from '../../tenancy/index.js';
import {
  AUTH_CODE_TTL_MS,
  CALLBACK_PATH,
  CENTRAL_SESSION_TTL_MS,
  FACE_SESSION_TTL_MS,
  type AuthorizeRequest,
  type CitizenSession,
  type SessionMeta,
} from '../model.js';
import { citizensRepo as repo } from '../repo/index.js';

/**
 * One account on every face. Faces live on different domains, so each keeps
 * its own session cookie, and the central sign-in host keeps the "central"
 * session. A face signs a citizen in by redirecting to the central host
 * (authorization-code flow with state and PKCE, as in OpenID Connect): when the
 * central session exists the citizen comes straight back with a code, which the
 * face exchanges for a face session bound to that central session. Signing out
 * centrally revokes the central session and every face session under it.
 * All functions here run in platform scope.
 */

export async function createCentralSession(
  ex: Executor,
  citizenId: string,
  host: string,
  meta: SessionMeta = {},
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + CENTRAL_SESSION_TTL_MS);
  await repo.insertSession(ex, {
    id: digest(token),
    citizen_id: citizenId,
    kind: 'central',
    central_id: null,
    host,
    expires_at: expiresAt,
    ip: meta.ip ?? null,
    user_agent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { token, expiresAt };
}

/**
 * The citizen behind a session token on a host: unknown, expired or revoked
 * sessions, a face session whose central session has ended, a session used on
 * another host, and deleted accounts all give null.
 */
export async function citizenSessionByToken(ex: Executor, token: string, host: string): Promise<CitizenSession | null> {
  if (!token || token.length > 100) return null;
  const row = await repo.sessionWithCitizen(ex, digest(token));
  if (
    !row ||
    row.session_host !== host ||
    row.s_revoked ||
    row.s_expires.getTime() <= Date.now() ||
    row.status !== 'active'
  )
    return null;
  if (row.kind === 'face' && (!row.c_id || row.c_revoked || (row.c_expires && row.c_expires.getTime() <= Date.now())))
    return null;
  const {
    session_id,
    kind: _k,
    session_host: _h,
    s_expires,
    s_revoked: _sr,
    c_id,
    c_expires: _ce,
    c_revoked: _cr,
    ...citizen
  } = row;
  return { sessionId: session_id, centralId: c_id ?? session_id, citizen, expiresAt: s_expires };
}

/**
 * Checks that an authorization request comes from a face of this platform and
 * returns to that face's callback: an open redirector would hand codes to anyone.
 */
export async function checkAuthorizeRequest(
  ex: Executor,
  req: AuthorizeRequest,
  baseDomain: string,
  requireHttps: boolean,
): Promise<{ tenantId: string; redirect: URL }> {
  const invalid = (): DomainError => new DomainError('SIGN_IN_INVALID');
  let redirect: URL;
  try {
    redirect = new URL(req.redirectUri);
  } catch {
    throw invalid();
  }
  if (redirect.protocol !== 'https:' && (requireHttps || redirect.protocol !== 'http:')) throw invalid();
  if (
    redirect.host !== req.clientHost ||
    redirect.pathname !== CALLBACK_PATH ||
    redirect.search ||
    redirect.hash ||
    redirect.username ||
    redirect.password
  )
    throw invalid();
  if (req.codeChallengeMethod !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(req.codeChallenge)) throw invalid();
  const tenant = await resolveHost(ex, redirect.hostname, baseDomain);
  if (!tenant || tenant.status !== 'active') throw invalid();
  return { tenantId: tenant.id, redirect };
}

/** Issues a single-use authorization code for a checked request (central session required). */
export async function issueAuthCode(ex: Executor, session: CitizenSession, req: AuthorizeRequest): Promise<string> {
  const code = newToken();
  await repo.insertSsoCode(ex, {
    code_hash: digest(code),
    citizen_id: session.citizen.id,
    central_id: session.centralId,
    client_host: req.clientHost,
    redirect_uri: req.redirectUri,
    code_challenge: req.codeChallenge,
    expires_at: new Date(Date.now() + AUTH_CODE_TTL_MS),
  });
  return code;
}

export const pkceChallenge = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

/**
 * The face's half: trades a code (with the PKCE verifier only the face knows)
 * for a face session under the central one. A code works once, on the host
 * and redirect URI it was issued for, within a minute.
 */
export async function exchangeAuthCode(
  ex: Executor,
  input: { code: string; verifier: string; redirectUri: string; clientHost: string },
  meta: SessionMeta = {},
): Promise<{ token: string; expiresAt: Date; citizenId: string }> {
  const invalid = new DomainError('SIGN_IN_INVALID');
  if (!input.code || input.code.length > 100 || !/^[A-Za-z0-9._~-]{43,128}$/.test(input.verifier)) throw invalid;
  const row = await repo.useSsoCode(ex, digest(input.code), new Date());
  if (
    !row ||
    row.expires_at.getTime() <= Date.now() ||
    row.client_host !== input.clientHost ||
    row.redirect_uri !== input.redirectUri
  )
    throw invalid;
  if (pkceChallenge(input.verifier) !== row.code_challenge) throw invalid;
  const central = await repo.sessionValidity(ex, row.central_id);
  if (!central || central.revoked_at || central.expires_at.getTime() <= Date.now()) throw invalid;
  const token = newToken();
  const expiresAt = new Date(Math.min(Date.now() + FACE_SESSION_TTL_MS, central.expires_at.getTime()));
  await repo.insertSession(ex, {
    id: digest(token),
    citizen_id: row.citizen_id,
    kind: 'face',
    central_id: row.central_id,
    host: input.clientHost,
    expires_at: expiresAt,
    ip: meta.ip ?? null,
    user_agent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { token, expiresAt, citizenId: row.citizen_id };
}

/** Signs out everywhere: the central session and every face session under it. */
export async function endCentralSession(ex: Executor, centralId: string): Promise<number> {
  return repo.revokeSessionTree(ex, centralId, new Date());
}

/** The central session behind a face session (to sign out everywhere from a face). */
export async function centralOf(ex: Executor, sessionId: string): Promise<string | null> {
  const row = await repo.sessionKind(ex, sessionId);
  if (!row) return null;
  return row.kind === 'central' ? row.id : row.central_id;
}

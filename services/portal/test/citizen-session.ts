/**
 * A signed-in citizen for portal tests, made through core the way the central
 * sign-in flow makes one: a central session on the account host, an
 * authorization code for the face, exchanged with its PKCE verifier for the
 * face's own session. Returns the cookies a browser would send.
 */
import { randomBytes } from 'node:crypto';
import {
  citizenSessionByToken,
  createCentralSession,
  exchangeAuthCode,
  issueAuthCode,
  pkceChallenge,
} from '@yiduan/core';
import { withPlatform, type DB } from '@yiduan/db';

export interface SignedIn {
  /** `yd_citizen=…` for the face */
  face: string;
  /** `yd_sso=…` for the account host */
  central: string;
  citizenId: string;
}

export async function signIn(db: DB, citizenId: string, accountHost: string, faceHost: string): Promise<SignedIn> {
  return withPlatform(db, async (trx) => {
    const central = await createCentralSession(trx, citizenId, accountHost);
    const session = await citizenSessionByToken(trx, central.token, accountHost);
    if (!session) throw new Error('central session not found');
    const verifier = randomBytes(48).toString('base64url');
    const redirectUri = `http://${faceHost}/auth/callback`;
    const code = await issueAuthCode(trx, session, {
      clientHost: faceHost,
      redirectUri,
      codeChallenge: pkceChallenge(verifier),
      codeChallengeMethod: 'S256',
    });
    const face = await exchangeAuthCode(trx, { code, verifier, redirectUri, clientHost: faceHost });
    return { face: `yd_citizen=${face.token}`, central: `yd_sso=${central.token}`, citizenId };
  });
}

/** The demo citizen's id (packages/demo: 13800138000, 王小丽). */
export async function demoCitizenId(db: DB, phone = '13800138000'): Promise<string> {
  const row = await withPlatform(db, (trx) =>
    trx.selectFrom('citizens').select('id').where('phone', '=', phone).executeTakeFirstOrThrow(),
  );
  return row.id;
}

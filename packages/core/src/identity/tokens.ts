import { createHash, randomBytes } from 'node:crypto';

/** A new bearer or cookie token: 256 random bits. */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

/** What is stored of a token: its digest only, so a leaked table does not yield sessions. */
export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');

import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id is an ambient const enum (not importable under verbatimModuleSyntax); its value is 2.
const ARGON2ID = 2;

// argon2id with the library's defaults (19 MiB, t=2, p=1): OWASP's minimum for argon2id.
export const hashPassword = (password: string): Promise<string> => hash(password, { algorithm: ARGON2ID });

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false; // a malformed hash never authenticates
  }
}

/** A hash computed once so that unknown logins cost as much as known ones (no timing oracle). */
let dummy: Promise<string> | undefined;
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword('not-a-real-password-used-for-timing'));

export function passwordProblem(password: string): string | null {
  if (password.length < 10) return '密码至少 10 个字符';
  if (password.length > 128) return '密码最多 128 个字符';
  if (!/[a-zA-Z]/.test(password) || !/[0-9]/.test(password)) return '密码需同时包含字母和数字';
  return null;
}

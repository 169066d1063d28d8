import type { Cache } from '@yiduan/cache';
import type { Citizen, Executor } from '@yiduan/db';
import { DomainError } from '../../errors.js';
import { badField } from '../errors.js';
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from '../../identity/index.js';
import { displayNameProblem, type AcceptedAgreements, type Identifier } from '../model.js';
import { count, exhausted, rule, spend } from '../limits.js';
import { citizensRepo as repo } from '../repo/index.js';
import { acceptAgreements } from './agreements.js';
import { checkCode } from './codes.js';

/** All of this runs in platform scope, on the central sign-in host. */

export async function citizenByIdentifier(ex: Executor, id: Identifier): Promise<Citizen | undefined> {
  return repo.activeCitizenByIdentifier(ex, id);
}

export async function citizenById(ex: Executor, citizenId: string): Promise<Citizen | undefined> {
  return repo.activeCitizenById(ex, citizenId);
}

/** A default name for code sign-ups: 用户 and the last four digits or letters. */
const defaultName = (id: Identifier): string =>
  `用户${id.kind === 'phone' ? id.value.slice(-4) : id.value.split('@')[0]!.slice(0, 4)}`;

export interface SignUpInput {
  identifier: Identifier;
  /** the one-time code sent to the identifier: proves it belongs to the person signing up */
  code: string;
  password?: string | null;
  displayName?: string | null;
  ip: string;
  /**
   * The agreement versions the person ticked on the form. Required to create an account (consent
   * is an act); missing, a new account is refused with AGREEMENTS_REQUIRED, thrown so that the
   * caller's transaction rolls back and the proven code stays usable for the second try.
   */
  agreements?: AcceptedAgreements | null;
}

export type CodeResult = { ok: true; citizen: Citizen; created: boolean } | { ok: false; error: DomainError };

/**
 * Sign-up (and sign-in with a code): the code proves the phone or mailbox; an
 * unknown one becomes a new account, a known one is simply signed in. Returns
 * failures instead of throwing, so the spent guess commits.
 */
export async function signInWithCode(ex: Executor, cache: Cache, input: SignUpInput): Promise<CodeResult> {
  const problems = [];
  if (input.password) {
    const p = passwordProblem(input.password);
    if (p) problems.push({ path: 'password', message: p });
  }
  if (input.displayName) {
    const p = displayNameProblem(input.displayName);
    if (p) problems.push({ path: 'displayName', message: p });
  }
  if (problems.length) throw new DomainError('BAD_USER_INPUT', problems[0]!.message, problems);
  if (!(await checkCode(ex, input.identifier, input.code)))
    return { ok: false, error: new DomainError('CODE_INVALID') };
  const existing = await citizenByIdentifier(ex, input.identifier);
  if (existing) return { ok: true, citizen: existing, created: false };
  if (!input.agreements) throw new DomainError('AGREEMENTS_REQUIRED');
  await spend(cache, [rule('signupPerIp', input.ip)], 'SIGNUP_THROTTLED');
  const citizen = await repo.insertCitizen(ex, {
    [input.identifier.kind]: input.identifier.value,
    display_name: input.displayName?.trim() || defaultName(input.identifier),
    password_hash: input.password ? await hashPassword(input.password) : null,
  });
  await acceptAgreements(ex, citizen.id, input.agreements);
  return { ok: true, citizen, created: true };
}

export type PasswordResult = { ok: true; citizen: Citizen } | { ok: false; error: DomainError };

/** Password sign-in, throttled on failures per account and per client address. */
export async function signInWithPassword(
  ex: Executor,
  cache: Cache,
  input: { identifier: Identifier; password: string; ip: string },
): Promise<PasswordResult> {
  const limits = [rule('loginFailuresPerAccount', input.identifier.value), rule('loginFailuresPerIp', input.ip)];
  if (await exhausted(cache, limits)) return { ok: false, error: new DomainError('LOGIN_THROTTLED') };
  const citizen = await citizenByIdentifier(ex, input.identifier);
  // same work whether or not the account exists: no timing oracle for who is registered
  const ok = await verifyPassword(citizen?.password_hash ?? (await dummyHash()), input.password.slice(0, 200));
  if (!citizen || !citizen.password_hash || !ok) {
    await count(cache, limits);
    return { ok: false, error: new DomainError('LOGIN_FAILED', '账号或密码错误（未设置密码的账号请用验证码登录）') };
  }
  return { ok: true, citizen };
}

export async function setPassword(ex: Executor, citizenId: string, password: string): Promise<void> {
  const p = passwordProblem(password);
  if (p) throw badField('password', p);
  await repo.updateCitizen(ex, citizenId, { password_hash: await hashPassword(password), updated_at: new Date() });
}

export async function rename(ex: Executor, citizenId: string, displayName: string): Promise<void> {
  const p = displayNameProblem(displayName);
  if (p) throw badField('displayName', p);
  await repo.updateCitizen(ex, citizenId, { display_name: displayName.trim(), updated_at: new Date() });
}

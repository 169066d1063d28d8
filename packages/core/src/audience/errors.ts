import { DomainError, type ErrorCode } from '../errors.js';

/**
 * The error codes the audience context throws. Their Chinese messages and HTTP statuses stay in
 * the one catalog (`../errors.ts`), which the API and the portal map from; this list says which
 * of them are ours, and the helpers build the shapes we throw more than once.
 */
export const AUDIENCE_ERROR_CODES = [
  'CITIZEN_NOT_FOUND',
  'ACCOUNT_TAKEN',
  'CODE_INVALID',
  'CODE_THROTTLED',
  'SIGNUP_THROTTLED',
  'LOGIN_FAILED',
  'LOGIN_THROTTLED',
  'SIGN_IN_INVALID',
  'AGREEMENTS_REQUIRED',
  'AGREEMENTS_CHANGED',
  'COMMENTS_CLOSED',
  'COMMENT_NOT_FOUND',
  'COMMENT_THROTTLED',
  'MESSAGE_NOT_FOUND',
  'MESSAGE_THROTTLED',
  'MEMBERSHIP_NOT_FOUND',
] as const satisfies readonly ErrorCode[];

export type AudienceErrorCode = (typeof AUDIENCE_ERROR_CODES)[number];

/** A field the citizen or editor must correct: BAD_USER_INPUT naming the field. */
export function badField(path: string, message: string): DomainError {
  return new DomainError('BAD_USER_INPUT', message, [{ path, message }]);
}

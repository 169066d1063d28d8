import { DomainError, type ErrorCode } from '../errors.js';

/**
 * The error codes syndication raises (messages and statuses live in the one catalog,
 * ../errors.ts). Shared codes such as BAD_USER_INPUT, FORBIDDEN and NOT_FOUND are raised too.
 */
export const SYNDICATION_ERRORS = [
  'SHARE_NOT_ALLOWED',
  'PLACEMENT_NOT_FOUND',
  'ALREADY_PLACED',
  'MANDATORY_PLACEMENT',
  'NOT_PUBLISHED',
  'TARGET_NOT_DESCENDANT',
  'STORY_NOT_FOUND',
  'SECTION_NOT_FOUND',
  'INVALID_TRANSITION',
  'REASON_REQUIRED',
] as const satisfies readonly ErrorCode[];

export type SyndicationErrorCode = (typeof SYNDICATION_ERRORS)[number];

export const syndicationError = (code: SyndicationErrorCode, message?: string): DomainError =>
  new DomainError(code, message);

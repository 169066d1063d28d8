import { DomainError, type ErrorCode, type FieldProblem } from '../errors.js';

/**
 * The error codes the newsroom raises (messages and statuses live in the one catalog,
 * ../errors.ts, which the API and the portal map). Shared codes such as BAD_USER_INPUT,
 * FORBIDDEN and SLUG_TAKEN are raised too.
 */
export const NEWSROOM_ERRORS = [
  'STORY_NOT_FOUND',
  'SECTION_NOT_FOUND',
  'UNIT_NOT_FOUND',
  'ASSET_NOT_FOUND',
  'BLOCK_INVALID',
  'TERMINOLOGY_BLOCKED',
  'INVALID_TRANSITION',
  'REVIEW_NOT_PASSED',
  'REVIEW_CONFLICT',
  'REASON_REQUIRED',
  'STALE_REVISION',
  'RULE_NOT_FOUND',
  'RULE_PATTERN_INVALID',
] as const satisfies readonly ErrorCode[];

export type NewsroomErrorCode = (typeof NEWSROOM_ERRORS)[number];

/** A newsroom error: the catalog's message unless a more precise one is given. */
export const newsroomError = (code: NewsroomErrorCode, message?: string, problems?: FieldProblem[]): DomainError =>
  new DomainError(code, message, problems);

/** 稿件状态不允许此操作, with the reason in Chinese. */
export const invalidTransition = (message: string): DomainError => new DomainError('INVALID_TRANSITION', message);

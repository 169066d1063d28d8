import type { ErrorCode } from '../errors.js';

/**
 * The error codes the analytics context throws. Messages and statuses stay in the one catalog
 * (`../errors.ts`); a bad period or day is BAD_USER_INPUT naming the field, a tenant outside
 * the viewer's subtree FORBIDDEN.
 */
export const ANALYTICS_ERROR_CODES = [
  'BAD_USER_INPUT',
  'FORBIDDEN',
  'TENANT_NOT_FOUND',
] as const satisfies readonly ErrorCode[];

export type AnalyticsErrorCode = (typeof ANALYTICS_ERROR_CODES)[number];

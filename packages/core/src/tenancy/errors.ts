import { isCheckViolation, isUniqueViolation } from '@yiduan/db';
import { DomainError, type ErrorCode } from '../errors.js';

/** The codes tenancy raises; each one's status and Chinese message are in the core catalog (../errors.ts). */
export const TENANCY_ERROR_CODES = [
  'TENANT_NOT_FOUND',
  'TENANT_PARENT_NOT_FOUND',
  'TENANT_LEVEL_INVALID',
  'TENANT_CYCLE',
  'SLUG_TAKEN',
  'DOMAIN_TAKEN',
  'DOMAIN_NOT_FOUND',
  'DOMAIN_PRIMARY_REQUIRED',
  'FACE_INVALID',
] as const satisfies readonly ErrorCode[];

/** Maps constraint failures that slipped past the checks (races) to domain errors. */
export function tenantWriteError(err: unknown): never {
  if (isUniqueViolation(err, 'tenants_slug_key')) throw new DomainError('SLUG_TAKEN');
  if (isCheckViolation(err)) {
    const msg = err instanceof Error ? err.message : '';
    if (msg.includes('tenant_cycle')) throw new DomainError('TENANT_CYCLE');
    if (msg.includes('tenant_level_rule')) throw new DomainError('TENANT_LEVEL_INVALID');
    throw new DomainError('BAD_USER_INPUT');
  }
  throw err;
}

export const badHost = (): DomainError =>
  new DomainError('BAD_USER_INPUT', '域名格式不正确', [{ path: 'host', message: '格式不正确' }]);

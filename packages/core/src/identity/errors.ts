import { DomainError, type ErrorCode } from '../errors.js';

/** The codes identity raises; each one's status and Chinese message are in the core catalog (../errors.ts). */
export const IDENTITY_ERROR_CODES = [
  'LOGIN_FAILED',
  'LOGIN_THROTTLED',
  'SESSION_EXPIRED',
  'LOGIN_TAKEN',
  'STAFF_NOT_FOUND',
  'ORGANISATION_NOT_FOUND',
  'QUALIFICATION_EXPIRED',
] as const satisfies readonly ErrorCode[];

/** Refusals of grantRole / revokeGrant with their own wording. */
export const grantErrors = {
  badRole: () => new DomainError('BAD_USER_INPUT', '角色不正确'),
  // a unit drafts; review and publishing stay with the tenant's own staff
  unitNotReporter: () =>
    new DomainError('BAD_USER_INPUT', '限定政务号的授权只能是记者（撰稿）角色', [
      { path: 'role', message: '政务号成员只能撰稿' },
    ]),
  noParty: () => new DomainError('BAD_USER_INPUT', '请指定工作人员或代运营机构之一'),
  alreadyGranted: () => new DomainError('BAD_USER_INPUT', '该角色已授予'),
  notFound: () => new DomainError('NOT_FOUND', '找不到该授权'),
  unitClosed: () => new DomainError('BAD_USER_INPUT', '该政务号已关停，不能添加成员'),
};

import { refusalError, type ErrorCode } from '../errors.js';

/**
 * Why the accounts context refused something. Each reason travels under a catalog code with the
 * right status (NOT_FOUND, BAD_USER_INPUT, FORBIDDEN) and its own Chinese message, and keeps the
 * reason on the error so callers and tests tell the cases apart; they are meant to become codes
 * of their own when the catalog moves into the contexts.
 */
export const ACCOUNT_REFUSALS = {
  GOV_ACCOUNT_NOT_FOUND: { code: 'NOT_FOUND', message: '找不到该政务新媒体账号' },
  GOV_ACCOUNT_HANDLE_TAKEN: { code: 'BAD_USER_INPUT', message: '该平台上已登记同一账号（账号ID或网址重复）' },
  GOV_ACCOUNT_INVALID: { code: 'BAD_USER_INPUT', message: '账号信息不符合要求' },
  GOV_ACCOUNT_UNIT_NOT_FOUND: { code: 'BAD_USER_INPUT', message: '所属政务号（单位）不存在' },
  GOV_ACCOUNT_OPERATOR_NOT_FOUND: { code: 'BAD_USER_INPUT', message: '代运营机构不存在' },
  GOV_ACCOUNT_RETIRED: { code: 'BAD_USER_INPUT', message: '该账号已注销或已合并，不能再修改' },
  GOV_IMPORT_MALFORMED: { code: 'BAD_USER_INPUT', message: '导入文件格式不正确' },
  GOV_THRESHOLDS_INVALID: { code: 'BAD_USER_INPUT', message: '更新时限设置不正确' },
  GOV_THRESHOLDS_LEVEL: { code: 'FORBIDDEN', message: '更新时限只能由省级或市级单位设置' },
  GOV_COST_INVALID: { code: 'BAD_USER_INPUT', message: '每个账号的年运维成本应为 0 到 1000 万元之间的整数' },
  GOV_COST_LEVEL: { code: 'FORBIDDEN', message: '账号运维成本只能由省级或市级单位设置' },
} as const satisfies Record<string, { code: ErrorCode; message: string }>;

export type AccountRefusal = keyof typeof ACCOUNT_REFUSALS;

export class GovAccountError extends refusalError('GovAccountError', ACCOUNT_REFUSALS) {}

export function isGovAccountError(err: unknown): err is GovAccountError {
  return err instanceof GovAccountError;
}

import { refusalError, type ErrorCode } from '../../errors.js';

/**
 * Why the inspection rounds refused something: like the registry's refusals, each reason travels
 * under a catalog code (NOT_FOUND, BAD_USER_INPUT, FORBIDDEN) with its own Chinese message.
 */
export const ROUND_REFUSALS = {
  GOV_ROUND_NOT_FOUND: { code: 'NOT_FOUND', message: '找不到该检查轮次' },
  GOV_ROUND_INVALID: { code: 'BAD_USER_INPUT', message: '检查信息不符合要求' },
  GOV_ROUND_LEVEL: { code: 'FORBIDDEN', message: '抽查只能由省级或市级单位发起' },
  GOV_ROUND_CLOSED: { code: 'BAD_USER_INPUT', message: '该轮检查已结束，不能再记录问题或评分' },
  GOV_ROUND_NOT_SAMPLED: { code: 'BAD_USER_INPUT', message: '该账号不在本轮抽查范围内' },
  GOV_ROUND_ITEM_UNKNOWN: { code: 'BAD_USER_INPUT', message: '检查项目不存在' },
  GOV_ROUND_EVIDENCE_NOT_FOUND: { code: 'BAD_USER_INPUT', message: '证据素材不存在' },
  GOV_ROUND_FINDING_NOT_FOUND: { code: 'NOT_FOUND', message: '找不到该问题记录' },
  GOV_ROUND_EMPTY: { code: 'BAD_USER_INPUT', message: '抽查范围内没有可抽查的账号' },
  GOV_FIX_DUE_INVALID: { code: 'BAD_USER_INPUT', message: '整改期限不符合要求' },
  GOV_FIX_NOTHING: { code: 'BAD_USER_INPUT', message: '该账号在本轮检查中没有发现问题，无需整改' },
  GOV_FIX_OPEN: { code: 'BAD_USER_INPUT', message: '该账号已有未销号的整改通知' },
  GOV_FIX_NOT_FOUND: { code: 'NOT_FOUND', message: '找不到该整改通知' },
  GOV_FIX_CLOSED: { code: 'BAD_USER_INPUT', message: '该整改通知已销号' },
} as const satisfies Record<string, { code: ErrorCode; message: string }>;

export type RoundRefusal = keyof typeof ROUND_REFUSALS;

export class GovRoundError extends refusalError('GovRoundError', ROUND_REFUSALS) {}

export function isGovRoundError(err: unknown): err is GovRoundError {
  return err instanceof GovRoundError;
}

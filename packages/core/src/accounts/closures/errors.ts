import { refusalError, type ErrorCode } from '../../errors.js';

/** Why a closure step was refused; each travels under a catalog code with its own Chinese message. */
export const CLOSURE_REFUSALS = {
  GOV_CLOSURE_NOT_FOUND: { code: 'NOT_FOUND', message: '找不到该关停并转申请' },
  GOV_CLOSURE_INVALID: { code: 'BAD_USER_INPUT', message: '关停并转申请不符合要求' },
  GOV_CLOSURE_ACCOUNT_NOT_OPEN: { code: 'BAD_USER_INPUT', message: '只有正常运营的账号可以申请关停或合并' },
  GOV_CLOSURE_ALREADY_OPEN: { code: 'BAD_USER_INPUT', message: '该账号已有进行中的关停并转申请' },
  GOV_CLOSURE_SUCCESSOR_INVALID: {
    code: 'BAD_USER_INPUT',
    message: '只能合并到本单位台账中正常运营的另一个账号，或合并到本级融媒体平台',
  },
  GOV_CLOSURE_NOT_APPROVED: { code: 'INVALID_TRANSITION', message: '关停并转申请尚未经上级审批，不能进行此步骤' },
  GOV_CLOSURE_WRONG_STEP: { code: 'INVALID_TRANSITION', message: '关停并转申请当前状态下不能进行此步骤' },
  GOV_CLOSURE_NOT_PARENT: { code: 'FORBIDDEN', message: '只有上级单位可以审批关停并转申请' },
  GOV_CLOSURE_IMPORT_MALFORMED: { code: 'BAD_USER_INPUT', message: '导入文件格式不正确' },
} as const satisfies Record<string, { code: ErrorCode; message: string }>;

export type ClosureRefusal = keyof typeof CLOSURE_REFUSALS;

export class GovClosureError extends refusalError('GovClosureError', CLOSURE_REFUSALS) {}

export function isGovClosureError(err: unknown): err is GovClosureError {
  return err instanceof GovClosureError;
}

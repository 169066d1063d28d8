import { DomainError, type ErrorCode } from '../errors.js';

/**
 * Why the planning context refused something. Each reason travels under a catalog code with the
 * right status and its own Chinese message, and stays on the error as `reason` so callers and tests
 * tell the cases apart (as the accounts context does).
 */
export const PLANNING_REFUSALS = {
  PLANNING_INVALID: { code: 'BAD_USER_INPUT', message: '选题信息不符合要求' },
  CAMPAIGN_NOT_FOUND: { code: 'NOT_FOUND', message: '找不到该专题' },
  CAMPAIGN_CLOSED: { code: 'BAD_USER_INPUT', message: '该专题已结束' },
  TOPIC_NOT_FOUND: { code: 'NOT_FOUND', message: '找不到该选题' },
  TOPIC_STATE: { code: 'INVALID_TRANSITION', message: '选题当前状态不允许此操作' },
  ASSIGNMENT_NOT_FOUND: { code: 'NOT_FOUND', message: '找不到该任务' },
  ASSIGNMENT_STATE: { code: 'INVALID_TRANSITION', message: '任务当前状态不允许此操作' },
  ASSIGNEE_INVALID: { code: 'BAD_USER_INPUT', message: '派单对象不正确' },
  ASSIGNED_ALREADY: { code: 'BAD_USER_INPUT', message: '已向该对象派出同一分工的任务' },
  SHARE_INVALID: { code: 'BAD_USER_INPUT', message: '专题的共享范围不正确' },
  ASSIGNEE_OUTSIDE_SHARE: { code: 'BAD_USER_INPUT', message: '派单对象不在该专题的范围内' },
  DELIVERED_ALREADY: { code: 'INVALID_TRANSITION', message: '该任务已交稿，一个任务只能交付一篇稿件' },
  STORY_INVALID: { code: 'BAD_USER_INPUT', message: '交稿的稿件不正确' },
  PITCH_NOT_FOUND: { code: 'NOT_FOUND', message: '找不到该报题' },
  PITCH_STATE: { code: 'INVALID_TRANSITION', message: '报题当前状态不允许此操作' },
  PITCH_TARGET: { code: 'BAD_USER_INPUT', message: '只能向上级单位报题' },
  PITCHED_ALREADY: { code: 'BAD_USER_INPUT', message: '该选题已向这一上级报送' },
} as const satisfies Record<string, { code: ErrorCode; message: string }>;

export type PlanningRefusal = keyof typeof PLANNING_REFUSALS;

/** The message is whole (the refusal, then the detail); the field it concerns stays on the error as `field`. */
export class PlanningError extends DomainError {
  constructor(
    readonly reason: PlanningRefusal,
    detail?: string,
    readonly field?: string,
  ) {
    super(
      PLANNING_REFUSALS[reason].code,
      detail ? `${PLANNING_REFUSALS[reason].message}：${detail}` : PLANNING_REFUSALS[reason].message,
    );
    this.name = 'PlanningError';
  }
}

export function isPlanningError(err: unknown): err is PlanningError {
  return err instanceof PlanningError;
}

import { DomainError } from '../errors.js';

/** Why a rule was rejected; lets callers and tests tell the cases apart. */
export type RuleProblem =
  'empty' | 'too_long' | 'syntax' | 'catastrophic' | 'backreference' | 'lookbehind' | 'empty_match';

export const RULE_PROBLEM_MESSAGES: Record<RuleProblem, string> = {
  empty: '规则内容不能为空',
  too_long: '规则内容过长，不能超过 200 个字符',
  syntax: '正则表达式语法错误',
  catastrophic: '正则表达式可能导致灾难性回溯',
  backreference: '正则表达式不支持反向引用',
  lookbehind: '后行断言（前面是/不是……）只能是有限长度的内容：最多 20 个字符，不能用 *、+ 或 {n,}，也不能再嵌套断言',
  empty_match: '正则表达式不能匹配空字符串',
};

/**
 * A rule whose pattern cannot be used: a DomainError with code RULE_PATTERN_INVALID
 * (HTTP 400), carrying the specific reason in `problem` and a Chinese message.
 */
export class TerminologyRuleError extends DomainError {
  declare readonly code: 'RULE_PATTERN_INVALID';
  constructor(
    readonly problem: RuleProblem,
    readonly ruleId: string | null = null,
    options?: { cause?: unknown },
  ) {
    const message = RULE_PROBLEM_MESSAGES[problem];
    super('RULE_PATTERN_INVALID', message, [{ path: 'pattern', message }]);
    this.name = 'TerminologyRuleError';
    // the engine's own (English) reason stays in `cause`, for logs, not for editors
    if (options && 'cause' in options) this.cause = options.cause;
  }
}

export function isTerminologyRuleError(err: unknown): err is TerminologyRuleError {
  return err instanceof TerminologyRuleError;
}

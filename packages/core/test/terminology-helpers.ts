import { isTerminologyRuleError, validateRegexPattern, type RuleProblem } from '../src/terminology/index.js';

/** Why a regular-expression rule is refused, or null when it is accepted. */
export function problemOf(pattern: string): RuleProblem | null {
  try {
    validateRegexPattern(pattern, 'r1');
    return null;
  } catch (err) {
    if (!isTerminologyRuleError(err)) throw err;
    return err.problem;
  }
}

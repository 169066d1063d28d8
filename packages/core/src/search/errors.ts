import type { ErrorCode } from '../errors.js';

/**
 * Search raises no error of its own: a query it cannot use is answered with no hits
 * (docs/search.md), and the API checks the length of the input (BAD_USER_INPUT).
 */
export const SEARCH_ERRORS = [] as const satisfies readonly ErrorCode[];

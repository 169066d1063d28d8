import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { classify } from '@yiduan/http';
import { isDomainError } from '@yiduan/core';

/**
 * Every error leaves with `extensions.code`. Domain errors keep their code and
 * Chinese message; unexpected ones are logged and replaced by a generic message.
 */
export function formatError(err: GraphQLError, log: FastifyBaseLogger): GraphQLFormattedError {
  const original = err.originalError;
  const base = { message: err.message, ...(err.locations ? { locations: err.locations } : {}), ...(err.path ? { path: err.path } : {}) };
  if (!original || original instanceof GraphQLError) {
    // parse and validation errors (and mercurius' own, which carry a code)
    const code = (original as { code?: string } | undefined)?.code ?? (err.extensions.code as string | undefined) ?? 'GRAPHQL_VALIDATION_FAILED';
    return { ...base, extensions: { ...err.extensions, code } };
  }
  const c = classify(original);
  if (c.status >= 500 && c.code === 'INTERNAL') { log.error({ err: original, path: err.path }, 'resolver failed'); if (process.env.DEBUG_GQL) console.error(original); }
  const problems = isDomainError(original) && original.problems.length ? { problems: original.problems } : {};
  return { ...base, message: c.message, extensions: { code: c.code, ...problems } };
}

export function errorFormatter(log: FastifyBaseLogger) {
  return (execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>) => {
    const errors = execution.errors.map((e) => formatError(e, log));
    // executed (data present, even null) → 200 per GraphQL over HTTP; rejected before execution → 400
    const executed = 'data' in execution && execution.data !== undefined;
    return { statusCode: executed ? 200 : 400, response: { data: execution.data ?? null, errors } };
  };
}

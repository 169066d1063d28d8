import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { classify } from '@yiduan/http';
import { isDomainError } from '@yiduan/core';

/**
 * A variable a scalar refused (a bad date) is the caller's input; compiled queries (graphql-jit)
 * report it as text only, without the scalar's own error, so it is recognised by its wording.
 */
const codeOfMessage = (message: string): string => (/^Variable "\$[^"]+" got invalid value/.test(message) ? 'BAD_USER_INPUT' : 'GRAPHQL_VALIDATION_FAILED');

/**
 * Every error leaves with `extensions.code`. Domain errors keep their code and
 * Chinese message; unexpected ones are logged and replaced by a generic message.
 */
export function formatError(err: GraphQLError, log: FastifyBaseLogger): GraphQLFormattedError {
  const original = err.originalError;
  const base = { message: err.message, ...(err.locations ? { locations: err.locations } : {}), ...(err.path ? { path: err.path } : {}) };
  if (!original || original instanceof GraphQLError) {
    // parse and validation errors (and mercurius' own, which carry a code)
    // (graphql-jit's variable errors come without `extensions`)
    const code = (original as { code?: string } | undefined)?.code ?? (err.extensions?.code as string | undefined) ?? codeOfMessage(err.message);
    return { ...base, extensions: { ...err.extensions, code } };
  }
  const c = classify(original);
  if (c.status >= 500 && c.code === 'INTERNAL') { log.error({ err: original, path: err.path }, 'resolver failed'); if (process.env.DEBUG_GQL) console.error(original); }
  const problems = isDomainError(original) && original.problems.length ? { problems: original.problems } : {};
  return { ...base, message: c.message, extensions: { code: c.code, ...problems } };
}

/** Mercurius wraps every validation error (ours carry codes such as QUERY_TOO_COMPLEX) in one: unwrap them. */
function expand(e: GraphQLError): GraphQLError[] {
  const inner = (e.originalError as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(inner) || inner.length === 0) return [e];
  return inner.map((x) => {
    if (x instanceof GraphQLError) return x;
    const message = x instanceof Error ? x.message : String(x);
    return new GraphQLError(message, { extensions: { code: codeOfMessage(message) } });
  });
}

export function errorFormatter(log: FastifyBaseLogger) {
  return (execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>) => {
    const errors = execution.errors.flatMap(expand).map((e) => formatError(e, log));
    // executed (data present, even null) → 200 per GraphQL over HTTP; rejected before execution → 400
    const executed = 'data' in execution && execution.data !== undefined;
    // a refusal with its own 4xx (body too large: 413) keeps it
    const own = (execution.errors[0]?.originalError as { statusCode?: unknown } | undefined)?.statusCode;
    const refused = typeof own === 'number' && own >= 400 && own < 500 ? own : 400;
    // the database is down: 503 even for an executed operation, so load balancers and clients
    // retry elsewhere or later instead of caching an answer with holes in it
    if (errors.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) return { statusCode: 503, response: { data: execution.data ?? null, errors } };
    return { statusCode: executed ? 200 : refused, response: { data: execution.data ?? null, errors } };
  };
}

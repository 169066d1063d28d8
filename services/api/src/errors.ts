import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { classify } from '@yiduan/http';
import { isDomainError } from '@yiduan/core';
import { GRAPHQL_RESPONSE_JSON, mediaOf } from './graphql-http.js';

export interface ErrorOptions {
  /**
   * drop graphql-js' "Did you mean …?" from messages: they name fields, arguments and types
   * of the schema to whoever guesses near them (config `graphqlIntrospection` off)
   */
  hideSuggestions?: boolean;
}

/**
 * A variable a scalar refused (a bad date) is the caller's input; compiled queries (graphql-jit)
 * report it as text only, without the scalar's own error, so it is recognised by its wording.
 */
const codeOfMessage = (message: string): string =>
  /^Variable "\$[^"]+" got invalid value/.test(message) ? 'BAD_USER_INPUT' : 'GRAPHQL_VALIDATION_FAILED';

const SUGGESTION = /\s*Did you mean .+\?$/s;

/**
 * Every error leaves with `extensions.code`. Domain errors keep their code and
 * Chinese message; unexpected ones are logged and replaced by a generic message.
 */
export function formatError(err: GraphQLError, log: FastifyBaseLogger, opts: ErrorOptions = {}): GraphQLFormattedError {
  const original = err.originalError;
  const message = opts.hideSuggestions ? err.message.replace(SUGGESTION, '') : err.message;
  const base = {
    message,
    ...(err.locations ? { locations: err.locations } : {}),
    ...(err.path ? { path: err.path } : {}),
  };
  if (!original || original instanceof GraphQLError) {
    // parse and validation errors (and mercurius' own, which carry a code)
    // (graphql-jit's variable errors come without `extensions`)
    const code =
      (original as { code?: string } | undefined)?.code ??
      (err.extensions?.code as string | undefined) ??
      codeOfMessage(err.message);
    return { ...base, extensions: { ...err.extensions, code } };
  }
  const c = classify(original);
  if (c.status >= 500 && c.code === 'INTERNAL') {
    log.error({ err: original, path: err.path }, 'resolver failed');
    if (process.env.DEBUG_GQL) console.error(original);
  }
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

/**
 * The status of an answer that never executed and refuses on HTTP grounds: its own 4xx (CSRF,
 * an unregistered operation, a mutation over GET, too large), or 400 for a body that is not a
 * GraphQL request at all (mercurius' schema check, variables that are not JSON). Null for the
 * GraphQL request errors (parse, validation, depth, variables), whose status the media type decides.
 */
function refusalStatus(original: unknown): number | null {
  const o = original as { statusCode?: unknown; code?: unknown; errors?: unknown } | undefined;
  if (!o || typeof o.statusCode !== 'number' || o.statusCode < 400 || o.statusCode >= 500) return null;
  if (o.code === 'MER_ERR_GQL_VALIDATION') {
    // a wrapper of graphql-js errors, or of the request schema's ("body/variables must be object")
    if (!Array.isArray(o.errors)) return 400;
    return o.errors.some((x) => Array.isArray((x as { validation?: unknown } | null)?.validation)) ? 400 : null;
  }
  return o.statusCode;
}

/** Mercurius' error formatter: codes, hidden 5xx details, and GraphQL over HTTP status codes (graphql-http.ts). */
export function errorFormatter(log: FastifyBaseLogger, opts: ErrorOptions = {}) {
  return (execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>, context: unknown) => {
    const errors = execution.errors.flatMap(expand).map((e) => formatError(e, log, opts));
    // the database is down: 503 even for an executed operation, so load balancers and clients
    // retry elsewhere or later instead of keeping an answer with holes in it (no `data`: a
    // response with data must be 200 in both media types)
    if (errors.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE'))
      return { statusCode: 503, response: { errors } };
    // executed (data present, even null): 200 with field errors
    if ('data' in execution && execution.data !== undefined)
      return { statusCode: 200, response: { data: execution.data, errors } };
    const first = execution.errors[0];
    // an error thrown before execution reaches here as itself when it is a GraphQLError (an
    // unregistered operation), wrapped otherwise
    const refused = refusalStatus(first?.originalError ?? first);
    if (refused !== null) return { statusCode: refused, response: { errors } };
    // a request error: no data entry; 400 where the client said it reads status codes, else 200
    return { statusCode: mediaOf(context) === GRAPHQL_RESPONSE_JSON ? 400 : 200, response: { errors } };
  };
}

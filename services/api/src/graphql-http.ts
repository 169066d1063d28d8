// GraphQL over HTTP (the graphql-http audit, test/e2e/graphql-http-audit.test.ts): which media type
// an answer is encoded in, what a request's parameters may be, and the status codes that follow.
//
// - `application/graphql-response+json` (asked for in Accept): a request that never executed
//   (parse, validation or variable errors) answers 400 without a `data` entry.
// - `application/json` (asked for, `*/*`, or no Accept at all, as legacy clients send): the same
//   answers 200, so a client can tell a GraphQL answer from an error page of a proxy in between.
// - Refusals with a status of their own (CSRF, a body that is not a GraphQL request, an unregistered
//   operation, too large, a mutation over GET) and SERVICE_UNAVAILABLE (503) keep it in both.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
export type ResponseMedia = 'application/json' | typeof GRAPHQL_RESPONSE_JSON;

declare module 'fastify' {
  interface FastifyRequest {
    /** the media type of this /graphql request's answer (set in onRequest) */
    graphqlMedia: ResponseMedia;
  }
}

/**
 * The media type to answer in, from an Accept header: the acceptable one with the highest
 * q-value (the first listed on a tie); null when none is acceptable. No Accept at all is
 * `application/json`, as the GraphQL over HTTP spec asks for legacy clients.
 */
export function responseMedia(accept: string | undefined): ResponseMedia | null {
  if (accept === undefined || accept.trim() === '') return 'application/json';
  let best: { media: ResponseMedia; q: number } | null = null;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const media: ResponseMedia | null =
      type === GRAPHQL_RESPONSE_JSON
        ? GRAPHQL_RESPONSE_JSON
        : type === 'application/json' || type === 'application/*' || type === '*/*'
          ? 'application/json'
          : null;
    if (media && (!best || q > best.q)) best = { media, q };
  }
  return best?.media ?? null;
}

/** The media type of the request behind a mercurius context (HTTP); a subscription's has none. */
export function mediaOf(context: unknown): ResponseMedia {
  const request = (context as { reply?: FastifyReply } | null | undefined)?.reply?.request;
  return request?.graphqlMedia ?? 'application/json';
}

const isGraphql = (request: FastifyRequest): boolean => request.routeOptions.url === '/graphql';

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
}

/** Checks one JSON body's parameters before mercurius' schema coerces them (a number or a one-item list to a string). */
function parameterProblem(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  // `extensions: null` is as good as none (the spec's clients send it so)
  if (b.extensions === null) delete b.extensions;
  if (b.query !== undefined && b.query !== null && typeof b.query !== 'string') return '查询必须是字符串';
  if (b.operationName !== undefined && b.operationName !== null && typeof b.operationName !== 'string')
    return '操作名称（operationName）必须是字符串';
  if (
    b.variables !== undefined &&
    b.variables !== null &&
    (typeof b.variables !== 'object' || Array.isArray(b.variables))
  )
    return '查询变量（variables）必须是对象';
  return null;
}

/** Registers the negotiation and parameter checks on /graphql; call before mercurius is registered. */
export function graphqlOverHttp(app: FastifyInstance): void {
  app.decorateRequest('graphqlMedia', 'application/json');
  app.addHook('onRequest', async (request, reply) => {
    if (!isGraphql(request)) return undefined;
    // a WebSocket upgrade (subscriptions) has its own protocol
    if (request.headers.upgrade) return undefined;
    const media = responseMedia(request.headers.accept);
    if (media === null) {
      return reply.code(406).send({
        errors: [
          {
            message: `无法按所请求的格式应答，请接受 application/json 或 ${GRAPHQL_RESPONSE_JSON}`,
            extensions: { code: 'NOT_ACCEPTABLE' },
          },
        ],
      });
    }
    request.graphqlMedia = media;
    return undefined;
  });
  app.addHook('preValidation', async (request, reply) => {
    if (!isGraphql(request) || request.method !== 'POST') return undefined;
    const bodies: unknown[] = Array.isArray(request.body) ? request.body : [request.body];
    for (const body of bodies) {
      const problem = parameterProblem(body);
      if (problem) return badRequest(reply, problem);
    }
    return undefined;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!isGraphql(request) || request.headers.upgrade) return payload;
    const vary = reply.getHeader('vary');
    reply.header('vary', vary ? `${String(vary)}, Accept` : 'Accept');
    const type = reply.getHeader('content-type');
    if (
      request.graphqlMedia === GRAPHQL_RESPONSE_JSON &&
      typeof type === 'string' &&
      type.startsWith('application/json')
    ) {
      reply.header('content-type', `${GRAPHQL_RESPONSE_JSON}; charset=utf-8`);
    }
    return payload;
  });
}

import type { FastifyInstance } from 'fastify';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: {
    message: string;
    extensions?: { code?: string; problems?: { path: string; message: string }[] };
    path?: (string | number)[];
  }[];
}

/** A GraphQL test client over `app.inject`: no sockets, one app per test. */
export function graphqlClient(app: FastifyInstance, defaults: { token?: string } = {}) {
  return async function gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    opts: { token?: string | null } = {},
  ): Promise<GraphQLResponse<T>> {
    const token = opts.token === undefined ? defaults.token : opts.token;
    const res = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: JSON.stringify({ query, variables }),
    });
    const body = res.json() as Omit<GraphQLResponse<T>, 'status'>;
    return { status: res.statusCode, data: body.data ?? null, ...(body.errors ? { errors: body.errors } : {}) };
  };
}

/** The code of the first error, for one-line assertions. */
export const errorCode = (r: GraphQLResponse<unknown>): string | undefined => r.errors?.[0]?.extensions?.code;

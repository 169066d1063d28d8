import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import mercurius from 'mercurius';
import { health, infra, type ServiceDeps } from '@yiduan/http';
import { viewerFrom } from './auth.js';
import type { GraphQLContext } from './context.js';
import { errorFormatter } from './errors.js';
import { tenancyLoaders } from './loaders/tenancy.js';
import { buildGraphQLSchema } from './schema.js';

export interface ApiOptions {
  fastify?: FastifyServerOptions;
}

/** The GraphQL API: `/graphql` (GraphiQL outside production) and `/health`. */
export async function build(deps: ServiceDeps, opts: ApiOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: 1_048_576, ...opts.fastify });
  await app.register(infra, deps);
  await app.register(health, { service: 'api' });
  await app.register(mercurius, {
    schema: buildGraphQLSchema(),
    loaders: tenancyLoaders,
    context: (request): GraphQLContext => ({
      viewer: viewerFrom(request, deps.config),
      db: deps.db,
      cache: deps.cache,
      config: deps.config,
    }),
    graphiql: deps.config.env !== 'production',
    jit: 1,
    queryDepth: 12,
    errorFormatter: errorFormatter(app.log),
  });
  app.get('/', async (_req, reply) =>
    deps.config.env === 'production' ? reply.code(404).send({ message: '未找到' }) : reply.redirect('/graphiql'),
  );
  return app;
}

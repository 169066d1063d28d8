import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import mercurius from 'mercurius';
import { createStorage, type AssetStorage } from '@yiduan/storage';
import { classify, health, infra, type ServiceDeps } from '@yiduan/http';
import {
  requestMemo,
  SESSION_COOKIE,
  SESSIONS_CHANNEL,
  SessionCache,
  tenantRunner,
  viewerFrom,
  viewerFromToken,
} from './auth.js';
import type { GraphQLContext } from './context.js';
import { errorFormatter } from './errors.js';
import { graphqlOverHttp } from './graphql-http.js';
import {
  graphqlRequestGuard,
  graphqlValidationRules,
  limitSubscriptions,
  malformedMultipart,
  refuseSubscriptionOverHttp,
} from './limits.js';
import { accountLoaders } from './loaders/accounts.js';
import { audienceLoaders } from './loaders/audience.js';
import { batchedResolvers } from './loaders/batch.js';
import { identityLoaders } from './loaders/identity.js';
import { newsroomLoaders } from './loaders/newsroom.js';
import { planningLoaders } from './loaders/planning.js';
import { syndicationLoaders } from './loaders/syndication.js';
import { tenancyLoaders } from './loaders/tenancy.js';
import { audienceExportRoutes } from './routes/audience-export.js';
import { assetRoutes } from './routes/assets.js';
import { videoRoutes } from './routes/videos.js';
import { enforcePersistedOnly, loadOperationManifest, type OperationMap } from './persisted.js';
import { buildGraphQLSchema } from './schema.js';
import { bridgeReviewQueue } from './subscriptions.js';

export interface ApiOptions {
  fastify?: FastifyServerOptions;
  storage?: AssetStorage;
  /**
   * registered operations (SHA-256 → text); with `GRAPHQL_PERSISTED_ONLY` the only ones answered.
   * Default: the manifest at `GRAPHQL_OPERATIONS` (the console's build writes one).
   */
  persistedQueries?: OperationMap;
  /** how long a session's viewer is remembered (ms; 0: never); see SessionCache. Default 2,000 */
  sessionCacheMs?: number;
}

/** The GraphQL API: `/graphql` (GraphiQL outside production), asset upload, `/health`. */
export async function build(deps: ServiceDeps, opts: ApiOptions = {}): Promise<FastifyInstance> {
  const persisted = deps.config.graphqlPersistedOnly
    ? (opts.persistedQueries ?? operationsFromConfig(deps.config.graphqlOperations))
    : null;
  const app = Fastify({ bodyLimit: 1_048_576, ...opts.fastify });
  const storage = opts.storage ?? createStorage(deps.config.assets);
  const secure = deps.config.env === 'production';
  const sessions = new SessionCache(opts.sessionCacheMs ?? 2_000, 10_000, deps.cache);
  const unsubscribeSessions = await deps.cache.subscribe(SESSIONS_CHANNEL, (m) => sessions.heard(m));
  app.addHook('onClose', async () => unsubscribeSessions());
  await app.register(infra, deps);
  await app.register(health, { service: 'api' });
  // the API serves JSON; GraphiQL (development only) loads its own scripts, so CSP is strict in production
  await app.register(helmet, {
    contentSecurityPolicy: secure ? { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } : false,
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  await app.register(cookie);
  await app.register(multipart, {
    limits: {
      fileSize: deps.config.assets.maxBytes,
      files: 1,
      fields: 10,
      fieldSize: 4096,
      parts: 12,
      headerPairs: 100,
    },
  });
  // query text, variables and their lists are bounded before mercurius parses anything
  app.addHook('preHandler', graphqlRequestGuard());
  // the answer's media type from Accept, null `extensions`, parameter types (GraphQL over HTTP)
  graphqlOverHttp(app);
  // production: no introspection and no "Did you mean" naming fields, unless GRAPHQL_INTROSPECTION
  const introspection = deps.config.graphqlIntrospection;

  app.setErrorHandler((err, request, reply) => {
    const c = malformedMultipart(request, err)
      ? { status: 400, code: 'BAD_USER_INPUT', message: '上传的数据格式不正确' }
      : classify(err);
    // multipart's own limit errors carry a 413 status
    const status = (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' ? 413 : c.status;
    if (status >= 500) request.log.error({ err }, 'request failed');
    return reply
      .code(status)
      .send({ code: status === 413 ? 'ASSET_TOO_LARGE' : c.code, message: status === 413 ? '文件过大' : c.message });
  });

  const mercuriusContext = (viewer: GraphQLContext['viewer'], extra: Partial<GraphQLContext>): GraphQLContext => ({
    viewer,
    db: deps.db,
    cache: deps.cache,
    config: deps.config,
    storage,
    requestIp: 'unknown',
    userAgent: null,
    sessions,
    // a method, not a closure: subscriptions learn their viewer after the context is made (onConnect)
    inTenant<T>(this: GraphQLContext, tenantId: string, fn: Parameters<GraphQLContext['inTenant']>[1]): Promise<T> {
      return tenantRunner(this.db, this.viewer, this.memo)(tenantId, fn) as Promise<T>;
    },
    ...extra,
  });

  await app.register(mercurius, {
    schema: buildGraphQLSchema(),
    // batched child fields, keyed by reference rather than Mercurius' stringified parents (loaders/batch.ts)
    resolvers: batchedResolvers({
      ...tenancyLoaders,
      ...identityLoaders,
      ...newsroomLoaders,
      ...syndicationLoaders,
      ...audienceLoaders,
      ...accountLoaders,
      ...planningLoaders,
      Tenant: { ...tenancyLoaders.Tenant, ...newsroomLoaders.Tenant },
    }),
    context: async (request, reply): Promise<GraphQLContext> =>
      mercuriusContext(await viewerFrom(request, deps.config, deps.db, sessions), {
        // one request: its access per tenant is checked once (a subscription's context has none)
        memo: requestMemo(),
        requestIp: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        setSessionCookie: (token, expiresAt) => {
          if (token)
            void reply.setCookie(SESSION_COOKIE, token, {
              httpOnly: true,
              sameSite: 'lax',
              secure,
              path: '/',
              ...(expiresAt ? { expires: expiresAt } : {}),
            });
          else void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        },
      }),
    subscription: {
      // the console sends its session token in connection_init: { authorization: 'Bearer …' }
      onConnect: async ({ payload }: { payload?: { authorization?: string } }) => {
        const raw = payload?.authorization?.replace(/^Bearer /, '') ?? '';
        return { viewer: raw ? await viewerFromToken(raw, deps.config, deps.db) : null };
      },
      // never the cookie here: a cross-site page could open a socket with it (CSWSH)
      context: async (_socket, request) => mercuriusContext(null, { requestIp: request.ip }),
    },
    graphiql: deps.config.env !== 'production' && !deps.config.graphqlPersistedOnly,
    jit: 1,
    validationRules: graphqlValidationRules({ introspection }),
    // production option: only registered operations are answered, sent as text or as
    // `{ persisted: true, query: <sha256> }` (enforcePersistedOnly below checks the text)
    ...(persisted ? { persistedQueries: persisted } : {}),
    // JSON bodies or a preflight header for HTTP; a WebSocket upgrade authenticates in connection_init
    csrfPrevention: {
      requiredHeaders: ['x-mercurius-operation-name', 'mercurius-require-preflight', 'sec-websocket-key'],
    },
    errorFormatter: errorFormatter(app.log, { hideSuggestions: !introspection }),
  });
  app.graphql.addHook('preExecution', refuseSubscriptionOverHttp);
  app.graphql.addHook('preSubscriptionExecution', limitSubscriptions({ introspection }));
  if (persisted) enforcePersistedOnly(app, persisted);
  await bridgeReviewQueue(app, deps.cache);
  await app.register(async (scope) => assetRoutes(scope, { db: deps.db, config: deps.config, storage }));
  await app.register(async (scope) => videoRoutes(scope, { db: deps.db, config: deps.config, storage }));
  await app.register(async (scope) => audienceExportRoutes(scope, { db: deps.db, config: deps.config }));
  await app.register(async (scope) =>
    (await import('./routes/analytics-export.js')).analyticsExportRoutes(scope, { db: deps.db, config: deps.config }),
  );
  app.get('/', async (_req, reply) =>
    deps.config.env === 'production' ? reply.code(404).send({ message: '未找到' }) : reply.redirect('/graphiql'),
  );
  return app;
}

function operationsFromConfig(path: string | null): OperationMap {
  // refusing every query would look like an outage: refuse to start instead
  if (!path)
    throw new Error(
      'GRAPHQL_PERSISTED_ONLY needs GRAPHQL_OPERATIONS, the operation manifest the console build writes (services/console/dist/operations.json)',
    );
  return loadOperationManifest(path);
}

import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { CodeSender } from '@yiduan/core';
import { createStorage, type AssetStorage } from '@yiduan/storage';
import { health, infra, type ServiceDeps } from '@yiduan/http';
import { accountRoutes } from './citizen/account-routes.js';
import { citizenPlugin } from './citizen/plugin.js';
import { handleError } from './http/errors.js';
import { pinHttps, strictTransportSecurity } from './http/transport.js';
import { faceRoutes } from './routes/index.js';
import { siteScope } from './site/plugin.js';
import './site/request.js';

export interface PortalOptions {
  fastify?: FastifyServerOptions;
  /** where asset bytes are read from; by default the configured store (tests pass a temporary folder) */
  storage?: AssetStorage;
  /** where sign-in codes go; by default the configured sender (tests pass a LogCodeSender to read codes) */
  codeSender?: CodeSender;
}

/** The public faces: one site per tenant, chosen by the Host header; plus `/health`. */
export async function build(deps: ServiceDeps, opts: PortalOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // unique across processes, so a visitor's reference number finds the log line
    genReqId: () => randomUUID(),
    // malformed URLs and the like: the same Chinese page as any other error
    frameworkErrors: (err, request, reply) => {
      handleError(err, request, pinHttps(reply));
    },
    ...opts.fastify,
  });
  await app.register(infra, deps);
  strictTransportSecurity(app);
  await app.register(health, { service: 'portal' });
  app.decorateRequest('face', null);
  app.decorateRequest('site', null);
  app.decorate('pageStats', { cached: 0, rendered: 0 });
  app.setErrorHandler(handleError);
  await app.register(citizenPlugin, { codeSender: opts.codeSender });
  // the central sign-in host: routes constrained to config.accountHost, outside any face
  await app.register(accountRoutes);
  await app.register(siteScope(faceRoutes({ storage: opts.storage ?? createStorage(app.config.assets) })));
  return app;
}

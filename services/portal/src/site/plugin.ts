import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { sendPageNotFound, sendSiteNotFound } from '../http/errors.js';
import { resolveSite } from './resolve.js';
import './request.js';

/**
 * The public-site scope: resolves the face from the Host header before any
 * route (and the 404 handler) runs. Deliberately not wrapped in fastify-plugin:
 * the hook stays inside this scope, so `/health` never touches it.
 */
export function siteScope(routes: FastifyPluginAsync): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    const lookup = { readDb: app.readDb, cache: app.cache, baseDomain: app.config.publicBaseDomain };
    app.addHook('onRequest', async (request, reply) => {
      // hostname, not host: normalizeHost keeps a trailing dot that sits before a port ("a.b.:3000")
      const site = await resolveSite(lookup, request.hostname);
      if (!site) return sendSiteNotFound(reply);
      request.site = site;
      request.face = site.face;
    });
    app.setNotFoundHandler((request, reply) => sendPageNotFound(request, reply));
    await app.register(routes);
  };
}

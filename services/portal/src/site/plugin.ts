import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { closureRedirect } from '@yiduan/core';
import { withPublic } from '@yiduan/db';
import { sendPageNotFound, sendSiteNotFound } from '../http/errors.js';
import { currentSite, guessPagePath } from './current.js';
import { SiteMemo } from './memo.js';
import { storyPath } from './urls.js';
import './request.js';

/**
 * The public-site scope: resolves the face from the Host header before any
 * route (and the 404 handler) runs, and reads the page the URL most likely
 * names in the same cache round trip (site/current.ts). Deliberately not
 * wrapped in fastify-plugin: the hook stays inside this scope, so `/health`
 * never touches it.
 */
export function siteScope(routes: FastifyPluginAsync): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    const lookup = { readDb: app.readDb, cache: app.cache, baseDomain: app.config.publicBaseDomain };
    // per app, not per module: two portals in one process behave like two processes
    const memo = new SiteMemo({ shared: app.cache.kind === 'redis' ? app.cache : null });
    app.decorateRequest('pageRead', null);
    app.addHook('onRequest', async (request, reply) => {
      // hostname, not host: normalizeHost keeps a trailing dot that sits before a port ("a.b.:3000")
      const current = await currentSite(lookup, memo, request.hostname, guessPagePath(request.url));
      if (!current) return sendSiteNotFound(reply);
      request.site = current.site;
      request.face = current.site.face;
      request.pageRead = current.page;
    });
    app.setNotFoundHandler(async (request, reply) => {
      // an old address the platform served, whose content moved into a story (关停并转): 301 to it
      const to =
        request.site && request.method === 'GET'
          ? await withPublic(app.readDb, (trx) => closureRedirect(trx, request.site!.tenant.id, request.url))
          : null;
      if (to) return reply.header('cache-control', 'public, max-age=3600').redirect(storyPath(to), 301);
      return sendPageNotFound(request, reply);
    });
    await app.register(routes);
  };
}

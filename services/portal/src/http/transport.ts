import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * HSTS: a year, so a browser that once reached a face or the account host over https never
 * tries http again (a first http request could be rewritten by anyone on the path).
 * No includeSubDomains: a face may sit on an institution's own apex domain (`ruyang.gov.cn`),
 * whose other subdomains the platform does not run and may still be plain http.
 * No preload: that is a decision per domain for its owner, not for the platform.
 */
export const HSTS = 'max-age=31536000';

/** For a response sent outside the hooks (Fastify's framework errors: a malformed URL). */
export function pinHttps(reply: FastifyReply): FastifyReply {
  return reply.server.config.env === 'production' ? reply.header('strict-transport-security', HSTS) : reply;
}

/**
 * Sent on every portal response in production only: in development it would pin
 * `*.localhost` to https, and the dev server speaks plain http.
 * onSend, on the root instance: error pages, 404s and the account host get it too
 * (framework errors skip the hooks: app.ts calls `pinHttps` for them).
 */
export function strictTransportSecurity(app: FastifyInstance): void {
  if (app.config.env !== 'production') return;
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('strict-transport-security', HSTS);
    done(null, payload);
  });
}

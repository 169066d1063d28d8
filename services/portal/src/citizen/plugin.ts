import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createCodeSender, type CodeSender } from '@yiduan/core';

declare module 'fastify' {
  interface FastifyInstance {
    /** where one-time sign-in codes go (the log in development) */
    codeSender: CodeSender;
  }
}

export interface CitizenPluginOptions {
  codeSender?: CodeSender;
}

/**
 * What citizens' forms need: cookies (signed with the session secret), form
 * bodies, and CSRF tokens (a secret in an HttpOnly SameSite=Strict cookie, the
 * token in each form). Cached pages carry no token: every form is on a page of
 * its own, rendered per request.
 */
export const citizenPlugin = fp<CitizenPluginOptions>(
  async (app: FastifyInstance, opts) => {
    const secure = app.config.env === 'production';
    await app.register(cookie, { secret: app.config.sessionSecret });
    await app.register(formbody, { bodyLimit: 64 * 1024 });
    await app.register(csrf, {
      cookieKey: 'yd_csrf',
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure, signed: true },
    });
    app.decorate('codeSender', opts.codeSender ?? createCodeSender(app.config.sms, app.log));
  },
  { name: 'citizen', dependencies: ['infra'] },
);

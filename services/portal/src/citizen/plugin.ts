import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createCodeSender, type CodeSender } from '@yiduan/core';

declare module 'fastify' {
  interface FastifyInstance {
    /** where one-time sign-in codes go (the log in development) */
    codeSender: CodeSender;
  }
}

/** Photos a citizen may attach to one message, and their size. */
export const MAX_PHOTOS = 3;
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

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
    // photos on messages: fields as strings and files as buffers in request.body, so the CSRF
    // check reads the token as it does for plain forms
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: {
        files: MAX_PHOTOS,
        fileSize: Math.min(app.config.assets.maxBytes, PHOTO_MAX_BYTES),
        fields: 20,
        fieldSize: 16 * 1024,
        parts: 30,
      },
    });
    await app.register(csrf, {
      cookieKey: 'yd_csrf',
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure, signed: true },
    });
    app.decorate('codeSender', opts.codeSender ?? createCodeSender(app.config.sms, app.log));
  },
  { name: 'citizen', dependencies: ['infra'] },
);

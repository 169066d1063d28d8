import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import helmet from '@fastify/helmet';
import proxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import type { ServiceDeps } from '@yiduan/http';
import { DIST } from './build.js';

/** The console's icon (a red square with 端), written here so no binary file is needed: browsers ask for /favicon.ico on every console page. */
export const CONSOLE_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#b71c1c"/><text x="16" y="23" font-size="19" text-anchor="middle" fill="#fff" font-family="sans-serif">端</text></svg>`;

const escapeAttr = (s: string): string => s.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ConsoleOptions {
  /** Where the API answers (http://host:port); `/graphql` (with its WebSocket), `/assets` and `/exports` are proxied there. */
  apiUrl: string;
  /** The built single-page app (default services/console/dist; see build.ts). */
  distDir?: string;
  /** Address template of the faces, `{host}` standing for a tenant's host (e.g. `http://{host}:3000`): "view on the face" links. */
  portalUrl?: string;
  fastify?: FastifyServerOptions;
}

/**
 * The editors' console: the built single-page app with a strict CSP, and the API proxied at the
 * same origin so the session cookie, CSRF rules and the subscription socket need no CORS.
 */
export async function build(deps: Pick<ServiceDeps, 'config'>, opts: ConsoleOptions): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: 1_048_576, ...opts.fastify });
  const dist = opts.distDir ?? DIST;
  const secure = deps.config.env === 'production';

  await app.register(helmet, {
    // a nonce per page for Ant Design's CSS-in-JS <style> tags; scripts only from this origin
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // style attributes (component libraries measure and position with them) cannot run code
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: secure,
  });

  // readiness (also as /health/ready, like the other services): the bundle is present
  const ready = async (_req: unknown, reply: FastifyReply): Promise<FastifyReply> => {
    const built = existsSync(join(dist, 'index.html'));
    return reply
      .code(built ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: built ? 'ok' : 'down', service: 'console', build: built ? 'ok' : 'missing' });
  };
  app.get('/health', ready);
  app.get('/health/ready', ready);
  app.get('/health/live', async (_req, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok', service: 'console' }),
  );

  const icon = async (_req: unknown, reply: FastifyReply): Promise<FastifyReply> =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(CONSOLE_ICON);
  app.get('/favicon.ico', icon);
  app.get('/favicon.svg', icon);

  const upstream = opts.apiUrl.replace(/\/$/, '');
  await app.register(proxy, { upstream, prefix: '/graphql', rewritePrefix: '/graphql', websocket: true });
  await app.register(proxy, { upstream, prefix: '/assets', rewritePrefix: '/assets' });
  await app.register(proxy, { upstream, prefix: '/videos', rewritePrefix: '/videos' });
  await app.register(proxy, { upstream, prefix: '/exports', rewritePrefix: '/exports' });

  // the bundle has content hashes in its names: cache for a year
  await app.register(fastifyStatic, {
    root: join(dist, 'static'),
    prefix: '/static/',
    immutable: true,
    maxAge: '365d',
    index: false,
  });

  let template: { html: string; mtime: number } | null = null;
  const page = (reply: FastifyReply): string => {
    const file = join(dist, 'index.html');
    const mtime = statSync(file).mtimeMs;
    if (!template || template.mtime !== mtime) template = { html: readFileSync(file, 'utf8'), mtime };
    const nonce = (reply as FastifyReply & { cspNonce?: { style: string } }).cspNonce?.style ?? '';
    return template.html.replace('__CSP_NONCE__', nonce).replace('__PORTAL_URL__', escapeAttr(opts.portalUrl ?? ''));
  };
  const sendApp = async (reply: FastifyReply) => {
    if (!existsSync(join(dist, 'index.html')))
      return reply.code(503).type('text/plain; charset=utf-8').send('控制台尚未构建，请稍候刷新');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page(reply));
  };
  app.get('/', async (_req, reply) => sendApp(reply));
  // single-page app: any other page address gets the app, which routes on the client
  app.setNotFoundHandler(async (request, reply) => {
    if (
      request.method === 'GET' &&
      !request.url.startsWith('/static/') &&
      (request.headers.accept ?? '').includes('text/html')
    )
      return sendApp(reply);
    return reply.code(404).send({ code: 'NOT_FOUND', message: '未找到' });
  });
  return app;
}

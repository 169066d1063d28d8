import type { FastifyReply } from 'fastify';

/** Pages carry no script at all; the policy makes that a guarantee, not a habit. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' https: http: data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

export const NO_STORE = 'no-store';

function htmlHeaders(reply: FastifyReply, cacheControl: string): FastifyReply {
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', cacheControl)
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'strict-origin-when-cross-origin');
}

export function sendHtml(reply: FastifyReply, status: number, html: string, cacheControl = NO_STORE): FastifyReply {
  return htmlHeaders(reply, cacheControl).code(status).send(html);
}

/** Headers of an HTML response without its body (304 Not Modified). */
export function sendNotModified(reply: FastifyReply, etag: string, cacheControl: string): FastifyReply {
  return htmlHeaders(reply, cacheControl).header('etag', etag).code(304).send();
}

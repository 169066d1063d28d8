import type { FastifyReply } from 'fastify';

/**
 * Pages carry no inline or third-party script; the policy makes that a guarantee, not a habit
 * (the JSON-LD data block is not executed). The scripts are the face's own: the `/_b.js` reading
 * beacon, which posts to the same origin, and `/_me.js`, which asks the same origin who the visitor
 * is (routes/whoami.ts), and on pages with a video `/_v.js` (and `/_hls.js`, hls.js served by the
 * face itself). Videos play from the face itself or https.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'unsafe-inline'",
  "img-src 'self' https: http: data:",
  // the face's own videos (hls.js plays them through Media Source: blob: URLs), and https links
  "media-src 'self' blob: https:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

export const NO_STORE = 'no-store';

export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
} as const;
export type BodyKind = keyof typeof CONTENT_TYPES;

function bodyHeaders(reply: FastifyReply, kind: BodyKind, cacheControl: string): FastifyReply {
  reply
    .header('content-type', CONTENT_TYPES[kind])
    .header('cache-control', cacheControl)
    .header('x-content-type-options', 'nosniff');
  if (kind === 'html')
    reply
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('referrer-policy', 'strict-origin-when-cross-origin');
  return reply;
}

/** A Buffer body goes out as it is: Fastify takes its length, no UTF-8 count or encode per response. */
export function sendBody(
  reply: FastifyReply,
  kind: BodyKind,
  status: number,
  body: string | Buffer,
  cacheControl = NO_STORE,
): FastifyReply {
  return bodyHeaders(reply, kind, cacheControl).code(status).send(body);
}

export function sendHtml(reply: FastifyReply, status: number, html: string, cacheControl = NO_STORE): FastifyReply {
  return sendBody(reply, 'html', status, html, cacheControl);
}

/** Headers of a response without its body (304 Not Modified). */
export function sendNotModified(
  reply: FastifyReply,
  etag: string,
  cacheControl: string,
  kind: BodyKind = 'html',
): FastifyReply {
  return bodyHeaders(reply, kind, cacheControl).header('etag', etag).code(304).send();
}

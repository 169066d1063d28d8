import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { isBot, readBeacon } from '@yiduan/core';
import { createEventBuffer, type EventBuffer } from '@yiduan/cache';
import { requireSite } from '../site/require.js';
import { BEACON_PATH, BEACON_SCRIPT, BEACON_SCRIPT_PATH } from './beacon-script.js';

const SCRIPT_ETAG = `"${createHash('sha1').update(BEACON_SCRIPT).digest('base64url').slice(0, 16)}"`;

export interface BeaconOptions {
  /** where events go; by default the configured Redis stream, or the process's memory buffer */
  buffer?: EventBuffer;
}

/**
 * Reading analytics of a face, first party and cookie-free:
 * - `GET /_b.js` the small script every face page loads (see beacon-script.ts);
 * - `POST /_b` its beacon: JSON sent as text/plain (navigator.sendBeacon, no preflight), one event
 *   or an array; answers 204 for reading events whatever happens (malformed ones are dropped).
 *   The video player's events (play, watch, end) are checked strictly: a beacon with a malformed
 *   one is refused with 400 and nothing of it is buffered. The face comes from the Host, the time from the
 *   server, the visitor is a daily-salted hash; bots (by user agent) are not counted. Events go to
 *   the buffer only (Redis XADD or memory): the worker's writer puts them into PostgreSQL.
 * No per-address rate limit here: behind a CDN or proxy every reader shares an address, so
 * flood protection belongs to the edge (see docs/data-layer-analytics.md).
 */
export async function beaconRoutes(app: FastifyInstance, opts: BeaconOptions = {}): Promise<void> {
  const buffer =
    opts.buffer ?? createEventBuffer({ redisUrl: app.config.redisUrl, sentinel: app.config.redisSentinel });
  if (!opts.buffer && buffer.kind === 'redis') app.addHook('onClose', () => buffer.close());
  const secret = app.config.sessionSecret;

  app.get(BEACON_SCRIPT_PATH, (request, reply) => {
    reply
      .header('cache-control', 'public, max-age=3600, stale-while-revalidate=86400')
      .header('etag', SCRIPT_ETAG)
      .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === SCRIPT_ETAG) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(BEACON_SCRIPT);
  });

  app.post(BEACON_PATH, { bodyLimit: 16_384 }, async (request, reply) => {
    const site = requireSite(request);
    reply.header('cache-control', 'no-store');
    const ua = request.headers['user-agent'];
    const purpose = String(request.headers['sec-purpose'] ?? request.headers.purpose ?? '');
    if (isBot(ua) || purpose.includes('prefetch')) return reply.code(204).send();
    const reading = readBeacon(request.body, {
      tenantId: site.tenant.id,
      ip: request.ip,
      userAgent: ua ?? '',
      now: Date.now(),
      secret,
    });
    if (!reading.ok)
      return reply.code(400).type('text/plain; charset=utf-8').send(`bad video event: ${reading.reason}`);
    try {
      if (reading.events.length > 0) await buffer.append(reading.events);
    } catch (err) {
      // a full or unreachable buffer costs these events, never the reader's page
      request.log.warn({ err }, 'analytics beacon not buffered');
    }
    return reply.code(204).send();
  });
}

export default beaconRoutes;

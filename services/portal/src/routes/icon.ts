import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { matchesIfNoneMatch } from '../http/page-cache.js';
import { requireSite } from '../site/require.js';
import { faceView } from '../views/face-view.js';
import { FAVICON_PATHS, faviconSvg } from '../views/favicon.js';

/** Like the reading script: browsers keep it an hour and revalidate by ETag; a CDN may serve it stale for a day. */
const ICON_CACHE = 'public, max-age=3600, stale-while-revalidate=86400';

/** An icon of the face's own: https, or a path of this face (never `//host`, which leaves it) */
const OWN_ICON = /^(https:\/\/|\/(?!\/))/;

/**
 * `/favicon.svg` and `/favicon.ico`: the face's icon. A face that names its own icon elsewhere
 * (`faviconUrl`) gets a redirect there; otherwise the icon generated from its colours and name.
 * The SVG is a few hundred bytes, made per request: cheaper than a cache round trip.
 */
export async function iconRoutes(app: FastifyInstance): Promise<void> {
  for (const path of FAVICON_PATHS) {
    app.get(path, (request, reply) => {
      const face = faceView(requireSite(request).face);
      reply.header('cache-control', ICON_CACHE).header('x-content-type-options', 'nosniff');
      const own = face.faviconUrl;
      if (own && OWN_ICON.test(own) && !(FAVICON_PATHS as readonly string[]).includes(own))
        return reply.redirect(own, 302);
      const svg = faviconSvg(face);
      const etag = `"${createHash('sha1').update(svg).digest('base64url').slice(0, 16)}"`;
      reply.header('etag', etag).header('content-security-policy', "default-src 'none'; sandbox");
      if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
      return reply.type('image/svg+xml').send(svg);
    });
  }
}

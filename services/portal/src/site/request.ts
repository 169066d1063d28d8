import type { StoredFace } from '@yiduan/core';
import type { PageRead } from '../http/page-cache.js';
import type { Site } from './site.js';

// Module augmentation is program-wide in this monorepo, so the names are specific to the portal.
declare module 'fastify' {
  interface FastifyRequest {
    /** the face the Host names; null until resolved (and on `/health`) */
    face: StoredFace | null;
    /** the tenant and face together, for routes that need the tenant too */
    site: Site | null;
    /** the generation token and the page read with the site, in the same cache round trip */
    pageRead: PageRead | null;
  }
  interface FastifyInstance {
    /** cached pages this portal served: from the cache, or rendered on a miss (tests and warm pages read it) */
    pageStats: { cached: number; rendered: number };
  }
}

export {};

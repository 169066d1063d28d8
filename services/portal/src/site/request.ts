import type { StoredFace } from '@yiduan/core';
import type { Site } from './site.js';

// Module augmentation is program-wide in this monorepo, so the names are specific to the portal.
declare module 'fastify' {
  interface FastifyRequest {
    /** the face the Host names; null until resolved (and on `/health`) */
    face: StoredFace | null;
    /** the tenant and face together, for routes that need the tenant too */
    site: Site | null;
  }
}

export {};

import type { FastifyRequest } from 'fastify';
import type { Site } from './site.js';
import './request.js';

/** Routes run only after the site hook resolved a face; a missing one is a wiring bug. */
export function requireSite(request: FastifyRequest): Site {
  if (!request.site) throw new Error('portal route reached without a resolved site');
  return request.site;
}

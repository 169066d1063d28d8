import type { FastifyRequest } from 'fastify';
import type { Site } from '../site/site.js';
import { originOf } from '../site/urls.js';

const PAGE = /^[1-9][0-9]{0,3}$/;
export const SLUG = /^[a-z][a-z0-9-]{0,39}$/;

/** `?page=`: absent is 1; anything but one plain number is null (answered 404, so junk makes no cache entries). */
export function pageParam(request: FastifyRequest): number | null {
  const raw = (request.query as Record<string, unknown> | undefined)?.page;
  if (raw === undefined) return 1;
  return typeof raw === 'string' && PAGE.test(raw) ? Number(raw) : null;
}

/** The face's `scheme://host[:port]` for absolute URLs. */
export function originFor(request: FastifyRequest, site: Site): string {
  return originOf(request.server.config, site.host);
}

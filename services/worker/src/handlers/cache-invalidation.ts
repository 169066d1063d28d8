import { planningNotify } from './planning-notify.js';
import { AUDIENCE_TOPICS, STORY_TOPICS, SYNDICATION_TOPICS, TOPICS } from '@yiduan/core';
import { REPLICA_FENCE, currentWalLsn } from '@yiduan/db';
import {
  DependencyUnavailable,
  HandlerRegistry,
  type HandlerContext,
  type OutboxEvent,
  type OutboxHandler,
} from '../handlers.js';
import { inboxNotify, syndicationFanOutWith, syndicationReach } from './syndication.js';
import { reviewNotify } from './review-notify.js';
import { scheduledPublish } from './scheduled-publish.js';
import type { PageWarmer } from '../warm.js';

/** Tag the portal puts on every cached page of a tenant's face. */
export const tenantTag = (tenantId: string): string => `tenant:${tenantId}`;
/** Tag on cached host → tenant resolutions. */
export const HOSTS_TAG = 'hosts';

// A tenant change may alter its status (suspended faces resolve differently), a domain change its hosts.
const HOST_TOPICS: ReadonlySet<string> = new Set([TOPICS.tenantChanged, TOPICS.domainChanged]);

function tenantOf(event: OutboxEvent): string | null {
  const fromPayload = event.payload.tenantId;
  if (typeof fromPayload === 'string' && fromPayload !== '') return fromPayload;
  return event.tenant_id;
}

function storyOf(event: OutboxEvent): string | null {
  const id = event.payload.storyId;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * Drops the cached read models a tenancy change makes stale. Invalidation is idempotent, so
 * a repeated delivery is harmless; it needs no receipt-guarded database work. With a warmer,
 * once the invalidation has returned, the pages the change touches are rendered again in the
 * background (warm pages): not awaited, so a slow render never holds up the outbox.
 */
export function cacheInvalidationWith(
  warmer: PageWarmer | null,
  opts: { replicaFence?: boolean; fenceGraceMs?: number } = {},
): OutboxHandler {
  const fenced = async (ctx: HandlerContext): Promise<void> => {
    if (opts.replicaFence) await raiseFence(ctx, opts.fenceGraceMs ?? FENCE_GRACE_MS);
  };
  return {
    name: 'cache-invalidation',
    topics: [
      TOPICS.tenantChanged,
      TOPICS.faceChanged,
      TOPICS.domainChanged,
      // a story's publication state shows on its tenant's face
      STORY_TOPICS.published,
      STORY_TOPICS.unpublished,
      STORY_TOPICS.corrected,
      STORY_TOPICS.retracted,
      SYNDICATION_TOPICS.facesChanged,
      // approved comments show on story pages, public replies on the message board
      AUDIENCE_TOPICS.commentsChanged,
      AUDIENCE_TOPICS.publicRepliesChanged,
    ],
    async handle(event, ctx) {
      const { cache, log } = ctx;
      if (event.topic === SYNDICATION_TOPICS.facesChanged) {
        const ids = event.payload.tenantIds;
        if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
          throw new Error(`faces.changed event ${event.id} lacks tenantIds`);
        await fenced(ctx);
        await invalidate(cache, (ids as string[]).map(tenantTag), event.id, log);
        warmer?.touch(ids as string[], storyOf(event));
        return;
      }
      const tenantId = tenantOf(event);
      // Throwing keeps a malformed event visible (it ends dead) instead of silently dropping it.
      if (!tenantId) throw new Error(`${event.topic} event ${event.id} names no tenant`);
      const tags = [tenantTag(tenantId)];
      if (HOST_TOPICS.has(event.topic)) tags.push(HOSTS_TAG);
      await fenced(ctx);
      await invalidate(cache, tags, event.id, log);
      warmer?.touch([tenantId], storyOf(event));
    },
  };
}

/** How long the fence has to reach every read pool (pub/sub on loopback or a LAN: well under 1 ms). */
const FENCE_GRACE_MS = 50;

/**
 * With a read replica: before the pages go, tell every read pool the primary's WAL position now,
 * which is at or past the commit of the change behind this event (it was committed before the
 * outbox handed the event out). A read pool then reads the replica only once it has replayed that
 * far, and the primary until then (packages/db/src/replica.ts): a page re-rendered after this
 * invalidation never shows a retracted or uncorrected story from a replica that lags. The key
 * serves read pools that start later; the short grace lets the message arrive before the pages
 * are dropped. Redis unreachable: the invalidation below fails and the event is retried.
 */
async function raiseFence(ctx: HandlerContext, graceMs: number): Promise<void> {
  const lsn = await currentWalLsn(ctx.trx);
  await ctx.cache.set(REPLICA_FENCE, lsn, { ttlSeconds: 24 * 3600 });
  await ctx.cache.publish(REPLICA_FENCE, lsn);
  if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
}

/** The invalidation alone, without warm pages. */
export const cacheInvalidation: OutboxHandler = cacheInvalidationWith(null);

async function invalidate(
  cache: HandlerContext['cache'],
  tags: string[],
  eventId: number,
  log: HandlerContext['log'],
): Promise<void> {
  const removed = await cache.invalidateTags(tags);
  // The Redis cache reports a failed invalidation as "0 removed" instead of rejecting; when
  // Redis is unreachable, fail so the event is retried rather than done with stale pages left
  // (DependencyUnavailable: retried for as long as the outage lasts, without spending attempts).
  if (removed === 0 && cache.kind === 'redis' && (await cache.ping()) === 'down') {
    throw new DependencyUnavailable('cache unreachable; invalidation will be retried');
  }
  log.debug({ eventId, tags, removed }, 'cache invalidated');
}

/** The handlers the worker runs in production. */
export function defaultRegistry(
  opts: { warmer?: PageWarmer | null; replicaFence?: boolean; fanOutChunk?: number } = {},
): HandlerRegistry {
  return new HandlerRegistry()
    .register(
      opts.warmer || opts.replicaFence
        ? cacheInvalidationWith(opts.warmer ?? null, { replicaFence: opts.replicaFence })
        : cacheInvalidation,
    )
    .register(reviewNotify)
    .register(scheduledPublish)
    .register(syndicationFanOutWith(opts.fanOutChunk))
    .register(syndicationReach)
    .register(inboxNotify)
    .register(planningNotify);
}

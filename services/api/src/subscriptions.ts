import type { FastifyInstance } from 'fastify';
import type { Cache } from '@yiduan/cache';
import { INBOX_CHANNEL, PLANNING_CHANNEL, REVIEW_QUEUE_CHANNEL, VIDEO_CHANNEL } from '@yiduan/core';

/** Cache channel the worker publishes review-queue changes on (Redis pub/sub across processes). */
export const REVIEW_CHANNEL = REVIEW_QUEUE_CHANNEL;
export const reviewTopic = (tenantId: string): string => `REVIEW_QUEUE:${tenantId}`;
/** Cache channel for inbox changes (offers arriving or leaving). */
export { INBOX_CHANNEL };
export const inboxTopic = (tenantId: string): string => `INBOX:${tenantId}`;
/** Planning changes a tenant hears (its own, its descendants', the other party's of a coverage or pitch). */
export const planningTopic = (tenantId: string): string => `PLANNING:${tenantId}`;
export const videoTopic = (tenantId: string): string => `VIDEO:${tenantId}`;

interface ReviewMessage {
  tenantId: string;
  storyId: string;
  status: string;
}

function parse(message: string): ReviewMessage | null {
  try {
    const m = JSON.parse(message) as Partial<ReviewMessage>;
    return typeof m.tenantId === 'string' && typeof m.storyId === 'string' && typeof m.status === 'string'
      ? (m as ReviewMessage)
      : null;
  } catch {
    return null;
  }
}

/**
 * Every API process forwards the shared channel into its own subscription
 * emitter, so a reviewer connected to any copy hears a change made anywhere.
 */
export async function bridgeReviewQueue(app: FastifyInstance, cache: Cache): Promise<void> {
  const unsubscribe = await cache.subscribe(REVIEW_CHANNEL, (message) => {
    const m = parse(message);
    if (!m) return;
    void app.graphql.pubsub.publish({ topic: reviewTopic(m.tenantId), payload: { reviewQueueChanged: m } });
  });
  const unsubscribeInbox = await cache.subscribe(INBOX_CHANNEL, (message) => {
    try {
      const m = JSON.parse(message) as { tenantId?: unknown; count?: unknown };
      if (typeof m.tenantId !== 'string' || typeof m.count !== 'number') return;
      void app.graphql.pubsub.publish({
        topic: inboxTopic(m.tenantId),
        payload: { inboxChanged: { tenantId: m.tenantId, count: m.count } },
      });
    } catch {
      // a malformed message is dropped; the next change resends the count
    }
  });
  const unsubscribePlanning = await cache.subscribe(PLANNING_CHANNEL, (message) => {
    try {
      const m = JSON.parse(message) as { tenantIds?: unknown; kind?: unknown; id?: unknown; action?: unknown };
      if (!Array.isArray(m.tenantIds) || typeof m.kind !== 'string' || typeof m.id !== 'string') return;
      for (const tenantId of m.tenantIds) {
        if (typeof tenantId !== 'string') continue;
        void app.graphql.pubsub.publish({
          topic: planningTopic(tenantId),
          payload: {
            planningChanged: { tenantId, kind: m.kind, id: m.id, action: typeof m.action === 'string' ? m.action : '' },
          },
        });
      }
    } catch {
      // a malformed message is dropped; the next change reloads the screens
    }
  });
  // the worker's transcoding progress, ready and failed: the console's video list hears it live
  const unsubscribeVideo = await cache.subscribe(VIDEO_CHANNEL, (message) => {
    try {
      const m = JSON.parse(message) as { tenantId?: unknown; videoId?: unknown };
      if (typeof m.tenantId !== 'string' || typeof m.videoId !== 'string') return;
      void app.graphql.pubsub.publish({
        topic: videoTopic(m.tenantId),
        payload: { videoChanged: { tenantId: m.tenantId, videoId: m.videoId } },
      });
    } catch {
      // a malformed message is dropped; the next heartbeat sends another
    }
  });
  app.addHook('onClose', async () => {
    await unsubscribe();
    await unsubscribeInbox();
    await unsubscribePlanning();
    await unsubscribeVideo();
  });
}

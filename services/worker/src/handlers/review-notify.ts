import { REVIEW_QUEUE_CHANNEL, STORY_TOPICS, type ReviewQueueMessage } from '@yiduan/core';
import type { OutboxHandler } from '../handlers.js';

/** Channel the API processes listen on to push review-queue updates to subscribed reviewers. */
export const REVIEW_CHANNEL = REVIEW_QUEUE_CHANNEL;

/**
 * Tells every API process that a tenant's review queue changed. A repeated
 * delivery sends the same notice twice, which subscribers tolerate (they refetch).
 */
export const reviewNotify: OutboxHandler = {
  name: 'review-notify',
  topics: [STORY_TOPICS.reviewChanged],
  async handle(event, { cache }) {
    const { tenantId, storyId, status } = event.payload as { tenantId?: unknown; storyId?: unknown; status?: unknown };
    if (typeof tenantId !== 'string' || typeof storyId !== 'string')
      throw new Error(`review event ${event.id} lacks tenantId/storyId`);
    // the payload is checked, not trusted: an older event may carry any status text
    const message = {
      tenantId,
      storyId,
      status: (typeof status === 'string' ? status : 'draft') as ReviewQueueMessage['status'],
    };
    await cache.publish(REVIEW_CHANNEL, JSON.stringify(message));
  },
};

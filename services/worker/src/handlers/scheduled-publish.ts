import { publishIfDue, STORY_TOPICS, SYSTEM_ACTOR } from '@yiduan/core';
import { setTenant } from '@yiduan/db';
import type { OutboxHandler } from '../handlers.js';

/**
 * Carries out scheduled publishing. The event becomes available at the
 * scheduled time; publishIfDue re-checks the story (still scheduled, same
 * revision, review passed) so a rescheduled or edited story is left alone,
 * and the receipt makes a second delivery a no-op.
 */
export const scheduledPublish: OutboxHandler = {
  name: 'scheduled-publish',
  topics: [STORY_TOPICS.publishDue],
  async handle(event, { trx, log }) {
    const { tenantId, storyId, revision } = event.payload as {
      tenantId?: unknown;
      storyId?: unknown;
      revision?: unknown;
    };
    if (typeof tenantId !== 'string' || typeof storyId !== 'string' || typeof revision !== 'number') {
      throw new Error(`publish_due event ${event.id} is malformed`);
    }
    await setTenant(trx, tenantId);
    const published = await publishIfDue(trx, SYSTEM_ACTOR, tenantId, storyId, revision);
    log.info({ storyId, revision, published: published !== null }, 'scheduled publication checked');
  },
};

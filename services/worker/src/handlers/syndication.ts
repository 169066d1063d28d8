import {
  enqueue,
  FAN_OUT_CHUNK,
  fanOutChunk,
  fanOutPayload,
  followStoryEvent,
  INBOX_CHANNEL,
  inboxCounts,
  inboxesChanged,
  STORY_TOPICS,
  SYNDICATION_TOPICS,
  type InboxMessage,
  type StoryTopic,
} from '@yiduan/core';
import type { OutboxHandler } from '../handlers.js';

function field(payload: Record<string, unknown>, name: string, eventId: number): string {
  const v = payload[name];
  if (typeof v !== 'string' || !v) throw new Error(`event ${eventId} lacks ${name}`);
  return v;
}

/**
 * A push fans out in chunks, one transaction each: progress shows on the job as
 * it goes, and a worker that dies mid-way resumes from the last committed chunk
 * (placements are unique per face and story, so nothing is placed twice).
 */
export function syndicationFanOutWith(chunk = FAN_OUT_CHUNK): OutboxHandler {
  return {
    name: 'syndication-fan-out',
    topics: [SYNDICATION_TOPICS.fanOut],
    async handle(event, { trx, log }) {
      const tenantId = field(event.payload, 'tenantId', event.id);
      const jobId = field(event.payload, 'jobId', event.id);
      const { job, more, touched } = await fanOutChunk(trx, tenantId, jobId, chunk);
      if (more)
        await enqueue(trx, {
          tenantId,
          topic: SYNDICATION_TOPICS.fanOut,
          payload: { ...fanOutPayload(tenantId, jobId) },
        });
      // inboxes are told after this commits, by their own event
      if (!job.mandatory || job.kind === 'withdraw') await inboxesChanged(trx, touched);
      log.info({ jobId, done: job.done, total: job.total }, 'fan-out progress');
    },
  };
}

export const syndicationFanOut: OutboxHandler = syndicationFanOutWith();

/**
 * By reference, a story's change reaches every face that carries it: their
 * cached pages are dropped. A retraction also empties every inbox; a
 * publication runs the standing rules.
 */
export const syndicationReach: OutboxHandler = {
  name: 'syndication-reach',
  topics: [STORY_TOPICS.published, STORY_TOPICS.corrected, STORY_TOPICS.retracted, STORY_TOPICS.unpublished],
  async handle(event, { trx }) {
    const tenantId = field(event.payload, 'tenantId', event.id);
    const storyId = field(event.payload, 'storyId', event.id);
    await followStoryEvent(trx, event.topic as StoryTopic, tenantId, storyId, event.payload.firstTime === true);
  },
};

export const INBOX_CHANGED = SYNDICATION_TOPICS.inboxChanged;
/** Channel the API processes forward to inbox subscribers. */
export { INBOX_CHANNEL };

/** Publishes each touched inbox's new size to the API processes (after the change committed). */
export const inboxNotify: OutboxHandler = {
  name: 'inbox-notify',
  topics: [SYNDICATION_TOPICS.inboxChanged],
  async handle(event, { trx, cache }) {
    const ids = event.payload.tenantIds;
    if (!Array.isArray(ids)) throw new Error(`inbox event ${event.id} lacks tenantIds`);
    const tenantIds = (ids as unknown[]).filter((v): v is string => typeof v === 'string');
    const byTenant = await inboxCounts(trx, tenantIds);
    for (const id of tenantIds) {
      const message: InboxMessage = { tenantId: id, count: byTenant.get(id) ?? 0 };
      await cache.publish(INBOX_CHANNEL, JSON.stringify(message));
    }
  },
};

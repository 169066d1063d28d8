import { applyRulesOnPublish, enqueue, facesChanged, fanOutChunk, STORY_TOPICS, SYNDICATION_TOPICS } from '@yiduan/core';
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
export const syndicationFanOut: OutboxHandler = {
  name: 'syndication-fan-out',
  topics: [SYNDICATION_TOPICS.fanOut],
  async handle(event, { trx, log }) {
    const tenantId = field(event.payload, 'tenantId', event.id);
    const jobId = field(event.payload, 'jobId', event.id);
    const { job, more, touched } = await fanOutChunk(trx, tenantId, jobId);
    if (more) await enqueue(trx, { tenantId, topic: SYNDICATION_TOPICS.fanOut, payload: { tenantId, jobId } });
    // inboxes are told after this commits, by their own event
    if (touched.length && (!job.mandatory || job.kind === 'withdraw')) await enqueue(trx, { tenantId: null, topic: INBOX_CHANGED, payload: { tenantIds: touched } });
    log.info({ jobId, done: job.done, total: job.total }, 'fan-out progress');
  },
};

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
    if (event.topic === STORY_TOPICS.retracted) {
      const emptied = await trx.updateTable('placements').set({ status: 'removed', updated_at: new Date() }).where('story_id', '=', storyId).where('status', '=', 'pending').returning('tenant_id').execute();
      if (emptied.length) await enqueue(trx, { tenantId: null, topic: INBOX_CHANGED, payload: { tenantIds: emptied.map((e) => e.tenant_id) } });
    }
    const carriers = await trx.selectFrom('placements').select('tenant_id').where('story_id', '=', storyId).execute();
    await facesChanged(trx, carriers.map((c) => c.tenant_id), event.topic);
    if (event.topic === STORY_TOPICS.published) {
      const story = await trx.selectFrom('stories').selectAll().where('tenant_id', '=', tenantId).where('id', '=', storyId).executeTakeFirst();
      // rules run once, on the first publication
      if (story && story.published_revision !== null && !story.retracted_at && event.payload.firstTime === true) await applyRulesOnPublish(trx, story);
    }
  },
};

export const INBOX_CHANGED = 'inbox.changed';
/** Channel the API processes forward to inbox subscribers. */
export const INBOX_CHANNEL = 'syndication-inbox';

/** Publishes each touched inbox's new size to the API processes (after the change committed). */
export const inboxNotify: OutboxHandler = {
  name: 'inbox-notify',
  topics: [INBOX_CHANGED],
  async handle(event, { trx, cache }) {
    const ids = event.payload.tenantIds;
    if (!Array.isArray(ids)) throw new Error(`inbox event ${event.id} lacks tenantIds`);
    const tenantIds = (ids as unknown[]).filter((v): v is string => typeof v === 'string');
    const counts = tenantIds.length
      ? await trx.selectFrom('placements').select(['tenant_id']).select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', 'in', tenantIds).where('status', '=', 'pending').groupBy('tenant_id').execute()
      : [];
    const byTenant = new Map(counts.map((c) => [c.tenant_id, Number(c.n)]));
    for (const id of tenantIds) await cache.publish(INBOX_CHANNEL, JSON.stringify({ tenantId: id, count: byTenant.get(id) ?? 0 }));
  },
};

import { PLANNING_CHANNEL, PLANNING_TOPICS, recordPlanningNotices } from '@yiduan/core';
import type { OutboxHandler } from '../handlers.js';

/**
 * The planning desk's notices and live updates: each planning event becomes notices for the
 * people and desks concerned (written in the event's transaction, once per event), and a message
 * on PLANNING_CHANNEL naming the tenants that hear it (the parties and their ancestors), which the
 * API turns into planningChanged. The coverage_due event, available at a coverage's due time, is
 * the overdue reminder: it tells both sides when the coverage is still open then.
 */
export const planningNotify: OutboxHandler = {
  name: 'planning-notify',
  topics: Object.values(PLANNING_TOPICS),
  async handle(event, { trx, cache, log }) {
    const message = await recordPlanningNotices(trx, {
      id: Number(event.id),
      tenantId: event.tenant_id,
      topic: event.topic,
      payload: event.payload,
    });
    if (!message) {
      log.debug({ id: event.id, topic: event.topic }, 'planning event names nothing that exists now');
      return;
    }
    await cache.publish(PLANNING_CHANNEL, JSON.stringify(message));
  },
};

import type { Executor } from '@yiduan/db';
import { DomainError } from '../errors.js';
import { myMessages, messageEvents } from './messages.js';
import { myMemberships } from './memberships.js';
import { myAcceptances } from './agreements.js';

export const DELETED_NAME = '已注销用户';

/** Everything the platform holds about a citizen, as one JSON document (citizen scope). */
export async function exportMyData(ex: Executor, citizenId: string): Promise<Record<string, unknown>> {
  const me = await ex.selectFrom('citizens').select(['id', 'phone', 'email', 'display_name', 'created_at']).where('id', '=', citizenId).where('status', '=', 'active').executeTakeFirst();
  if (!me) throw new DomainError('CITIZEN_NOT_FOUND');
  const memberships = await myMemberships(ex, citizenId);
  const consentHistory = await ex
    .selectFrom('membership_consents as c')
    .innerJoin('memberships as m', (j) => j.onRef('m.tenant_id', '=', 'c.tenant_id').onRef('m.id', '=', 'c.membership_id'))
    .select(['c.membership_id', 'c.purpose', 'c.granted', 'c.at'])
    .where('m.citizen_id', '=', citizenId)
    .orderBy('c.id')
    .execute();
  const comments = await ex.selectFrom('comments').select(['tenant_id', 'id', 'story_id', 'body', 'status', 'created_at']).where('citizen_id', '=', citizenId).orderBy('created_at').execute();
  const messages = await myMessages(ex, citizenId);
  const withEvents = [];
  for (const m of messages) withEvents.push({ ...m, events: await messageEvents(ex, m.tenant_id, m.id) });
  // the agreements accepted at sign-up, with their versions
  const agreements = await myAcceptances(ex, citizenId);
  return { exportedAt: new Date().toISOString(), account: me, memberships, consentHistory, agreements, comments, messages: withEvents };
}

/**
 * Deletes an account (platform scope, one transaction): identifiers, password,
 * name, sessions and codes go; memberships end; comments stay under
 * "已注销用户"; messages stay with the tenant that handled them, without the
 * person's contact details. The row itself remains, anonymous, so figures and
 * threads keep their shape.
 */
export async function deleteAccount(ex: Executor, citizenId: string): Promise<void> {
  const me = await ex.selectFrom('citizens').select(['phone', 'email']).where('id', '=', citizenId).where('status', '=', 'active').forUpdate().executeTakeFirst();
  if (!me) throw new DomainError('CITIZEN_NOT_FOUND');
  const now = new Date();
  const destinations = [me.phone, me.email].filter((d): d is string => d !== null);
  if (destinations.length) await ex.deleteFrom('citizen_codes').where('destination', 'in', destinations).execute();
  await ex.deleteFrom('sso_codes').where('citizen_id', '=', citizenId).execute();
  await ex.deleteFrom('citizen_sessions').where('citizen_id', '=', citizenId).execute();
  await ex.deleteFrom('comment_reports').where('citizen_id', '=', citizenId).execute();
  const ended = await ex.updateTable('memberships').set({ ended_at: now }).where('citizen_id', '=', citizenId).where('ended_at', 'is', null).returning(['tenant_id', 'id']).execute();
  if (ended.length) {
    await ex
      .insertInto('membership_consents')
      .values(ended.flatMap((m) => (['news', 'contact', 'share_parent'] as const).map((purpose) => ({ tenant_id: m.tenant_id, membership_id: m.id, purpose, granted: false }))))
      .execute();
  }
  await ex.updateTable('comments').set({ author_name: DELETED_NAME }).where('citizen_id', '=', citizenId).execute();
  await ex.updateTable('citizen_messages').set({ contact_name: null, contact_phone: null, updated_at: now }).where('citizen_id', '=', citizenId).execute();
  await ex
    .updateTable('citizens')
    .set({ phone: null, email: null, password_hash: null, display_name: DELETED_NAME, status: 'deleted', deleted_at: now, updated_at: now })
    .where('id', '=', citizenId)
    .execute();
}

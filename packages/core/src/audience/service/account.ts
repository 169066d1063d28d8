import type { Executor } from '@yiduan/db';
import { DomainError } from '../../errors.js';
import { DELETED_NAME } from '../model.js';
import { citizensRepo, commentsRepo, membershipsRepo, messagesRepo } from '../repo/index.js';
import { myAcceptances } from './agreements.js';
import { myMemberships } from './memberships.js';
import { messageEvents, myMessages } from './messages.js';

/** Everything the platform holds about a citizen, as one JSON document (citizen scope). */
export async function exportMyData(ex: Executor, citizenId: string): Promise<Record<string, unknown>> {
  const me = await citizensRepo.accountRow(ex, citizenId);
  if (!me) throw new DomainError('CITIZEN_NOT_FOUND');
  const memberships = await myMemberships(ex, citizenId);
  const consentHistory = await membershipsRepo.consentHistoryOf(ex, citizenId);
  const comments = await commentsRepo.commentsOfCitizen(ex, citizenId);
  const messages = await myMessages(ex, citizenId);
  const withEvents = [];
  for (const m of messages) withEvents.push({ ...m, events: await messageEvents(ex, m.tenant_id, m.id) });
  // the agreements accepted at sign-up, with their versions
  const agreements = await myAcceptances(ex, citizenId);
  return {
    exportedAt: new Date().toISOString(),
    account: me,
    memberships,
    consentHistory,
    agreements,
    comments,
    messages: withEvents,
  };
}

/**
 * Deletes an account (platform scope, one transaction): identifiers, password,
 * name, sessions and codes go; memberships end; comments stay under
 * "已注销用户"; messages stay with the tenant that handled them, without the
 * person's contact details. The row itself remains, anonymous, so figures and
 * threads keep their shape.
 */
export async function deleteAccount(ex: Executor, citizenId: string): Promise<void> {
  const me = await citizensRepo.lockActiveCitizen(ex, citizenId);
  if (!me) throw new DomainError('CITIZEN_NOT_FOUND');
  const now = new Date();
  const destinations = [me.phone, me.email].filter((d): d is string => d !== null);
  if (destinations.length) await citizensRepo.deleteCodesTo(ex, destinations);
  await citizensRepo.deleteSsoCodesOf(ex, citizenId);
  await citizensRepo.deleteSessionsOf(ex, citizenId);
  await commentsRepo.deleteReportsBy(ex, citizenId);
  const ended = await membershipsRepo.endMembershipsOf(ex, citizenId, now);
  if (ended.length) {
    await membershipsRepo.insertConsents(
      ex,
      ended.flatMap((m) =>
        (['news', 'contact', 'share_parent'] as const).map((purpose) => ({
          tenant_id: m.tenant_id,
          membership_id: m.id,
          purpose,
          granted: false,
        })),
      ),
    );
  }
  await commentsRepo.renameCommentsOf(ex, citizenId, DELETED_NAME);
  await messagesRepo.forgetMessageContacts(ex, citizenId, now);
  await citizensRepo.anonymiseCitizen(ex, citizenId, DELETED_NAME, now);
}

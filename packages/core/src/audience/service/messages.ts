import type { Cache } from '@yiduan/cache';
import type { CitizenMessage, CitizenMessageEvent, Executor, MessageStatus } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { DomainError } from '../../errors.js';
import { badField } from '../errors.js';
import { enqueue } from '../../events/index.js';
import { appendAudit } from '../../governance/index.js';
import type { Access } from '../../identity/index.js';
import {
  AUDIENCE_TOPICS,
  type MessageReceivedPayload,
  type MessageRepliedPayload,
  type PublicRepliesChangedPayload,
} from '../events.js';
import { rule, spend } from '../limits.js';
import {
  checkMessageInput,
  dueDate,
  type MessageQuery,
  type MyMessageDetail,
  type OverdueMessage,
  type PublicReply,
  type SendMessageInput,
} from '../model.js';
import { membershipsRepo, messagesRepo as repo } from '../repo/index.js';
import { audienceSettings } from './settings.js';

/**
 * The next message number of a tenant: LY + Beijing date + a five-digit daily sequence
 * (LY2026120700001), taken in the caller's transaction (see the message_serials migration).
 */
export async function nextMessageSerial(ex: Executor, tenantId: string, at: Date): Promise<string> {
  return repo.nextMessageSerial(ex, tenantId, at);
}

/** A citizen's message to a tenant or one of its units (citizen scope). */
export async function sendMessage(ex: Executor, cache: Cache, input: SendMessageInput): Promise<CitizenMessage> {
  checkMessageInput(input);
  if (input.unitId && !(await membershipsRepo.activeUnitExists(ex, input.tenantId, input.unitId)))
    throw new DomainError('UNIT_NOT_FOUND');
  await spend(
    cache,
    [rule('messagesPerCitizen', input.citizenId), rule('messagesPerIp', input.ip)],
    'MESSAGE_THROTTLED',
  );
  const settings = await audienceSettings(ex, input.tenantId);
  const now = new Date();
  const row = await repo.insertMessage(ex, {
    tenant_id: input.tenantId,
    serial: await nextMessageSerial(ex, input.tenantId, now),
    unit_id: input.unitId ?? null,
    citizen_id: input.citizenId,
    category: input.category,
    title: input.title.trim(),
    body: input.body.trim(),
    photos: input.photos ?? [],
    contact_name: input.contactName?.trim() || null,
    contact_phone: input.contactPhone?.replace(/[\s-]/g, '') || null,
    allow_public: input.allowPublic,
    due_at: dueDate(now, settings.messageDueDays),
    created_at: now,
  });
  await repo.insertMessageEvent(ex, {
    tenant_id: input.tenantId,
    message_id: row.id,
    from_status: null,
    to_status: 'received',
    by_citizen: true,
  });
  const payload: MessageReceivedPayload = { tenantId: input.tenantId, messageId: row.id, unitId: row.unit_id };
  await enqueue(ex, { tenantId: input.tenantId, topic: AUDIENCE_TOPICS.messageReceived, payload });
  return row;
}

/** Staff who may handle messages: tenant editors and admins, and a unit's own members for the unit's messages. */
function requireHandler(access: Access, unitId: string | null): void {
  access.require(['editor', 'chief_editor', 'tenant_admin', 'reporter'], unitId);
  // a reporter without a unit grant handles nothing tenant-wide
  if (unitId === null && !access.hasAny(['editor', 'chief_editor', 'tenant_admin'])) throw new DomainError('FORBIDDEN');
}

async function lockMessage(ex: Executor, access: Access, id: string): Promise<CitizenMessage> {
  const m = await repo.messageRow(ex, access.tenantId, id, { forUpdate: true });
  if (!m) throw new DomainError('MESSAGE_NOT_FOUND');
  requireHandler(access, m.unit_id);
  return m;
}

async function transition(
  ex: Executor,
  actor: Actor,
  m: CitizenMessage,
  to: MessageStatus,
  set: Partial<Record<string, unknown>>,
  note: string | null,
): Promise<CitizenMessage> {
  const row = await repo.updateMessage(ex, m.tenant_id, m.id, { ...set, status: to, updated_at: new Date() });
  await repo.insertMessageEvent(ex, {
    tenant_id: m.tenant_id,
    message_id: m.id,
    from_status: m.status,
    to_status: to,
    staff_id: actor.kind === 'staff' ? actor.id : null,
    note,
  });
  await appendAudit(ex, actor, {
    tenantId: m.tenant_id,
    action: `message.${to}`,
    targetKind: 'citizen_message',
    targetId: m.id,
    detail: { from: m.status, serial: m.serial },
  });
  return row;
}

export async function assignMessage(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  assigneeId: string,
  note?: string | null,
): Promise<CitizenMessage> {
  const m = await lockMessage(ex, access, id);
  if (m.status === 'closed') throw new DomainError('INVALID_TRANSITION', '留言已办结');
  // the assignee must hold a role in this tenant
  if (!(await repo.holdsGrant(ex, access.tenantId, assigneeId))) throw new DomainError('STAFF_NOT_FOUND');
  return transition(
    ex,
    actor,
    m,
    m.status === 'replied' ? 'replied' : 'assigned',
    { assignee_id: assigneeId },
    note?.trim() || null,
  );
}

export async function replyToMessage(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  reply: string,
  publish: boolean,
): Promise<CitizenMessage> {
  const m = await lockMessage(ex, access, id);
  if (m.status === 'closed') throw new DomainError('INVALID_TRANSITION', '留言已办结');
  const text = reply.trim();
  if (!text || [...text].length > 3000) throw badField('reply', '答复应为 1 到 3000 字');
  if (publish && !m.allow_public) throw new DomainError('FORBIDDEN', '留言人未同意公开，答复不能公开');
  const row = await transition(
    ex,
    actor,
    m,
    'replied',
    {
      reply: text,
      reply_public: publish,
      replied_by: actor.kind === 'staff' ? actor.id : null,
      replied_at: new Date(),
    },
    null,
  );
  if (publish || m.reply_public) {
    const changed: PublicRepliesChangedPayload = { tenantId: m.tenant_id, messageId: m.id };
    await enqueue(ex, { tenantId: m.tenant_id, topic: AUDIENCE_TOPICS.publicRepliesChanged, payload: changed });
  }
  const replied: MessageRepliedPayload = {
    tenantId: m.tenant_id,
    messageId: m.id,
    onTime: row.replied_at! <= m.due_at,
  };
  await enqueue(ex, { tenantId: m.tenant_id, topic: AUDIENCE_TOPICS.messageReplied, payload: replied });
  return row;
}

export async function closeMessage(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  note?: string | null,
): Promise<CitizenMessage> {
  const m = await lockMessage(ex, access, id);
  if (m.status === 'closed') return m;
  if (m.status !== 'replied' && !note?.trim()) throw new DomainError('REASON_REQUIRED', '未答复的留言办结时请填写理由');
  return transition(ex, actor, m, 'closed', { closed_at: new Date() }, note?.trim() || null);
}

/** The citizen's satisfaction with the answer (citizen scope), once replied. */
export async function rateMessage(
  ex: Executor,
  citizenId: string,
  tenantId: string,
  id: string,
  rating: number,
): Promise<CitizenMessage> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5)
    throw new DomainError('BAD_USER_INPUT', '评分应为 1 到 5 星');
  const m = await repo.messageRow(ex, tenantId, id, { citizenId, forUpdate: true });
  if (!m) throw new DomainError('MESSAGE_NOT_FOUND');
  if (m.status !== 'replied' && m.status !== 'closed') throw new DomainError('INVALID_TRANSITION', '答复后才能评价');
  const row = await repo.updateMessage(ex, tenantId, id, { rating, rated_at: new Date(), updated_at: new Date() });
  await repo.insertMessageEvent(ex, {
    tenant_id: tenantId,
    message_id: id,
    from_status: m.status,
    to_status: m.status,
    by_citizen: true,
    note: `满意度 ${rating} 星`,
  });
  return row;
}

/** A tenant's message inbox (tenant scope); unit members see their units' messages only. */
export async function listMessages(
  ex: Executor,
  access: Access,
  q: MessageQuery = {},
): Promise<{ rows: CitizenMessage[]; total: number }> {
  access.requireMember();
  const scope = access.hasAny(['editor', 'chief_editor', 'tenant_admin']) ? null : access.unitScope;
  if (!scope && !access.hasAny(['editor', 'chief_editor', 'tenant_admin'])) throw new DomainError('FORBIDDEN');
  return repo.messagePage(ex, access.tenantId, scope, q, new Date());
}

export async function messageById(ex: Executor, access: Access, id: string): Promise<CitizenMessage> {
  const m = await repo.messageRow(ex, access.tenantId, id);
  if (!m) throw new DomainError('MESSAGE_NOT_FOUND');
  requireHandler(access, m.unit_id);
  return m;
}

export async function messageEvents(ex: Executor, tenantId: string, messageId: string): Promise<CitizenMessageEvent[]> {
  return repo.messageEvents(ex, tenantId, messageId);
}

/** The events of several messages of one tenant, oldest first (tenant scope; one statement for a loader's batch). */
export async function eventsOfMessages(
  ex: Executor,
  tenantId: string,
  messageIds: string[],
): Promise<CitizenMessageEvent[]> {
  return repo.eventsOfMessages(ex, tenantId, messageIds);
}

/** Overdue messages of a tenant and its whole subtree, without the citizens' text (tenant scope). */
export async function overdueInSubtree(ex: Executor, access: Access): Promise<OverdueMessage[]> {
  access.requireMember();
  const rows = await repo.overdueMessageRows(ex, access.tenantId);
  return rows.map((x) => ({
    tenantId: x.tenant_id,
    id: x.id,
    serial: x.serial,
    unitId: x.unit_id,
    category: x.category,
    status: x.status,
    createdAt: x.created_at,
    dueAt: x.due_at,
  }));
}

/** A citizen's own messages, newest first (citizen scope). */
export async function myMessages(
  ex: Executor,
  citizenId: string,
): Promise<(CitizenMessage & { tenant_name: string })[]> {
  return repo.myMessages(ex, citizenId);
}

/** One of the citizen's own messages on a face, with its events and unit's name, or null (citizen scope). */
export async function myMessageDetail(
  ex: Executor,
  citizenId: string,
  faceTenantId: string,
  messageId: string,
): Promise<MyMessageDetail | null> {
  const m = (await myMessages(ex, citizenId)).find((x) => x.id === messageId && x.tenant_id === faceTenantId);
  if (!m) return null;
  const unitName = m.unit_id ? await membershipsRepo.unitName(ex, m.tenant_id, m.unit_id) : null;
  return { m, events: await messageEvents(ex, m.tenant_id, m.id), unitName };
}

/** The face's message board: answers the citizens agreed to publish (public scope). */
export async function publicReplies(
  ex: Executor,
  tenantId: string,
  limit = 20,
  offset = 0,
): Promise<{ rows: PublicReply[]; total: number }> {
  const page = await repo.publicReplyPage(ex, tenantId, limit, offset);
  return {
    total: page.total,
    rows: page.rows.map((r) => ({
      id: r.id,
      serial: r.serial,
      category: r.category,
      title: r.title,
      body: r.body,
      unitId: r.unit_id,
      reply: r.reply ?? '',
      createdAt: r.created_at,
      repliedAt: r.replied_at ?? r.created_at,
      rating: r.rating,
    })),
  };
}

import { sql } from 'kysely';
import type { Cache } from '@yiduan/cache';
import type { CitizenMessage, CitizenMessageEvent, Executor, MessageCategory, MessageStatus } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { enqueue } from '../events/index.js';
import { appendAudit } from '../governance/index.js';
import type { Access } from '../identity/index.js';
import { AUDIENCE_TOPICS } from './comments.js';
import { rule, spend } from './limits.js';
import { audienceSettings } from './settings.js';

export const MESSAGE_CATEGORIES: Record<MessageCategory, string> = {
  consultation: '咨询',
  complaint: '投诉',
  suggestion: '建议',
  help: '求助',
};
export const MESSAGE_STATUS_LABELS: Record<MessageStatus, string> = {
  received: '已受理',
  assigned: '办理中',
  replied: '已答复',
  closed: '已办结',
};

const DAY_MS = 24 * 3600 * 1000;
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/**
 * The due time of a message: the end of the n-th working day (Monday to Friday,
 * Beijing time) after the day it arrived. Public holidays and make-up working
 * days follow the State Council's yearly notice; they are not modelled yet.
 */
export function dueDate(received: Date, workingDays: number): Date {
  // midnight of the arrival day in Beijing time, as UTC milliseconds
  const local = received.getTime() + SHANGHAI_OFFSET_MS;
  let day = Math.floor(local / DAY_MS);
  let left = workingDays;
  while (left > 0) {
    day += 1;
    const weekday = new Date(day * DAY_MS).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  // 23:59:59.999 Beijing time of that day
  return new Date((day + 1) * DAY_MS - SHANGHAI_OFFSET_MS - 1);
}

const PHONE = /^1[3-9]\d{9}$/;

export interface SendMessageInput {
  tenantId: string;
  unitId?: string | null;
  citizenId: string;
  category: MessageCategory;
  title: string;
  body: string;
  photos?: string[];
  contactName?: string | null;
  contactPhone?: string | null;
  allowPublic: boolean;
  ip: string;
}

function checkInput(input: SendMessageInput): void {
  const problems: { path: string; message: string }[] = [];
  if (!(input.category in MESSAGE_CATEGORIES)) problems.push({ path: 'category', message: '请选择留言类型' });
  const title = input.title.trim();
  if (!title || [...title].length > 60) problems.push({ path: 'title', message: '标题应为 1 到 60 字' });
  const body = input.body.trim();
  if (!body || [...body].length > 3000) problems.push({ path: 'body', message: '内容应为 1 到 3000 字' });
  if (input.contactPhone && !PHONE.test(input.contactPhone.replace(/[\s-]/g, ''))) problems.push({ path: 'contactPhone', message: '请填写正确的手机号' });
  if (input.contactName && [...input.contactName.trim()].length > 20) problems.push({ path: 'contactName', message: '联系人最多 20 字' });
  if ((input.photos ?? []).length > 6) problems.push({ path: 'photos', message: '最多 6 张图片' });
  if (problems.length) throw new DomainError('BAD_USER_INPUT', problems[0]!.message, problems);
}

/**
 * The next message number of a tenant: LY + Beijing date + a five-digit daily sequence
 * (LY2026120700001), taken in the caller's transaction (see the message_serials migration).
 */
export async function nextMessageSerial(ex: Executor, tenantId: string, at: Date): Promise<string> {
  const r = await sql<{ serial: string }>`SELECT next_message_serial(${tenantId}::uuid, ${at}::timestamptz) AS serial`.execute(ex);
  return r.rows[0]!.serial;
}

/** A citizen's message to a tenant or one of its units (citizen scope). */
export async function sendMessage(ex: Executor, cache: Cache, input: SendMessageInput): Promise<CitizenMessage> {
  checkInput(input);
  if (input.unitId) {
    const unit = await ex.selectFrom('units').select('id').where('tenant_id', '=', input.tenantId).where('id', '=', input.unitId).where('status', '=', 'active').executeTakeFirst();
    if (!unit) throw new DomainError('UNIT_NOT_FOUND');
  }
  await spend(cache, [rule('messagesPerCitizen', input.citizenId), rule('messagesPerIp', input.ip)], 'MESSAGE_THROTTLED');
  const settings = await audienceSettings(ex, input.tenantId);
  const now = new Date();
  const row = await ex
    .insertInto('citizen_messages')
    .values({
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
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await ex.insertInto('citizen_message_events').values({ tenant_id: input.tenantId, message_id: row.id, from_status: null, to_status: 'received', by_citizen: true }).execute();
  await enqueue(ex, { tenantId: input.tenantId, topic: 'message.received', payload: { tenantId: input.tenantId, messageId: row.id, unitId: row.unit_id } });
  return row;
}

/** Staff who may handle messages: tenant editors and admins, and a unit's own members for the unit's messages. */
function requireHandler(access: Access, unitId: string | null): void {
  access.require(['editor', 'chief_editor', 'tenant_admin', 'reporter'], unitId);
  // a reporter without a unit grant handles nothing tenant-wide
  if (unitId === null && !access.hasAny(['editor', 'chief_editor', 'tenant_admin'])) throw new DomainError('FORBIDDEN');
}

async function lockMessage(ex: Executor, access: Access, id: string): Promise<CitizenMessage> {
  const m = await ex.selectFrom('citizen_messages').selectAll().where('tenant_id', '=', access.tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!m) throw new DomainError('MESSAGE_NOT_FOUND');
  requireHandler(access, m.unit_id);
  return m;
}

async function transition(ex: Executor, actor: Actor, m: CitizenMessage, to: MessageStatus, set: Partial<Record<string, unknown>>, note: string | null): Promise<CitizenMessage> {
  const row = await ex
    .updateTable('citizen_messages')
    .set({ ...set, status: to, updated_at: new Date() })
    .where('tenant_id', '=', m.tenant_id)
    .where('id', '=', m.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await ex
    .insertInto('citizen_message_events')
    .values({ tenant_id: m.tenant_id, message_id: m.id, from_status: m.status, to_status: to, staff_id: actor.kind === 'staff' ? actor.id : null, note })
    .execute();
  await appendAudit(ex, actor, { tenantId: m.tenant_id, action: `message.${to}`, targetKind: 'citizen_message', targetId: m.id, detail: { from: m.status, serial: m.serial } });
  return row;
}

export async function assignMessage(ex: Executor, access: Access, actor: Actor, id: string, assigneeId: string, note?: string | null): Promise<CitizenMessage> {
  const m = await lockMessage(ex, access, id);
  if (m.status === 'closed') throw new DomainError('INVALID_TRANSITION', '留言已办结');
  // the assignee must hold a role in this tenant
  const g = await ex.selectFrom('grants').select('id').where('tenant_id', '=', access.tenantId).where('staff_id', '=', assigneeId).where('revoked_at', 'is', null).executeTakeFirst();
  if (!g) throw new DomainError('STAFF_NOT_FOUND');
  return transition(ex, actor, m, m.status === 'replied' ? 'replied' : 'assigned', { assignee_id: assigneeId }, note?.trim() || null);
}

export async function replyToMessage(ex: Executor, access: Access, actor: Actor, id: string, reply: string, publish: boolean): Promise<CitizenMessage> {
  const m = await lockMessage(ex, access, id);
  if (m.status === 'closed') throw new DomainError('INVALID_TRANSITION', '留言已办结');
  const text = reply.trim();
  if (!text || [...text].length > 3000) throw new DomainError('BAD_USER_INPUT', '答复应为 1 到 3000 字', [{ path: 'reply', message: '答复应为 1 到 3000 字' }]);
  if (publish && !m.allow_public) throw new DomainError('FORBIDDEN', '留言人未同意公开，答复不能公开');
  const row = await transition(ex, actor, m, 'replied', { reply: text, reply_public: publish, replied_by: actor.kind === 'staff' ? actor.id : null, replied_at: new Date() }, null);
  if (publish || m.reply_public) await enqueue(ex, { tenantId: m.tenant_id, topic: AUDIENCE_TOPICS.publicRepliesChanged, payload: { tenantId: m.tenant_id, messageId: m.id } });
  await enqueue(ex, { tenantId: m.tenant_id, topic: 'message.replied', payload: { tenantId: m.tenant_id, messageId: m.id, onTime: row.replied_at! <= m.due_at } });
  return row;
}

export async function closeMessage(ex: Executor, access: Access, actor: Actor, id: string, note?: string | null): Promise<CitizenMessage> {
  const m = await lockMessage(ex, access, id);
  if (m.status === 'closed') return m;
  if (m.status !== 'replied' && !note?.trim()) throw new DomainError('REASON_REQUIRED', '未答复的留言办结时请填写理由');
  return transition(ex, actor, m, 'closed', { closed_at: new Date() }, note?.trim() || null);
}

/** The citizen's satisfaction with the answer (citizen scope), once replied. */
export async function rateMessage(ex: Executor, citizenId: string, tenantId: string, id: string, rating: number): Promise<CitizenMessage> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new DomainError('BAD_USER_INPUT', '评分应为 1 到 5 星');
  const m = await ex.selectFrom('citizen_messages').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).where('citizen_id', '=', citizenId).forUpdate().executeTakeFirst();
  if (!m) throw new DomainError('MESSAGE_NOT_FOUND');
  if (m.status !== 'replied' && m.status !== 'closed') throw new DomainError('INVALID_TRANSITION', '答复后才能评价');
  const row = await ex.updateTable('citizen_messages').set({ rating, rated_at: new Date(), updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  await ex.insertInto('citizen_message_events').values({ tenant_id: tenantId, message_id: id, from_status: m.status, to_status: m.status, by_citizen: true, note: `满意度 ${rating} 星` }).execute();
  return row;
}

export interface MessageQuery {
  status?: MessageStatus | null;
  unitId?: string | null;
  overdueOnly?: boolean;
  limit?: number;
  offset?: number;
}

/** A tenant's message inbox (tenant scope); unit members see their units' messages only. */
export async function listMessages(ex: Executor, access: Access, q: MessageQuery = {}): Promise<{ rows: CitizenMessage[]; total: number }> {
  access.requireMember();
  let base = ex.selectFrom('citizen_messages').where('tenant_id', '=', access.tenantId);
  const scope = access.hasAny(['editor', 'chief_editor', 'tenant_admin']) ? null : access.unitScope;
  if (scope) base = scope.length ? base.where('unit_id', 'in', scope) : base.where(sql<boolean>`false`);
  else if (!access.hasAny(['editor', 'chief_editor', 'tenant_admin'])) throw new DomainError('FORBIDDEN');
  if (q.status) base = base.where('status', '=', q.status);
  if (q.unitId) base = base.where('unit_id', '=', q.unitId);
  if (q.overdueOnly) base = base.where('status', 'in', ['received', 'assigned']).where('due_at', '<', new Date());
  const total = await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('due_at').orderBy('id').limit(Math.min(q.limit ?? 50, 200)).offset(q.offset ?? 0).execute();
  return { rows, total: total.n };
}

export async function messageById(ex: Executor, access: Access, id: string): Promise<CitizenMessage> {
  const m = await ex.selectFrom('citizen_messages').selectAll().where('tenant_id', '=', access.tenantId).where('id', '=', id).executeTakeFirst();
  if (!m) throw new DomainError('MESSAGE_NOT_FOUND');
  requireHandler(access, m.unit_id);
  return m;
}

export async function messageEvents(ex: Executor, tenantId: string, messageId: string): Promise<CitizenMessageEvent[]> {
  return ex.selectFrom('citizen_message_events').selectAll().where('tenant_id', '=', tenantId).where('message_id', '=', messageId).orderBy('id').execute();
}

export interface OverdueMessage {
  tenantId: string;
  id: string;
  serial: string;
  unitId: string | null;
  category: MessageCategory;
  status: MessageStatus;
  createdAt: Date;
  dueAt: Date;
}

/** Overdue messages of a tenant and its whole subtree, without the citizens' text (tenant scope). */
export async function overdueInSubtree(ex: Executor, access: Access): Promise<OverdueMessage[]> {
  access.requireMember();
  const r = await sql<{ tenant_id: string; id: string; serial: string; unit_id: string | null; category: MessageCategory; status: MessageStatus; created_at: Date; due_at: Date }>`
    SELECT * FROM overdue_messages(${access.tenantId}::uuid) LIMIT 500`.execute(ex);
  return r.rows.map((x) => ({ tenantId: x.tenant_id, id: x.id, serial: x.serial, unitId: x.unit_id, category: x.category, status: x.status, createdAt: x.created_at, dueAt: x.due_at }));
}

/** A citizen's own messages, newest first (citizen scope). */
export async function myMessages(ex: Executor, citizenId: string): Promise<(CitizenMessage & { tenant_name: string })[]> {
  return ex
    .selectFrom('citizen_messages as m')
    .innerJoin('tenants as t', 't.id', 'm.tenant_id')
    .selectAll('m')
    .select('t.name as tenant_name')
    .where('m.citizen_id', '=', citizenId)
    .orderBy('m.created_at', 'desc')
    .limit(200)
    .execute();
}

export interface PublicReply {
  id: string;
  serial: string;
  category: MessageCategory;
  title: string;
  body: string;
  unitId: string | null;
  reply: string;
  createdAt: Date;
  repliedAt: Date;
  rating: number | null;
}

/** The face's message board: answers the citizens agreed to publish (public scope). */
export async function publicReplies(ex: Executor, tenantId: string, limit = 20, offset = 0): Promise<{ rows: PublicReply[]; total: number }> {
  const base = ex.selectFrom('citizen_messages').where('tenant_id', '=', tenantId).where('reply_public', '=', true).where('status', 'in', ['replied', 'closed']);
  const total = await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await base.select(['id', 'serial', 'category', 'title', 'body', 'unit_id', 'reply', 'created_at', 'replied_at', 'rating']).orderBy('replied_at', 'desc').limit(limit).offset(offset).execute();
  return { total: total.n, rows: rows.map((r) => ({ id: r.id, serial: r.serial, category: r.category, title: r.title, body: r.body, unitId: r.unit_id, reply: r.reply ?? '', createdAt: r.created_at, repliedAt: r.replied_at ?? r.created_at, rating: r.rating })) };
}

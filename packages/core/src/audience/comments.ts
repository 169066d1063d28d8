import { sql } from 'kysely';
import type { Cache } from '@yiduan/cache';
import type { CommentRow, CommentStatus, Executor } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { enqueue } from '../events/index.js';
import { appendAudit } from '../governance/index.js';
import type { Access } from '../identity/index.js';
import { storyOnFace } from '../syndication/index.js';
import type { TerminologyChecker } from '../terminology/index.js';
import { rule, spend } from './limits.js';
import { audienceSettings } from './settings.js';

export const AUDIENCE_TOPICS = {
  /** approved comments of a face changed: its story pages must be rendered again */
  commentsChanged: 'comments.changed',
  /** a public reply to a message appeared or changed on a face's message board */
  publicRepliesChanged: 'messages.public_changed',
} as const;

export const COMMENT_MAX = 500;


export interface PostCommentInput {
  faceTenantId: string;
  storyId: string;
  citizen: { id: string; display_name: string };
  body: string;
  parentId?: string | null;
  /** the face's terminology rules (loaded in the face's scope: citizens cannot read rule sets) */
  checker: TerminologyChecker;
}

/**
 * A reader's comment on a story as one face shows it (citizen scope). Comments
 * on units' stories, on faces that pre-moderate, and any comment matching a
 * blocking terminology rule wait for an editor; the rest appear at once.
 */
export async function postComment(ex: Executor, cache: Cache, input: PostCommentInput): Promise<CommentRow> {
  const body = input.body.normalize('NFC').trim();
  if (body.length === 0) throw new DomainError('BAD_USER_INPUT', '请填写评论内容', [{ path: 'body', message: '请填写评论内容' }]);
  if ([...body].length > COMMENT_MAX) throw new DomainError('BAD_USER_INPUT', `评论最多 ${COMMENT_MAX} 字`, [{ path: 'body', message: `评论最多 ${COMMENT_MAX} 字` }]);
  const settings = await audienceSettings(ex, input.faceTenantId);
  if (!settings.commentsEnabled) throw new DomainError('COMMENTS_CLOSED');
  const on = await storyOnFace(ex, input.faceTenantId, input.storyId);
  if (on.state !== 'live') throw new DomainError('STORY_NOT_FOUND');
  if (input.parentId) {
    const parent = await ex.selectFrom('comments').select('id').where('tenant_id', '=', input.faceTenantId).where('id', '=', input.parentId).where('story_id', '=', input.storyId).where('status', '=', 'approved').executeTakeFirst();
    if (!parent) throw new DomainError('COMMENT_NOT_FOUND');
  }
  await spend(cache, [rule('commentsPerCitizen', input.citizen.id), rule('commentsPerCitizenDay', input.citizen.id)], 'COMMENT_THROTTLED');
  const findings = input.checker.check([{ field: 'comment', blockIndex: -1, text: body }]);
  const blocked = findings.some((f) => f.severity === 'block');
  const held = blocked ? '含有禁用表述' : on.story.unitId ? '政务号稿件的评论需审核' : settings.commentsPremoderated ? '本站评论先审后发' : null;
  const row = await ex
    .insertInto('comments')
    .values({
      tenant_id: input.faceTenantId,
      story_tenant_id: on.story.origin.tenantId,
      story_id: input.storyId,
      parent_id: input.parentId ?? null,
      citizen_id: input.citizen.id,
      author_name: input.citizen.display_name,
      body,
      status: held ? 'pending' : 'approved',
      held_reason: held,
      findings: JSON.stringify(findings),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (!held) await enqueue(ex, { tenantId: input.faceTenantId, topic: AUDIENCE_TOPICS.commentsChanged, payload: { tenantId: input.faceTenantId, storyId: input.storyId } });
  return row;
}

/**
 * One of the citizen's own comments on a face, whatever its status (citizen scope): what the
 * citizen sees of it right after posting, before moderation or the page cache catch up.
 */
export async function myComment(ex: Executor, citizenId: string, faceTenantId: string, commentId: string): Promise<CommentRow | null> {
  const row = await ex.selectFrom('comments').selectAll().where('tenant_id', '=', faceTenantId).where('id', '=', commentId).where('citizen_id', '=', citizenId).executeTakeFirst();
  return row ?? null;
}

export async function reportComment(ex: Executor, citizenId: string, faceTenantId: string, commentId: string, reason: string): Promise<void> {
  const text = reason.trim().slice(0, 200) || '不当内容';
  const c = await ex.selectFrom('comments').select('id').where('tenant_id', '=', faceTenantId).where('id', '=', commentId).where('status', '=', 'approved').executeTakeFirst();
  if (!c) throw new DomainError('COMMENT_NOT_FOUND');
  await ex
    .insertInto('comment_reports')
    .values({ tenant_id: faceTenantId, comment_id: commentId, citizen_id: citizenId, reason: text })
    .onConflict((oc) => oc.columns(['tenant_id', 'comment_id', 'citizen_id']).doNothing())
    .execute();
}

export interface PublicComment {
  id: string;
  parentId: string | null;
  authorName: string;
  body: string;
  official: boolean;
  createdAt: Date;
}

/** Approved comments of a story on one face, oldest first (public scope). */
export async function approvedComments(ex: Executor, faceTenantId: string, storyId: string, limit = 200): Promise<PublicComment[]> {
  const rows = await ex
    .selectFrom('comments')
    .select(['id', 'parent_id', 'author_name', 'body', 'official', 'created_at'])
    .where('tenant_id', '=', faceTenantId)
    .where('story_id', '=', storyId)
    .where('status', '=', 'approved')
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, parentId: r.parent_id, authorName: r.author_name, body: r.body, official: r.official, createdAt: r.created_at }));
}

export interface QueueItem extends CommentRow {
  reports: number;
  storyTitle: string | null;
}

export const MODERATOR_ROLES = ['editor', 'chief_editor', 'tenant_admin'] as const;

/** What waits for a moderator: pending comments and reported ones, oldest first (tenant scope). */
export async function commentQueue(ex: Executor, access: Access, q: { status?: CommentStatus | 'reported'; limit?: number; offset?: number } = {}): Promise<{ rows: QueueItem[]; total: number }> {
  access.require([...MODERATOR_ROLES]);
  const reports = sql<number>`(SELECT count(*)::int FROM comment_reports r WHERE r.tenant_id = c.tenant_id AND r.comment_id = c.id)`;
  let base = ex.selectFrom('comments as c').where('c.tenant_id', '=', access.tenantId);
  const status = q.status ?? 'pending';
  base = status === 'reported' ? base.where('c.status', '=', 'approved').where(sql<boolean>`${reports} > 0`) : base.where('c.status', '=', status);
  const total = await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const title = sql<string | null>`(SELECT r.title FROM stories s JOIN story_revisions r ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.published_revision
      WHERE s.tenant_id = c.story_tenant_id AND s.id = c.story_id)`;
  const rows = await base
    .selectAll('c')
    .select([reports.as('reports'), title.as('storyTitle')])
    .orderBy('c.created_at')
    .limit(Math.min(q.limit ?? 50, 200))
    .offset(q.offset ?? 0)
    .execute();
  return { rows: rows as QueueItem[], total: total.n };
}

export type ModerationDecision = 'approve' | 'reject' | 'hide';

export async function moderateComment(ex: Executor, access: Access, actor: Actor, commentId: string, decision: ModerationDecision, note?: string | null): Promise<CommentRow> {
  access.require([...MODERATOR_ROLES]);
  const c = await ex.selectFrom('comments').selectAll().where('tenant_id', '=', access.tenantId).where('id', '=', commentId).forUpdate().executeTakeFirst();
  if (!c) throw new DomainError('COMMENT_NOT_FOUND');
  const to: CommentStatus = decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'hidden';
  if ((decision === 'reject' || decision === 'hide') && !note?.trim()) throw new DomainError('REASON_REQUIRED');
  const row = await ex
    .updateTable('comments')
    .set({ status: to, moderated_by: actor.kind === 'staff' ? actor.id : null, moderated_at: new Date(), moderation_note: note?.trim() || null })
    .where('tenant_id', '=', access.tenantId)
    .where('id', '=', commentId)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (decision === 'approve') await ex.deleteFrom('comment_reports').where('tenant_id', '=', access.tenantId).where('comment_id', '=', commentId).execute();
  if (c.status === 'approved' || to === 'approved') {
    await enqueue(ex, { tenantId: access.tenantId, topic: AUDIENCE_TOPICS.commentsChanged, payload: { tenantId: access.tenantId, storyId: c.story_id } });
  }
  await appendAudit(ex, actor, { tenantId: access.tenantId, action: `comment.${decision}`, targetKind: 'comment', targetId: commentId, detail: { from: c.status, note: note ?? null } });
  return row;
}

/** A staff reply, shown at once and marked 官方回复. */
export async function replyOfficially(ex: Executor, access: Access, actor: Actor & { kind: 'staff' }, commentId: string, body: string): Promise<CommentRow> {
  access.require([...MODERATOR_ROLES]);
  const text = body.trim();
  if (!text || [...text].length > COMMENT_MAX) throw new DomainError('BAD_USER_INPUT', `回复应为 1 到 ${COMMENT_MAX} 字`);
  const parent = await ex.selectFrom('comments').selectAll().where('tenant_id', '=', access.tenantId).where('id', '=', commentId).executeTakeFirst();
  if (!parent) throw new DomainError('COMMENT_NOT_FOUND');
  const tenant = await ex.selectFrom('tenants').select('name').where('id', '=', access.tenantId).executeTakeFirstOrThrow();
  const row = await ex
    .insertInto('comments')
    .values({
      tenant_id: access.tenantId,
      story_tenant_id: parent.story_tenant_id,
      story_id: parent.story_id,
      parent_id: parent.id,
      staff_id: actor.id,
      author_name: tenant.name,
      body: text,
      official: true,
      status: 'approved',
      moderated_by: actor.id,
      moderated_at: new Date(),
      findings: '[]',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await enqueue(ex, { tenantId: access.tenantId, topic: AUDIENCE_TOPICS.commentsChanged, payload: { tenantId: access.tenantId, storyId: parent.story_id } });
  await appendAudit(ex, actor, { tenantId: access.tenantId, action: 'comment.official_reply', targetKind: 'comment', targetId: row.id, detail: { parentId: parent.id } });
  return row;
}

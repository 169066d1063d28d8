import type { Cache } from '@yiduan/cache';
import type { CommentRow, CommentStatus, Executor } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { DomainError } from '../../errors.js';
import { badField } from '../errors.js';
import { enqueue } from '../../events/index.js';
import { appendAudit } from '../../governance/index.js';
import type { Access } from '../../identity/index.js';
import { storyOnFace } from '../../syndication/index.js';
import type { TerminologyChecker } from '../../terminology/index.js';
import { AUDIENCE_AUDIT, AUDIENCE_TOPICS } from '../events.js';
import { rule, spend } from '../limits.js';
import { COMMENT_MAX, MODERATOR_ROLES, type ModerationDecision, type PublicComment, type QueueItem } from '../model.js';
import { commentsRepo as repo } from '../repo/index.js';
import { audienceSettings } from './settings.js';

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
  if (body.length === 0) throw badField('body', '请填写评论内容');
  if ([...body].length > COMMENT_MAX) throw badField('body', `评论最多 ${COMMENT_MAX} 字`);
  const settings = await audienceSettings(ex, input.faceTenantId);
  if (!settings.commentsEnabled) throw new DomainError('COMMENTS_CLOSED');
  const on = await storyOnFace(ex, input.faceTenantId, input.storyId);
  if (on.state !== 'live') throw new DomainError('STORY_NOT_FOUND');
  if (input.parentId && !(await repo.approvedCommentExists(ex, input.faceTenantId, input.parentId, input.storyId)))
    throw new DomainError('COMMENT_NOT_FOUND');
  await spend(
    cache,
    [rule('commentsPerCitizen', input.citizen.id), rule('commentsPerCitizenDay', input.citizen.id)],
    'COMMENT_THROTTLED',
  );
  const findings = input.checker.check([{ field: 'comment', blockIndex: -1, text: body }]);
  const blocked = findings.some((f) => f.severity === 'block');
  const held = blocked
    ? '含有禁用表述'
    : on.story.unitId
      ? '政务号稿件的评论需审核'
      : settings.commentsPremoderated
        ? '本站评论先审后发'
        : null;
  const row = await repo.insertComment(ex, {
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
  });
  if (!held)
    await enqueue(ex, {
      tenantId: input.faceTenantId,
      topic: AUDIENCE_TOPICS.commentsChanged,
      payload: { tenantId: input.faceTenantId, storyId: input.storyId },
    });
  return row;
}

/**
 * One of the citizen's own comments on a face, whatever its status (citizen scope): what the
 * citizen sees of it right after posting, before moderation or the page cache catch up.
 */
export async function myComment(
  ex: Executor,
  citizenId: string,
  faceTenantId: string,
  commentId: string,
): Promise<CommentRow | null> {
  return (await repo.commentOfCitizen(ex, citizenId, faceTenantId, commentId)) ?? null;
}

export async function reportComment(
  ex: Executor,
  citizenId: string,
  faceTenantId: string,
  commentId: string,
  reason: string,
): Promise<void> {
  const text = reason.trim().slice(0, 200) || '不当内容';
  if (!(await repo.approvedCommentExists(ex, faceTenantId, commentId))) throw new DomainError('COMMENT_NOT_FOUND');
  await repo.insertReport(ex, { tenant_id: faceTenantId, comment_id: commentId, citizen_id: citizenId, reason: text });
}

/** Approved comments of a story on one face, oldest first (public scope). */
export async function approvedComments(
  ex: Executor,
  faceTenantId: string,
  storyId: string,
  limit = 200,
): Promise<PublicComment[]> {
  const rows = await repo.approvedCommentsOf(ex, faceTenantId, storyId, limit);
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    authorName: r.author_name,
    body: r.body,
    official: r.official,
    createdAt: r.created_at,
  }));
}

/** What waits for a moderator: pending comments and reported ones, oldest first (tenant scope). */
export async function commentQueue(
  ex: Executor,
  access: Access,
  q: { status?: CommentStatus | 'reported'; limit?: number; offset?: number } = {},
): Promise<{ rows: QueueItem[]; total: number }> {
  access.require([...MODERATOR_ROLES]);
  return repo.queuePage(ex, access.tenantId, q.status ?? 'pending', Math.min(q.limit ?? 50, 200), q.offset ?? 0);
}

export async function moderateComment(
  ex: Executor,
  access: Access,
  actor: Actor,
  commentId: string,
  decision: ModerationDecision,
  note?: string | null,
): Promise<CommentRow> {
  access.require([...MODERATOR_ROLES]);
  const c = await repo.commentById(ex, access.tenantId, commentId, { forUpdate: true });
  if (!c) throw new DomainError('COMMENT_NOT_FOUND');
  const to: CommentStatus = decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'hidden';
  if ((decision === 'reject' || decision === 'hide') && !note?.trim()) throw new DomainError('REASON_REQUIRED');
  const row = await repo.setCommentStatus(ex, access.tenantId, commentId, {
    status: to,
    moderated_by: actor.kind === 'staff' ? actor.id : null,
    moderated_at: new Date(),
    moderation_note: note?.trim() || null,
  });
  if (decision === 'approve') await repo.deleteReports(ex, access.tenantId, commentId);
  if (c.status === 'approved' || to === 'approved') {
    await enqueue(ex, {
      tenantId: access.tenantId,
      topic: AUDIENCE_TOPICS.commentsChanged,
      payload: { tenantId: access.tenantId, storyId: c.story_id },
    });
  }
  await appendAudit(ex, actor, {
    tenantId: access.tenantId,
    action: `comment.${decision}`,
    targetKind: 'comment',
    targetId: commentId,
    detail: { from: c.status, note: note ?? null },
  });
  return row;
}

/** A staff reply, shown at once and marked 官方回复. */
export async function replyOfficially(
  ex: Executor,
  access: Access,
  actor: Actor & { kind: 'staff' },
  commentId: string,
  body: string,
): Promise<CommentRow> {
  access.require([...MODERATOR_ROLES]);
  const text = body.trim();
  if (!text || [...text].length > COMMENT_MAX)
    throw new DomainError('BAD_USER_INPUT', `回复应为 1 到 ${COMMENT_MAX} 字`);
  const parent = await repo.commentById(ex, access.tenantId, commentId);
  if (!parent) throw new DomainError('COMMENT_NOT_FOUND');
  const authorName = await repo.tenantName(ex, access.tenantId);
  const row = await repo.insertComment(ex, {
    tenant_id: access.tenantId,
    story_tenant_id: parent.story_tenant_id,
    story_id: parent.story_id,
    parent_id: parent.id,
    staff_id: actor.id,
    author_name: authorName,
    body: text,
    official: true,
    status: 'approved',
    moderated_by: actor.id,
    moderated_at: new Date(),
    findings: '[]',
  });
  await enqueue(ex, {
    tenantId: access.tenantId,
    topic: AUDIENCE_TOPICS.commentsChanged,
    payload: { tenantId: access.tenantId, storyId: parent.story_id },
  });
  await appendAudit(ex, actor, {
    tenantId: access.tenantId,
    action: AUDIENCE_AUDIT.officialReply,
    targetKind: 'comment',
    targetId: row.id,
    detail: { parentId: parent.id },
  });
  return row;
}

/** Report counts of comments (tenant scope of their tenant; a loader's batch in one statement). */
export async function reportCountsOf(
  ex: Executor,
  tenantId: string,
  commentIds: string[],
): Promise<Map<string, number>> {
  return new Map((await repo.reportCounts(ex, tenantId, commentIds)).map((r) => [r.comment_id, r.n]));
}

/** The published titles of the stories comments are on; a retracted or unpublished one has none. */
export async function commentStoryTitles(ex: Executor, storyIds: string[]): Promise<Map<string, string>> {
  if (storyIds.length === 0) return new Map();
  return new Map((await repo.publishedStoryTitles(ex, storyIds)).map((r) => [r.id, r.title]));
}

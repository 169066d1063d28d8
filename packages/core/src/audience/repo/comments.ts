import { sql, type Insertable } from 'kysely';
import type { CommentRow, CommentStatus, Database, Executor } from '@yiduan/db';
import type { QueueItem } from '../model.js';

/** Whether an approved comment of the face exists (on that story, when given). */
export async function approvedCommentExists(
  ex: Executor,
  faceTenantId: string,
  commentId: string,
  storyId?: string,
): Promise<boolean> {
  let q = ex.selectFrom('comments').select('id').where('tenant_id', '=', faceTenantId).where('id', '=', commentId);
  if (storyId !== undefined) q = q.where('story_id', '=', storyId);
  return (await q.where('status', '=', 'approved').executeTakeFirst()) !== undefined;
}

export async function insertComment(ex: Executor, values: Insertable<Database['comments']>): Promise<CommentRow> {
  return ex.insertInto('comments').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function commentOfCitizen(
  ex: Executor,
  citizenId: string,
  faceTenantId: string,
  commentId: string,
): Promise<CommentRow | undefined> {
  return ex
    .selectFrom('comments')
    .selectAll()
    .where('tenant_id', '=', faceTenantId)
    .where('id', '=', commentId)
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
}

export async function commentById(
  ex: Executor,
  tenantId: string,
  commentId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<CommentRow | undefined> {
  const q = ex.selectFrom('comments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', commentId);
  return (opts.forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

/** One report per citizen and comment: a second one changes nothing. */
export async function insertReport(
  ex: Executor,
  values: { tenant_id: string; comment_id: string; citizen_id: string; reason: string },
): Promise<void> {
  await ex
    .insertInto('comment_reports')
    .values(values)
    .onConflict((oc) => oc.columns(['tenant_id', 'comment_id', 'citizen_id']).doNothing())
    .execute();
}

export async function deleteReports(ex: Executor, tenantId: string, commentId: string): Promise<void> {
  await ex
    .deleteFrom('comment_reports')
    .where('tenant_id', '=', tenantId)
    .where('comment_id', '=', commentId)
    .execute();
}

export async function deleteReportsBy(ex: Executor, citizenId: string): Promise<void> {
  await ex.deleteFrom('comment_reports').where('citizen_id', '=', citizenId).execute();
}

/** Reports per comment, for the comments of one tenant (one statement for the batch). */
export async function reportCounts(
  ex: Executor,
  tenantId: string,
  commentIds: string[],
): Promise<{ comment_id: string; n: number }[]> {
  return ex
    .selectFrom('comment_reports')
    .select(['comment_id', sql<number>`count(*)::int`.as('n')])
    .where('tenant_id', '=', tenantId)
    .where('comment_id', 'in', commentIds)
    .groupBy('comment_id')
    .execute();
}

/** The published titles of stories a comment may be on (retracted and unpublished ones have none). */
export async function publishedStoryTitles(ex: Executor, storyIds: string[]): Promise<{ id: string; title: string }[]> {
  return ex
    .selectFrom('stories as s')
    .innerJoin('story_revisions as r', (j) =>
      j
        .onRef('r.tenant_id', '=', 's.tenant_id')
        .onRef('r.story_id', '=', 's.id')
        .onRef('r.number', '=', 's.published_revision'),
    )
    .select(['s.id', 'r.title'])
    .where('s.id', 'in', storyIds)
    .where('s.retracted_at', 'is', null)
    .execute();
}

export async function approvedCommentsOf(ex: Executor, faceTenantId: string, storyId: string, limit: number) {
  return ex
    .selectFrom('comments')
    .select(['id', 'parent_id', 'author_name', 'body', 'official', 'created_at'])
    .where('tenant_id', '=', faceTenantId)
    .where('story_id', '=', storyId)
    .where('status', '=', 'approved')
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/** A page of the moderation queue (pending, or approved and reported), with report counts and story titles. */
export async function queuePage(
  ex: Executor,
  tenantId: string,
  status: CommentStatus | 'reported',
  limit: number,
  offset: number,
): Promise<{ rows: QueueItem[]; total: number }> {
  const reports = sql<number>`(SELECT count(*)::int FROM comment_reports r WHERE r.tenant_id = c.tenant_id AND r.comment_id = c.id)`;
  let base = ex.selectFrom('comments as c').where('c.tenant_id', '=', tenantId);
  base =
    status === 'reported'
      ? base.where('c.status', '=', 'approved').where(sql<boolean>`${reports} > 0`)
      : base.where('c.status', '=', status);
  const total = await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const title = sql<
    string | null
  >`(SELECT r.title FROM stories s JOIN story_revisions r ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.published_revision
      WHERE s.tenant_id = c.story_tenant_id AND s.id = c.story_id)`;
  const rows = await base
    .selectAll('c')
    .select([reports.as('reports'), title.as('storyTitle')])
    .orderBy('c.created_at')
    .limit(limit)
    .offset(offset)
    .execute();
  return { rows: rows as QueueItem[], total: total.n };
}

export async function setCommentStatus(
  ex: Executor,
  tenantId: string,
  commentId: string,
  set: { status: CommentStatus; moderated_by: string | null; moderated_at: Date; moderation_note: string | null },
): Promise<CommentRow> {
  return ex
    .updateTable('comments')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', commentId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A citizen's comments on every face, oldest first (the data export). */
export async function commentsOfCitizen(ex: Executor, citizenId: string) {
  return ex
    .selectFrom('comments')
    .select(['tenant_id', 'id', 'story_id', 'body', 'status', 'created_at'])
    .where('citizen_id', '=', citizenId)
    .orderBy('created_at')
    .execute();
}

export async function renameCommentsOf(ex: Executor, citizenId: string, authorName: string): Promise<void> {
  await ex.updateTable('comments').set({ author_name: authorName }).where('citizen_id', '=', citizenId).execute();
}

/** The name an official reply is signed with: the tenant's. */
export async function tenantName(ex: Executor, tenantId: string): Promise<string> {
  return (await ex.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow()).name;
}

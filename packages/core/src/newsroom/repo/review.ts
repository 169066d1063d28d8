import { sql } from 'kysely';
import type { Executor, ReviewAction, ReviewEvent, Story } from '@yiduan/db';

export interface ReviewEventValues {
  tenant_id: string;
  story_id: string;
  revision: number;
  step?: number | null;
  action: ReviewAction;
  actor_id: string | null;
  actor_name: string;
  comment: string;
}

export async function insertReviewEvent(ex: Executor, values: ReviewEventValues): Promise<void> {
  await ex.insertInto('review_events').values(values).execute();
}

/** Events of one revision of a story, in order (four eyes reads them). */
export async function revisionEvents(
  ex: Executor,
  story: Pick<Story, 'tenant_id' | 'id'>,
  revision: number,
): Promise<ReviewEvent[]> {
  return ex
    .selectFrom('review_events')
    .selectAll()
    .where('tenant_id', '=', story.tenant_id)
    .where('story_id', '=', story.id)
    .where('revision', '=', revision)
    .orderBy('id')
    .execute();
}

export async function reviewEventsOf(ex: Executor, tenantId: string, storyId: string): Promise<ReviewEvent[]> {
  return ex
    .selectFrom('review_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('story_id', '=', storyId)
    .orderBy('id')
    .execute();
}

/** Events of several stories of one tenant, in order (loaders). */
export async function reviewEventsOfStories(
  ex: Executor,
  tenantId: string,
  storyIds: readonly string[],
): Promise<ReviewEvent[]> {
  if (!storyIds.length) return [];
  return ex
    .selectFrom('review_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('story_id', 'in', storyIds)
    .orderBy('id')
    .execute();
}

/** Events of many (story, revision) pairs of one tenant in one query, in order. */
export async function eventsOfRevisions(
  ex: Executor,
  tenantId: string,
  keys: readonly { storyId: string; revision: number }[],
): Promise<ReviewEvent[]> {
  if (!keys.length) return [];
  return ex
    .selectFrom('review_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(
      sql<boolean>`(story_id, revision) IN (SELECT * FROM unnest(${keys.map((k) => k.storyId)}::uuid[], ${keys.map((k) => k.revision)}::int[]))`,
    )
    .orderBy('id')
    .execute();
}

/** Stories of a tenant in review, oldest change first (at most 500); `unitScope` null means all. */
export async function storiesInReview(
  ex: Executor,
  tenantId: string,
  unitScope: readonly string[] | null,
): Promise<Story[]> {
  let q = ex.selectFrom('stories').selectAll().where('tenant_id', '=', tenantId).where('status', '=', 'in_review');
  if (unitScope)
    q = unitScope.length
      ? q.where('unit_id', 'in', unitScope)
      : q.where('unit_id', 'is', null).where('unit_id', 'is not', null);
  return q.orderBy('updated_at').limit(500).execute();
}

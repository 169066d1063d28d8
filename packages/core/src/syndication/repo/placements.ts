import { sql, type Insertable, type Updateable } from 'kysely';
import type {
  Executor,
  Placement,
  PlacementsTable,
  SharePolicy,
  StoriesTable,
  Story,
  StoryRevision,
  StoryRevisionsTable,
  SyndicationJob,
  SyndicationJobsTable,
} from '@yiduan/db';
import { isUuid } from '../../tenancy/index.js';
import type { PlacementState, PlacementView } from '../model.js';

// `s` is the origin story joined with row-level security: under a face's scope an
// unpublished story of another tenant is not visible at all, which reads as unpublished
const placementState = sql<PlacementState>`CASE WHEN p.status IN ('active', 'pending') THEN
  CASE WHEN s.retracted_at IS NOT NULL THEN 'retracted' WHEN s.published_revision IS NULL THEN 'unpublished' ELSE p.status END
  ELSE p.status END`;

function placementsWithState(ex: Executor) {
  return ex
    .selectFrom('placements as p')
    .leftJoin('stories as s', (j) => j.onRef('s.tenant_id', '=', 'p.origin_tenant_id').onRef('s.id', '=', 'p.story_id'))
    .selectAll('p')
    .select(placementState.as('derived_status'));
}

const withState = <T extends Placement & { derived_status: PlacementState }>(
  row: T,
): Omit<T, 'derived_status' | 'status'> & { status: PlacementState } => {
  const { derived_status, status: _stored, ...p } = row;
  return { ...p, status: derived_status };
};

/** Offers waiting in a tenant's inbox, newest first. */
export async function pendingPlacementViews(ex: Executor, tenantId: string): Promise<PlacementView[]> {
  const rows = await placementsWithState(ex)
    .where('p.tenant_id', '=', tenantId)
    .where('p.status', '=', 'pending')
    .orderBy('p.created_at', 'desc')
    .execute();
  return rows.map(withState);
}

/** What a face carries or was offered from others, latest placement first. */
export async function facePlacementViews(
  ex: Executor,
  tenantId: string,
  limit: number,
  offset: number,
): Promise<PlacementView[]> {
  const rows = await placementsWithState(ex)
    .where('p.tenant_id', '=', tenantId)
    .where('p.mode', '<>', 'own')
    .orderBy('p.placed_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map(withState);
}

/** Every face carrying a story, with the face's name. */
export async function placementViewsOfStory(
  ex: Executor,
  originTenantId: string,
  storyId: string,
): Promise<(PlacementView & { tenant_name: string; tenant_slug: string })[]> {
  const rows = await placementsWithState(ex)
    .innerJoin('tenants as t', 't.id', 'p.tenant_id')
    .select(['t.name as tenant_name', 't.slug as tenant_slug'])
    .where('p.origin_tenant_id', '=', originTenantId)
    .where('p.story_id', '=', storyId)
    .orderBy('t.level')
    .orderBy('t.slug')
    .execute();
  return rows.map(withState);
}

/** A story by tenant and id (the origin of a placement). */
export async function originStory(ex: Executor, tenantId: string, storyId: string): Promise<Story | undefined> {
  return ex
    .selectFrom('stories')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', storyId)
    .executeTakeFirst();
}

/** A story by id alone: another tenant's is readable only when published (RLS public_read). */
export async function storyById(ex: Executor, storyId: string): Promise<Story | undefined> {
  return ex.selectFrom('stories').selectAll().where('id', '=', storyId).executeTakeFirst();
}

export async function sectionIdOf(ex: Executor, tenantId: string, sectionId: string): Promise<string | undefined> {
  const s = await ex
    .selectFrom('sections')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sectionId)
    .executeTakeFirst();
  return s?.id;
}

/** Section ids by slug on several faces. */
export async function sectionIdsBySlug(
  ex: Executor,
  tenantIds: readonly string[],
  slug: string,
): Promise<Map<string, string>> {
  const rows = await ex
    .selectFrom('sections')
    .select(['tenant_id', 'id'])
    .where('tenant_id', 'in', tenantIds)
    .where('slug', '=', slug)
    .execute();
  return new Map(rows.map((s) => [s.tenant_id, s.id]));
}

export async function setStorySharePolicy(
  ex: Executor,
  story: Pick<Story, 'tenant_id' | 'id'>,
  policy: SharePolicy,
): Promise<Story> {
  return ex
    .updateTable('stories')
    .set({ share_policy: policy, updated_at: new Date() })
    .where('tenant_id', '=', story.tenant_id)
    .where('id', '=', story.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function placementOfStory(
  ex: Executor,
  tenantId: string,
  storyId: string,
): Promise<Placement | undefined> {
  return ex
    .selectFrom('placements')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('story_id', '=', storyId)
    .executeTakeFirst();
}

/** A face's placement by id, locked for update. */
export async function lockPlacement(ex: Executor, tenantId: string, id: string): Promise<Placement | undefined> {
  if (!isUuid(id)) return undefined;
  return ex
    .selectFrom('placements')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertPlacement(ex: Executor, values: Insertable<PlacementsTable>): Promise<Placement> {
  return ex.insertInto('placements').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Places a story on many faces; a face that already has it keeps its placement. Returns the ids written. */
export async function insertPlacementsIfAbsent(
  ex: Executor,
  rows: Insertable<PlacementsTable>[],
): Promise<{ id: string; tenant_id: string }[]> {
  if (!rows.length) return [];
  return ex
    .insertInto('placements')
    .values(rows)
    .onConflict((oc) => oc.columns(['tenant_id', 'story_id']).doNothing())
    .returning(['id', 'tenant_id'])
    .execute();
}

/** The origin's own placement: written on publication, reactivated on re-publication. */
export async function upsertOwnPlacement(ex: Executor, story: Story): Promise<void> {
  await ex
    .insertInto('placements')
    .values({
      tenant_id: story.tenant_id,
      story_id: story.id,
      origin_tenant_id: story.tenant_id,
      mode: 'own',
      status: 'active',
      section_id: story.section_id,
      placed_at: story.published_at ?? new Date(),
    })
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'story_id'])
        .doUpdateSet({ status: 'active', section_id: story.section_id, updated_at: new Date() }),
    )
    .execute();
}

export async function updatePlacementRow(
  ex: Executor,
  tenantId: string,
  id: string,
  values: Updateable<PlacementsTable>,
): Promise<Placement> {
  return ex
    .updateTable('placements')
    .set(values)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Mandatory pushes are pinned while fresh: unpins those older than a week on these faces. */
export async function unpinStaleMandatory(ex: Executor, tenantIds: readonly string[]): Promise<void> {
  await ex
    .updateTable('placements')
    .set({ pinned: false })
    .where('tenant_id', 'in', tenantIds)
    .where('mandatory', '=', true)
    .where('pinned', '=', true)
    .where('placed_at', '<', sql<Date>`now() - interval '7 days'`)
    .execute();
}

/** Takes pushed and offered placements of a story off these faces. */
export async function removePushed(ex: Executor, tenantIds: readonly string[], storyId: string): Promise<void> {
  await ex
    .updateTable('placements')
    .set({ status: 'removed', updated_at: new Date() })
    .where('tenant_id', 'in', tenantIds)
    .where('story_id', '=', storyId)
    .where('mode', 'in', ['pushed', 'offered'])
    .execute();
}

/** Removes every pending offer of a story (on any face); returns the faces whose inbox changed. */
export async function removePendingOffers(ex: Executor, storyId: string): Promise<string[]> {
  const rows = await ex
    .updateTable('placements')
    .set({ status: 'removed', updated_at: new Date() })
    .where('story_id', '=', storyId)
    .where('status', '=', 'pending')
    .returning('tenant_id')
    .execute();
  return rows.map((r) => r.tenant_id);
}

/** Every face with a placement of a story, whatever its status. */
export async function carriersOf(ex: Executor, storyId: string): Promise<string[]> {
  const rows = await ex.selectFrom('placements').select('tenant_id').where('story_id', '=', storyId).execute();
  return rows.map((r) => r.tenant_id);
}

/** Pending offers per tenant. */
export async function pendingCounts(ex: Executor, tenantIds: readonly string[]): Promise<Map<string, number>> {
  const counts = tenantIds.length
    ? await ex
        .selectFrom('placements')
        .select(['tenant_id'])
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', 'in', tenantIds)
        .where('status', '=', 'pending')
        .groupBy('tenant_id')
        .execute()
    : [];
  return new Map(counts.map((c) => [c.tenant_id, Number(c.n)]));
}

export async function insertJob(ex: Executor, values: Insertable<SyndicationJobsTable>): Promise<SyndicationJob> {
  return ex.insertInto('syndication_jobs').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function lockJob(ex: Executor, tenantId: string, id: string): Promise<SyndicationJob | undefined> {
  return ex
    .selectFrom('syndication_jobs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateJob(
  ex: Executor,
  job: Pick<SyndicationJob, 'tenant_id' | 'id'>,
  values: Updateable<SyndicationJobsTable>,
): Promise<SyndicationJob> {
  return ex
    .updateTable('syndication_jobs')
    .set(values)
    .where('tenant_id', '=', job.tenant_id)
    .where('id', '=', job.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function jobById(ex: Executor, tenantId: string, id: string): Promise<SyndicationJob | undefined> {
  if (!isUuid(id)) return undefined;
  return ex
    .selectFrom('syndication_jobs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The published revision of an origin story (for a detached copy). */
export async function publishedRevisionOf(
  ex: Executor,
  story: Pick<Story, 'tenant_id' | 'id' | 'published_revision'>,
): Promise<StoryRevision> {
  return ex
    .selectFrom('story_revisions')
    .selectAll()
    .where('tenant_id', '=', story.tenant_id)
    .where('story_id', '=', story.id)
    .where('number', '=', story.published_revision!)
    .executeTakeFirstOrThrow();
}

/**
 * Writes a detached copy: the story (published, revision 1, naming its origin) and its revision.
 */
export async function insertDetachedCopy(
  ex: Executor,
  story: Insertable<StoriesTable>,
  revision: Omit<Insertable<StoryRevisionsTable>, 'tenant_id' | 'story_id'>,
): Promise<Story> {
  const copy = await ex.insertInto('stories').values(story).returningAll().executeTakeFirstOrThrow();
  await ex
    .insertInto('story_revisions')
    .values({ ...revision, tenant_id: copy.tenant_id, story_id: copy.id })
    .execute();
  return copy;
}

/** The copy's history starts with its publication (the newsroom's review_events). */
export async function insertCopyPublished(
  ex: Executor,
  copy: Pick<Story, 'tenant_id' | 'id'>,
  actor: { id: string | null; name: string },
  comment: string,
): Promise<void> {
  await ex
    .insertInto('review_events')
    .values({
      tenant_id: copy.tenant_id,
      story_id: copy.id,
      revision: 1,
      action: 'publish',
      actor_id: actor.id,
      actor_name: actor.name,
      comment,
    })
    .execute();
}

/**
 * The stories behind placements, as the public sees them (published revision, origin): one query
 * for a whole listing. A row the caller may no longer read (retracted, taken down) is simply absent.
 */
export async function placedStoriesByIds(ex: Executor, storyIds: string[]) {
  const ids = [...new Set(storyIds)].filter(isUuid);
  if (!ids.length) return [];
  return ex
    .selectFrom('stories as s')
    .leftJoin('story_revisions as r', (j) =>
      j
        .onRef('r.tenant_id', '=', 's.tenant_id')
        .onRef('r.story_id', '=', 's.id')
        .onRef('r.number', '=', 's.published_revision'),
    )
    .select(['s.id', 's.tenant_id', 's.published_at', 's.retracted_at', 'r.title', 'r.summary'])
    .where('s.id', 'in', ids)
    .execute();
}

import type { Executor } from '@yiduan/db';

/** What a change touches on one face, for re-rendering its pages ahead of visitors (warm pages). */
export interface FaceTouched {
  tenantId: string;
  slug: string;
  /** the section the story is placed in on this face, if it is placed there */
  sectionSlug: string | null;
  /** the story is live on this face: its page renders (a retracted or withdrawn one answers 410/404 and is never cached) */
  storyLive: boolean;
}

/**
 * The faces among `tenantIds` that still resolve (not closed), with where `storyId` sits on
 * each. Platform scope (the worker): placements of every face are read.
 */
export async function facesTouched(
  ex: Executor,
  tenantIds: readonly string[],
  storyId: string | null,
): Promise<FaceTouched[]> {
  if (tenantIds.length === 0) return [];
  if (storyId === null) {
    const rows = await ex
      .selectFrom('tenants')
      .select(['id', 'slug'])
      .where('id', 'in', tenantIds)
      .where('status', '<>', 'closed')
      .execute();
    return rows.map((r) => ({ tenantId: r.id, slug: r.slug, sectionSlug: null, storyLive: false }));
  }
  const rows = await ex
    .selectFrom('tenants as t')
    .leftJoin('placements as p', (j) => j.onRef('p.tenant_id', '=', 't.id').on('p.story_id', '=', storyId))
    .leftJoin('stories as s', (j) => j.onRef('s.tenant_id', '=', 'p.origin_tenant_id').onRef('s.id', '=', 'p.story_id'))
    .leftJoin('sections as sec', (j) =>
      j.onRef('sec.tenant_id', '=', 'p.tenant_id').onRef('sec.id', '=', 'p.section_id'),
    )
    .select([
      't.id',
      't.slug',
      'sec.slug as section_slug',
      'p.status as placement_status',
      's.published_revision',
      's.retracted_at',
      's.id as story_id',
    ])
    .where('t.id', 'in', tenantIds)
    .where('t.status', '<>', 'closed')
    .execute();
  return rows.map((r) => ({
    tenantId: r.id,
    slug: r.slug,
    sectionSlug: r.section_slug ?? null,
    storyLive:
      r.story_id !== null &&
      r.placement_status === 'active' &&
      r.published_revision !== null &&
      r.retracted_at === null,
  }));
}

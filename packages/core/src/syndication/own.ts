import type { Executor, Story } from '@yiduan/db';

/**
 * The origin's own publication is a placement on its own face, so that every
 * face's feed is the same query. Re-publishing reactivates it.
 */
export async function placeOwn(ex: Executor, story: Story): Promise<void> {
  await ex
    .insertInto('placements')
    .values({ tenant_id: story.tenant_id, story_id: story.id, origin_tenant_id: story.tenant_id, mode: 'own', status: 'active', section_id: story.section_id, placed_at: story.published_at ?? new Date() })
    .onConflict((oc) => oc.columns(['tenant_id', 'story_id']).doUpdateSet({ status: 'active', section_id: story.section_id, updated_at: new Date() }))
    .execute();
}

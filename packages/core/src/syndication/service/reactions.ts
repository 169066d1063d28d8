import type { Executor, Story } from '@yiduan/db';
import { enqueue } from '../../events/index.js';
import { onStoryChange, STORY_TOPICS, type StoryTopic } from '../../newsroom/index.js';
import { SYNDICATION_TOPICS, type InboxChangedPayload } from '../events.js';
import { carriersOf, originStory, pendingCounts, removePendingOffers, upsertOwnPlacement } from '../repo/index.js';
import { facesChanged } from './placements.js';
import { applyRulesOnPublish } from './rules.js';

/**
 * The origin's own publication is a placement on its own face, so that every
 * face's feed is the same query. Re-publishing reactivates it.
 */
export async function placeOwn(ex: Executor, story: Story): Promise<void> {
  await upsertOwnPlacement(ex, story);
}

/**
 * Syndication follows the newsroom: a publication places the story on its own face
 * in the publishing transaction (faces list it at once). Called once by core's
 * composition (../../reactions.ts).
 */
export function syndicationFollowsStories(): void {
  onStoryChange('syndication.own-placement', ['published'], (ex, { story }) => placeOwn(ex, story));
}

export const inboxChangedPayload = (tenantIds: string[]): InboxChangedPayload => ({ tenantIds });

/** Tells the inboxes of these tenants that their offers changed, after this transaction commits. */
export async function inboxesChanged(ex: Executor, tenantIds: string[]): Promise<void> {
  if (tenantIds.length)
    await enqueue(ex, {
      tenantId: null,
      topic: SYNDICATION_TOPICS.inboxChanged,
      payload: { ...inboxChangedPayload(tenantIds) },
    });
}

/**
 * The worker's side of a story event (platform scope): by reference the change reaches
 * every face carrying the story, whose cached pages are dropped; a retraction also
 * empties every inbox; the first publication runs the standing rules.
 */
export async function followStoryEvent(
  ex: Executor,
  topic: StoryTopic,
  tenantId: string,
  storyId: string,
  firstTime: boolean,
): Promise<void> {
  if (topic === STORY_TOPICS.retracted) await inboxesChanged(ex, await removePendingOffers(ex, storyId));
  await facesChanged(ex, await carriersOf(ex, storyId), topic, null, storyId);
  if (topic === STORY_TOPICS.published) {
    const story = await originStory(ex, tenantId, storyId);
    // rules run once, on the first publication
    if (story && story.published_revision !== null && !story.retracted_at && firstTime)
      await applyRulesOnPublish(ex, story);
  }
}

/** Pending offers per tenant, for the inbox badges (a tenant without any is absent). */
export async function inboxCounts(ex: Executor, tenantIds: readonly string[]): Promise<Map<string, number>> {
  return pendingCounts(ex, tenantIds);
}

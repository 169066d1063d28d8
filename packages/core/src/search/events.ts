import { onStoryChange } from '../newsroom/index.js';
import { indexStory } from './service.js';

/**
 * Search follows the newsroom: the search document changes in the transaction that
 * changes what is public (publish, unpublish, retract), so a story is found, or no
 * longer found, as soon as that commits. A correction changes no indexed text.
 * Search emits no outbox topic of its own. Called once by core's composition (../reactions.ts).
 */
export function searchFollowsStories(): void {
  onStoryChange('search.index', ['published', 'unpublished', 'retracted'], async (ex, { story }) => {
    await indexStory(ex, story.tenant_id, story.id);
  });
}

import { searchFollowsStories } from './search/index.js';
import { syndicationFollowsStories } from './syndication/index.js';

/*
 * Composition: the contexts that follow the newsroom register their in-transaction
 * reactions here, once, when core is imported (the newsroom imports neither). Order
 * matters: the search document reads the story's faces from its placements, so the
 * own placement comes first.
 */
syndicationFollowsStories();
searchFollowsStories();

// Syndication's public face: placements, pushes and pulls, standing rules, what a face shows.
export * from './model.js';
export * from './events.js';
export * from './errors.js';
export * from './service/index.js';
// reads the portal, the API and the worker use
export {
  faceFeed,
  faceFeedCount,
  storyOnFace,
  storyPageOnFace,
  faceCoverImages,
  ownLiveStories,
  jobById,
  syndicationRulesOf,
  placedStoriesByIds,
  placementCards,
  type PlacementCard,
  type PlacementCardKey,
} from './repo/index.js';
// the worker's warm pages: which pages of which faces a change touches
export { facesTouched, type FaceTouched } from './repo/index.js';

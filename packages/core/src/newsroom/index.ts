// The newsroom's public face: stories and their review, sections, units, terminology rules.
export * from './model.js';
export * from './events.js';
export * from './errors.js';
export * from './blocks.js';
export * from './diff.js';
export * from './service/index.js';
export * from './terminology-rules.js';
// reads other contexts and the services' loaders use (writes go through the use cases)
export {
  revisionOf,
  revisionsOf,
  revisionsByKeys,
  revisionsWithCovers,
  storyCards,
  type Card,
  type CardKey,
  type CardParts,
  storyUnitId,
  correctionsOfStories,
  reviewEventsOf,
  reviewEventsOfStories,
  sectionsOf,
  sectionById,
  sectionsByIds,
  sectionsOfTenants,
  unitsOf,
  unitById,
  unitsByIds,
  openUnitsOfTenants,
} from './repo/index.js';

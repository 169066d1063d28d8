// Use cases of the newsroom: access rules, audit, outbox events; SQL comes from ../repo.
export * from './stories.js';
export * from './review.js';
export * from './review-settings.js';
export * from './actions.js';
export * from './sections.js';
export * from './units.js';
export * from './archive.js';

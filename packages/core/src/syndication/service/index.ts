// Use cases of syndication: access rules, audit, outbox events; SQL comes from ../repo.
export * from './placements.js';
export * from './policy.js';
export * from './pool.js';
export * from './reactions.js';
export * from './rules.js';

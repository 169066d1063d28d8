// SQL of syndication: plain functions, executor first, rows in and out.
export * from './feed.js';
export * from './placements.js';
export * from './policy.js';
export * from './pool.js';
export * from './rules.js';
export * from './cards.js';
export * from './warm.js';

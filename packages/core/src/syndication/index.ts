export * from './feed.js';
export * from './own.js';
export * from './policy.js';
export * from './placements.js';
export * from './pool.js';
export * from './rules.js';

// SQL of the newsroom: plain functions, executor first, rows in and out.
export * from './stories.js';
export * from './review.js';
export * from './sections.js';
export * from './units.js';
export * from './cards.js';

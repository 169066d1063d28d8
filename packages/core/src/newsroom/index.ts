export * from './units.js';
export * from './sections.js';
export * from './review-settings.js';
export * from './blocks.js';
export * from './stories.js';
export * from './review.js';
export * from './diff.js';
export * from './terminology-rules.js';

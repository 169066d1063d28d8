export * from './types.js';
export * from './errors.js';
export * from './aho-corasick.js';
export * from './regex.js';
export * from './story.js';
export * from './corrections.js';
export * from './engine.js';

export * from './tree.js';
export * from './seed.js';

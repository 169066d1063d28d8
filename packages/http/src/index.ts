export * from './deps.js';
export * from './plugins.js';
export * from './run.js';

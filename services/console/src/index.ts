export { build, type ConsoleOptions } from './app.js';
export { ensureBuilt, buildIsFresh, DIST } from './build.js';

export { build, type ConsoleOptions } from './app.js';
export { ensureBuilt, buildIsFresh, DIST, OPERATIONS_MANIFEST } from './build.js';
export { extractOperations, operationHash, type OperationManifest } from './operations.js';

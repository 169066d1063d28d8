export * from './schema.js';
export * from './schema-audience.js';
export * from './connect.js';
export * from './scope.js';
export * from './errors.js';
export * from './migrate.js';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
export * from './audit-chain.js';
export * from './schema-analytics.js';

export * from './errors.js';
export * from './actor.js';
export * from './events/outbox.js';
export * from './governance/audit.js';
export * from './tenancy/index.js';
export * from './identity/index.js';

export * from './tenants.js';
export * from './domains.js';
export * from './faces.js';
export * from './face-schema.js';

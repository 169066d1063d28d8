export * from './passwords.js';
export * from './staff.js';
export * from './sessions.js';
export * from './access.js';
export * from './grants.js';
export * from './organisations.js';
export * from './members.js';
export { tokenDigest } from './tokens.js';
export * from './capabilities.js';

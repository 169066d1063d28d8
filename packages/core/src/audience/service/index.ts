/** Use cases of the audience context: access rules, audit and outbox events over the repo's SQL. */
export * from './codes.js';
export * from './citizens.js';
export * from './sessions.js';
export * from './settings.js';
export * from './memberships.js';
export * from './comments.js';
export * from './messages.js';
export * from './account.js';
export * from './agreements.js';

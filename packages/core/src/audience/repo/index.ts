/** SQL of the audience context: plain functions, an executor first, rows in and rows out. */
export * as citizensRepo from './citizens.js';
export * as membershipsRepo from './memberships.js';
export * as commentsRepo from './comments.js';
export * as messagesRepo from './messages.js';
export * as agreementsRepo from './agreements.js';
export * as settingsRepo from './settings.js';

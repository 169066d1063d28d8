// The audit log: model.ts and repo.ts only. No service.ts (appending and listing are single
// statements that every context's use cases compose), no events.ts (it emits no outbox event),
// no errors.ts (it raises none). The chain of hashes is written by the database; packages/db verifies it.
export type { AuditQuery, AuditRecord } from './model.js';
export { appendAudit, listAudit } from './repo.js';

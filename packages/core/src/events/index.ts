// The outbox: model.ts and repo.ts only. No service.ts (the worker's consumer composes the repo's
// statements), no events.ts (each producing context names its own topics), no errors.ts (none raised).
export type { EventAttempt, EventDeferral, OutboxMessage, OutboxStats } from './model.js';
export {
  claimNextEvent,
  deferEvent,
  enqueue,
  enqueueReturningId,
  lockEvent,
  markEventDone,
  openHandlerSavepoint,
  outboxCounts,
  recordEventAttempt,
  releaseHandlerSavepoint,
  reviveDeadEvents,
  rollbackHandlerSavepoint,
  takeReceipt,
} from './repo.js';

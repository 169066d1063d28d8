export {
  DependencyUnavailable,
  HandlerRegistry,
  isDependencyUnavailable,
  silentLogger,
  type HandlerContext,
  type Logger,
  type OutboxEvent,
  type OutboxHandler,
} from './handlers.js';
export {
  OutboxConsumer,
  exponentialBackoff,
  outboxStats,
  OUTBOX_CHANNEL,
  MAX_ERROR_LENGTH,
  type BackoffOptions,
  type OutboxConsumerOptions,
  type OutboxStats,
  type RunResult,
} from './consumer.js';
export {
  cacheInvalidation,
  cacheInvalidationWith,
  defaultRegistry,
  tenantTag,
  HOSTS_TAG,
} from './handlers/cache-invalidation.js';
export { PageWarmer, pagesOf, type PageWarmerOptions, type RenderPage, type WarmStats } from './warm.js';
export { build, type WorkerAppDeps } from './app.js';
export { startVideoTranscoder, type VideoTranscoder, type VideoTranscoderOptions } from './video.js';
export { startWorker, type RunningWorker, type StartWorkerDeps } from './start.js';
export { readAccountFeeds, type AccountFeedOptions } from './handlers/account-feeds.js';

import type { FastifyInstance } from 'fastify';
import type { ServiceDeps } from '@yiduan/http';
import { build } from './app.js';
import { OutboxConsumer, type OutboxConsumerOptions } from './consumer.js';
import { defaultRegistry } from './handlers/cache-invalidation.js';
import { analyticsDailyHandler, startAnalytics } from './handlers/analytics.js';
import { startAccountFeeds } from './handlers/account-feeds.js';
import type { HandlerRegistry, Logger } from './handlers.js';
import { PageWarmer, type RenderPage } from './warm.js';
import { startVideoTranscoder, type VideoTranscoder, type VideoTranscoderOptions } from './video.js';
import type { AssetStorage } from '@yiduan/storage';
import { VIDEO_CHANNEL } from '@yiduan/core';

export interface StartWorkerDeps extends ServiceDeps {
  /** application-role URL for the LISTEN connection (same database as `db`) */
  listenUrl: string;
  log: Logger;
  /** default: defaultRegistry() */
  registry?: HandlerRegistry;
  /** overrides for tests and tuning; maxAttempts defaults to config.outboxMaxAttempts */
  consumer?: Pick<
    OutboxConsumerOptions,
    'batchSize' | 'maxAttempts' | 'backoff' | 'pollIntervalMs' | 'reconnectBackoff'
  >;
  /** the analytics writer, roll-ups and daily job; default: on outside tests, with the default registry */
  analytics?: boolean;
  /** renders a face's page into the page cache (the portal's `pageWarmer`): with it, the default registry warms pages after invalidating them */
  renderPage?: RenderPage;
  /** the asset store: with it the worker transcodes uploaded videos (docs/video.md) */
  storage?: AssetStorage;
  /** overrides for the video transcoder (tests), or false for none */
  video?: Partial<Pick<VideoTranscoderOptions, 'leaseMs' | 'pollMs' | 'tools' | 'uploadDir' | 'workDir'>> | false;
}

export interface RunningWorker {
  consumer: OutboxConsumer;
  /** ready, not listening: the caller decides the port (config.ports.worker) */
  app: FastifyInstance;
  /** warm pages, when `renderPage` was given with the default registry and WARM_CONCURRENCY > 0 */
  warmer: PageWarmer | null;
  /** the video transcoder, when the worker was given the asset store */
  video: VideoTranscoder | null;
  /** stops the consumer (waiting for the event in flight), then closes the app; idempotent */
  stop(): Promise<void>;
}

/** Builds the worker app and starts the outbox consumer; the connections stay the caller's. */
export async function startWorker(deps: StartWorkerDeps): Promise<RunningWorker> {
  const analyticsOn = deps.analytics ?? (deps.config.env !== 'test' && !deps.registry);
  const warmer =
    deps.renderPage && !deps.registry && deps.config.warmConcurrency > 0
      ? new PageWarmer({
          db: deps.db,
          render: deps.renderPage,
          baseDomain: deps.config.publicBaseDomain,
          log: deps.log,
          concurrency: deps.config.warmConcurrency,
        })
      : null;
  // with a read replica, every invalidation first raises the replica fence (cache-invalidation.ts)
  const replicaFence = deps.readDb !== undefined && deps.readDb !== deps.db;
  const registry = deps.registry ?? defaultRegistry({ warmer, replicaFence, fanOutChunk: deps.config.fanOutChunk });
  const video =
    deps.storage && deps.video !== false
      ? startVideoTranscoder({
          db: deps.db,
          storage: deps.storage,
          log: deps.log,
          uploadDir: deps.config.video.uploadDir,
          workDir: deps.config.video.workDir,
          notify: (tenantId, videoId) =>
            void deps.cache.publish(VIDEO_CHANNEL, JSON.stringify({ tenantId, videoId })).catch(() => undefined),
          ...deps.video,
        })
      : null;
  // a new upload wakes the transcoder at once instead of at its next poll
  if (video && !deps.registry)
    registry.register({ name: 'video.wake', topics: ['video.uploaded'], handle: async () => video.wake() });
  if (analyticsOn) registry.register(analyticsDailyHandler(deps.config.analyticsRetentionDays));
  const app = await build({ ...deps, registry, warmer });
  const consumer = new OutboxConsumer({
    db: deps.db,
    cache: deps.cache,
    registry,
    log: deps.log,
    maxAttempts: deps.config.outboxMaxAttempts,
    ...deps.consumer,
    listenUrl: deps.listenUrl,
  });
  let analytics: Awaited<ReturnType<typeof startAnalytics>> | null = null;
  // government accounts' public feeds: with the other periodic jobs, off in tests (they run a round themselves)
  let feeds: ReturnType<typeof startAccountFeeds> | null = null;
  try {
    await app.ready();
    await consumer.start();
    analytics = analyticsOn ? await startAnalytics({ db: deps.db, config: deps.config, log: deps.log }) : null;
    feeds = analyticsOn ? startAccountFeeds({ db: deps.db, log: deps.log }) : null;
  } catch (err) {
    await video?.stop();
    await app.close();
    throw err;
  }
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      try {
        await feeds?.stop();
        await analytics?.stop();
        await video?.stop();
        await consumer.stop();
        await warmer?.stop();
      } finally {
        await app.close();
      }
    })());
  return { consumer, app, warmer, video, stop };
}

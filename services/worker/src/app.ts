import Fastify, { type FastifyInstance } from 'fastify';
import { classify, health, infra, type ServiceDeps } from '@yiduan/http';
import { outboxStats } from './consumer.js';
import type { HandlerRegistry } from './handlers.js';
import type { PageWarmer } from './warm.js';

export interface WorkerAppDeps extends ServiceDeps {
  /** when given, `GET /outbox/handlers` lists what this worker consumes */
  registry?: HandlerRegistry;
  /** when given, `GET /warm/stats` reports what it rendered and whether it is idle */
  warmer?: PageWarmer | null;
}

/**
 * The worker's small HTTP face: health for the orchestrator and outbox counts for operators.
 * It serves an internal port only: the routes are unauthenticated and read-only.
 */
export async function build(deps: WorkerAppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.config.logLevel === 'silent' ? false : { level: deps.config.logLevel } });
  await app.register(infra, deps);
  await app.register(health, { service: 'worker' });

  app.setErrorHandler((err, req, reply) => {
    const { status, code, message } = classify(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    return reply.code(status).send({ error: { code, message } });
  });

  app.get('/outbox/stats', async () => outboxStats(app.db));

  const warmer = deps.warmer;
  if (warmer) app.get('/warm/stats', async () => ({ ...warmer.stats, idle: warmer.isIdle }));

  const registry = deps.registry;
  if (registry) {
    app.get('/outbox/handlers', async () =>
      registry.list().map((h) => ({ name: h.name, topics: h.topics === '*' ? '*' : [...h.topics] })),
    );
  }
  return app;
}

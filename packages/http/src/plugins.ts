import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { Cache } from '@yiduan/cache';
import type { Config } from '@yiduan/config';
import { isDomainError } from '@yiduan/core';
import { isConnectionError, type DB } from '@yiduan/db';
import type { ServiceDeps } from './deps.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: DB;
    readDb: DB;
    cache: Cache;
  }
}

/** Infrastructure as a named plugin; the connections belong to the caller (see ServiceDeps). */
export const infra = fp<ServiceDeps>(
  async (app, deps) => {
    app.decorate('config', deps.config);
    app.decorate('db', deps.db);
    app.decorate('readDb', deps.readDb ?? deps.db);
    app.decorate('cache', deps.cache);
  },
  { name: 'infra', fastify: '5.x' },
);

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  service: string;
  database: 'ok' | 'down';
  redis: 'ok' | 'down' | 'memory';
}

export async function checkHealth(app: FastifyInstance, service: string): Promise<HealthReport> {
  const database = await Promise.race([
    sql`SELECT 1`.execute(app.db).then(
      () => 'ok' as const,
      () => 'down' as const,
    ),
    new Promise<'down'>((resolve) => setTimeout(() => resolve('down'), 2_000).unref()),
  ]);
  const redis = app.cache.kind === 'memory' ? 'memory' : await app.cache.ping();
  const status = database === 'down' ? 'down' : redis === 'down' ? 'degraded' : 'ok';
  return { status, service, database, redis };
}

/**
 * Health endpoints for orchestrators and load balancers:
 * - `GET /health/live`: liveness, 200 while the process serves HTTP. It checks no dependency on
 *   purpose: a database outage must not make Kubernetes restart every pod (they recover by
 *   themselves once it is back).
 * - `GET /health/ready` (and `GET /health`, its older name): readiness, 200 while PostgreSQL
 *   answers (Redis down only degrades: `status: 'degraded'`, still 200), else 503.
 */
export const health = fp<{ service: string }>(
  async (app, opts) => {
    const ready = async (_req: unknown, reply: FastifyReply): Promise<void> => {
      const report = await checkHealth(app, opts.service);
      await reply
        .code(report.status === 'down' ? 503 : 200)
        .header('cache-control', 'no-store')
        .send(report);
    };
    app.get('/health', ready);
    app.get('/health/ready', ready);
    app.get('/health/live', async (_req, reply) =>
      reply.header('cache-control', 'no-store').send({ status: 'ok', service: opts.service }),
    );
  },
  { name: 'health', fastify: '5.x', dependencies: ['infra'] },
);

/** A PostgreSQL data exception (SQLSTATE class 22: NUL in text, invalid encoding, values out of range) comes from input. */
function isDataException(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown };
  return typeof e?.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && typeof e.severity === 'string';
}

/** Status and public message for any error: domain codes keep theirs, the rest hide detail. */
export function classify(err: unknown): { status: number; code: string; message: string } {
  if (isDomainError(err)) return { status: err.status, code: err.code, message: err.message };
  if (isConnectionError(err))
    return { status: 503, code: 'SERVICE_UNAVAILABLE', message: '服务暂时不可用，请稍后再试' };
  if (isDataException(err))
    return { status: 400, code: 'BAD_USER_INPUT', message: '输入的内容含有无法处理的字符或数值' };
  const fe = err as Partial<FastifyError>;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, code: fe.code ?? 'BAD_REQUEST', message: fe.message ?? '请求不正确' };
  }
  return { status: 500, code: 'INTERNAL', message: '服务器内部错误' };
}

// Runs the portal alone: `tsx services/portal/src/server.ts`. `pnpm start` runs every service in one process instead.
import { loadConfig } from '@yiduan/config';
import { runService } from '@yiduan/http';
import { build } from './app.js';

await runService(
  'portal',
  (deps) => build(deps, { fastify: { logger: { level: deps.config.logLevel } } }),
  (c) => c.ports.portal,
  loadConfig(),
);

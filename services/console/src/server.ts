// Runs the console alone: `tsx services/console/src/server.ts` (API_URL points at the API, default http://localhost:API_PORT).
import { loadConfig } from '@yiduan/config';
import { build } from './app.js';
import { ensureBuilt } from './build.js';

const config = loadConfig();
await ensureBuilt({ log: (m) => console.log(`[console] ${m}`) });
const app = await build(
  { config },
  {
    apiUrl: process.env.API_URL ?? `http://127.0.0.1:${config.ports.api}`,
    fastify: { logger: { level: config.logLevel } },
  },
);
const close = async (): Promise<void> => {
  await app.close();
  process.exit(0);
};
process.once('SIGINT', close);
process.once('SIGTERM', close);
await app.listen({ port: config.ports.console, host: config.host });

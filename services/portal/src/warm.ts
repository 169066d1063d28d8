import type { FastifyInstance } from 'fastify';
import { createDb } from '@yiduan/db';
import type { ServiceDeps } from '@yiduan/http';
import type { AssetStorage } from '@yiduan/storage';
import { build } from './app.js';

/** What a warm request learned: the status, and whether the portal rendered the page (false: it was already cached). */
export interface WarmedPage {
  status: number;
  rendered: boolean;
}

/**
 * Renders a face's page into the page cache ahead of visitors (warm pages, docs/faces-cache.md):
 * a GET through the portal's own routes, in process (`inject`), so the page is rendered, keyed
 * and stored exactly as a visitor's request would: the generation token is read before any
 * data, so a warm that loses a race with a later invalidation stores under a dead token.
 * `app` is a portal (`build`), ready or not; the worker passes it its own quiet instance.
 */
export function pageWarmer(app: FastifyInstance): (host: string, path: string) => Promise<WarmedPage> {
  return async (host, path) => {
    await app.ready();
    const before = app.pageStats.rendered;
    const res = await app.inject({ method: 'GET', url: path, headers: { host, 'user-agent': 'yiduan-warm' } });
    // a count, not a flag per request: concurrent warms may both see the other's render; good enough for the statistics it feeds
    return { status: res.statusCode, rendered: app.pageStats.rendered > before };
  };
}

export interface WarmPortal {
  render: (host: string, path: string) => Promise<WarmedPage>;
  close(): Promise<void>;
}

/**
 * The worker's portal for warm pages: quiet (no request log lines) and never listening, with
 * its own pool of `concurrency` connections to the primary (`appUrl`). Its renders never wait
 * for the visitors' connections nor starve them in a one-process platform, and never read a
 * lagging replica: a render after an invalidation must see what the invalidation announced.
 */
export async function warmPortal(
  deps: ServiceDeps,
  opts: { appUrl: string; concurrency: number; storage?: AssetStorage },
): Promise<WarmPortal> {
  const db = createDb(opts.appUrl, { max: Math.max(1, opts.concurrency), applicationName: 'yiduan-warm' });
  try {
    const app = await build({ ...deps, db, readDb: db }, { storage: opts.storage, fastify: { logger: false } });
    return {
      render: pageWarmer(app),
      close: async () => {
        await app.close();
        await db.destroy();
      },
    };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

import type { FastifyInstance } from 'fastify';
import { addDays, dayOf, mostReadOnFace, type MostRead } from '@yiduan/core';
import { withTenant, type DB } from '@yiduan/db';
import { loadHome } from '../data/home.js';
import { servePage } from '../http/serve.js';
import { renderDocument } from '../views/document.js';
import { faceView } from '../views/face-view.js';
import { HomePage } from '../views/home-page.js';
import { websiteMeta } from '../views/page-meta.js';
import { originFor } from './params.js';

const MOST_READ = 8;

/**
 * The sidebar's 阅读排行: the face's most-read stories of the last 7 days, or of the last 30 when
 * the week has too few (a quiet county). Read in the face's own scope (RLS: a face reads only the
 * reads it carried). The home page is cached, so this runs once per render, not per visit; the
 * ranking is as fresh as the page: the next publication on the face, or the cache's hour.
 */
export async function loadMostRead(db: DB, tenantId: string, now = Date.now()): Promise<MostRead[]> {
  const to = dayOf(now);
  return withTenant(db, tenantId, async (trx) => {
    const week = await mostReadOnFace(trx, tenantId, { from: addDays(to, -6), to }, MOST_READ);
    if (week.length >= MOST_READ / 2) return week;
    return mostReadOnFace(trx, tenantId, { from: addDays(to, -29), to }, MOST_READ);
  });
}

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', (request, reply) =>
    servePage(request, reply, {
      path: '/',
      render: async (site) => {
        const face = faceView(site.face);
        const [data, mostRead] = await Promise.all([
          loadHome(app.readDb, site.tenant.id, face.homeLayout),
          loadMostRead(app.readDb, site.tenant.id),
        ]);
        const meta = websiteMeta(face, originFor(request, site), {
          path: '/',
          feed: { title: face.siteName, path: '/rss.xml' },
        });
        return renderDocument(<HomePage face={face} data={data} mostRead={mostRead} meta={meta} />);
      },
    }),
  );
}

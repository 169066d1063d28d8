import type { FastifyInstance } from 'fastify';
import { loadHome } from '../data/home.js';
import { servePage } from '../http/serve.js';
import { renderDocument } from '../views/document.js';
import { faceView } from '../views/face-view.js';
import { HomePage } from '../views/home-page.js';
import { websiteMeta } from '../views/page-meta.js';
import { originFor } from './params.js';

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', (request, reply) =>
    servePage(request, reply, {
      path: '/',
      render: async (site) => {
        const face = faceView(site.face);
        const data = await loadHome(app.readDb, site.tenant.id, face.homeLayout);
        const meta = websiteMeta(face, originFor(request, site), { path: '/', feed: { title: face.siteName, path: '/rss.xml' } });
        return renderDocument(<HomePage face={face} data={data} meta={meta} />);
      },
    }),
  );

}

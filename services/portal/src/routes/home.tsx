import type { FastifyInstance } from 'fastify';
import { cachedPage, sendPage } from '../http/page-cache.js';
import { requireSite } from '../site/require.js';
import { renderDocument } from '../views/document.js';
import { faceView } from '../views/face-view.js';
import { HomePage } from '../views/home-page.js';

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (request, reply) => {
    const { face } = requireSite(request);
    const page = await cachedPage(app.cache, { tenantId: face.tenantId, path: '/', version: face.version }, () =>
      renderDocument(<HomePage face={faceView(face)} />),
    );
    return sendPage(request, reply, page);
  });
}

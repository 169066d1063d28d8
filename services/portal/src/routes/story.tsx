import type { FastifyInstance } from 'fastify';
import { isUuid } from '@yiduan/core';
import { loadStory } from '../data/story.js';
import { sendPageNotFound } from '../http/errors.js';
import { NOT_FOUND } from '../http/page-cache.js';
import { servePage } from '../http/serve.js';
import { storyPath } from '../site/urls.js';
import { renderDocument } from '../views/document.js';
import { faceView } from '../views/face-view.js';
import { storyMeta } from '../views/page-meta.js';
import { RetractedPage } from '../views/retracted-page.js';
import { StoryPage } from '../views/story-page.js';
import { originFor } from './params.js';

export async function storyRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { storyId: string } }>('/a/:storyId', (request, reply) => {
    // anything but a UUID cannot be a story; one spelling per story keeps one cache entry
    const storyId = request.params.storyId.toLowerCase();
    if (!isUuid(storyId)) return sendPageNotFound(request, reply);
    return servePage(request, reply, {
      path: storyPath(storyId),
      render: async (site) => {
        const face = faceView(site.face);
        const data = await loadStory(app.readDb, app.config, site.tenant.id, storyId);
        if (data.state === 'missing') return NOT_FOUND;
        if (data.state === 'retracted') {
          // 410, uncached: the notice must never outlive a later change of the story
          return {
            status: 410,
            html: renderDocument(
              <RetractedPage face={face} story={data} own={data.origin.slug === site.tenant.slug} />,
            ),
          };
        }
        return renderDocument(
          <StoryPage face={face} data={data} meta={storyMeta(face, originFor(request, site), data)} />,
        );
      },
    });
  });
}

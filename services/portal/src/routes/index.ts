import type { FastifyInstance } from 'fastify';
import { feedRoutes } from './feeds.js';
import { homeRoutes } from './home.js';
import { listingRoutes } from './listings.js';
import { mediaRoutes, type MediaOptions } from './media.js';
import { searchRoutes } from './search.js';
import { storyRoutes } from './story.js';

/** Every route of a face. Later increments add search, follow, comments … here. */
export function faceRoutes(opts: MediaOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(homeRoutes);
    await app.register(listingRoutes);
    await app.register(storyRoutes);
    await app.register(feedRoutes);
    await app.register(mediaRoutes, opts);
    await app.register(searchRoutes);
    await app.register(import('./beacon.js')); // reading analytics: /_b.js and the /_b beacon
  };
}

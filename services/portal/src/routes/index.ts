import type { FastifyInstance } from 'fastify';
import { citizenFaceRoutes } from '../citizen/face-routes.js';
import { feedRoutes } from './feeds.js';
import { homeRoutes } from './home.js';
import { iconRoutes } from './icon.js';
import { listingRoutes } from './listings.js';
import { mediaRoutes, type MediaOptions } from './media.js';
import { videoRoutes } from './videos.js';
import { searchRoutes } from './search.js';
import { storyRoutes } from './story.js';
import { whoamiRoutes } from './whoami.js';

/** Every route of a face: pages, feeds, media, search, and what citizens do (sign-in, follow, comments, messages). */
export function faceRoutes(opts: MediaOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    // first: its hook (the signed-in hint cookie) covers every route registered after it
    await app.register(whoamiRoutes);
    await app.register(homeRoutes);
    await app.register(listingRoutes);
    await app.register(storyRoutes);
    await app.register(feedRoutes);
    await app.register(mediaRoutes, opts);
    await app.register(videoRoutes, opts);
    await app.register(searchRoutes);
    await app.register(iconRoutes);
    await app.register(import('./beacon.js')); // reading analytics: /_b.js and the /_b beacon
    await app.register(citizenFaceRoutes, opts);
  };
}

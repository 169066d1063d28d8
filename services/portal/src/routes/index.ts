import type { FastifyInstance } from 'fastify';
import { homeRoutes } from './home.js';

/** Every route of a face. Later increments add sections, stories, search … here. */
export async function faceRoutes(app: FastifyInstance): Promise<void> {
  await app.register(homeRoutes);
}

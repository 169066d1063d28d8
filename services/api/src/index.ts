export { build } from './app.js';
export type { GraphQLContext, Viewer } from './context.js';

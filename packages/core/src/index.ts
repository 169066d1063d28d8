export * from './errors.js';
export * from './actor.js';
export * from './events/index.js';
export * from './governance/index.js';
export * from './tenancy/index.js';
export * from './identity/index.js';
export * from './pagination.js';
export * from './terminology/index.js';
export * from './newsroom/index.js';
export * from './assets/index.js';
export * from './syndication/index.js';
export * from './search/index.js';
export * from './audience/index.js';
export * from './analytics/index.js';
export * from './accounts/index.js';
export * from './planning/index.js';
export * from './video/index.js';
// wires the reactions between contexts (side effect on import)
import './reactions.js';

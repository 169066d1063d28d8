export { build, type PortalOptions } from './app.js';
export type { Site, SiteTenant } from './site/site.js';
export { pageWarmer, warmPortal, type WarmedPage, type WarmPortal } from './warm.js';

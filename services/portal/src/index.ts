export { build, type PortalOptions } from './app.js';
export type { Site, SiteTenant } from './site/site.js';
export { pageWarmer, type WarmedPage } from './warm.js';

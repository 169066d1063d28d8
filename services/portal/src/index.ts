export { build, type PortalOptions } from './app.js';
export type { Site, SiteTenant } from './site/site.js';

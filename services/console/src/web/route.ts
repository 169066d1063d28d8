import type { ReactNode } from 'react';
import type { Capabilities } from './types.js';

/** A screen of the console: App.tsx lists them, pages/extra.tsx adds the audience and data screens. */
export interface Route {
  path: string;
  label: string;
  group: string;
  render: (params: Record<string, string>) => ReactNode;
  /** Not a menu entry (e.g. one story). */
  hidden?: boolean;
  /** Whether the viewer may open it (the API's capabilities in the current tenant); a screen they may read but not change shows read-only. */
  can: (c: Capabilities) => boolean;
}

import type { Cache } from '@yiduan/cache';
import type { Config } from '@yiduan/config';
import type { Actor } from '@yiduan/core';
import type { DB } from '@yiduan/db';

/** Who is asking. Staff sessions come with the newsroom; for now a bootstrap operator. */
export interface Viewer extends Actor {
  roles: string[];
}

export interface GraphQLContext {
  viewer: Viewer | null;
  db: DB;
  cache: Cache;
  config: Config;
}

declare module 'mercurius' {
  // module augmentation: mercurius' context type gains ours
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MercuriusContext extends GraphQLContext {}
}

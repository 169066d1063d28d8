import type { Cache } from '@yiduan/cache';
import type { Config } from '@yiduan/config';
import type { DB } from '@yiduan/db';

/** What every service is built from. Owned by the caller, which closes them. */
export interface ServiceDeps {
  config: Config;
  /** application-role connection: row-level security applies */
  db: DB;
  /** read replica for public reads (portal); the primary when none is configured */
  readDb?: DB;
  cache: Cache;
}

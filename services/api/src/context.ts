import type { Cache } from '@yiduan/cache';
import type { Config } from '@yiduan/config';
import type { Access, Actor } from '@yiduan/core';
import type { AssetStorage } from '@yiduan/storage';
import type { DB, Staff, Tenant, Trx } from '@yiduan/db';

/** What ends sessions: one session (logout) or all of a staff member's (revocation, disabling). */
export type SessionEnd = { sessionId: string } | { staffId: string };

/** What a request needs of the session cache (auth.ts's SessionCache): forgetting ended sessions everywhere. */
export interface SessionEnding {
  end(ended: SessionEnd): Promise<void>;
}

/**
 * What one request learnt about tenants: the viewer's access in each (checked once per
 * request, see auth.ts's tenantRunner) and the tenant rows read with it (public rows), which
 * spare the `tenant` fields of that request a query.
 */
export interface RequestMemo {
  access: Map<string, Promise<Access>>;
  tenants: Map<string, Tenant>;
}

/** Who is asking: the bootstrap operator (configuration) or a signed-in staff member. */
export interface Viewer extends Actor {
  roles: string[];
  login: string | null;
  staff: Staff | null;
  sessionId: string | null;
}

export interface GraphQLContext {
  viewer: Viewer | null;
  db: DB;
  cache: Cache;
  config: Config;
  storage: AssetStorage;
  requestIp: string;
  userAgent: string | null;
  /** remembered session viewers; end() them on logout and revocation */
  sessions?: SessionEnding;
  /** per request: the viewer's access per tenant, checked once, and those tenants' rows (auth.ts) */
  memo?: RequestMemo;
  /** set by the login mutation so the route can write the session cookie */
  setSessionCookie?: (token: string | null, expiresAt?: Date) => void;
  /** Runs fn in a transaction scoped to the tenant, with the viewer's access there. */
  inTenant<T>(tenantId: string, fn: (trx: Trx, access: Access, actor: Actor) => Promise<T>): Promise<T>;
}

declare module 'mercurius' {
  // module augmentation: mercurius' context type gains ours
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MercuriusContext extends GraphQLContext {}
}

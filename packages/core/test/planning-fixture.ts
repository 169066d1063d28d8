// What the planning tests share: a tree of the demo province (no content) and people with roles in
// its tenants, each acting in their own tenant with their access there.
import { withPlatform, withTenant, type DB, type Staff, type StaffRole, type Tenant, type Trx } from '@yiduan/db';
import { createTestDatabase, seedDemo, type Teardown } from '@yiduan/testkit';
import {
  accessFor,
  createStaff,
  grantRole,
  isPlanningError,
  staffActor,
  SYSTEM_ACTOR,
  type Access,
  type Actor,
} from '../src/index.js';

export { failure } from '@yiduan/testkit';

/** The planning refusal's reason, or a database error's SQLSTATE. */
export const reasonOf = (e: unknown): string | null =>
  isPlanningError(e) ? e.reason : ((e as { code?: string } | null)?.code ?? null);

export const inHours = (h: number): Date => new Date(Date.now() + h * 3600_000);

export interface Person {
  staff: Staff;
  actor: Actor;
  tenantId: string;
}

export interface PlanningWorld {
  db: DB;
  /** the database owner: no row-level security, for writes behind the service's back */
  owner: DB;
  tenants: Record<string, Tenant>;
  id(slug: string): string;
  /** a new account with these roles in the tenant `slug` */
  person(login: string, slug: string, roles: StaffRole[]): Promise<Person>;
  /** runs fn as this person in their tenant, with their access there */
  as<T>(p: Person, fn: (trx: Trx, access: Access, actor: Actor) => Promise<T>): Promise<T>;
}

export async function planningWorld(t: Teardown): Promise<PlanningWorld> {
  const tdb = await createTestDatabase(t);
  const db: DB = tdb.db;
  const { tenants } = await seedDemo(db, { withContent: false });
  const id = (s: string): string => tenants[s]!.id;
  return {
    db,
    owner: tdb.owner,
    tenants,
    id,
    async person(login, slug, roles) {
      const staff = await withPlatform(db, (trx) =>
        createStaff(trx, SYSTEM_ACTOR, { login, displayName: login, password: 'Passw0rd-planning' }),
      );
      await withTenant(db, id(slug), async (trx) => {
        for (const role of roles)
          await grantRole(trx, SYSTEM_ACTOR, { tenantId: id(slug), role, staffId: staff.id, skipPartyCheck: true });
      });
      return { staff, actor: staffActor(staff), tenantId: id(slug) };
    },
    as: (p, fn) =>
      withTenant(db, p.tenantId, async (trx) => fn(trx, await accessFor(trx, p.staff, p.tenantId), p.actor)),
  };
}

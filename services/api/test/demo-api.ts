// The API over the demo province (tenants and units, no stories), as the account tests open it.
import { createSession } from '@yiduan/core';
import { withPlatform, type Staff, type StaffRole } from '@yiduan/db';
import { createTestDeps, graphqlClient, seedDemo, type Teardown } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { staffWith } from './staff.js';

export type Client = ReturnType<typeof graphqlClient>;

/**
 * `id(slug)` is a demo tenant's id; `as(login, slug, roles)` creates a staff member with those
 * roles there and gives a client signed in as them; `anonymous` is signed in as no one.
 */
export async function demoApi(t: Teardown) {
  const deps = await createTestDeps(t);
  const { tenants } = await seedDemo(deps.db, { withContent: false });
  const id = (slug: string): string => tenants[slug]!.id;
  const app = await build(deps);
  t.teardown(() => app.close());
  const token = async (s: Staff): Promise<string> =>
    (await withPlatform(deps.db, (trx) => createSession(trx, s.id))).token;
  const as = async (login: string, slug: string, roles: StaffRole[]): Promise<Client> =>
    graphqlClient(app, { token: await token(await staffWith(deps.db, login, id(slug), roles)) });
  return { deps, tenants, id, app, token, as, anonymous: graphqlClient(app) };
}

import { createUnit, createRule, staffActor, SYSTEM_ACTOR, type Actor } from '@yiduan/core';
import { createSession } from '@yiduan/core';
import { withPlatform, withTenant, type DB, type Unit } from '@yiduan/db';
import { build } from '@yiduan/api';
import { build as buildPortal } from '@yiduan/portal';
import { createDemoDeps, graphqlClient, type DemoDeps, type Teardown, type TestDeps } from '@yiduan/testkit';
import { defaultRegistry, OutboxConsumer } from '@yiduan/worker';
import type { FastifyInstance } from 'fastify';

// staff with roles in one tenant: testkit's staffWith, signing in with PASSWORD
export { staffWith, STAFF_PASSWORD as PASSWORD } from '@yiduan/testkit';

export async function unitIn(db: DB, tenantId: string, slug: string, name: string): Promise<Unit> {
  return withTenant(db, tenantId, (trx) => createUnit(trx, SYSTEM_ACTOR, tenantId, { slug, name, kind: 'bureau' }));
}

export async function blockRule(db: DB, tenantId: string, pattern: string, actor: Actor = SYSTEM_ACTOR): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    createRule(trx, actor, tenantId, { pattern, kind: 'literal', severity: 'block', note: '错误的政治表述' }),
  );
}

export { staffActor };

/**
 * The worker's outbox consumer over a test's database, retrying failures at once;
 * drain() runs it until a batch finds nothing (at most `rounds` batches).
 */
export function outboxDrainer(deps: Pick<TestDeps, 'db' | 'cache'>, rounds = 100) {
  const consumer = new OutboxConsumer({
    db: deps.db,
    cache: deps.cache,
    registry: defaultRegistry(),
    maxAttempts: 3,
    backoff: () => 0,
  });
  const drain = async (): Promise<void> => {
    for (let i = 0; i < rounds; i++) if ((await consumer.runOnce()).processed === 0) return;
  };
  return { consumer, drain };
}

/** A GraphQL client of the API signed in as one of the demo province's staff (by login). */
export function demoStaffClient(deps: DemoDeps, app: FastifyInstance) {
  return async (login: string) => {
    const s = deps.staff[login]!;
    return graphqlClient(app, { token: (await withPlatform(deps.db, (trx) => createSession(trx, s.id))).token });
  };
}

/**
 * The demo province with its newsroom behind the API and the portal: `id(slug)` a tenant's id,
 * `as(login)` a client signed in as a demo staff member, `anonymous` one signed in as no one.
 */
export async function demoNewsroom(t: Teardown) {
  const deps = await createDemoDeps(t, 'newsroom');
  const app = await build(deps);
  t.teardown(() => app.close());
  const portal = await buildPortal(deps);
  t.teardown(() => portal.close());
  const id = (slug: string): string => deps.tenants[slug]!.id;
  return { deps, id, app, portal, as: demoStaffClient(deps, app), anonymous: graphqlClient(app) };
}

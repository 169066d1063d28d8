/**
 * A tenant's grant list with its parties (Grant.staff, Grant.organisation, Grant.unit,
 * Staff.organisation): batched per request (loaders/identity.ts), so the statements do not
 * grow with the rows; and another tenant's admin reaches none of them.
 */
import t, { type Test } from 'tap';
import { Kysely, PostgresDialect } from 'kysely';
import { createOrganisation, createStaff, createUnit, grantRole, SYSTEM_ACTOR } from '@yiduan/core';
import { createPool, withPlatform, withTenant, type Database } from '@yiduan/db';
import { createDemoDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { PASSWORD, staffWith } from './staff.js';

const GRANTS = `query($t: ID!) { grants(tenantId: $t) { id role staff { id login organisation { id name } } organisation { id name validUntil } unit { id name } } }`;
const LOGIN = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`;

type Grants = {
  grants: {
    id: string;
    staff: { id: string; login: string; organisation: { id: string } | null } | null;
    organisation: { id: string; name: string } | null;
    unit: { id: string; name: string } | null;
  }[];
};

async function world(t: Test) {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const [A, B] = [tenants.ruyang!.id, tenants.yichuan!.id];
  await staffWith(deps.db, 'gb-admin-a', A, ['tenant_admin']);
  await staffWith(deps.db, 'gb-admin-b', B, ['tenant_admin']);
  await staffWith(deps.db, 'gb-other-b', B, ['editor']);
  const statements: string[] = [];
  const logged = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: createPool(deps.tdb.appUrl, { max: 5 }) }),
    log: (e) => void statements.push(e.query.sql),
  });
  t.teardown(() => logged.destroy());
  // the viewer read on every request (no remembered session): the same statements whatever the timing
  const app = await build({ ...deps, db: logged, readDb: logged }, { sessionCacheMs: 0 });
  t.teardown(() => app.close());
  const token = async (login: string) =>
    (await graphqlClient(app)<{ login: { token: string } }>(LOGIN, { l: login, p: PASSWORD })).data!.login.token;
  let n = 0;
  /** `count` more grants in A: unit reporters of staff who belong to an organisation, and organisation grants */
  const more = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++, n++) {
      const org = await withPlatform(deps.db, (trx) =>
        createOrganisation(trx, SYSTEM_ACTOR, { name: `代运营${n}`, licenceNo: `LIC-${n}`, validUntil: '2099-12-31' }),
      );
      const staff = await withPlatform(deps.db, (trx) =>
        createStaff(trx, SYSTEM_ACTOR, {
          login: `gb-member-${n}`,
          displayName: `成员${n}`,
          password: PASSWORD,
          orgId: org.id,
        }),
      );
      await withTenant(deps.db, A, async (trx) => {
        const unit = await createUnit(trx, SYSTEM_ACTOR, A, {
          slug: `gb-unit-${n}`,
          name: `政务号${n}`,
          kind: 'bureau',
        });
        await grantRole(trx, SYSTEM_ACTOR, {
          tenantId: A,
          role: 'reporter',
          staffId: staff.id,
          unitId: unit.id,
          skipPartyCheck: true,
        });
        await grantRole(trx, SYSTEM_ACTOR, { tenantId: A, role: 'editor', orgId: org.id, skipPartyCheck: true });
      });
    }
  };
  return { deps, app, A, B, statements, token, more };
}

t.test('a tenant’s grants with staff, organisation and unit: statements bounded, not per row', async (t) => {
  const w = await world(t);
  const gql = graphqlClient(w.app, { token: await w.token('gb-admin-a') });
  const measure = async (): Promise<{ rows: Grants['grants']; statements: number }> => {
    w.statements.length = 0;
    const r = await gql<Grants>(GRANTS, { t: w.A });
    t.equal(r.errors, undefined);
    return { rows: r.data!.grants, statements: w.statements.length };
  };
  await w.more(2);
  const few = await measure();
  await w.more(10);
  const many = await measure();
  t.equal(many.rows.length, few.rows.length + 20, 'ten more members and ten more organisation grants');
  t.equal(
    many.statements,
    few.statements,
    `as many statements for ${many.rows.length} grants as for ${few.rows.length} (${few.statements})`,
  );
  // the viewer, the access and the list, then one platform transaction per batched field (staff, organisations, units, staff organisations)
  t.ok(many.statements <= 30, `a bounded number: ${many.statements} (over 200 for 25 grants before batching)`);
  // the answers are the right rows
  const member = many.rows.find((g) => g.staff?.login === 'gb-member-5')!;
  t.equal(member.unit?.name, '政务号5');
  t.ok(member.staff?.organisation, 'the member’s own organisation');
  t.ok(
    many.rows.some((g) => g.organisation?.name === '代运营5' && g.staff === null && g.unit === null),
    'an organisation grant',
  );
  t.ok(
    many.rows.some((g) => g.staff?.login === 'gb-admin-a' && g.staff.organisation === null && g.organisation === null),
    'a person without organisation',
  );
});

t.test('isolation: another tenant’s admin reaches none of A’s grants, A’s admin none of B’s', async (t) => {
  const w = await world(t);
  await w.more(1);
  const b = graphqlClient(w.app, { token: await w.token('gb-admin-b') });
  const refused = await b<Grants>(GRANTS, { t: w.A });
  t.equal(errorCode(refused), 'FORBIDDEN');
  t.notOk(refused.data?.grants, 'nothing of A answered');
  const own = await b<Grants>(GRANTS, { t: w.B });
  t.ok(own.data!.grants.length >= 2);
  t.notOk(
    own.data!.grants.some(
      (g) => g.staff?.login.startsWith('gb-member') || g.staff?.login === 'gb-admin-a' || g.organisation,
    ),
    'B’s list holds only B’s grants',
  );
  const a = graphqlClient(w.app, { token: await w.token('gb-admin-a') });
  t.equal(errorCode(await a(GRANTS, { t: w.B })), 'FORBIDDEN');
  const editor = graphqlClient(w.app, { token: await w.token('gb-other-b') });
  t.equal(errorCode(await editor(GRANTS, { t: w.B })), 'FORBIDDEN', 'an editor does not list grants');
});

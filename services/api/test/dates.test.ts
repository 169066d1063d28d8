// Dates in the API: every instant is a DateTime (ISO 8601), every calendar day a Date
// (ISO YYYY-MM-DD); answers show what was stored, and an organisation's `valid` is decided as
// access decides it (Beijing's date). The schema walk keeps date-like fields from drifting back to String.
import t from 'tap';
import { sql } from 'kysely';
import { createStaff, grantRole, SYSTEM_ACTOR } from '@yiduan/core';
import { withPlatform, withTenant } from '@yiduan/db';
import { createDemoDeps, createTestDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import type { IntrospectionQuery, IntrospectionTypeRef } from 'graphql';
import { build } from '../src/app.js';
import { PASSWORD } from './staff.js';

type Org = { id: string; validUntil: string; valid: boolean };
const ORG_FIELDS = 'id name validUntil valid';

t.test('qualification dates: ISO days in and out, validity as access sees it', async (t) => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const app = await build(deps);
  t.teardown(() => app.close());
  const op = graphqlClient(app, { token: deps.config.bootstrapOperatorToken });
  const days = (
    await sql<{ yesterday: string; today: string; next: string }>`
    WITH d AS (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS today)
    SELECT (today - 1)::text AS yesterday, today::text AS today, (today + 365)::text AS next FROM d`.execute(
      deps.tdb.owner,
    )
  ).rows[0]!;

  const created = await op<{ createOrganisation: Org }>(
    `mutation($i: OrganisationInput!) { createOrganisation(input: $i) { ${ORG_FIELDS} } }`,
    {
      i: { name: '豫见文化传媒有限公司', licenceNo: 'YJ-2026-07', validUntil: days.next },
    },
  );
  t.same(created.errors, undefined);
  const org = created.data!.createOrganisation;
  t.same(
    { validUntil: org.validUntil, valid: org.valid },
    { validUntil: days.next, valid: true },
    'created: the stored day, valid',
  );

  // one of its staff, editor on a county through the organisation
  await withPlatform(deps.db, (trx) =>
    createStaff(trx, SYSTEM_ACTOR, { login: 'yj-agent', displayName: '代运营编辑', password: PASSWORD, orgId: org.id }),
  );
  await withTenant(deps.db, tenants.ruyang!.id, (trx) =>
    grantRole(trx, SYSTEM_ACTOR, { tenantId: tenants.ruyang!.id, role: 'editor', orgId: org.id, skipPartyCheck: true }),
  );
  const login = await graphqlClient(app)<{ login: { token: string } }>(
    `mutation { login(login: "yj-agent", password: "${PASSWORD}") { token } }`,
  );
  const agentGql = graphqlClient(app, { token: login.data!.login.token });
  const memberships = async (): Promise<number> =>
    (await agentGql<{ viewer: { memberships: unknown[] } }>('{ viewer { memberships { roles } } }')).data!.viewer
      .memberships.length;
  t.equal(await memberships(), 1, 'the organisation grant counts');

  const UPDATE = `mutation($id: ID!, $p: OrganisationPatch!) { updateOrganisation(id: $id, input: $p) { ${ORG_FIELDS} } }`;
  const past = await op<{ updateOrganisation: Org }>(UPDATE, { id: org.id, p: { validUntil: '2024-01-01' } });
  t.same(past.errors, undefined);
  t.same(
    past.data!.updateOrganisation,
    { id: org.id, name: '豫见文化传媒有限公司', validUntil: '2024-01-01', valid: false },
    'a past day: ISO and not valid',
  );
  t.equal(await memberships(), 0, 'and access agrees');

  const yesterday = (await op<{ updateOrganisation: Org }>(UPDATE, { id: org.id, p: { validUntil: days.yesterday } }))
    .data!.updateOrganisation;
  t.same([yesterday.validUntil, yesterday.valid], [days.yesterday, false], 'Beijing yesterday: expired');
  t.equal(await memberships(), 0);
  const today = (await op<{ updateOrganisation: Org }>(UPDATE, { id: org.id, p: { validUntil: days.today } })).data!
    .updateOrganisation;
  t.same([today.validUntil, today.valid], [days.today, true], 'Beijing today: valid through the day');
  t.equal(await memberships(), 1);

  const listed = await op<{ organisations: Org[] }>(`{ organisations { ${ORG_FIELDS} } }`);
  t.same(
    listed.data!.organisations.find((o) => o.id === org.id),
    { id: org.id, name: '豫见文化传媒有限公司', validUntil: days.today, valid: true },
    'the list reads the same',
  );
  const viaStaff = await agentGql<{ viewer: unknown }>('{ viewer { id } }');
  t.same(viaStaff.errors, undefined);

  for (const bad of ['2024-02-30', '2024-1-1', 'Mon Jan 01 2024', '2024-01-01T00:00:00Z']) {
    const r = await op(UPDATE, { id: org.id, p: { validUntil: bad } });
    t.equal(errorCode(r), 'BAD_USER_INPUT', `${bad}: refused as input, not a 500`);
    t.match(r.errors?.[0]?.message ?? '', /YYYY-MM-DD/);
  }
  const literal = await op(
    `mutation { updateOrganisation(id: "${org.id}", input: { validUntil: "2024-13-01" }) { id } }`,
  );
  t.equal(errorCode(literal), 'BAD_USER_INPUT', 'a bad literal too');
  const stored = await deps.tdb.owner
    .selectFrom('organisations')
    .select(sql<string>`valid_until::text`.as('d'))
    .where('id', '=', org.id)
    .executeTakeFirstOrThrow();
  t.equal(stored.d, days.today, 'refused input changed nothing');
});

/** A field, argument or input field whose name says it holds a time or a day. */
const DATE_LIKE = /(?:At|Until|Date|Time|Day|Days|Since)$|^(?:at|day|days|date|time|until|since|asOf)$/;
/** names that end like a date but count something */
const COUNTS = /(?:Days|OnTime)$|^(?:days|onTime)$/;

function named(ref: IntrospectionTypeRef): string {
  return 'ofType' in ref && ref.ofType ? named(ref.ofType) : (ref as { name: string }).name;
}

t.test('no date or time in the schema is a String (or an Int instant)', async (t) => {
  const deps = await createTestDeps(t);
  const app = await build(deps);
  t.teardown(() => app.close());
  // the standard introspection query is deeper than the API's depth limit: type references three wrappers deep suffice
  const TYPE = 'fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
  const r = await graphqlClient(app)<IntrospectionQuery>(
    `{ __schema { types { kind name fields { name type { ...T } args { name type { ...T } } } inputFields { name type { ...T } } } } } ${TYPE}`,
  );
  t.same(r.errors, undefined);
  const offenders: string[] = [];
  const seen: string[] = [];
  const check = (where: string, name: string, type: IntrospectionTypeRef): void => {
    if (!DATE_LIKE.test(name)) return;
    const typeName = named(type);
    seen.push(`${where} ${typeName}`);
    if (
      typeName === 'String' ||
      typeName === 'ID' ||
      (typeName === 'Int' && !COUNTS.test(name)) ||
      typeName === 'Float'
    )
      offenders.push(`${where}: ${typeName}`);
  };
  for (const type of r.data!.__schema.types) {
    if (type.name.startsWith('__')) continue;
    if (type.kind === 'OBJECT' || type.kind === 'INTERFACE') {
      for (const f of type.fields) {
        check(`${type.name}.${f.name}`, f.name, f.type);
        for (const a of f.args) check(`${type.name}.${f.name}(${a.name})`, a.name, a.type);
      }
    }
    if (type.kind === 'INPUT_OBJECT') for (const f of type.inputFields) check(`${type.name}.${f.name}`, f.name, f.type);
  }
  t.same(offenders, [], 'dates are Date, instants DateTime');
  t.ok(seen.length > 30, `the walk saw the date-like fields (${seen.length})`);
  t.ok(
    seen.includes('Organisation.validUntil Date') &&
      seen.includes('DailyFigures.day Date') &&
      seen.includes('Story.publishedAt DateTime'),
    'including the ones that were String',
  );
  // the analytics period and the dormancy day are days too, though their names do not say so
  const query = r.data!.__schema.types.find((x) => x.name === 'Query');
  const argsOf = (field: string) =>
    (query && 'fields' in query ? (query.fields.find((f) => f.name === field)?.args ?? []) : []).map(
      (a) => `${a.name}:${named(a.type)}`,
    );
  t.same(
    argsOf('tenantAnalytics').filter((a) => /^(from|to):/.test(a)),
    ['from:Date', 'to:Date'],
  );
  t.same(
    argsOf('dormantAccounts').filter((a) => a.startsWith('asOf')),
    ['asOf:Date'],
  );
});

// What the API tells a stranger about its schema. In production (by default) nobody gets
// introspection, and errors do not suggest field, argument or type names ("Did you mean …");
// GRAPHQL_INTROSPECTION=true turns both back on. Outside production both are on.
import t, { type Test } from 'tap';
import { createTestDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import { build } from '../src/app.js';

const PRODUCTION: Record<string, string> = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused-by-tests',
  DATABASE_APP_PASSWORD: 'exposure-app-password-0123',
  SESSION_SECRET: 'exposure-session-secret-0123456789abcdef',
  BOOTSTRAP_OPERATOR_TOKEN: 'exposure-operator-token-0123456789',
  SMS_PROVIDER: 'http',
  SMS_HTTP_URL: 'http://127.0.0.1:9/sms',
  SMS_HTTP_TOKEN: 'exposure-sms-token',
};

const SCHEMA = '{ __schema { queryType { name } types { name } } }';
const TYPE = '{ __type(name: "Organisation") { fields { name } } }';
const HIDDEN = 'query { ...F } fragment F on Query { s: __schema { types { name } } }';
const TYPO_FIELD = '{ tenantTre { slug } }';
const TYPO_ARG = '{ auditLog(tenantId: "00000000-0000-4000-8000-000000000000", firs: 1) { edges { cursor } } }';
const TYPO_ENUM = 'mutation { createTenant(input: { slug: "x", name: "X", level: COUNTI }) { tenant { id } } }';

async function api(t: Test, env: Record<string, string>) {
  const deps = await createTestDeps(t, env);
  const app = await build(deps);
  t.teardown(() => app.close());
  return { deps, gql: graphqlClient(app), op: graphqlClient(app, { token: deps.config.bootstrapOperatorToken }) };
}

t.test('production: no introspection for anyone, no suggestions', async (t) => {
  const { deps, gql, op } = await api(t, PRODUCTION);
  t.equal(deps.config.env, 'production');
  t.equal(deps.config.graphqlIntrospection, false);
  for (const [what, q] of [
    ['__schema', SCHEMA],
    ['__type', TYPE],
  ]) {
    for (const [who, client] of [
      ['anonymous', gql],
      ['the platform operator', op],
    ] as const) {
      const r = await client(q!);
      t.equal(errorCode(r), 'INTROSPECTION_DISABLED', `${what}, ${who}: refused`);
      t.equal(r.data, null, 'and nothing of the schema answered');
      t.match(r.errors?.[0]?.message, /[\u4e00-\u9fff]/, 'in Chinese');
    }
  }
  t.equal(errorCode(await gql(HIDDEN)), 'INTROSPECTION_DISABLED', 'nor aliased inside a fragment');
  const typename = await gql('{ __typename viewer { id } }');
  t.same(typename.data, { __typename: 'Query', viewer: null }, '__typename still answers (clients need it)');
  for (const q of [TYPO_FIELD, TYPO_ARG, TYPO_ENUM]) {
    const r = await op(q);
    const message = r.errors?.[0]?.message ?? '';
    t.ok(r.errors?.length, `${q}: refused`);
    t.notMatch(message, /Did you mean/, `no suggestion: ${message}`);
    t.notMatch(message, /"(tenantTree|first|COUNTY)"/, 'the right name is not given away');
  }
});

t.test('production with GRAPHQL_INTROSPECTION=true: both on', async (t) => {
  const { deps, gql } = await api(t, { ...PRODUCTION, GRAPHQL_INTROSPECTION: 'true' });
  t.equal(deps.config.graphqlIntrospection, true);
  const r = await gql<{ __schema: { queryType: { name: string } } }>(SCHEMA);
  t.equal(r.data?.__schema.queryType.name, 'Query');
  t.match((await gql(TYPO_FIELD)).errors?.[0]?.message, /Did you mean "tenantTree"/);
});

t.test('development: both on by default, off when asked', async (t) => {
  const dev = await api(t, { NODE_ENV: 'development' });
  t.equal(dev.deps.config.graphqlIntrospection, true);
  const r = await dev.gql<{ __type: { fields: { name: string }[] } }>(TYPE);
  t.ok(
    r.data?.__type.fields.some((f) => f.name === 'validUntil'),
    'introspection answers',
  );
  t.match(
    (await dev.gql(TYPO_FIELD)).errors?.[0]?.message,
    /Did you mean "tenantTree"/,
    'suggestions help the developer',
  );
  t.match((await dev.gql(TYPO_ARG)).errors?.[0]?.message, /Did you mean "first"/);
  const closed = await api(t, { NODE_ENV: 'development', GRAPHQL_INTROSPECTION: 'false' });
  t.equal(errorCode(await closed.gql(SCHEMA)), 'INTROSPECTION_DISABLED');
  t.notMatch((await closed.gql(TYPO_FIELD)).errors?.[0]?.message, /Did you mean/);
});

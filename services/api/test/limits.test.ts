// Request limits of the API (cost, aliases, page sizes, lists, text sizes, uploads) and the 5xx
// the fuzzers found (each fixed, each pinned here). Persisted-queries-only: test/e2e/persisted-only.test.ts.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDiskStorage } from '@yiduan/storage';
import { createDemoDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { build } from '../src/app.js';
import { staffWith, PASSWORD } from './staff.js';

const codes = (body: string): string[] =>
  ((JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] }).errors ?? []).map(
    (e) => e.extensions?.code ?? '',
  );

t.test('limits: cost, aliases, pages, lists, sizes; fixed 5xx stay fixed', async (t) => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const dir = mkdtempSync(join(tmpdir(), 'yiduan-limits-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const app = await build(deps, { storage: new LocalDiskStorage(dir) });
  t.teardown(() => app.close());
  const ruyang = tenants.ruyang!.id;
  await staffWith(deps.db, 'lim-admin', ruyang, ['tenant_admin', 'editor', 'chief_editor']);
  const login = await graphqlClient(app)<{ login: { token: string } }>(
    `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
    { l: 'lim-admin', p: PASSWORD },
  );
  const token = login.data!.login.token;
  const gql = graphqlClient(app, { token });
  const raw = (payload: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      payload,
    });

  t.test('ordinary queries pass', async (t) => {
    const r = await gql(
      `query($t: ID!) { stories(tenantId: $t, first: 50) { edges { node { id revisions { title } events { id } } } } tenants { id children { id } } }`,
      { t: ruyang },
    );
    t.equal(r.errors, undefined);
  });

  t.test('cost: fragment fan-out and many full pages', async (t) => {
    const frags = [
      'fragment F0 on Query { tenants { id name } }',
      ...Array.from(
        { length: 6 },
        (_, i) => `fragment F${i + 1} on Query { ${Array.from({ length: 6 }, () => `...F${i}`).join(' ')} }`,
      ),
    ];
    const fan = await raw(JSON.stringify({ query: `query { ...F6 } ${frags.join(' ')}` }));
    // a request error: 200 under application/json (the default), 400 where the client reads status codes
    t.equal(fan.statusCode, 200);
    t.same(codes(fan.body), ['QUERY_TOO_COMPLEX']);
    t.notOk('data' in (fan.json() as object), 'not executed: no data entry');
    const strict = await raw(JSON.stringify({ query: `query { ...F6 } ${frags.join(' ')}` }), {
      accept: 'application/graphql-response+json',
    });
    t.equal(strict.statusCode, 400);
    t.same(codes(strict.body), ['QUERY_TOO_COMPLEX']);
    t.match(strict.headers['content-type'], /^application\/graphql-response\+json/);
    const pages = await gql(
      `{ ${Array.from({ length: 40 }, (_, i) => `p${i}: stories(tenantId: "${ruyang}", first: 200) { edges { node { id revisions { title } } } }`).join(' ')} }`,
    );
    t.equal(errorCode(pages), 'QUERY_TOO_COMPLEX');
  });

  t.test(
    'depth: introspection (GraphiQL documentation) passes where it is on; deep data and deep introspection do not',
    async (t) => {
      t.equal(deps.config.graphqlIntrospection, true, 'outside production');
      const intro = await gql<IntrospectionQuery>(
        getIntrospectionQuery({
          descriptions: true,
          specifiedByUrl: true,
          directiveIsRepeatable: true,
          schemaDescription: true,
          inputValueDeprecation: true,
        }),
      );
      t.equal(intro.errors, undefined, 'the standard introspection query (15 deep) is answered');
      t.ok(buildClientSchema(intro.data!).getType('Tenant'), 'and GraphiQL can build the schema from it');
      const nest = (n: number, field: string, leaf: string): string =>
        n === 0 ? leaf : `${field} { ${nest(n - 1, field, leaf)} }`;
      // tenants(1) + 11 children + id = 13 levels
      const deep = await gql(`{ tenants { ${nest(11, 'children', 'id')} } }`);
      t.equal(errorCode(deep), 'GRAPHQL_VALIDATION_FAILED', 'a data query deeper than 12 is refused');
      t.match(deep.errors?.[0]?.message, /嵌套过深/, 'in Chinese, saying why');
      t.equal(errorCode(await gql(`{ tenants { ${nest(10, 'children', 'id')} } }`)), undefined, '12 levels are fine');
      t.equal(
        errorCode(
          await gql(
            `query { __schema { types { name } } ...D } fragment D on Query { tenants { ${nest(11, 'children', 'id')} } }`,
          ),
        ),
        'GRAPHQL_VALIDATION_FAILED',
        'nor beside introspection, through a fragment',
      );
      t.equal(
        errorCode(await gql(`{ __schema { types { fields { type { ${nest(17, 'ofType', 'name')} } } } } }`)),
        'GRAPHQL_VALIDATION_FAILED',
        'introspection has its own bound (20)',
      );
      t.equal(
        errorCode(
          await gql(`{ __schema { ${Array.from({ length: 51 }, (_, i) => `a${i}: queryType { name }`).join(' ')} } }`),
        ),
        'TOO_MANY_ALIASES',
        'aliases count inside introspection',
      );
    },
  );

  t.test('aliases, page sizes and lists', async (t) => {
    t.equal(
      errorCode(await gql(`{ ${Array.from({ length: 51 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`)),
      'TOO_MANY_ALIASES',
    );
    t.equal(
      errorCode(await gql(`{ ${Array.from({ length: 50 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`)),
      undefined,
      '50 aliases are fine',
    );
    t.ok(
      codes(
        (
          await raw(
            JSON.stringify({ query: `{ stories(tenantId: "${ruyang}", first: 501) { edges { node { id } } } }` }),
          )
        ).body,
      ).includes('PAGE_TOO_LARGE'),
    );
    const literal = await gql(
      `mutation { withdrawPush(tenantId: "${ruyang}", storyId: "${ruyang}", tenantIds: [${Array.from({ length: 1001 }, (_, i) => `"${i}"`).join(',')}]) { id } }`,
    );
    t.equal(errorCode(literal), 'LIST_TOO_LONG');
    const variable = await gql(
      `mutation($ids: [ID!]) { withdrawPush(tenantId: "${ruyang}", storyId: "${ruyang}", tenantIds: $ids) { id } }`,
      { ids: Array.from({ length: 1001 }, (_, i) => String(i)) },
    );
    t.equal(variable.status, 400);
    t.equal(errorCode(variable), 'LIST_TOO_LONG');
  });

  t.test('sizes and shapes of the request', async (t) => {
    const long = await raw(JSON.stringify({ query: `{ viewer { id } } #${'x'.repeat(50_001)}` }));
    t.equal(long.statusCode, 413);
    t.same(codes(long.body), ['QUERY_TOO_LARGE']);
    const getLong = await app.inject({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent('{ viewer { id } }')}&variables=${'x'.repeat(300_000)}`,
      headers: { 'mercurius-require-preflight': '1' },
    });
    t.equal(getLong.statusCode, 413, `long GET variables: ${getLong.statusCode} ${getLong.body.slice(0, 200)}`);
    for (const q of ['42', 'true', '"{ viewer { id } }"', '{"kind":"Document","definitions":[]}', '[1]']) {
      const r = await raw(JSON.stringify({ query: q }));
      t.equal(r.statusCode, 400, `query text ${q} is refused`);
      t.same(codes(r.body), ['BAD_REQUEST']);
    }
    const body = await raw(JSON.stringify({ query: '{ viewer { id } }', variables: { x: 'y'.repeat(1_100_000) } }));
    t.equal(body.statusCode, 413, `the body limit holds: ${body.statusCode} ${body.body.slice(0, 200)}`);
  });

  t.test('subscriptions only over WebSocket', async (t) => {
    const r = await gql(`subscription { reviewQueueChanged(tenantId: "${ruyang}") { storyId } }`);
    t.equal(errorCode(r), 'SUBSCRIPTION_OVER_HTTP');
  });

  t.test('fixed: validation errors keep their detail and code; JIT variable errors have a code', async (t) => {
    const q = 'query($t: ID!) { reviewChain(tenantId: $t) }';
    for (let i = 0; i < 3; i++) await gql(q, { t: ruyang }); // compiled by the JIT now
    const r = await gql(q, { t: { not: 'an id' } });
    t.equal(r.status, 200, 'a request error under application/json');
    t.equal(errorCode(r), 'BAD_USER_INPUT', 'a variable of the wrong shape is the caller’s input, compiled or not');
    const unknown = await gql('{ nope }');
    t.match(unknown.errors?.[0]?.message, /nope/, 'the validation message names the problem');
  });

  t.test('fixed: TerminologyRule.tenant resolves (was a 500)', async (t) => {
    const r = await gql<{ terminologyRules: { tenant: { slug: string } }[] }>(
      `query($t: ID!) { terminologyRules(tenantId: $t) { pattern tenant { slug } } }`,
      { t: ruyang },
    );
    t.equal(r.errors, undefined);
    t.ok(r.data!.terminologyRules.every((x) => ['ruyang', 'luoyang', 'henan'].includes(x.tenant.slug)));
  });

  t.test('fixed: NUL bytes reaching PostgreSQL are the client’s error (400), not a 500', async (t) => {
    const r = await gql(`mutation($t: ID!, $i: RuleInput!) { createTerminologyRule(tenantId: $t, input: $i) { id } }`, {
      t: ruyang,
      i: { pattern: 'a\u0000b', kind: 'LITERAL', severity: 'WARN' },
    });
    t.equal(errorCode(r), 'BAD_USER_INPUT');
  });

  t.test('fixed: malformed multipart uploads are 400, not 500', async (t) => {
    const headers = (ct: string) => ({ 'content-type': ct, authorization: `Bearer ${token}` });
    const url = `/assets?tenantId=${ruyang}`;
    const noBoundary = await app.inject({
      method: 'POST',
      url,
      headers: headers('multipart/form-data'),
      payload: 'xx',
    });
    t.equal(noBoundary.statusCode, 400);
    const truncated = await app.inject({
      method: 'POST',
      url,
      headers: headers('multipart/form-data; boundary=abc'),
      payload:
        '--abc\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nxxxx',
    });
    t.equal(truncated.statusCode, 400);
    t.match(truncated.json(), { code: 'BAD_USER_INPUT' });
  });
});

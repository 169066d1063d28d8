// GraphQL over HTTP details the audit (test/e2e/graphql-http-audit.test.ts) does not pin: Accept
// negotiation with q-values, 406, Vary, and request parameters of the wrong type.
import t from 'tap';
import { createTestDeps } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { responseMedia } from '../src/graphql-http.js';

t.test('responseMedia picks the most preferred acceptable type', async (t) => {
  t.equal(responseMedia(undefined), 'application/json', 'no Accept: application/json (legacy clients)');
  t.equal(responseMedia(''), 'application/json');
  t.equal(responseMedia('*/*'), 'application/json');
  t.equal(
    responseMedia('application/graphql-response+json, application/json'),
    'application/graphql-response+json',
    'first listed on a tie',
  );
  t.equal(responseMedia('application/json, application/graphql-response+json'), 'application/json');
  t.equal(
    responseMedia('application/json;q=0.5, application/graphql-response+json;q=0.9'),
    'application/graphql-response+json',
    'by q-value',
  );
  t.equal(responseMedia('application/graphql-response+json; charset=utf-8'), 'application/graphql-response+json');
  t.equal(responseMedia('text/html, application/*;q=0.1'), 'application/json');
  t.equal(responseMedia('text/html'), null);
  t.equal(responseMedia('application/json;q=0'), null, 'q=0 is a refusal');
});

t.test('/graphql over HTTP: media types, status codes, parameters', async (t) => {
  const deps = await createTestDeps(t);
  const app = await build(deps);
  t.teardown(() => app.close());
  const post = (body: unknown, accept?: string) =>
    app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) },
      payload: JSON.stringify(body),
    });
  const GQL = 'application/graphql-response+json';

  const ok = await post({ query: '{ __typename }' }, GQL);
  t.equal(ok.statusCode, 200);
  t.match(ok.headers['content-type'], /^application\/graphql-response\+json; charset=utf-8/);
  t.match(ok.headers.vary, /Accept/, 'caches keep the two encodings apart');
  t.same(ok.json(), { data: { __typename: 'Query' } });
  const json = await post({ query: '{ __typename }' });
  t.match(json.headers['content-type'], /^application\/json/);

  for (const [what, query] of [
    ['parse error', '{'],
    ['unknown field', '{ nope }'],
  ]) {
    const strict = await post({ query }, GQL);
    t.equal(strict.statusCode, 400, `${what}: 400 under ${GQL}`);
    t.notOk('data' in (strict.json() as object), 'without a data entry');
    const legacy = await post({ query }, 'application/json');
    t.equal(legacy.statusCode, 200, `${what}: 200 under application/json`);
    t.notOk('data' in (legacy.json() as object));
  }
  const executed = await post({ query: '{ grants(tenantId: "00000000-0000-4000-8000-000000000000") { id } }' }, GQL);
  t.equal(executed.statusCode, 200, 'a field error after execution: 200 with data');
  t.ok('data' in (executed.json() as object));

  const refused = await post({ query: '{ __typename }' }, 'text/html');
  t.equal(refused.statusCode, 406, 'nothing acceptable: 406');
  t.equal(
    (refused.json() as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
    'NOT_ACCEPTABLE',
  );

  t.equal(
    (await post({ query: '{ __typename }', extensions: null })).statusCode,
    200,
    'extensions: null is no extensions',
  );
  for (const [what, body] of [
    ['a number as operationName', { query: '{ __typename }', operationName: 7 }],
    ['a boolean as operationName', { query: '{ __typename }', operationName: true }],
    ['a number as variables', { query: '{ __typename }', variables: 7 }],
    ['a list as variables', { query: '{ __typename }', variables: [7] }],
    ['a list as query', { query: ['{ __typename }'] }],
  ] as const) {
    const r = await post(body, GQL);
    t.equal(r.statusCode, 400, `${what}: 400`);
    t.match(r.json(), { errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  }
});

// Persisted-queries-only mode, as production runs it: GRAPHQL_PERSISTED_ONLY with the manifest the
// console's build writes (GRAPHQL_OPERATIONS). The console's own operations are answered, sent as
// text or as a hash, over HTTP and over WebSocket; anything else (a hand-made query, introspection,
// the same query with one more space, an unknown subscription) is refused before it is parsed.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { build } from '@yiduan/api';
import { createDemoDeps, createTestDeps } from '@yiduan/testkit';
import { WEB_ROOT } from '../../services/console/src/build.js';
import { extractOperations, operationHash, writeManifest } from '../../services/console/src/operations.js';
import { staffWith, PASSWORD } from './helpers.js';

function nextMessage(ws: WebSocket, types: string[], timeoutMs = 5000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${types.join('/')} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (raw: WebSocket.RawData) => {
      const msg = JSON.parse(String(raw)) as Record<string, unknown>;
      if (!types.includes(String(msg.type))) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(msg);
    };
    ws.on('message', onMessage);
  });
}

t.test('persisted-queries-only: the console works, nothing else is answered', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'yd-persisted-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const count = writeManifest(WEB_ROOT, dir);
  const manifest = join(dir, 'operations.json');
  const deps = await createDemoDeps(t, 'tree', { GRAPHQL_PERSISTED_ONLY: 'true', GRAPHQL_OPERATIONS: manifest });
  const { tenants } = deps;
  await staffWith(deps.db, 'po-editor', tenants.ruyang!.id, ['editor']);
  const app = await build(deps);
  t.teardown(() => app.close());
  t.comment(`${count} registered operations`);

  const ops = extractOperations(WEB_ROOT);
  const op = (pattern: RegExp): string => {
    const found = ops.find((o) => pattern.test(o.text));
    if (!found) throw new Error(`no console operation matches ${pattern}`);
    return found.text;
  };
  const LOGIN = op(/^mutation Login\(/);
  const VIEWER = op(/^query Viewer\b/);
  const QUEUE_SUB = op(/^subscription Q\(/);

  const post = (body: unknown, token?: string) =>
    app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: JSON.stringify(body),
    });
  const codeOf = (body: string): string | undefined =>
    (JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;

  // the console's own operations, as the console sends them
  const login = await post({ query: LOGIN, variables: { login: 'po-editor', password: PASSWORD } });
  t.equal(login.statusCode, 200, 'the console signs in');
  const token = (login.json() as { data: { login: { token: string } } }).data.login.token;
  const viewer = await post({ query: VIEWER }, token);
  t.equal(viewer.statusCode, 200);
  t.equal(
    (viewer.json() as { data: { viewer: { login: string } } }).data.viewer.login,
    'po-editor',
    'and reads who it is',
  );
  const byHash = await post({ query: operationHash(VIEWER), persisted: true }, token);
  t.equal(byHash.statusCode, 200, 'a registered operation may also be sent by its hash');
  t.same(byHash.json(), viewer.json());

  // everything else is refused before parsing, with a code
  const refusals: [string, unknown][] = [
    ['a hand-made query', { query: '{ tenants { slug } }' }],
    ['introspection', { query: '{ __schema { types { name fields { name } } } }' }],
    ['a registered query with one more space', { query: `${VIEWER} ` }],
    [
      'a registered mutation with a field added',
      {
        query: LOGIN.replace('{ token }', '{ token expiresAt }'),
        variables: { login: 'po-editor', password: PASSWORD },
      },
    ],
    ['an unknown hash', { query: operationHash('{ tenants { slug } }'), persisted: true }],
  ];
  for (const [what, body] of refusals) {
    const res = await post(body, token);
    t.equal(res.statusCode, 400, `${what}: 400`);
    t.ok(
      ['PERSISTED_QUERY_NOT_FOUND', 'MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND'].includes(codeOf(res.body) ?? ''),
      `${what}: ${codeOf(res.body)}`,
    );
  }
  const ad = await post({ query: '{ tenants { slug } }' });
  t.match(
    ad.json(),
    {
      data: null,
      errors: [{ message: '该请求不在已登记的操作之列', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
    },
    'a Chinese message',
  );
  t.equal((await app.inject({ method: 'GET', url: '/graphiql' })).statusCode, 404, 'no GraphiQL');

  // subscriptions over WebSocket: the console's queue subscription is accepted, another is refused
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
  t.teardown(() => ws.close());
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await nextMessage(ws, ['connection_ack']);
  const ruyang = tenants.ruyang!.id;
  const stray = nextMessage(ws, ['error', 'next']);
  ws.send(
    JSON.stringify({
      id: 'x',
      type: 'subscribe',
      payload: {
        query: `subscription($t: ID!) { reviewQueueChanged(tenantId: $t) { storyId } }`,
        variables: { t: ruyang },
      },
    }),
  );
  const refused = await stray;
  t.equal(refused.type, 'error', 'an unregistered subscription is refused');
  t.match(JSON.stringify(refused.payload), /PERSISTED_QUERY_NOT_FOUND|不在已登记的操作之列/);
  // the registered one stays open: no error arrives for it while a query goes through
  const noError = nextMessage(ws, ['error'], 1500).then(
    (m) => m,
    () => null,
  );
  ws.send(
    JSON.stringify({ id: 'q', type: 'subscribe', payload: { query: QUEUE_SUB, variables: { tenantId: ruyang } } }),
  );
  t.equal(await noError, null, "the console's review-queue subscription is accepted");
});

t.test('persisted-only refuses to start without a sound manifest', async (t) => {
  const deps = await createTestDeps(t, { GRAPHQL_PERSISTED_ONLY: 'true' });
  await t.rejects(
    build(deps),
    /GRAPHQL_PERSISTED_ONLY needs GRAPHQL_OPERATIONS/,
    'no manifest: no start (refusing every query would look like an outage)',
  );
  const dir = mkdtempSync(join(tmpdir(), 'yd-persisted-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'operations.json');
  const text = '{ tenants { slug } }';
  writeFileSync(path, JSON.stringify({ version: 1, operations: { [operationHash('{ viewer { id } }')]: text } }));
  const tampered = await createTestDeps(t, { GRAPHQL_PERSISTED_ONLY: 'true', GRAPHQL_OPERATIONS: path });
  await t.rejects(build(tampered), /is not the SHA-256 of its text/, 'an entry whose key is not its hash');
  const missing = await createTestDeps(t, {
    GRAPHQL_PERSISTED_ONLY: 'true',
    GRAPHQL_OPERATIONS: join(dir, 'nope.json'),
  });
  await t.rejects(build(missing), /cannot read/);
});

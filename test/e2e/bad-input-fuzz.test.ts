// Bad-input fuzzer: schema-aware random and hostile GraphQL (every operation of the introspected
// schema with corrupted arguments; deep, wide, cyclic and oversized documents; broken bodies,
// content types and headers), hostile uploads, and hostile paths, query strings, hosts and form
// posts against every route the portal registers (read from `printRoutes`). Every answer must be
// a 4xx or a GraphQL error carrying `extensions.code`: never a 5xx, never a crash.
// Replay a run with FUZZ_SEED=<seed printed below>.
import t, { type Test } from 'tap';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { build as buildApi } from '@yiduan/api';
import { createSession, samplePng } from '@yiduan/core';
import { LocalDiskStorage } from '@yiduan/storage';
import { withPlatform } from '@yiduan/db';
import { build as buildPortal } from '@yiduan/portal';
import { createDemoDeps } from '@yiduan/testkit';
import { staffWith } from './helpers.js';
import { corrupt, hostileDocuments, hostileValue, literal } from './fuzz/hostile.js';
import { prng, seedFromEnv, type Prng } from './fuzz/prng.js';
import { routesOf } from './fuzz/routes.js';
import { document, introspect, operations } from './fuzz/schema.js';
import { argsFor } from './fuzz/values.js';

const RANDOM_OPERATIONS = 700;
const VARIANTS_PER_ROUTE = 10;

interface Failure {
  label: string;
  status: number;
  body: string;
}

/** Records every answer; a 5xx, or a GraphQL error without a code, is a failure. */
function recorder() {
  const failures: Failure[] = [];
  let cases = 0;
  const check = (label: string, res: LightMyRequestResponse, graphql = false): void => {
    cases++;
    const body = res.body.slice(0, 300);
    if (res.statusCode >= 500) {
      failures.push({ label, status: res.statusCode, body });
      return;
    }
    if (!graphql || !String(res.headers['content-type'] ?? '').includes('json')) return;
    let parsed: unknown;
    try {
      parsed = res.json();
    } catch {
      failures.push({ label: `${label} (unparseable JSON)`, status: res.statusCode, body });
      return;
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    for (const item of list as { errors?: { extensions?: { code?: string } }[] }[]) {
      for (const e of item?.errors ?? []) {
        if (!e.extensions?.code)
          failures.push({ label: `${label} (error without extensions.code)`, status: res.statusCode, body });
        else if (e.extensions.code === 'INTERNAL')
          failures.push({ label: `${label} (INTERNAL)`, status: res.statusCode, body });
      }
    }
  };
  return { failures, check, count: () => cases };
}

function multipart(
  fields: Record<string, string>,
  files: { name: string; type: string; data: Buffer }[],
  boundary = '----fuzz' + randomUUID(),
) {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function world(t: Test) {
  const deps = await createDemoDeps(t, 'tree', { ASSET_MAX_BYTES: '20000' });
  const { tenants } = deps;
  const dir = mkdtempSync(join(tmpdir(), 'yiduan-badinput-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const storage = new LocalDiskStorage(dir);
  const ruyang = tenants.ruyang!;
  const staff = await staffWith(deps.db, 'bad-input-editor', ruyang.id, [
    'reporter',
    'editor',
    'reviewer',
    'chief_editor',
    'tenant_admin',
  ]);
  const token = (await withPlatform(deps.db, (trx) => createSession(trx, staff.id))).token;
  /** a fresh session: the random operations may well have signed the first one out */
  const freshToken = async (): Promise<string> =>
    (await withPlatform(deps.db, (trx) => createSession(trx, staff.id))).token;
  return { deps, tenants, ruyang, storage, token, freshToken };
}

t.test('the API answers hostile GraphQL, bodies, headers and uploads with 4xx or coded errors', async (t) => {
  const started = Date.now();
  const seed = seedFromEnv();
  const rnd: Prng = prng(seed);
  const w = await world(t);
  const app: FastifyInstance = await buildApi(w.deps, { storage: w.storage });
  t.teardown(() => app.close());
  const { failures, check, count } = recorder();
  const operator = w.deps.config.bootstrapOperatorToken;
  const tokens = [null, w.token, operator, 'not-a-token', 'Bearer-ish ' + 'x'.repeat(5000)];
  const post = (
    payload: unknown,
    headers: Record<string, string> = {},
    token: string | null = null,
  ): Promise<LightMyRequestResponse> =>
    app.inject({
      method: 'POST',
      url: '/graphql',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
    });

  // 1. every operation of the schema, arguments valid-looking and then corrupted
  const schema = await introspect(app);
  const ops = operations(schema);
  const idPool = [w.ruyang.id, w.tenants.henan!.id, randomUUID(), 'not-a-uuid', ''];
  for (let i = 0; i < RANDOM_OPERATIONS; i++) {
    const op = ops[i % ops.length]!;
    const args = corrupt(argsFor(schema, op, { rnd, ids: () => rnd.pick(idPool) }), rnd);
    const token = rnd.pick(tokens);
    if (rnd.chance(0.25)) {
      // arguments written inline: type errors surface in validation rather than coercion
      const inline = Object.entries(args)
        .map(([k, v]) => `${k}: ${literal(v)}`)
        .join(', ');
      const doc = document(schema, op, {}).replace(
        `{ ${op.field.name}`,
        `{ ${op.field.name}${inline ? `(${inline})` : ''}`,
      );
      check(`inline ${op.field.name}`, await post({ query: doc }, {}, token), true);
    } else {
      check(
        `random ${op.field.name} ${JSON.stringify(args).slice(0, 120)}`,
        await post({ query: document(schema, op, args, 2), variables: args }, {}, token),
        true,
      );
    }
  }
  t.ok(ops.length > 50, `${ops.length} operations from the schema`);

  // 2. documents built to exhaust the server
  const refusals: Record<string, string> = {};
  const signedIn = await w.freshToken();
  for (const d of hostileDocuments(w.ruyang.id)) {
    const res = await post(
      {
        query: d.query,
        ...(d.variables !== undefined ? { variables: d.variables } : {}),
        ...(d.operationName ? { operationName: d.operationName } : {}),
      },
      {},
      signedIn,
    );
    check(`document: ${d.name}`, res, true);
    refusals[d.name] = ((res.json() as { errors?: { extensions?: { code?: string } }[] }).errors ?? [])
      .map((e) => e.extensions?.code)
      .join(' ');
  }
  if (process.env.FUZZ_DEBUG) t.comment(JSON.stringify(refusals));
  t.match(refusals['alias bomb'], /TOO_MANY_ALIASES/, 'alias bombs are refused');
  t.match(refusals['fragment fan-out'], /QUERY_TOO_COMPLEX/, 'fragment fan-out is priced and refused');
  t.match(refusals['many full pages'], /QUERY_TOO_COMPLEX/, 'many full pages are priced and refused');
  t.match(refusals['page size'], /PAGE_TOO_LARGE/, 'page sizes are bounded');
  t.match(refusals['huge list literal'], /LIST_TOO_LONG/, 'list literals are bounded');
  t.match(refusals['huge list variable'], /LIST_TOO_LONG/, 'lists in variables are bounded');
  t.match(refusals['oversized query text'], /QUERY_TOO_LARGE/, 'query text is bounded');
  t.match(refusals['deep nesting'], /GRAPHQL_VALIDATION_FAILED/, 'deep nesting is refused');
  t.match(refusals['subscription over HTTP'], /SUBSCRIPTION_OVER_HTTP/, 'subscriptions only over WebSocket');

  // 3. broken transport: bodies, content types, methods, headers
  const valid = JSON.stringify({ query: '{ viewer { id } }' });
  const transport: [string, InjectOptions][] = [
    [
      'malformed JSON',
      { method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '{"query":' },
    ],
    [
      'JSON null',
      { method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: 'null' },
    ],
    [
      'JSON string',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: '"{ viewer { id } }"',
      },
    ],
    [
      'JSON number',
      { method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '123' },
    ],
    ['empty body', { method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '' }],
    [
      'query not a string',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: '{"query":{"a":1}}',
      },
    ],
    [
      'query a number',
      { method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '{"query":42}' },
    ],
    [
      'proto pollution',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: '{"query":"{ viewer { id } }","__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}',
      },
    ],
    [
      'batched',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify([{ query: '{ viewer { id } }' }, { query: '{ tenants { id } }' }]),
      },
    ],
    [
      'batched many',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(Array.from({ length: 500 }, () => ({ query: '{ tenants { id } }' }))),
      },
    ],
    [
      'invalid UTF-8',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: Buffer.concat([
          Buffer.from('{"query":"{ tenant(slug: \\"'),
          Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
          Buffer.from('\\") { id } }"}'),
        ]),
      },
    ],
    [
      'lone surrogate escape',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: '{"query":"query($s: String) { tenant(slug: $s) { id } }","variables":{"s":"\\ud800\\u0000"}}',
      },
    ],
    [
      'huge body',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ query: '{ viewer { id } }', variables: { x: 'y'.repeat(2_000_000) } }),
      },
    ],
    [
      'deep JSON body',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: `{"query":"{ viewer { id } }","variables":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
      },
    ],
    ['text/plain', { method: 'POST', url: '/graphql', headers: { 'content-type': 'text/plain' }, payload: valid }],
    [
      'form encoded',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'query=%7B%20viewer%20%7B%20id%20%7D%20%7D',
      },
    ],
    [
      'application/graphql',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/graphql' },
        payload: '{ viewer { id } }',
      },
    ],
    ['multipart to graphql', { method: 'POST', url: '/graphql', ...multipart({ operations: valid }, []) }],
    ['no content type', { method: 'POST', url: '/graphql', payload: valid }],
    [
      'odd charset',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json; charset=latin1' },
        payload: valid,
      },
    ],
    [
      'absurd content type',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': `application/${'x'.repeat(5000)}` },
        payload: valid,
      },
    ],
    ['GET query', { method: 'GET', url: '/graphql?query=%7B%20viewer%20%7B%20id%20%7D%20%7D' }],
    ['GET mutation', { method: 'GET', url: '/graphql?query=mutation%20%7B%20logout%20%7D' }],
    [
      'GET malformed variables',
      { method: 'GET', url: '/graphql?query=%7B%20viewer%20%7B%20id%20%7D%20%7D&variables=%7Bnope' },
    ],
    ['GET broken escape', { method: 'GET', url: '/graphql?query=%E0%A4%A' }],
    [
      'GET huge query',
      { method: 'GET', url: `/graphql?query=${encodeURIComponent(`{ viewer { id } } #${'x'.repeat(60_000)}`)}` },
    ],
    ['PUT', { method: 'PUT', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: valid }],
    ['DELETE', { method: 'DELETE', url: '/graphql' }],
    ['OPTIONS', { method: 'OPTIONS', url: '/graphql' }],
    [
      'garbage bearer',
      {
        method: 'POST',
        url: '/graphql',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${'\u00ff'.repeat(3)}${'x'.repeat(10_000)}`,
        },
        payload: valid,
      },
    ],
    [
      'basic auth',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', authorization: 'Basic YWRtaW46YWRtaW4=' },
        payload: valid,
      },
    ],
    [
      'junk cookie',
      {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', cookie: `yd_staff=${'%'.repeat(50)}; yd_staff=; =;;` },
        payload: valid,
      },
    ],
    ['odd path', { method: 'GET', url: '/graphql/../graphiql/%2e%2e/%00' }],
    ['long path', { method: 'GET', url: `/${'a'.repeat(20_000)}` }],
    ['percent path', { method: 'GET', url: '/%' }],
    ['root', { method: 'GET', url: '/' }],
  ];
  for (const [name, req] of transport) check(`transport: ${name}`, await app.inject(req), true);

  // 4. uploads: over the limit, wrong type, wrong shape
  const png = samplePng(16, 16);
  const uploader = await w.freshToken();
  const upload = (
    url: string,
    body: { payload: Buffer; headers: Record<string, string> },
    token: string | null = uploader,
  ) =>
    app.inject({
      method: 'POST',
      url,
      payload: body.payload,
      headers: { ...body.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  const to = `/assets?tenantId=${w.ruyang.id}`;
  const big = await upload(
    to,
    multipart({}, [{ name: 'big.png', type: 'image/png', data: Buffer.concat([png, Buffer.alloc(40_000)]) }]),
  );
  t.equal(big.statusCode, 413, 'an upload over the limit is refused with 413');
  check('upload: over the limit', big);
  const uploads: [string, () => Promise<LightMyRequestResponse>][] = [
    [
      'text as png',
      () => upload(to, multipart({}, [{ name: 'x.png', type: 'image/png', data: Buffer.from('hello, not an image') }])),
    ],
    [
      'svg with script',
      () =>
        upload(
          to,
          multipart({}, [
            {
              name: 'x.svg',
              type: 'image/svg+xml',
              data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
            },
          ]),
        ),
    ],
    [
      'html as jpeg',
      () =>
        upload(
          to,
          multipart({}, [
            { name: 'x.jpg', type: 'image/jpeg', data: Buffer.from('<html><script>alert(1)</script></html>') },
          ]),
        ),
    ],
    [
      'truncated png',
      () => upload(to, multipart({}, [{ name: 'x.png', type: 'image/png', data: png.subarray(0, 40) }])),
    ],
    ['empty file', () => upload(to, multipart({}, [{ name: 'x.png', type: 'image/png', data: Buffer.alloc(0) }]))],
    [
      'two files',
      () =>
        upload(
          to,
          multipart({}, [
            { name: 'a.png', type: 'image/png', data: png },
            { name: 'b.png', type: 'image/png', data: png },
          ]),
        ),
    ],
    ['no file', () => upload(to, multipart({ alt: 'x' }, []))],
    [
      'many fields',
      () =>
        upload(
          to,
          multipart(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, 'x'])), [
            { name: 'a.png', type: 'image/png', data: png },
          ]),
        ),
    ],
    [
      'huge field',
      () => upload(to, multipart({ alt: 'x'.repeat(100_000) }, [{ name: 'a.png', type: 'image/png', data: png }])),
    ],
    [
      'hostile file name',
      () => upload(to, multipart({}, [{ name: '../../etc/passwd\u0000.png', type: 'image/png', data: png }])),
    ],
    ['NUL in alt', () => upload(to, multipart({ alt: 'a\u0000b' }, [{ name: 'a.png', type: 'image/png', data: png }]))],
    [
      'boundary mismatch',
      () =>
        app.inject({
          method: 'POST',
          url: to,
          headers: { 'content-type': 'multipart/form-data; boundary=abc', authorization: `Bearer ${uploader}` },
          payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nxx\r\n--xyz--',
        }),
    ],
    [
      'unterminated multipart',
      () =>
        app.inject({
          method: 'POST',
          url: to,
          headers: { 'content-type': 'multipart/form-data; boundary=abc', authorization: `Bearer ${uploader}` },
          payload:
            '--abc\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n' +
            'x'.repeat(100),
        }),
    ],
    [
      'no boundary',
      () =>
        app.inject({
          method: 'POST',
          url: to,
          headers: { 'content-type': 'multipart/form-data', authorization: `Bearer ${uploader}` },
          payload: 'xx',
        }),
    ],
    [
      'JSON instead',
      () =>
        app.inject({
          method: 'POST',
          url: to,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${uploader}` },
          payload: '{"file":"x"}',
        }),
    ],
    ['no tenant', () => upload('/assets', multipart({}, [{ name: 'a.png', type: 'image/png', data: png }]))],
    [
      'garbage tenant',
      () => upload('/assets?tenantId=%00%ff', multipart({}, [{ name: 'a.png', type: 'image/png', data: png }])),
    ],
    [
      'tenant list',
      () =>
        upload(
          `/assets?tenantId=${w.ruyang.id}&tenantId=${w.ruyang.id}`,
          multipart({}, [{ name: 'a.png', type: 'image/png', data: png }]),
        ),
    ],
    [
      'unknown tenant',
      () =>
        upload(`/assets?tenantId=${randomUUID()}`, multipart({}, [{ name: 'a.png', type: 'image/png', data: png }])),
    ],
    ['anonymous', () => upload(to, multipart({}, [{ name: 'a.png', type: 'image/png', data: png }]), null)],
    ['asset not a uuid', () => app.inject({ method: 'GET', url: '/assets/..%2F..%2Fetc%2Fpasswd' })],
    ['asset NUL', () => app.inject({ method: 'GET', url: '/assets/%00' })],
    ['asset unknown', () => app.inject({ method: 'GET', url: `/assets/${randomUUID()}` })],
  ];
  for (const [name, fn] of uploads) check(`upload: ${name}`, await fn());

  // 5. still standing
  const health = await app.inject({ method: 'GET', url: '/health' });
  t.equal(health.statusCode, 200, 'the API still answers /health');
  const viewer = await post({ query: '{ viewer { id } }' }, {}, await w.freshToken());
  t.equal(viewer.statusCode, 200, 'and still answers a plain query');
  t.ok((viewer.json() as { data: { viewer: unknown } }).data.viewer, 'as a signed-in viewer');

  for (const f of failures.slice(0, 25)) t.comment(`5XX/UNCODED ${f.label}: ${f.status} ${f.body}`);
  t.comment(
    `bad-input fuzz (API): seed ${seed}; ${count()} cases, ${failures.length} failures (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  t.equal(failures.length, 0, 'no 5xx and no error without a code');
});

t.test('the faces answer hostile paths, query strings, hosts and form posts without a 5xx', async (t) => {
  const started = Date.now();
  const seed = seedFromEnv();
  const rnd: Prng = prng(seed ^ 0x5eed);
  const w = await world(t);
  const app = await buildPortal(w.deps, { storage: w.storage });
  t.teardown(() => app.close());
  await app.ready();
  const { failures, check, count } = recorder();
  const routes = routesOf(app);
  t.ok(routes.length > 10, `${routes.length} routes read from the portal`);
  const face = 'ruyang.localhost';
  const params = [
    '1',
    '0',
    '-1',
    randomUUID(),
    'not-a-uuid',
    '%00',
    '%ff%fe',
    '..%2F..%2Fetc%2Fpasswd',
    '%E0%A4%A',
    encodeURIComponent('<script>alert(1)</script>'),
    'a'.repeat(3000),
    encodeURIComponent('汝阳'),
    '1e309',
    '%F0%9F',
    encodeURIComponent('\u202e'),
  ];
  const queries = [
    '',
    '?page=-1',
    '?page=1e309',
    '?page=abc',
    '?page[]=1&page[]=2',
    '?page=99999999999',
    `?q=${'x'.repeat(5000)}`,
    '?q=%ED%A0%80',
    '?q=%00',
    '?q=%',
    '?__proto__[x]=1&constructor[prototype][y]=2',
    '?return=https://evil.example/&next=//evil.example',
    '?redirect_uri=javascript:alert(1)&state=%ff&code=x',
    `?${'a=1&'.repeat(2000)}`,
  ];
  const fieldNames = [
    'body',
    'title',
    'reason',
    'name',
    'displayName',
    'phone',
    'email',
    'code',
    'password',
    'unitId',
    'category',
    'news',
    'contact',
    'share_parent',
    'rating',
    'storyId',
    'parentId',
    '_csrf',
    'csrf',
    'returnTo',
    'allowPublic',
    'photos',
    'membershipId',
    'purpose',
    'granted',
  ];
  const formValue = (): string => {
    const v = hostileValue(rnd);
    return typeof v === 'string' ? v.slice(0, 20_000) : (JSON.stringify(v)?.slice(0, 20_000) ?? '');
  };
  const hostFor = (host: string | null): string => host ?? face;

  for (const r of routes) {
    for (let i = 0; i < VARIANTS_PER_ROUTE; i++) {
      const path = r.path.replace(/:[^/]+/g, () => rnd.pick(params));
      const url = path + rnd.pick(queries);
      const method = rnd.pick(r.methods);
      const headers: Record<string, string> = { host: hostFor(r.host) };
      let payload: string | Buffer | undefined;
      if (method === 'POST') {
        const form = new URLSearchParams();
        for (const n of fieldNames) if (rnd.chance(0.4)) form.append(n, formValue());
        const kind = rnd.int(6);
        if (kind <= 2) {
          headers['content-type'] = 'application/x-www-form-urlencoded';
          payload = form.toString();
        } else if (kind === 3) {
          headers['content-type'] = 'application/json';
          payload = JSON.stringify(Object.fromEntries(form));
        } else if (kind === 4) {
          const m = multipart(Object.fromEntries(form), [{ name: 'a.png', type: 'image/png', data: Buffer.from('x') }]);
          Object.assign(headers, m.headers);
          payload = m.payload;
        } else {
          headers['content-type'] = 'application/x-www-form-urlencoded';
          payload = `body=${'%E0%A4%A'.repeat(10)}&&&=&%=%&${'x'.repeat(70_000)}`;
        }
        if (rnd.chance(0.3))
          headers.cookie = `yd_citizen=${formValue()
            .slice(0, 200)
            .replace(/[^\x21-\x7e]/g, 'x')}; yd_csrf=x`;
        if (rnd.chance(0.3)) headers.origin = 'https://evil.example';
      }
      check(
        `${method} ${r.host ?? ''}${url.slice(0, 120)}`,
        await app.inject({
          method: method as InjectOptions['method'],
          url,
          headers,
          ...(payload !== undefined ? { payload } : {}),
        }),
      );
    }
    // methods the route does not have
    check(
      `PATCH ${r.path}`,
      await app.inject({ method: 'PATCH', url: r.path.replace(/:[^/]+/g, '1'), headers: { host: hostFor(r.host) } }),
    );
  }
  const hosts = [
    '',
    'unknown.example',
    'a'.repeat(300),
    '[::1]',
    '127.0.0.1',
    'RUYANG.LOCALHOST',
    'ruyang.localhost.',
    'ruyang.localhost:99999',
    'ruyang.localhost:abc',
    'xn--fiq228c.localhost',
    '汝阳.localhost',
    'ruyang.localhost@evil.example',
    '%00.localhost',
    'account.localhost',
    '.localhost',
    'localhost',
  ];
  for (const host of hosts)
    for (const url of ['/', '/search?q=%E6%B1%9D', '/rss.xml', '/sitemap.xml', '/robots.txt', '/follow'])
      check(
        `host ${JSON.stringify(host).slice(0, 40)} ${url}`,
        await app.inject({ method: 'GET', url, headers: { host } }),
      );
  const raw = [
    '/%',
    '/%%30%30',
    '/..%2f..%2f',
    `/${'a/'.repeat(3000)}`,
    '/s/%ff',
    '/a/%00',
    '/search?q=' + '%F0'.repeat(1000),
    '//evil.example',
    '/\\evil.example',
    '/?' + 'x'.repeat(30_000),
  ];
  for (const url of raw)
    check(`raw ${url.slice(0, 60)}`, await app.inject({ method: 'GET', url, headers: { host: face } }));

  const health = await app.inject({ method: 'GET', url: '/health', headers: { host: face } });
  t.equal(health.statusCode, 200, 'the portal still answers /health');
  const home = await app.inject({ method: 'GET', url: '/', headers: { host: face } });
  t.equal(home.statusCode, 200, 'and still serves a face');

  for (const f of failures.slice(0, 25))
    t.comment(`5XX ${f.label}: ${f.status} ${f.body.replace(/\s+/g, ' ').slice(0, 200)}`);
  t.comment(
    `bad-input fuzz (portal): seed ${seed}; ${routes.length} routes; ${count()} cases, ${failures.length} failures (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  t.equal(failures.length, 0, 'no 5xx from the faces');
});

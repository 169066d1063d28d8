import t, { type Test } from 'tap';
import { sql } from 'kysely';
import { createDemoDeps, errorCode, graphqlClient, type GraphQLResponse } from '@yiduan/testkit';
import { build } from '../src/app.js';

const TREE = /* GraphQL */ `
  query {
    tenantTree {
      slug name level
      domains { host primary }
      children { slug level parent { slug } children { slug level parent { slug } host face { siteName theme { primary } } } }
    }
  }`;

const CREATE = /* GraphQL */ `
  mutation ($input: CreateTenantInput!) {
    createTenant(input: $input) { tenant { id slug level parent { slug } host face { siteName version } } }
  }`;

type Tree = {
  tenantTree: {
    slug: string;
    level: string;
    domains: { host: string; primary: boolean }[];
    children: {
      slug: string;
      level: string;
      parent: { slug: string };
      children: {
        slug: string;
        level: string;
        parent: { slug: string };
        host: string;
        face: { siteName: string; theme: { primary: string } };
      }[];
    }[];
  }[];
};

async function setup(t: Test) {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const app = await build(deps);
  t.teardown(() => app.close());
  const gql = graphqlClient(app, { token: deps.config.bootstrapOperatorToken });
  /** rows that any write would add to: tenants, domains, faces, audit, outbox */
  const footprint = async (): Promise<number[]> => {
    const r = await sql<{ n: number[] }>`SELECT ARRAY[
      (SELECT count(*) FROM tenants), (SELECT count(*) FROM tenant_domains), (SELECT count(*) FROM faces),
      (SELECT count(*) FROM audit_log), (SELECT count(*) FROM outbox), (SELECT max(version) FROM faces)]::int[] AS n`.execute(
      deps.tdb.owner,
    );
    return r.rows[0]!.n;
  };
  return { deps, tenants, app, gql, footprint };
}

t.test('the whole tree with levels, parents and domains in one query', async (t) => {
  const { gql } = await setup(t);
  const r = await gql<Tree>(TREE, {}, { token: null });
  t.equal(r.errors, undefined);
  const henan = r.data!.tenantTree[0]!;
  t.equal(henan.slug, 'henan');
  t.equal(henan.level, 'PROVINCE');
  t.same(henan.domains, [{ host: 'henan.localhost', primary: true }]);
  t.same(
    henan.children.map((c) => c.slug),
    ['luoyang', 'shangqiu', 'zhengzhou'],
  );
  const luoyang = henan.children.find((c) => c.slug === 'luoyang')!;
  t.equal(luoyang.parent.slug, 'henan');
  t.same(
    luoyang.children.map((c) => [c.slug, c.level, c.parent.slug, c.host]),
    [
      ['ruyang', 'COUNTY', 'luoyang', 'ruyang.localhost'],
      ['yichuan', 'COUNTY', 'luoyang', 'yichuan.localhost'],
    ],
  );
  t.not(
    luoyang.children[0]!.face.theme.primary,
    luoyang.children[1]!.face.theme.primary,
    'each face has its own colours',
  );
});

t.test('descendants and ancestors', async (t) => {
  const { gql } = await setup(t);
  const r = await gql<{
    tenant: { descendants: { slug: string }[]; ancestors: { slug: string }[] };
    county: { ancestors: { slug: string }[] };
  }>(`{
    tenant(slug: "henan") { descendants { slug } ancestors { slug } }
    county: tenant(slug: "ruyang") { ancestors { slug } }
  }`);
  t.equal(r.data!.tenant.descendants.length, 7);
  t.same(r.data!.tenant.ancestors, []);
  t.same(
    r.data!.county.ancestors.map((a) => a.slug),
    ['luoyang', 'henan'],
    'nearest first',
  );
});

t.test('tenant by host resolves domains and <slug>.<base>', async (t) => {
  const { gql, deps, tenants } = await setup(t);
  await gql(`mutation($id: ID!) { addDomain(tenantId: $id, host: "news.ruyang.gov.cn") { domain { host } } }`, {
    id: tenants.ruyang!.id,
  });
  const r = await gql<{
    a: { slug: string } | null;
    b: { slug: string } | null;
    c: { slug: string } | null;
    d: { slug: string } | null;
  }>(`{
    a: tenantByHost(host: "NEWS.ruyang.gov.cn:443") { slug }
    b: tenantByHost(host: "yichuan.localhost:3000") { slug }
    c: tenantByHost(host: "nowhere.example.com") { slug }
    d: tenantByHost(host: "a.b.localhost") { slug }
  }`);
  t.same(r.data, { a: { slug: 'ruyang' }, b: { slug: 'yichuan' }, c: null, d: null });
  t.equal(deps.config.publicBaseDomain, 'localhost');
});

t.test('operators create tenants; the tree rules hold', async (t) => {
  const { gql, tenants } = await setup(t);
  const ok = await gql<{
    createTenant: {
      tenant: {
        slug: string;
        level: string;
        parent: { slug: string };
        host: string;
        face: { siteName: string; version: number };
      };
    };
  }>(CREATE, {
    input: { slug: 'luanchuan', name: '栾川县', level: 'COUNTY', parentId: tenants.luoyang!.id },
  });
  t.equal(ok.errors, undefined);
  t.match(ok.data!.createTenant.tenant, {
    slug: 'luanchuan',
    level: 'COUNTY',
    parent: { slug: 'luoyang' },
    host: 'luanchuan.localhost',
    face: { siteName: '栾川县', version: 1 },
  });
  const direct = await gql(CREATE, {
    input: { slug: 'jiyuan', name: '济源', level: 'COUNTY', parentId: tenants.henan!.id },
  });
  t.equal(direct.errors, undefined, 'a county may sit directly under the province (直管)');
});

t.test('bad input: a clear code and nothing written', async (t) => {
  const { gql, tenants, footprint } = await setup(t);
  const before = await footprint();
  // a tenant input: name X unless `extra` says otherwise
  const input = (slug: string, level: string, parentId?: string, extra: Record<string, unknown> = {}) => ({
    input: { slug, name: 'X', level, ...(parentId ? { parentId } : {}), ...extra },
  });
  const cases: [string, string, Record<string, unknown>][] = [
    ['unknown parent', 'TENANT_PARENT_NOT_FOUND', input('x1', 'COUNTY', '00000000-0000-4000-8000-000000000000')],
    ['malformed parent id', 'TENANT_PARENT_NOT_FOUND', input('x2', 'COUNTY', 'not-a-uuid')],
    ['a city under a city', 'TENANT_LEVEL_INVALID', input('x3', 'CITY', tenants.luoyang!.id)],
    ['a county under a county', 'TENANT_LEVEL_INVALID', input('x4', 'COUNTY', tenants.ruyang!.id)],
    ['a second province under one', 'TENANT_LEVEL_INVALID', input('x5', 'PROVINCE', tenants.henan!.id)],
    ['a county without parent', 'TENANT_LEVEL_INVALID', input('x6', 'COUNTY')],
    ['duplicate slug', 'SLUG_TAKEN', input('ruyang', 'COUNTY', tenants.luoyang!.id, { name: '重复' })],
    ['reserved slug', 'SLUG_TAKEN', input('www', 'COUNTY', tenants.luoyang!.id, { name: '保留' })],
    ['malformed slug', 'BAD_USER_INPUT', input('Ru Yang', 'COUNTY', tenants.luoyang!.id)],
    ['empty name', 'BAD_USER_INPUT', input('x7', 'COUNTY', tenants.luoyang!.id, { name: '   ' })],
    ['settings not an object', 'BAD_USER_INPUT', input('x8', 'COUNTY', tenants.luoyang!.id, { settings: [1] })],
  ];
  for (const [what, code, vars] of cases) {
    const r = await gql(CREATE, vars);
    t.equal(errorCode(r), code, what);
    t.ok(r.errors?.[0]?.message && /[\u4e00-\u9fff]/.test(r.errors[0].message), `${what}: a Chinese message`);
  }
  const wrongEnum = await gql(CREATE, { input: { slug: 'x9', name: 'X', level: 'VILLAGE' } });
  t.equal(
    wrongEnum.status,
    200,
    'a request error: 200 under application/json (400 under application/graphql-response+json)',
  );
  t.equal(wrongEnum.data, null);
  t.ok(errorCode(wrongEnum), 'a wrong level value is rejected before execution, with a code');

  const dupDomain = await gql(
    `mutation($id: ID!) { addDomain(tenantId: $id, host: "ruyang.localhost") { domain { host } } }`,
    { id: tenants.yichuan!.id },
  );
  t.equal(errorCode(dupDomain), 'DOMAIN_TAKEN');
  const badHost = await gql(
    `mutation($id: ID!) { addDomain(tenantId: $id, host: "not a host/") { domain { host } } }`,
    { id: tenants.yichuan!.id },
  );
  t.equal(errorCode(badHost), 'BAD_USER_INPUT');
  const primary = await gql(`mutation { removeDomain(host: "yichuan.localhost") { domain { host } } }`);
  t.equal(errorCode(primary), undefined, 'the last domain, though primary, may go');

  const faceCases: [string, Record<string, unknown>][] = [
    [
      'colour not hex',
      { theme: { primary: 'red', accent: '#ffffff', background: '#ffffff', text: '#000000', headerText: '#ffffff' } },
    ],
    [
      'unreadable contrast',
      {
        theme: { primary: '#ffff00', accent: '#ffffff', background: '#ffffff', text: '#eeeeee', headerText: '#ffffff' },
      },
    ],
    ['empty site name', { siteName: '' }],
    ['a link with a javascript: url', { navigation: [{ kind: 'LINK', label: '坏链接', url: 'javascript:alert(1)' }] }],
    ['a section item without section', { navigation: [{ kind: 'SECTION', label: '本地' }] }],
    ['a module count out of range', { homeLayout: [{ module: 'LATEST', count: 1000 }] }],
  ];
  const mid = await footprint();
  for (const [what, input] of faceCases) {
    const r = await gql(
      `mutation($id: ID!, $input: FaceInput!) { updateFace(tenantId: $id, input: $input) { face { version } } }`,
      { id: tenants.ruyang!.id, input },
    );
    t.equal(errorCode(r), 'FACE_INVALID', what);
    t.ok((r.errors?.[0]?.extensions?.problems ?? []).length > 0, `${what}: problems listed`);
  }
  const after = await footprint();
  t.same(after, mid, 'invalid faces wrote nothing');
  t.same(before.slice(0, 3), [8, 8, 8]);
  t.equal(after[0], before[0], 'no tenant was written by any failed create');
});

t.test('tenancy mutations are for operators only', async (t) => {
  const { gql, tenants, footprint } = await setup(t);
  const before = await footprint();
  const anon = await gql(
    CREATE,
    { input: { slug: 'anon', name: 'X', level: 'COUNTY', parentId: tenants.luoyang!.id } },
    { token: null },
  );
  t.equal(errorCode(anon), 'UNAUTHENTICATED');
  const wrong = await gql(
    `mutation($id: ID!) { updateFace(tenantId: $id, input: { siteName: "篡改" }) { face { version } } }`,
    { id: tenants.ruyang!.id },
    { token: 'not-the-operator-token-xxxxxxxx' },
  );
  t.equal(errorCode(wrong), 'UNAUTHENTICATED');
  t.same(await footprint(), before);
  const settings = await gql<{ tenant: { settings: unknown } }>(
    `{ tenant(slug: "ruyang") { settings } }`,
    {},
    { token: null },
  );
  t.equal(settings.data!.tenant.settings, null, 'settings are hidden from the public');
});

t.test('updates: rename, move, cycles refused, face merged and versioned', async (t) => {
  const { gql, tenants } = await setup(t);
  const UPDATE = `mutation($input: UpdateTenantInput!) { updateTenant(input: $input) { tenant { slug name parent { slug } } } }`;
  const moved = await gql<{ updateTenant: { tenant: { parent: { slug: string } } } }>(UPDATE, {
    input: { id: tenants.yichuan!.id, parentId: tenants.zhengzhou!.id },
  });
  t.equal(moved.data?.updateTenant.tenant.parent.slug, 'zhengzhou');
  const d = await gql<{ tenant: { descendants: { slug: string }[] } }>(
    `{ tenant(slug: "zhengzhou") { descendants { slug } } }`,
  );
  t.same(
    d.data!.tenant.descendants.map((x) => x.slug).sort(),
    ['guancheng', 'yichuan'],
    'the closure follows the move',
  );
  const l = await gql<{ tenant: { descendants: { slug: string }[] } }>(
    `{ tenant(slug: "luoyang") { descendants { slug } } }`,
  );
  t.same(
    l.data!.tenant.descendants.map((x) => x.slug),
    ['ruyang'],
  );

  t.equal(
    errorCode(await gql(UPDATE, { input: { id: tenants.henan!.id, parentId: tenants.ruyang!.id } })),
    'TENANT_LEVEL_INVALID',
    'the province cannot sit under its county',
  );
  t.equal(
    errorCode(await gql(UPDATE, { input: { id: tenants.luoyang!.id, parentId: tenants.luoyang!.id } })),
    'TENANT_LEVEL_INVALID',
    'a city cannot be its own parent',
  );
  t.equal(
    errorCode(await gql(UPDATE, { input: { id: '00000000-0000-4000-8000-000000000000', name: 'x' } })),
    'TENANT_NOT_FOUND',
  );

  const face = await gql<{
    updateFace: {
      face: {
        siteName: string;
        version: number;
        theme: { primary: string };
        navigation: { kind: string; label: string; url: string | null }[];
      };
    };
  }>(
    `mutation($id: ID!, $input: FaceInput!) { updateFace(tenantId: $id, input: $input) { face { siteName version theme { primary } navigation { kind label url } } } }`,
    {
      id: tenants.ruyang!.id,
      input: {
        siteName: '汝阳融媒',
        navigation: [
          { kind: 'HOME', label: '首页' },
          { kind: 'LINK', label: '政府网', url: 'https://www.ruyang.gov.cn/' },
        ],
      },
    },
  );
  t.equal(face.errors, undefined);
  t.equal(face.data!.updateFace.face.siteName, '汝阳融媒');
  t.equal(face.data!.updateFace.face.theme.primary, '#bf360c', 'fields not given are kept');
  t.equal(face.data!.updateFace.face.version, 3, 'seed wrote version 2; this is 3');
  t.same(face.data!.updateFace.face.navigation[1], {
    kind: 'LINK',
    label: '政府网',
    url: 'https://www.ruyang.gov.cn/',
  });
});

t.test('a query that is too deep is refused', async (t) => {
  const { gql } = await setup(t);
  const deep = `{ tenantTree { children { parent { children { parent { children { parent { children { parent { children { parent { children { parent { slug } } } } } } } } } } } } }`;
  const r: GraphQLResponse = await gql(deep);
  t.ok(errorCode(r), 'refused with a code');
  t.equal(r.data, null);
});

t.test('health', async (t) => {
  const { app } = await setup(t);
  const r = await app.inject('/health');
  t.equal(r.statusCode, 200);
  t.match(r.json(), { status: 'ok', service: 'api', database: 'ok', redis: 'memory' });
});

t.test('security headers', async (t) => {
  const { app } = await setup(t);
  const r = await app.inject('/health');
  t.equal(r.headers['x-content-type-options'], 'nosniff');
  t.equal(r.headers['x-frame-options'], 'SAMEORIGIN');
  t.ok(r.headers['strict-transport-security'], 'HSTS');
});

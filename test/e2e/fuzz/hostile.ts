// Hostile values and documents for the bad-input fuzzer: wrong types, oversized and malformed
// strings, odd numbers, huge lists, and GraphQL documents built to exhaust a server.
import type { Prng } from './prng.js';

const deepObject = (n: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};

/** Values of every wrong shape a field could receive. */
export function hostileValue(rnd: Prng): unknown {
  const strings = [
    '',
    ' ',
    'a'.repeat(100_000),
    '汉'.repeat(30_000),
    '\u0000',
    'x\u0000y',
    '\ud800',
    'a\udc00b',
    '\ud83d',
    '\u202e\u200b\ufeff',
    '𠀀'.repeat(2000),
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '%s%s%n%x',
    '../../../../etc/passwd',
    '${7*7}{{7*7}}',
    '\r\nSet-Cookie: x=1',
    'NaN',
    '-1',
    '1e309',
    '2026-13-45T99:99:99Z',
    '0000-00-00',
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
    '#zzzzzz',
    'javascript:alert(1)',
    'http://169.254.169.254/latest/meta-data/',
  ];
  const others: unknown[] = [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    1e308,
    -1e308,
    {},
    { $gt: '' },
    [],
    [null],
    Array.from({ length: 2000 }, () => 'x'),
    deepObject(200),
    { __proto__: { polluted: true } },
  ];
  return rnd.chance(0.6) ? rnd.pick(strings) : rnd.pick(others);
}

/** Replaces one leaf somewhere in the arguments by a hostile value (or drops / nulls it). */
export function corrupt(args: Record<string, unknown>, rnd: Prng): Record<string, unknown> {
  const out = structuredClone(args);
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  for (const [k, v] of Object.entries(out)) walk(v, [k]);
  if (!paths.length) {
    out[rnd.pick(['tenantId', 'id', 'input', 'x'])] = hostileValue(rnd);
    return out;
  }
  const path = rnd.pick(paths);
  let parent: Record<string | number, unknown> = out;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const roll = rnd.int(10);
  if (roll === 0) delete parent[last];
  else parent[last] = hostileValue(rnd);
  return out;
}

/** A GraphQL literal for a JSON value (strings stay strings, so enums written this way are wrong on purpose). */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '0';
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(k) ? k : 'bad'}: ${literal(x)}`)
    .join(', ')}}`;
}

/** Documents built to exhaust or confuse a GraphQL server. */
export function hostileDocuments(
  tenantId: string,
): { name: string; query: string; variables?: unknown; operationName?: string }[] {
  const nest = (n: number): string => (n === 0 ? 'id' : `id children { ${nest(n - 1)} }`);
  const fragments = (levels: number, fan: number): string => {
    const out = ['fragment F0 on Query { tenants { id name } }'];
    for (let i = 1; i <= levels; i++)
      out.push(`fragment F${i} on Query { ${Array.from({ length: fan }, () => `...F${i - 1}`).join(' ')} }`);
    return `query { ...F${levels} } ${out.join(' ')}`;
  };
  return [
    { name: 'deep nesting', query: `{ tenants { ${nest(60)} } }` },
    {
      name: 'deep introspection',
      query:
        '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }',
    },
    { name: 'alias bomb', query: `{ ${Array.from({ length: 2500 }, (_, i) => `a${i}:tenants{id}`).join(' ')} }` },
    {
      name: 'alias bomb (too long)',
      query: `{ ${Array.from({ length: 9000 }, (_, i) => `a${i}: tenants { id }`).join(' ')} }`,
    },
    {
      name: 'alias bomb (small)',
      query: `{ ${Array.from({ length: 120 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`,
    },
    { name: 'fragment cycle', query: 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }' },
    { name: 'fragment self-spread', query: 'query { ...A } fragment A on Query { tenants { id } ...A }' },
    { name: 'fragment fan-out', query: fragments(8, 6) },
    { name: 'page size', query: `{ stories(tenantId: "${tenantId}", first: 100000000) { edges { node { id } } } }` },
    { name: 'negative page', query: `{ stories(tenantId: "${tenantId}", first: -5) { edges { node { id } } } }` },
    {
      name: 'many full pages',
      query: `{ ${Array.from({ length: 40 }, (_, i) => `p${i}: stories(tenantId: "${tenantId}", first: 200) { edges { node { id revisions { title } events { id } } } }`).join(' ')} }`,
    },
    {
      name: 'int overflow',
      query: `{ stories(tenantId: "${tenantId}", first: 99999999999999999999) { edges { node { id } } } }`,
    },
    {
      name: 'huge list literal',
      query: `mutation { withdrawPush(tenantId: "${tenantId}", storyId: "${tenantId}", tenantIds: [${Array.from({ length: 3000 }, (_, i) => `"${i}"`).join(',')}]) { id } }`,
    },
    {
      name: 'huge list variable',
      query: 'mutation($ids: [ID!]) { withdrawPush(tenantId: "x", storyId: "y", tenantIds: $ids) { id } }',
      variables: { ids: Array.from({ length: 20_000 }, (_, i) => String(i)) },
    },
    { name: 'oversized query text', query: `{ viewer { id } } # ${'x'.repeat(60_000)}` },
    { name: 'many tokens', query: `{ viewer { ${Array.from({ length: 8000 }, () => '__typename').join(' ')} } }` },
    { name: 'unclosed', query: '{ viewer { id ' },
    { name: 'garbage', query: '}}}{{{ @@@ $$$' },
    { name: 'NUL in query', query: '{ viewer\u0000 { id } }' },
    { name: 'lone surrogate in query', query: '{ tenant(slug: "\ud800") { id } }' },
    { name: 'empty', query: '' },
    { name: 'two anonymous operations', query: '{ viewer { id } } { tenants { id } }' },
    { name: 'unknown operation name', query: 'query A { viewer { id } }', operationName: 'Nope' },
    {
      name: 'subscription over HTTP',
      query: `subscription { reviewQueueChanged(tenantId: "${tenantId}") { storyId } }`,
    },
    { name: 'duplicate directives', query: '{ viewer @skip(if: true) @skip(if: false) { id } }' },
    { name: 'unknown directive', query: '{ viewer @evil { id } }' },
    { name: 'unknown field', query: '{ secrets { all } }' },
    { name: 'wrong argument type inline', query: `{ stories(tenantId: 12, first: "many") { edges { node { id } } } }` },
    {
      name: 'variable type mismatch',
      query: 'query($t: ID!) { stories(tenantId: $t) { edges { node { id } } } }',
      variables: { t: { nested: ['x'] } },
    },
    {
      name: 'undeclared variable',
      query: '{ stories(tenantId: $t) { edges { node { id } } } }',
      variables: { t: tenantId },
    },
    {
      name: 'null for non-null',
      query: 'query($t: ID!) { stories(tenantId: $t) { edges { node { id } } } }',
      variables: { t: null },
    },
    { name: 'variables not an object', query: '{ viewer { id } }', variables: 'not json' },
    { name: 'variables a list', query: '{ viewer { id } }', variables: [1, 2, 3] },
    {
      name: 'deep variables',
      query: 'query($j: JSON) { viewer { id } }',
      variables: { j: JSON.parse('['.repeat(500) + ']'.repeat(500)) as unknown },
    },
    { name: '__typename at the root of a mutation', query: 'mutation { __typename }' },
  ];
}

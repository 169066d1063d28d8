// The console's operation manifest (persisted-queries-only mode): every operation the web sources
// can send is found, is valid against the API's schema, and one the extractor cannot evaluate
// stops the build instead of being silently left out.
import t from 'tap';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, parse, validate, Kind, type OperationDefinitionNode } from 'graphql';
import { loadSdl } from '@yiduan/schema';
import { extractOperations, manifestOf, operationHash, writeManifest } from '../src/operations.js';
import { WEB_ROOT } from '../src/build.js';

t.test('every console operation is found and valid against the schema', async (t) => {
  const ops = extractOperations(WEB_ROOT);
  t.ok(ops.length >= 60, `${ops.length} operations written in the console`);
  const schema = buildSchema(loadSdl());
  const kinds = new Set<string>();
  for (const op of ops) {
    const doc = parse(op.text);
    const errors = validate(schema, doc);
    t.same(
      errors.map((e) => e.message),
      [],
      `${op.at} is valid`,
    );
    for (const d of doc.definitions)
      if (d.kind === Kind.OPERATION_DEFINITION) kinds.add((d as OperationDefinitionNode).operation);
    t.notMatch(op.text, /\$\{/, `${op.at} has no unevaluated placeholder`);
  }
  t.same([...kinds].sort(), ['mutation', 'query', 'subscription'], 'queries, mutations and subscriptions');
  // the shared field lists were resolved, across modules too (Syndication imports PLACEMENT_FIELDS)
  const inbox = ops.find((o) => /query Inbox\b/.test(o.text));
  t.match(inbox?.text, /inbox\(tenantId: \$tenantId\) \{ id mode mandatory/);
  t.ok(
    ops.some((o) => /subscription Q\(/.test(o.text) && o.at.startsWith('pages/ReviewQueue')),
    'the review queue subscription',
  );
});

t.test('the manifest is keyed by the SHA-256 of the exact text', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'yd-ops-'));
  const n = writeManifest(WEB_ROOT, dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'operations.json'), 'utf8')) as {
    version: number;
    operations: Record<string, string>;
  };
  t.equal(manifest.version, 1);
  t.equal(Object.keys(manifest.operations).length, n);
  for (const [hash, text] of Object.entries(manifest.operations)) t.equal(operationHash(text), hash);
  t.same(
    Object.keys(manifest.operations),
    Object.keys(manifest.operations).sort(),
    'sorted: the same sources give the same file',
  );
  t.same(manifestOf(extractOperations(WEB_ROOT)), manifest);
});

t.test('an operation built from something other than constants stops the extraction', async (t) => {
  const web = mkdtempSync(join(tmpdir(), 'yd-web-'));
  mkdirSync(join(web, 'pages'));
  writeFileSync(join(web, 'fields.ts'), "export const F = 'id name';\n");
  writeFileSync(
    join(web, 'pages', 'A.tsx'),
    [
      "import { F } from '../fields.js';",
      'const G = `slug ${F}`;',
      'export const ok = `query A { tenants { ${G} } }`;',
      'export function f(extra: string) {',
      '  return `query B { tenants { ${extra} } }`;',
      '}',
    ].join('\n'),
  );
  t.throws(() => extractOperations(web), /pages\/A\.tsx:5: the operation's text is not made of constants only/);
  writeFileSync(
    join(web, 'pages', 'A.tsx'),
    "import { F } from '../fields.js';\nconst G = `slug ${F}`;\nexport const ok = `query A { tenants { ${G} ${G} } }`;\n",
  );
  const [op] = extractOperations(web);
  t.equal(
    op?.text,
    'query A { tenants { slug id name slug id name } }',
    'a constant used twice, imported through another',
  );
});

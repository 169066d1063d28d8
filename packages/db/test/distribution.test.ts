// The path past one primary (infra/SCALE.md, step 5): every table of the migrated schema is named
// in SCALE.md's Citus SQL as a reference table, a table distributed by tenant_id, or a
// coordinator-local table; and every distributed table can be distributed without a rewrite: its
// primary key leads with tenant_id, and its foreign keys to other distributed tables lead with
// tenant_id on both sides (co-located joins). Known exceptions are listed here and in SCALE.md
// ("What breaks"), each with its reason; the test fails when a new one appears or an old one is
// fixed (then remove it from both lists).
import { readFileSync } from 'node:fs';
import t from 'tap';
import { sql } from 'kysely';
import { createTestDatabase } from '@yiduan/testkit';

const scale = readFileSync(new URL('../../../infra/SCALE.md', import.meta.url), 'utf8');
const sqlBlock = scale.slice(scale.indexOf('```sql'), scale.indexOf('```', scale.indexOf('```sql') + 6));
const names = (re: RegExp): string[] => [...sqlBlock.matchAll(re)].map((m) => m[1]!);
const reference = new Set(names(/create_reference_table\('([a-z_]+)'\)/g));
const distributed = new Set(names(/create_distributed_table\('([a-z_]+)'/g));
const local = new Set([
  ...names(/citus_add_local_table_to_metadata\('([a-z_]+)'/g),
  ...[...sqlBlock.matchAll(/-- cascades to: ([a-z_, ]+)/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim())),
]);

/** Known exceptions, each with its reason (also in SCALE.md, "What breaks"). */
const PK_EXCEPTIONS: Record<string, string> = {
  grants: 'PK (id): a grant row is looked up by id alone; the change is PK (tenant_id, id)',
  audit_log:
    'PK (id) and tenant_id NULL for platform rows: PK (tenant_id, id) with a platform pseudo-tenant (nil UUID)',
  outbox: 'coordinator-local, tenant_id nullable (platform events): not distributed',
};

const CROSS_TENANT =
  "a cross-tenant reference between distributed tables (the referencing column is not the row's own tenant_id): drop the FK, the service checks the target in the same transaction (as placements)";
const TO_CITIZENS =
  'citizens are global identities kept on the coordinator (too many for a reference table); a distributed table cannot reference a local one: drop the FK, the citizen is checked by the service and account deletion cleans up through the outbox';
const FK_EXCEPTIONS: Record<string, string> = {
  'placements(origin_tenant_id, story_id) → stories':
    "placements are distributed by the face's tenant, the story by its origin: the FK is dropped, syndication checks the story",
  'comments(story_tenant_id, story_id) → stories':
    "comments are distributed by the face's tenant, the story by its origin: the FK is dropped (as placements)",
  'assignments(assignee_tenant_id, story_id) → stories': CROSS_TENANT,
  'assignments(campaign_tenant_id, campaign_id) → campaigns': CROSS_TENANT,
  'pitches(to_tenant_id, campaign_id) → campaigns': CROSS_TENANT,
  'topics(campaign_tenant_id, campaign_id) → campaigns': CROSS_TENANT,
  'topics(upstream_tenant_id, upstream_assignment_id) → assignments': CROSS_TENANT,
  'gov_round_samples(round_tenant_id, round_id) → gov_rounds': CROSS_TENANT,
  'citizen_messages(citizen_id) → citizens': TO_CITIZENS,
  'comment_reports(citizen_id) → citizens': TO_CITIZENS,
  'comments(citizen_id) → citizens': TO_CITIZENS,
  'memberships(citizen_id) → citizens': TO_CITIZENS,
};

interface Fk {
  name: string;
  table: string;
  cols: string[];
  target: string;
  targetCols: string[];
}

t.test('every table is placed for Citus, and distributed tables lead with tenant_id', async (t) => {
  const tdb = await createTestDatabase(t);
  const tables = await sql<{ name: string; pk: string[] | null; tenant_not_null: boolean | null }>`
    SELECT c.relname AS name,
      (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_constraint p
         CROSS JOIN LATERAL unnest(p.conkey) WITH ORDINALITY k(att, ord)
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.att
       WHERE p.conrelid = c.oid AND p.contype = 'p') AS pk,
      (SELECT a.attnotnull FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS tenant_not_null
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND c.relname NOT LIKE 'kysely_migration%'
    ORDER BY 1`.execute(tdb.owner);
  const fks = (
    await sql<Fk>`
    SELECT con.conname AS name, c.relname AS "table", f.relname AS target,
      (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(att, ord)
         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.att) AS cols,
      (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(att, ord)
         JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.att) AS "targetCols"
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class f ON f.oid = con.confrelid
    WHERE con.contype = 'f' AND n.nspname = 'public' AND NOT c.relispartition
    ORDER BY 2, 1`.execute(tdb.owner)
  ).rows;

  // 1. every table is named once in SCALE.md's SQL
  const placed = (name: string): string[] =>
    [reference.has(name) && 'reference', distributed.has(name) && 'distributed', local.has(name) && 'local'].filter(
      (x): x is string => Boolean(x),
    );
  const unplaced = tables.rows
    .filter((r) => placed(r.name).length !== 1)
    .map((r) => `${r.name} (${placed(r.name).join(', ') || 'none'})`);
  t.same(unplaced, [], 'every table is a reference, distributed or coordinator-local table in infra/SCALE.md, once');
  const known = new Set(tables.rows.map((r) => r.name));
  const stale = [...reference, ...distributed, ...local].filter((n) => !known.has(n));
  t.same(stale, [], 'SCALE.md names no table that does not exist');

  // 2. distributed tables: tenant_id NOT NULL, primary key leads with it
  const pkProblems = tables.rows
    .filter((r) => distributed.has(r.name))
    .filter((r) => !r.tenant_not_null || r.pk?.[0] !== 'tenant_id')
    .map((r) => r.name);
  t.same(
    pkProblems.sort(),
    Object.keys(PK_EXCEPTIONS)
      .filter((n) => distributed.has(n))
      .sort(),
    'distributed tables: tenant_id NOT NULL and leading the primary key, except the known ones',
  );

  // 3. foreign keys between distributed tables lead with tenant_id on both sides; distributed →
  // local and reference → distributed are not allowed in Citus at all
  const label = (fk: Fk): string => `${fk.table}(${fk.cols.join(', ')}) → ${fk.target}`;
  const fkProblems: string[] = [];
  for (const fk of fks) {
    const from = distributed.has(fk.table) ? 'd' : reference.has(fk.table) ? 'r' : 'l';
    const to = distributed.has(fk.target) ? 'd' : reference.has(fk.target) ? 'r' : 'l';
    if (from === 'd' && to === 'd' && (fk.cols[0] !== 'tenant_id' || fk.targetCols[0] !== 'tenant_id'))
      fkProblems.push(label(fk));
    else if (from === 'd' && to === 'l') fkProblems.push(label(fk));
    else if (from === 'r' && to === 'd') fkProblems.push(label(fk));
  }
  t.same(
    [...new Set(fkProblems)].sort(),
    Object.keys(FK_EXCEPTIONS).sort(),
    'foreign keys fit the distribution, except the known ones',
  );
});

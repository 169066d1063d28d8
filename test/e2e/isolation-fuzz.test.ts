// Isolation fuzzer: every Query and Mutation field of the executable schema (introspected, so
// operations added later are covered without touching this file), called as a tenant's most
// privileged staff member against another tenant's objects, for every relationship in the tree
// (ancestor, descendant, sibling, cousin, unrelated branch). A leak is a response carrying a
// marker its viewer may not see (see fuzz/markers.ts for who may see what), or any row of
// another tenant changed. Replay a run with FUZZ_SEED=<seed printed below>.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { buildFixture, type Fixture, type FuzzTenant, type Relation } from './fuzz/fixture.js';
import { findMarkers, legitimate } from './fuzz/markers.js';
import { prng, seedFromEnv, type Prng } from './fuzz/prng.js';
import { document, introspect, operations, type Operation } from './fuzz/schema.js';
import { argsFor, idSlots, type IdSlot } from './fuzz/values.js';

const RELATIONS: readonly Relation[] = ['ancestor', 'descendant', 'sibling', 'cousin', 'unrelated'];
/** tenant pairs tried per operation and relationship (picked by the seeded PRNG) */
const PAIRS_PER_RELATION = 1;
/** objects of the victim tried per pair (private, marker-bearing ones come first) */
const OBJECTS_PER_PAIR = 2;
const QUERY_CONCURRENCY = 4;

interface Finding {
  op: string;
  attacker: string;
  victim: string;
  relation: Relation | '-';
  what: string;
}

const singular = (table: string): string => table.replace(/ies$/, 'y').replace(/s$/, '').replace(/_/g, '').toLowerCase();

/** Which table an ID argument points at, from its name (or, for a bare `id`, the operation's name). */
function kindResolver(tables: string[]) {
  const bySingular = tables.map((tb) => ({ tb, s: singular(tb) })).sort((a, b) => b.s.length - a.s.length);
  const aliases: Record<string, string> = { actor: 'staff', parent: 'tenants', org: 'organisations' };
  return (slot: IdSlot): string => {
    const name = slot.path[slot.path.length - 1]!;
    if (/tenant/i.test(name)) return 'tenants';
    if (name === 'id' || name === 'ids' || !/Ids?$/.test(name)) {
      const op = slot.op.toLowerCase();
      return bySingular.find((x) => op.includes(x.s))?.tb ?? 'any';
    }
    const base = name.replace(/Ids?$/, '').toLowerCase();
    if (aliases[base]) return aliases[base];
    return bySingular.find((x) => base.endsWith(x.s))?.tb ?? 'any';
  };
}

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

interface Attempt {
  op: Operation;
  a: FuzzTenant;
  b: FuzzTenant | null;
  relation: Relation | '-';
  mode: 'own' | 'victim';
  k: number;
}

t.test('no operation lets one tenant read or change another tenant’s private data', async (t) => {
  const started = Date.now();
  const seed = seedFromEnv();
  const rnd: Prng = prng(seed);
  const fx: Fixture = await buildFixture(t);
  const setupMs = Date.now() - started;
  const schema = await introspect(fx.app);
  const ops = operations(schema);
  const tables = [...new Set([...[...fx.ids.values()].flatMap((m) => [...m.keys()]), ...fx.platformIds.keys(), 'tenants'])];
  const kindOf = kindResolver(tables);
  const byRelation = new Map<Relation, [FuzzTenant, FuzzTenant][]>(RELATIONS.map((r) => [r, []]));
  for (const a of fx.tenants) for (const b of fx.tenants) if (a !== b) byRelation.get(fx.relation(a, b))!.push([a, b]);
  for (const r of RELATIONS) t.ok(byRelation.get(r)!.length > 0, `the fixture tree has ${r} pairs`);

  const idsOf = (tenant: FuzzTenant, kind: string): string[] => {
    if (kind === 'any') {
      // interleave every table's ids, so a few tries touch several kinds
      const lists = [...(fx.ids.get(tenant.id)?.values() ?? [])];
      const out: string[] = [];
      for (let i = 0; out.length < 12 && lists.some((l) => l.length > i); i++) for (const l of lists) if (l[i]) out.push(l[i]!);
      return out;
    }
    return fx.ids.get(tenant.id)?.get(kind) ?? fx.platformIds.get(kind) ?? [];
  };
  const fill = (at: Attempt) => (slot: IdSlot): string => {
    const kind = kindOf(slot);
    const victim = at.b ?? at.a;
    if (kind === 'tenants') return slot.topLevel && at.mode === 'own' ? at.a.id : victim.id;
    const list = idsOf(victim, kind);
    return list.length ? list[at.k % list.length]! : randomUUID();
  };

  const attackersByLevel = [...new Map(fx.tenants.map((x) => [x.depth, x])).values()];
  const findings: Finding[] = [];
  const serverErrors: Finding[] = [];
  const coverage = new Map<string, Set<string>>();
  let attempts = 0;
  let retries = 0;
  const opMs = new Map<string, number>();
  let snapshotMs = 0;

  const run = async (at: Attempt): Promise<void> => {
    const args = argsFor(schema, at.op, { rnd, ids: fill(at) });
    const t0 = Date.now();
    attempts++;
    coverage.set(at.op.field.name, (coverage.get(at.op.field.name) ?? new Set()).add(at.relation));
    const base = { op: at.op.field.name, attacker: at.a.slug, victim: at.b?.slug ?? '-', relation: at.relation };
    // a nested field that refuses (rightly) nulls its non-null parents and would hide a leak of the
    // parent: ask again without the refusing fields until nothing nested fails
    const exclude = new Set<string>();
    for (let round = 0; round < 4; round++) {
      const doc = document(schema, at.op, args, 3, 4000, exclude);
      let res = await fx.gql(at.a.token, doc, args);
      if (res.body.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
        // an earlier operation ended the attacker's own session (logout): a new one, and again
        await fx.renewSession(at.a);
        res = await fx.gql(at.a.token, doc, args);
      }
      if (process.env.FUZZ_TRACE === at.op.field.name) console.error(JSON.stringify({ a: at.a.slug, b: at.b?.slug, mode: at.mode, round, args }), res.raw.slice(0, 400));
      for (const m of findMarkers(res.raw)) {
        if (!legitimate(m, at.a.index, fx.tree)) findings.push({ ...base, victim: fx.tenants[m.owner]?.slug ?? String(m.owner), what: `response carries ${m.text} (class ${m.cls}) with args ${JSON.stringify(args)}` });
      }
      const internal = res.body.errors?.find((e) => e.extensions?.code === 'INTERNAL' || !e.extensions?.code);
      if (res.status >= 500 || internal) serverErrors.push({ ...base, what: `${res.status} ${res.raw.slice(0, 300)} args ${JSON.stringify(args)}` });
      const nested = (res.body.errors ?? []).map((e) => (e as { path?: (string | number)[] }).path ?? []).filter((p) => p.length > 1).map((p) => [...p].reverse().find((x): x is string => typeof x === 'string')!);
      const fresh = nested.filter((f) => !exclude.has(f));
      // (a write asked again changes at most the attacker's own rows; other tenants' are fingerprinted)
      if (fresh.length === 0) break;
      for (const f of fresh) exclude.add(f);
      retries++;
    }
    opMs.set(at.op.field.name, (opMs.get(at.op.field.name) ?? 0) + Date.now() - t0);
  };

  const attemptsFor = (op: Operation): Attempt[] => {
    const slots = idSlots(schema, op);
    // no victim to aim at: one attacker per level of the tree is enough
    if (slots.length === 0) return attackersByLevel.map((a) => ({ op, a, b: null, relation: '-' as const, mode: 'own' as const, k: 0 }));
    const modes: ('own' | 'victim')[] = slots.some((s) => s.topLevel && kindOf(s) === 'tenants') ? ['own', 'victim'] : ['victim'];
    const out: Attempt[] = [];
    for (const relation of RELATIONS) {
      const candidates = [...byRelation.get(relation)!];
      for (let p = 0; p < PAIRS_PER_RELATION && candidates.length; p++) {
        const [a, b] = candidates.splice(rnd.int(candidates.length), 1)[0]!;
        const objects = Math.max(1, ...slots.map((s) => kindOf(s)).filter((k) => k !== 'tenants').map((k) => Math.min(OBJECTS_PER_PAIR, idsOf(b, k).length)));
        for (const mode of modes) for (let k = 0; k < objects; k++) out.push({ op, a, b, relation, mode, k });
      }
    }
    return out;
  };

  // reads first, several at a time; they must not change anything either
  const queries = ops.filter((o) => o.kind === 'query');
  const mutations = ops.filter((o) => o.kind === 'mutation');
  let before = await fx.snapshot();
  const rowChanges = (after: Map<string, string>, attacker: FuzzTenant | null, base: Omit<Finding, 'victim' | 'what'>): void => {
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      if (before.get(key) === after.get(key)) continue;
      const [tenantId, table] = key.split('\t') as [string, string];
      if (attacker && tenantId === attacker.id) continue; // a tenant may change its own rows
      findings.push({ ...base, victim: fx.tenants.find((x) => x.id === tenantId)?.slug ?? tenantId, what: `rows of ${table} changed` });
    }
    before = after;
  };
  await pool(queries.flatMap(attemptsFor), QUERY_CONCURRENCY, run);
  rowChanges(await fx.snapshot(), null, { op: '(queries)', attacker: '*', relation: '-' });
  const queriesMs = Date.now() - started - setupMs;

  // then writes one by one, each tenant's rows fingerprinted after every pair
  for (const op of mutations) {
    const all = attemptsFor(op);
    for (let i = 0; i < all.length; ) {
      const group = all.filter((x, j) => j >= i && x.a === all[i]!.a && x.b === all[i]!.b);
      for (const at of group) await run(at);
      i += group.length;
      const first = group[0]!;
      const s0 = Date.now();
      const after = await fx.snapshot();
      snapshotMs += Date.now() - s0;
      rowChanges(after, first.a, { op: op.field.name, attacker: first.a.slug, relation: first.relation });
    }
  }
  // nobody ended another tenant's sessions (sessions are platform rows, not fingerprinted above)
  for (const x of fx.tenants) {
    const alive = await fx.gql(x.token2, '{ viewer { id } }');
    if (!(alive.body.data as { viewer: unknown } | undefined)?.viewer) findings.push({ op: '(sessions)', attacker: '*', victim: x.slug, relation: '-', what: 'a session of this tenant’s staff was ended' });
  }

  // the detectors themselves can fire: a tenant's own draft carries markers a sibling may not
  // see, and a row changed behind the API's back shows in the fingerprints
  const [x, y] = byRelation.get('sibling')![0]!;
  const draft = fx.ids.get(x.id)!.get('stories')![0]!;
  const own = await fx.gql(x.token, `query($t: ID!, $s: ID!) { story(tenantId: $t, id: $s) { currentRevision { title } } }`, { t: x.id, s: draft });
  const seen = findMarkers(own.raw);
  t.ok(seen.length > 0 && seen.every((m) => legitimate(m, x.index, fx.tree) && !legitimate(m, y.index, fx.tree)), 'markers are found, and legitimate for the owner only');
  const snap = await fx.snapshot();
  await fx.deps.tdb.owner.updateTable('terminology_rules').set({ note: 'changed' }).where('tenant_id', '=', y.id).execute();
  const changed = [...(await fx.snapshot())].filter(([k, h]) => snap.get(k) !== h).map(([k]) => k);
  t.same(changed, [`${y.id}\tterminology_rules`], 'a changed row shows in its tenant’s fingerprint');

  const uncovered = ops.filter((o) => idSlots(schema, o).length > 0 && RELATIONS.some((r) => !coverage.get(o.field.name)?.has(r))).map((o) => o.field.name);
  t.same(uncovered, [], 'every operation taking ids was tried across every relationship');
  t.ok(fx.markers.planted.length > 8 * 6, 'markers were planted in every tenant');
  t.comment(`isolation fuzz: seed ${seed}; ${queries.length} queries and ${mutations.length} mutations from the schema; ${fx.tenants.length} tenants; ${fx.markers.planted.length} private markers`);
  t.comment(`isolation fuzz: ${attempts} attempts (+${retries} re-asked without refusing nested fields), ${findings.length} leaks, ${serverErrors.length} server errors (setup ${(setupMs / 1000).toFixed(1)} s, queries ${(queriesMs / 1000).toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  for (const f of findings.slice(0, 20)) t.comment(`LEAK ${f.op} as ${f.attacker} (${f.relation}) → ${f.victim}: ${f.what}`);
  for (const f of serverErrors.slice(0, 20)) t.comment(`SERVER ERROR ${f.op} as ${f.attacker} → ${f.victim}: ${f.what}`);
  if (process.env.FUZZ_DEBUG) t.comment(`snapshots ${snapshotMs} ms; slowest: ${[...opMs].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
  t.equal(findings.length, 0, 'no leaks');
  t.equal(serverErrors.length, 0, 'no server errors');
  t.ok(attempts > ops.length * 10, 'a meaningful number of attempts');
});

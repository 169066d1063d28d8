/**
 * The planning board (指挥调度, issue #20) on a real PostgreSQL database (a throwaway copy of the
 * migrated template, dropped afterwards): a 175-tenant province (1 + 18 cities + 156 counties),
 * one provincial campaign whose 58 topics carry 10,000 coverages (each topic given to every city
 * and county, bulk-loaded through the owner connection) in a mix of states, about a quarter of
 * the open ones overdue.
 *
 * Measured through core as the API calls it (application role, row-level security, the
 * province's scope): the province's board (`campaignBoard`: totals per state and the first 50
 * cards of each), a city's board, and the province's overdue list (`overdueCoverages`), each as
 * a ratio of a primary-key SELECT of one coverage timed in the same run on the same pool.
 *
 * Run: pnpm bench planning   or   npx tsx test/bench/planning.bench.ts [--runs=N] [--keep]
 */
import { availableParallelism, loadavg } from 'node:os';
import { sql } from 'kysely';
import {
  accessFor,
  campaignBoard,
  createStaff,
  createTenant,
  grantRole,
  overdueCoverages,
  SYSTEM_ACTOR,
  type Access,
} from '@yiduan/core';
import { withPlatform, withTenant, type DB, type Tenant, type Trx } from '@yiduan/db';
import { createTestDatabase } from '@yiduan/testkit';
import { fmt, median, now, option, quantile, round, writeResult } from './lib/kit.js';

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNS = option('runs', 200);
const WARMUP = Math.min(20, RUNS);
const COVERAGES = 10_000;
const log = (m: string): void => console.log(`[planning] ${m}`);

async function province(db: DB): Promise<{ province: Tenant; cities: Tenant[]; counties: Tenant[] }> {
  return withPlatform(db, async (trx) => {
    const p = await createTenant(trx, SYSTEM_ACTOR, { slug: 'henan', name: '河南省', level: 'province' });
    const cities: Tenant[] = [];
    for (let i = 0; i < 18; i++)
      cities.push(
        await createTenant(trx, SYSTEM_ACTOR, {
          slug: `c${String(i + 1).padStart(2, '0')}`,
          name: `城市${i + 1}`,
          level: 'city',
          parentId: p.id,
        }),
      );
    const counties: Tenant[] = [];
    for (let i = 0; i < 156; i++)
      counties.push(
        await createTenant(trx, SYSTEM_ACTOR, {
          slug: `x${String(i + 1).padStart(3, '0')}`,
          name: `县${i + 1}`,
          level: 'county',
          parentId: cities[i % 18]!.id,
        }),
      );
    return { province: p, cities, counties };
  });
}

async function editorOf(db: DB, tenantId: string, login: string) {
  const staff = await withPlatform(db, (trx) =>
    createStaff(trx, SYSTEM_ACTOR, { login, displayName: login, password: 'Passw0rd-bench' }),
  );
  await withTenant(db, tenantId, (trx) =>
    grantRole(trx, SYSTEM_ACTOR, { tenantId, role: 'chief_editor', staffId: staff.id, skipPartyCheck: true }),
  );
  return staff;
}

/** One provincial campaign, 58 topics, 10,000 coverages to the cities and counties, in one statement each. */
async function load(owner: DB, provinceId: string): Promise<{ campaignId: string }> {
  const c = await sql<{ id: string }>`
    INSERT INTO campaigns (tenant_id, title, reach) VALUES (${provinceId}, '冬季供暖保障', 'subtree') RETURNING id`.execute(
    owner,
  );
  const campaignId = c.rows[0]!.id;
  await sql`
    INSERT INTO topics (tenant_id, title, campaign_tenant_id, campaign_id, status, origin, due_at)
    SELECT ${provinceId}, '选题 ' || g, ${provinceId}, ${campaignId}, 'planned', 'desk', now() + g * interval '1 hour'
      FROM generate_series(1, 58) g`.execute(owner);
  // coverage i: topic i / 174, assignee i % 174 (every city and county once per topic); states by i % 7
  await sql`
    WITH d AS (
      SELECT te.id, te.name, row_number() OVER (ORDER BY te.slug) - 1 AS k
        FROM tenant_tree tt JOIN tenants te ON te.id = tt.descendant_id
       WHERE tt.ancestor_id = ${provinceId} AND tt.depth > 0),
    t AS (SELECT id, row_number() OVER (ORDER BY title, id) - 1 AS k FROM topics WHERE tenant_id = ${provinceId}),
    g AS (SELECT i, (ARRAY['assigned', 'accepted', 'in_progress', 'submitted', 'completed', 'declined', 'cancelled'])[i % 7 + 1] AS state
            FROM generate_series(0, ${COVERAGES - 1}) i)
    INSERT INTO assignments (tenant_id, topic_id, assignee_tenant_id, assignee_name, task, title, campaign_tenant_id, campaign_id,
                             due_at, status, state, completed_at, decline_reason)
    SELECT ${provinceId}, t.id, d.id, d.name, 'video', '选题', ${provinceId}, ${campaignId},
           now() + ((g.i % 20) - 5) * interval '1 day',
           CASE WHEN g.state IN ('assigned', 'declined', 'cancelled') THEN g.state ELSE 'accepted' END, g.state,
           CASE WHEN g.state = 'completed' THEN now() END,
           CASE WHEN g.state = 'declined' THEN '人手不足' END
      FROM g JOIN t ON t.k = g.i / 174 JOIN d ON d.k = g.i % 174`.execute(owner);
  await sql`ANALYZE campaigns, topics, assignments, tenants, tenant_tree`.execute(owner);
  return { campaignId };
}

interface Timing {
  medianMs: number;
  p95Ms: number;
}

async function time(fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = now();
    await fn();
    ms.push(now() - t0);
  }
  return { medianMs: median(ms), p95Ms: quantile(ms, 0.95) };
}

async function main(): Promise<void> {
  const tdb = await createTestDatabase();
  try {
    log(`database ${tdb.name}; creating 175 tenants`);
    const { province: p, cities } = await province(tdb.db);
    const hn = await editorOf(tdb.db, p.id, 'bench-hn');
    const city = cities[0]!;
    const cityEditor = await editorOf(tdb.db, city.id, 'bench-c01');
    const { campaignId } = await load(tdb.owner, p.id);
    const n = await sql<{ n: number; overdue: number }>`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE due_at < now() AND state IN ('assigned', 'accepted', 'in_progress', 'submitted'))::int AS overdue
        FROM assignments`.execute(tdb.owner);
    log(`${n.rows[0]!.n} coverages, ${n.rows[0]!.overdue} overdue`);

    const inScope = <T>(tenantId: string, staff: typeof hn, fn: (trx: Trx, a: Access) => Promise<T>) =>
      withTenant(tdb.db, tenantId, async (trx) => fn(trx, await accessFor(trx, staff, tenantId)));

    const keys = (
      await sql<{
        tenant_id: string;
        id: string;
      }>`SELECT tenant_id, id FROM assignments ORDER BY random() LIMIT 500`.execute(tdb.owner)
    ).rows;
    let k = 0;
    // the baseline: one coverage by its primary key, in the province's scope (the same transaction wrapper)
    const pk = () =>
      withTenant(tdb.db, p.id, (trx) => {
        const key = keys[k++ % keys.length]!;
        return trx
          .selectFrom('assignments')
          .select(['tenant_id', 'id', 'state', 'due_at'])
          .where('tenant_id', '=', key.tenant_id)
          .where('id', '=', key.id)
          .executeTakeFirst();
      });
    const provinceBoard = () => inScope(p.id, hn, (trx, a) => campaignBoard(trx, a, campaignId));
    const cityBoard = () => inScope(city.id, cityEditor, (trx, a) => campaignBoard(trx, a, campaignId));
    const overdueList = () => inScope(p.id, hn, (trx, a) => overdueCoverages(trx, a));

    const check = await provinceBoard();
    log(
      `province board: ${check.topics} topics, ${check.cards.length} cards, ${check.overdue} overdue, counts ${check.counts.map((c) => `${c.state}=${c.count}`).join(' ')}`,
    );

    // alternate the cases over two rounds so the machine's load hits them alike
    const results: Record<string, Timing[]> = { pk: [], provinceBoard: [], cityBoard: [], overdue: [] };
    for (let round2 = 0; round2 < 2; round2++) {
      results.pk!.push(await time(pk));
      results.provinceBoard!.push(await time(provinceBoard));
      results.cityBoard!.push(await time(cityBoard));
      results.overdue!.push(await time(overdueList));
    }
    const med = (name: string) => median(results[name]!.map((r) => r.medianMs));
    const p95 = (name: string) => median(results[name]!.map((r) => r.p95Ms));
    const base = med('pk');
    const rows = [
      ['primary-key SELECT of one coverage (baseline)', 'pk'],
      ['province board (campaignBoard, 50 cards per state)', 'provinceBoard'],
      ['city board (its subtree)', 'cityBoard'],
      ['province overdue list (overdueCoverages)', 'overdue'],
    ] as const;
    const table = [
      '| case | median | p95 | ratio to the primary-key SELECT |',
      '| --- | --- | --- | --- |',
      ...rows.map(
        ([label, key]) => `| ${label} | ${fmt(med(key))} ms | ${fmt(p95(key))} ms | ${fmt(med(key) / base)}× |`,
      ),
    ].join('\n');
    console.log(table);
    writeResult('planning', {
      tenants: 175,
      coverages: n.rows[0]!.n,
      overdue: n.rows[0]!.overdue,
      runs: RUNS,
      baselineMedianMs: round(base),
      provinceBoardMedianMs: round(med('provinceBoard')),
      provinceBoardRatio: round(med('provinceBoard') / base, 2),
      cityBoardRatio: round(med('cityBoard') / base, 2),
      overdueRatio: round(med('overdue') / base, 2),
      markdown: table,
      notes: [
        `175 tenants, ${n.rows[0]!.n.toLocaleString('en-US')} coverages of one provincial campaign (58 topics × 174 cities and counties), ${n.rows[0]!.overdue} overdue; each case through core in a tenant scope (application role, row-level security), ${RUNS} runs after ${WARMUP} warm-up, two alternating rounds, medians.`,
        `machine: ${availableParallelism()} cores, load ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')} at the end of the run.`,
      ],
    });
  } finally {
    if (process.argv.includes('--keep')) {
      log(`kept database ${tdb.name}`);
      await Promise.allSettled([tdb.db.destroy(), tdb.owner.destroy()]);
    } else await tdb.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

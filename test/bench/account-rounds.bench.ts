/**
 * Inspection round benchmark (issue #19): opening a round over a registry of 100,000 accounts —
 * the sample drawn in one statement (a share per tenant and platform, ordered by md5(seed, id)),
 * the two-week veto applied from the accounts' activity, the round's audit and event — as a ratio
 * of a bare COPY of the same 100,000 rows into a table without indexes.
 *
 * The registry is spread over the demo tree's 8 tenants and 9 platforms; a tenth of the accounts
 * are silent for 20 days (vetoed when sampled). The round runs as the province's administrator in
 * the province's scope (row-level security on), with --runs (default 3) different seeds; the
 * median is reported. The same seed is run twice to check the sample is reproducible.
 *
 * Run: npx tsx test/bench/account-rounds.bench.ts [--rows=N] [--runs=N]   (not part of pnpm test)
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Access, openGovRound, govRoundSamples, SYSTEM_ACTOR } from '@yiduan/core';
import { withTenant } from '@yiduan/db';
import { copyText, line } from '@yiduan/generator';
import { createTestDatabase, seedDemo } from '@yiduan/testkit';

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const v = arg ? Number(arg.slice(name.length + 3)) : fallback;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}
const ROWS = option('rows', 100_000);
const RUNS = option('runs', 3);
const PLATFORMS = ['wechat', 'weibo', 'douyin', 'kuaishou', 'toutiao', 'bilibili', 'app', 'website', 'other'] as const;
const COLUMNS = ['tenant_id', 'id', 'platform', 'name', 'handle', 'handle_key', 'sponsor', 'last_updated_at'];
const log = (m: string) => console.log(`[account-rounds] ${m}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cleanups: (() => Promise<void> | void)[] = [];
const tdb = await createTestDatabase({ teardown: (fn) => void cleanups.push(fn) });
try {
  const { tenants } = await seedDemo(tdb.db, { withContent: false });
  const ids = Object.values(tenants).map((t) => t.id);
  const now = Date.now();
  let text = '';
  for (let i = 0; i < ROWS; i++) {
    const handle = `acc-${i}`;
    const silent = i % 10 === 0 ? 20 : i % 7;
    text += line([
      ids[i % ids.length]!,
      randomUUID(),
      PLATFORMS[Math.floor(i / ids.length) % PLATFORMS.length]!,
      `政务号${i}`,
      handle,
      handle,
      `第${i % 500}局`,
      new Date(now - silent * 86_400_000),
    ]);
  }
  log(
    `${ROWS.toLocaleString()} rows, ${(text.length / 1e6).toFixed(1)} MB of COPY text, ${ids.length} tenants × ${PLATFORMS.length} platforms`,
  );

  const copies: number[] = [];
  const rounds: number[] = [];
  const pool = new pg.Pool({ connectionString: tdb.ownerUrl, max: 1 });
  cleanups.push(() => pool.end());
  const client = await pool.connect();
  cleanups.push(() => client.release());
  // the registry itself (indexes, checks, row-level security for the app role)
  const t1 = performance.now();
  await copyText(client, 'gov_accounts', COLUMNS, text);
  log(`COPY into gov_accounts (its indexes and checks): ${(performance.now() - t1).toFixed(0)} ms`);
  await client.query('ANALYZE gov_accounts');
  // the baseline: a bare COPY of the same rows into a table without indexes or constraints
  await client.query(
    'CREATE TABLE bench_copy (tenant_id uuid, id uuid, platform text, name text, handle text, handle_key text, sponsor text, last_updated_at timestamptz)',
  );

  const province = tenants.henan!;
  const admin = new Access(
    province.id,
    { id: randomUUID(), display_name: 'bench', is_operator: false },
    new Set(['tenant_admin']),
    new Map(),
  );
  let sampled = 0;
  let first: string[] = [];
  // alternating: a bare COPY, then a round, so both see the same load on a shared machine
  for (let r = 0; r < RUNS; r++) {
    await client.query('TRUNCATE bench_copy');
    const c0 = performance.now();
    await copyText(client, 'bench_copy', COLUMNS, text);
    copies.push(performance.now() - c0);
    const t0 = performance.now();
    const round = await withTenant(tdb.db, province.id, (trx) =>
      openGovRound(trx, admin, SYSTEM_ACTOR, province, {
        title: `基准 ${r}`,
        seed: r === RUNS - 1 ? 'seed-0' : `seed-${r}`,
        share: 0.1,
      }),
    );
    rounds.push(performance.now() - t0);
    sampled = round.sampled;
    const ids = (await withTenant(tdb.db, province.id, (trx) => govRoundSamples(trx, admin, province.id, round.id)))
      .map((s) => s.accountId)
      .sort();
    if (r === 0) first = ids;
    if (r === RUNS - 1 && RUNS > 1)
      log(
        `same seed twice: ${ids.length === first.length && ids.every((x, i) => x === first[i]) ? 'the same sample' : 'DIFFERENT SAMPLES'}`,
      );
  }
  log(`bare COPY: median ${median(copies).toFixed(0)} ms (${copies.map((x) => x.toFixed(0)).join(', ')})`);
  log(
    `round (sample ${sampled.toLocaleString()} of ${ROWS.toLocaleString()}, vetoes, audit, event): median ${median(rounds).toFixed(0)} ms (${rounds.map((x) => x.toFixed(0)).join(', ')})`,
  );
  log(`ratio round / bare COPY of the same rows: ${(median(rounds) / median(copies)).toFixed(2)}×`);
} finally {
  for (const fn of cleanups.reverse()) await fn();
}

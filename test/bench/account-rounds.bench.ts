/**
 * Registry import and inspection round benchmark (issue #19, "Must show"): importing 100,000
 * registry rows through the real import path, then opening a round over them, each as a ratio of a
 * bare COPY of the same rows into a table without indexes.
 *
 * The rows are spread over the demo tree's 8 tenants and 9 platforms; a tenth of the accounts are
 * silent for 20 days (vetoed when sampled). The import is what the console's 批量导入 does: each
 * tenant's rows as registry sheets (CSV with the template's Chinese headers) of at most
 * IMPORT_MAX_ROWS rows, each through `importGovAccounts` (parse, check every row, look up the keys
 * already registered, insert, audit, event) in the tenant's own scope (row-level security on), as
 * its administrator. The round then runs as the province's administrator in the province's scope.
 * Each run (--runs, default 3) empties the registry, times a bare COPY, the import, and a round
 * (a second round with the last run's seed checks the sample is reproducible); medians are reported.
 *
 * Run: npx tsx test/bench/account-rounds.bench.ts [--rows=N] [--runs=N]   (not part of pnpm test)
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  Access,
  IMPORT_MAX_ROWS,
  importGovAccounts,
  openGovRound,
  govRoundSamples,
  PLATFORM_NAMES,
  PLATFORMS,
  SYSTEM_ACTOR,
} from '@yiduan/core';
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
const COLUMNS = ['tenant_id', 'id', 'platform', 'name', 'handle', 'handle_key', 'sponsor', 'last_updated_at'];
const log = (m: string) => console.log(`[account-rounds] ${m}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cleanups: (() => Promise<void> | void)[] = [];
const tdb = await createTestDatabase({ teardown: (fn) => void cleanups.push(fn) });
try {
  const { tenants } = await seedDemo(tdb.db, { withContent: false });
  const ids = Object.values(tenants).map((t) => t.id);
  const now = Date.now();
  const beijing = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  let text = '';
  // the same rows as registry sheets, per tenant, at most IMPORT_MAX_ROWS data rows each
  const sheets = new Map<string, string[][]>(ids.map((id) => [id, []]));
  for (let i = 0; i < ROWS; i++) {
    const handle = `acc-${i}`;
    const silent = i % 10 === 0 ? 20 : i % 7;
    const tenantId = ids[i % ids.length]!;
    const platform = PLATFORMS[Math.floor(i / ids.length) % PLATFORMS.length]!;
    const updated = new Date(Math.floor((now - silent * 86_400_000) / 60_000) * 60_000);
    text += line([tenantId, randomUUID(), platform, `政务号${i}`, handle, handle, `第${i % 500}局`, updated]);
    sheets.get(tenantId)!.push([PLATFORM_NAMES[platform], `政务号${i}`, handle, `第${i % 500}局`, beijing(updated)]);
  }
  const files: { tenantId: string; csv: string }[] = [];
  for (const [tenantId, rows] of sheets)
    for (let k = 0; k < rows.length; k += IMPORT_MAX_ROWS)
      files.push({
        tenantId,
        csv:
          '平台,账号名称,账号ID或网址,主办单位,最近更新时间\r\n' +
          rows
            .slice(k, k + IMPORT_MAX_ROWS)
            .map((r) => r.join(','))
            .join('\r\n'),
      });
  log(
    `${ROWS.toLocaleString()} rows, ${(text.length / 1e6).toFixed(1)} MB of COPY text, ${ids.length} tenants × ${PLATFORMS.length} platforms; ${files.length} registry sheets of at most ${IMPORT_MAX_ROWS.toLocaleString()} rows`,
  );
  const adminOf = (tenantId: string) =>
    new Access(
      tenantId,
      { id: randomUUID(), display_name: 'bench', is_operator: false },
      new Set(['tenant_admin']),
      new Map(),
    );

  const copies: number[] = [];
  const rounds: number[] = [];
  const pool = new pg.Pool({ connectionString: tdb.ownerUrl, max: 1 });
  cleanups.push(() => pool.end());
  const client = await pool.connect();
  cleanups.push(() => client.release());
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
  const imports: number[] = [];
  let sampled = 0;
  // alternating: a bare COPY, the import, a round, so all see the same load on a shared machine
  for (let r = 0; r < RUNS; r++) {
    await client.query('TRUNCATE bench_copy');
    await client.query('TRUNCATE gov_accounts CASCADE');
    const c0 = performance.now();
    await copyText(client, 'bench_copy', COLUMNS, text);
    copies.push(performance.now() - c0);
    const i0 = performance.now();
    let created = 0;
    for (const f of files) {
      const report = await withTenant(tdb.db, f.tenantId, (trx) =>
        importGovAccounts(trx, adminOf(f.tenantId), SYSTEM_ACTOR, f.tenantId, f.csv, { organisations: [] }),
      );
      if (report.problems.length) throw new Error(`import problems: ${JSON.stringify(report.problems.slice(0, 3))}`);
      created += report.created;
    }
    imports.push(performance.now() - i0);
    if (created !== ROWS) throw new Error(`imported ${created} of ${ROWS}`);
    await client.query('ANALYZE gov_accounts');
    const t0 = performance.now();
    const open = (seed: string) =>
      withTenant(tdb.db, province.id, (trx) =>
        openGovRound(trx, admin, SYSTEM_ACTOR, province, { title: `基准 ${r}`, seed, share: 0.1 }),
      );
    const round = await open(`seed-${r}`);
    rounds.push(performance.now() - t0);
    sampled = round.sampled;
    if (r === RUNS - 1) {
      // the same seed over the same registry (the ids are new each run: compared within the last)
      const sample = async (id: string) =>
        (await withTenant(tdb.db, province.id, (trx) => govRoundSamples(trx, admin, province.id, id)))
          .map((s) => s.accountId)
          .sort();
      const [a, b] = [await sample(round.id), await sample((await open(`seed-${r}`)).id)];
      log(
        `same seed twice: ${a.length === b.length && a.every((x, i) => x === b[i]) ? 'the same sample' : 'DIFFERENT SAMPLES'}`,
      );
    }
  }
  log(`bare COPY: median ${median(copies).toFixed(0)} ms (${copies.map((x) => x.toFixed(0)).join(', ')})`);
  log(
    `import through importGovAccounts (${files.length} sheets): median ${median(imports).toFixed(0)} ms (${imports.map((x) => x.toFixed(0)).join(', ')})`,
  );
  log(`ratio import / bare COPY of the same rows: ${(median(imports) / median(copies)).toFixed(2)}×`);
  log(
    `round (sample ${sampled.toLocaleString()} of ${ROWS.toLocaleString()}, vetoes, audit, event): median ${median(rounds).toFixed(0)} ms (${rounds.map((x) => x.toFixed(0)).join(', ')})`,
  );
  log(`ratio round / bare COPY of the same rows: ${(median(rounds) / median(copies)).toFixed(2)}×`);
  log(`ratio import + round / bare COPY: ${((median(imports) + median(rounds)) / median(copies)).toFixed(2)}×`);
} finally {
  for (const fn of cleanups.reverse()) await fn();
}

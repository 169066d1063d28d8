/**
 * pnpm generate -- [--database NAME] [--stories N] [--citizens N] [--comments N] [--messages N]
 *                  [--cities N] [--counties N] [--units N] [--days N] [--analytics-days N]
 *                  [--seed S] [--chunk N] [--fresh] [--verify] [--json FILE]
 *
 * Fills a database with a generated province (see docs/generator.md). The database
 * (default yd_province) is created and migrated when missing; a run that stopped
 * resumes where it was when started again with the same options; --fresh drops it first.
 * The owner connection comes from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { migrateToLatest, withDatabase } from '@yiduan/db';
import { generate, type GenerateOptions } from './generate.js';
import { fmtDuration } from './progress.js';
import { verify } from './verify.js';

const USAGE = `usage: pnpm generate -- [--database NAME] [--stories N] [--citizens N] [--comments N] [--messages N]
       [--cities N] [--counties N] [--units N] [--days N] [--analytics-days N] [--seed S] [--chunk N]
       [--fresh] [--verify] [--json FILE] [--app-password P] [--defer-index | --no-defer-index]`;

const NUMERIC: Record<string, keyof GenerateOptions> = {
  stories: 'stories',
  citizens: 'citizens',
  comments: 'comments',
  messages: 'messages',
  cities: 'cities',
  counties: 'counties',
  units: 'unitsPerCounty',
  days: 'days',
  'analytics-days': 'analyticsDays',
  chunk: 'chunkSize',
};

interface Cli {
  database: string;
  fresh: boolean;
  verify: boolean;
  json: string | null;
  appPassword: string | undefined;
  options: Omit<GenerateOptions, 'databaseUrl'>;
}

function parse(argv: readonly string[]): Cli {
  const cli: Cli = {
    database: 'yd_province',
    fresh: false,
    verify: false,
    json: null,
    appPassword: process.env.APP_DB_PASSWORD,
    options: {},
  };
  const opts: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (raw === '--') continue;
    if (!raw.startsWith('--')) throw new Error(`unexpected argument ${raw}\n${USAGE}`);
    const [flag, inline] = raw.slice(2).split('=', 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`--${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === 'help' || flag === 'h') {
      console.log(USAGE);
      process.exit(0);
    } else if (flag === 'fresh') cli.fresh = true;
    else if (flag === 'verify') cli.verify = true;
    else if (flag === 'quiet') opts.quiet = true;
    else if (flag === 'defer-index') opts.deferSearchIndex = true;
    else if (flag === 'no-defer-index') opts.deferSearchIndex = false;
    else if (flag === 'database') cli.database = value();
    else if (flag === 'json') cli.json = value();
    else if (flag === 'seed') opts.seed = value();
    else if (flag === 'app-password') cli.appPassword = value();
    else if (flag === 'workers') opts.workers = Number(value());
    else if (flag in NUMERIC) {
      const n = Number(value().replace(/_/g, ''));
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} must be a whole number`);
      opts[NUMERIC[flag]!] = n;
    } else throw new Error(`unknown option --${flag}\n${USAGE}`);
  }
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(cli.database)) throw new Error('--database must be a plain lower-case name');
  cli.options = opts as Cli['options'];
  return cli;
}

async function prepare(
  baseUrl: string,
  name: string,
  fresh: boolean,
  appPassword: string | undefined,
): Promise<string> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    if (fresh) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(baseUrl, name);
  await migrateToLatest(url, appPassword === undefined ? {} : { appPassword });
  return url;
}

async function main(): Promise<void> {
  const cli = parse(process.argv.slice(2));
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = await prepare(base, cli.database, cli.fresh, cli.appPassword);
  process.stderr.write(`generating into ${cli.database}\n`);
  const result = await generate({ ...cli.options, databaseUrl: url });
  process.stderr.write(
    `\ndone in ${fmtDuration(result.ms / 1000)}${result.resumed ? ' (resumed)' : ''}; stories phase ${Math.round(result.storiesPerSecond).toLocaleString('en-US')} stories/s\n`,
  );
  for (const p of result.phases)
    process.stderr.write(
      `  ${p.phase.padEnd(10)} ${String(p.chunks).padStart(5)} chunks ${p.rows.toLocaleString('en-US').padStart(12)} rows ${fmtDuration(p.ms / 1000).padStart(8)}\n`,
    );
  process.stderr.write(
    `rows (estimates): ${Object.entries(result.counts)
      .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
      .join(', ')}\n`,
  );
  let report = null;
  if (cli.verify) {
    report = await verify(url);
    for (const c of report.checks)
      process.stderr.write(`  ${c.bad ? '✖' : '✔'} ${c.name}${c.bad ? ` (${c.bad})` : ''} ${c.ms} ms\n`);
  }
  if (cli.json)
    writeFileSync(cli.json, JSON.stringify({ database: cli.database, ...result, verify: report }, null, 2) + '\n');
  if (report?.failed.length) process.exit(1);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

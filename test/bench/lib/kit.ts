/**
 * Shared pieces of the benchmarks: the generated province to measure on, the four
 * baselines (bare Fastify bytes, bare Mercurius resolver, one primary-key SELECT,
 * one raw Redis GET), load loops with percentiles and memory, and the standard
 * summary rows that run.ts puts at the top of RESULTS.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import mercurius from 'mercurius';
import pg from 'pg';
import { appUrlFrom, createDb, MIGRATIONS_DIR, migrateToLatest, withDatabase, type DB } from '@yiduan/db';
import { generate, type GenerateResult } from '@yiduan/generator';
import { TEST_APP_PASSWORD } from '@yiduan/testkit';

export const LARGE = process.argv.includes('--large');
export const SIZE = LARGE ? 1_000_000 : 10_000;
export const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** `--name=value` from the command line */
export function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const v = arg ? Number(arg.slice(name.length + 3)) : fallback;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

// ------------------------------------------------------------------ numbers

export const now = (): number => performance.now();
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * q) - 1))]!;
}
export const median = (values: readonly number[]): number => quantile(values, 0.5);
export const fmt = (x: number): string =>
  Number.isFinite(x)
    ? x >= 100
      ? Math.round(x).toLocaleString('en-US')
      : x >= 10
        ? x.toFixed(1)
        : x.toFixed(2)
    : 'n/a';
export const mib = (bytes: number): number => round(bytes / 2 ** 20, 1);

/** Resident set and V8 heap of this process, in MiB. */
export function memory(): { rssMb: number; heapMb: number } {
  const m = process.memoryUsage();
  return { rssMb: mib(m.rss), heapMb: mib(m.heapUsed) };
}

// ------------------------------------------------------------------ the data

export interface BenchData {
  name: string;
  stories: number;
  ownerUrl: string;
  appUrl: string;
  /** application role: row-level security applies */
  db: DB;
  owner: DB;
  generated: GenerateResult | null;
  /** measured on a large database whose generator was paused after the stories phase */
  partial: boolean;
  close(): Promise<void>;
}

async function migrationNames(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR))
    .filter((f) => /\.(ts|js)$/.test(f))
    .map((f) => f.replace(/\.(ts|js)$/, ''))
    .sort();
}

/** finished: the generator completed; current: migrated with exactly today's migrations */
async function state(name: string): Promise<{ exists: boolean; finished: boolean; current: boolean; stories: number }> {
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) return { exists: false, finished: false, current: false, stories: 0 };
  } finally {
    await admin.end();
  }
  const c = new pg.Client({ connectionString: withDatabase(BASE_URL, name) });
  await c.connect();
  try {
    const run = await c
      .query<{ finished: boolean; stories: number }>(
        `SELECT finished_at IS NOT NULL AS finished, (options->>'stories')::int AS stories FROM generator_runs WHERE id = 1`,
      )
      .catch(() => ({ rows: [] as { finished: boolean; stories: number }[] }));
    const applied = (
      await c
        .query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name')
        .catch(() => ({ rows: [] as { name: string }[] }))
    ).rows.map((r) => r.name);
    const files = await migrationNames();
    return {
      exists: true,
      finished: run.rows[0]?.finished ?? false,
      current: JSON.stringify(applied) === JSON.stringify(files),
      stories: run.rows[0]?.stories ?? 0,
    };
  } finally {
    await c.end();
  }
}

async function storiesComplete(name: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: withDatabase(BASE_URL, name) });
  await c.connect();
  try {
    const r = await c.query<{ done: boolean }>(
      `SELECT count(*) = ceil((o.options->>'stories')::numeric / coalesce((o.options->>'chunkSize')::int, 5000)) AS done
         FROM generator_progress p, generator_runs o WHERE p.phase = 'stories' GROUP BY o.options`,
    );
    return r.rows[0]?.done ?? false;
  } finally {
    await c.end();
  }
}

/**
 * The generated province to measure on: `yd_bench_10k` (made here when missing or
 * stale, about a minute) or, with --large, `yd_bench_1m` (made beforehand with
 * `pnpm generate -- --database yd_bench_1m --stories 1000000 --citizens 1000000`).
 */
export async function benchData(log: (m: string) => void): Promise<BenchData> {
  const name = process.env.BENCH_DB ?? (LARGE ? 'yd_bench_1m' : 'yd_bench_10k');
  const wanted = LARGE ? 1_000_000 : 10_000;
  const s = await state(name);
  let generated: GenerateResult | null = null;
  // --partial: measure on a large database whose generator is paused after its stories phase
  // (the feed and push paths read stories, placements and faces only); said in the results
  const partial =
    LARGE &&
    process.argv.includes('--partial') &&
    s.exists &&
    s.current &&
    s.stories === wanted &&
    (await storiesComplete(name));
  if (partial) log(`${name}: generator paused after the stories phase (--partial)`);
  if (!partial && (!s.finished || !s.current || s.stories !== wanted)) {
    if (LARGE && !process.argv.includes('--generate')) {
      throw new Error(
        `database ${name} is ${!s.exists ? 'missing' : !s.finished ? 'not finished' : !s.current ? 'migrated with other migrations' : `of ${s.stories} stories`}: run \`nice -n 10 pnpm generate -- --database ${name} --stories 1000000 --citizens 1000000\` first (or pass --generate)`,
      );
    }
    log(`generating ${name} (${wanted.toLocaleString('en-US')} stories)${s.exists ? ' afresh' : ''}`);
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    await migrateToLatest(withDatabase(BASE_URL, name), { appPassword: TEST_APP_PASSWORD });
    generated = await generate({
      databaseUrl: withDatabase(BASE_URL, name),
      stories: wanted,
      citizens: Math.round(wanted / 5),
      quiet: !process.stderr.isTTY,
    });
    log(`generated in ${fmt(generated.ms / 1000)} s (${fmt(generated.storiesPerSecond)} stories/s)`);
  }
  const ownerUrl = withDatabase(BASE_URL, name);
  const appUrl = appUrlFrom(BASE_URL, TEST_APP_PASSWORD, name);
  const db = createDb(appUrl, { max: 10, applicationName: 'yiduan-bench' });
  const owner = createDb(ownerUrl, { max: 2, applicationName: 'yiduan-bench-owner' });
  return {
    name,
    stories: wanted,
    ownerUrl,
    appUrl,
    db,
    owner,
    generated,
    partial: Boolean(partial),
    close: async () => {
      await Promise.allSettled([db.destroy(), owner.destroy()]);
    },
  };
}

// ------------------------------------------------------------------ load

export interface LoadFigures {
  /** requests (or operations) per second */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  count: number;
  errors: number;
  rssMb: number;
  heapMb: number;
}

/** autocannon against a URL for `seconds`; every response must be 200 (and match `check` once, before). */
export async function httpLoad(opts: {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  seconds: number;
  connections: number;
}): Promise<LoadFigures> {
  const result = await autocannon({
    url: opts.url,
    method: opts.method ?? 'GET',
    ...(opts.body ? { body: opts.body } : {}),
    headers: opts.headers ?? {},
    connections: opts.connections,
    duration: opts.seconds,
  });
  const m = memory();
  return {
    throughput: round(result.requests.average, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    count: result.requests.total,
    errors: result.errors + result.non2xx + result.timeouts,
    ...m,
  };
}

/** A closed loop of `concurrency` callers for `seconds` (after a warm-up): latency of every call. */
export async function closedLoop(
  fn: () => Promise<unknown>,
  opts: { seconds: number; concurrency: number; warmup?: number },
): Promise<LoadFigures> {
  for (let i = 0; i < (opts.warmup ?? 50); i++) await fn();
  const lat: number[] = [];
  let errors = 0;
  const end = now() + opts.seconds * 1000;
  const t0 = now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (now() < end) {
        const t = now();
        try {
          await fn();
        } catch {
          errors++;
        }
        lat.push(now() - t);
      }
    }),
  );
  const secs = (now() - t0) / 1000;
  return {
    throughput: round(lat.length / secs, 1),
    p50Ms: round(quantile(lat, 0.5)),
    p99Ms: round(quantile(lat, 0.99)),
    count: lat.length,
    errors,
    ...memory(),
  };
}

// ------------------------------------------------------------------ baselines

async function listen(app: FastifyInstance): Promise<{ url: string; close: () => Promise<void> }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Bare Fastify: one route answering the same bytes from memory. */
export async function bareFastify(
  body: string,
  contentType: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  app.all('/', async (_req, reply) => reply.type(contentType).send(body));
  return listen(app);
}

/** Bare Mercurius: one resolver returning the same data from memory (a JSON scalar), JIT on, as the API. */
export async function bareMercurius(
  data: unknown,
): Promise<{ url: string; query: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  const { GraphQLScalarType } = await import('graphql');
  const JSONScalar = new GraphQLScalarType({ name: 'JSON', serialize: (v) => v });
  await app.register(mercurius, {
    schema: 'scalar JSON\ntype Query { feed: JSON }',
    resolvers: { JSON: JSONScalar, Query: { feed: () => data } } as never,
    jit: 1,
  });
  const l = await listen(app);
  return { ...l, url: `${l.url}/graphql`, query: '{ feed }' };
}

/** A single primary-key SELECT of a story, through the same role and pool size as the service. */
export function pkSelect(db: DB, keys: readonly { tenant_id: string; id: string }[]): () => Promise<unknown> {
  let i = 0;
  return async () => {
    const k = keys[i++ % keys.length]!;
    return db
      .selectFrom('stories')
      .select(['tenant_id', 'id', 'status', 'published_at'])
      .where('tenant_id', '=', k.tenant_id)
      .where('id', '=', k.id)
      .executeTakeFirst();
  };
}

/** A raw Redis GET of a value of the given size. */
export async function redisGet(value: string): Promise<{ get: () => Promise<unknown>; close: () => Promise<void> }> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const key = `yd:bench:baseline:${process.pid}`;
  await redis.set(key, value, 'EX', 600);
  return {
    get: () => redis.get(key),
    close: async () => {
      await redis.del(key);
      redis.disconnect();
    },
  };
}

// ------------------------------------------------------------------ results

/** One line of the summary table in RESULTS.md. */
export interface SummaryRow {
  bench: string;
  case: string;
  /** stories in the database */
  size: number;
  throughput: number;
  unit: string;
  p50Ms: number;
  p99Ms: number;
  rssMb: number | null;
  baseline: string;
  baselineThroughput: number;
  /** when the baseline counts other units than the case */
  baselineUnit?: string;
  baselineP50Ms: number;
  /** case throughput / baseline throughput (or baseline time / case time for one-shot cases) */
  ratio: number;
  /** a second baseline of the same run (e.g. the from-memory one beside the hand-written one) */
  baseline2?: string;
  baseline2Throughput?: number;
  ratio2?: number;
  /** the ratio the issue asks for, against `baseline` */
  target?: number;
  measuredAt: string;
}

const resultsDir = new URL('../results/', import.meta.url);

export function readPrevious<T>(name: string): T | null {
  const file = new URL(`${name}.json`, resultsDir);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export function writeResult(name: string, result: Record<string, unknown>): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    new URL(`${name}.json`, resultsDir),
    JSON.stringify({ name, date: new Date().toISOString(), node: process.version, ...result }, null, 2) + '\n',
  );
}

/** Markdown for summary rows: one table, both sizes side by side when kept. */
export function summaryTable(rows: readonly SummaryRow[]): string {
  const second = rows.some((r) => r.baseline2);
  const lines = [
    `| case | stories | throughput | p50 | p99 | RSS | baseline (same run) | baseline throughput | baseline p50 | ratio |${second ? ' target | second baseline (same run) | its throughput | ratio to it |' : ''}`,
    `| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |${second ? ' --- | --- | --- | --- |' : ''}`,
  ];
  for (const r of rows) {
    const extra = second
      ? ` ${targetCell(r)} | ${r.baseline2 ?? ''} | ${r.baseline2Throughput === undefined ? '' : `${fmt(r.baseline2Throughput)} ${r.unit}`} | ${r.ratio2 === undefined ? '' : `${fmt(r.ratio2)}×`} |`
      : '';
    lines.push(
      `| ${r.case} | ${r.size.toLocaleString('en-US')} | ${fmt(r.throughput)} ${r.unit} | ${fmt(r.p50Ms)} ms | ${fmt(r.p99Ms)} ms | ${r.rssMb === null ? '' : `${fmt(r.rssMb)} MiB`} | ${r.baseline} | ${fmt(r.baselineThroughput)} ${r.baselineUnit ?? r.unit} | ${fmt(r.baselineP50Ms)} ms | ${fmt(r.ratio)}× |${extra}`,
    );
  }
  return lines.join('\n');
}

/** "≥ 0.7×: no" — the issue's target for a row and whether this run met it */
export function targetCell(r: Pick<SummaryRow, 'target' | 'ratio'>): string {
  if (r.target === undefined) return '';
  return `≥ ${r.target}×: ${r.ratio >= r.target ? 'yes' : '**no**'}`;
}

/**
 * GraphQL feed through services/api (Mercurius, JIT, loaders, row-level security) on the
 * generator's province: 10,000 stories by default, 1,000,000 with --large. Each case is an
 * autocannon run against the listening API with a signed-in editor of a typical county,
 * beside two baselines measured in the same run, alternating with it round by round:
 *
 *   hand-written  a Mercurius app (JIT) answering the same query text with one SQL statement
 *                 in one transaction scoped to the tenant as packages/db scopes it, under the
 *                 application role (lib/handwritten.ts); its answer must equal the API's
 *   from memory   a bare Mercurius resolver returning the API's answer held in memory
 *
 * One primary-key SELECT (the database baseline) is measured alongside, and the statements one
 * request sends are counted with a logging Kysely in front of a second API instance.
 *
 * Run: pnpm bench [--large] graphql   or   npx tsx test/bench/graphql.bench.ts [--large] [--seconds=N]
 *      [--rounds=N] [--profile] (CPU profiles of the API and of the hand-written resolver during
 *      the slowest case: summary in results/graphql-profile.md, raw .cpuprofile in /tmp)
 */
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { Kysely } from 'kysely';
import { createMemoryCache } from '@yiduan/cache';
import { loadConfig } from '@yiduan/config';
import { build as buildApi } from '@yiduan/api';
import { createSession } from '@yiduan/core';
import type pg from 'pg';
import { createPool, ScopedPostgresDialect, scopeStatement, withPlatform, type Database } from '@yiduan/db';
import { summarise, profileMarkdown, type CpuProfile, type ProfileSummary } from './lib/cpuprofile.js';
import { FACE_FEED_SQL, handMercurius, OWN_FEED_SQL } from './lib/handwritten.js';
import {
  bareMercurius,
  benchData,
  closedLoop,
  fmt,
  httpLoad,
  LARGE,
  median,
  option,
  pkSelect,
  readPrevious,
  round,
  SIZE,
  summaryTable,
  targetCell,
  writeResult,
  type BenchData,
  type LoadFigures,
  type SummaryRow,
} from './lib/kit.js';

const SECONDS = option('seconds', LARGE ? 6 : 4);
const ROUNDS = Math.round(option('rounds', 3));
const CONNECTIONS = option('connections', 10);
const PROFILE = process.argv.includes('--profile');
/** issue #15: own and face feed at least this share of the hand-written resolver */
const TARGET = 0.7;
const log = (m: string): void => console.log(`[graphql] ${m}`);

const OWN_FEED = `query OwnFeed($tenantId: ID!) {
  stories(tenantId: $tenantId, status: PUBLISHED, first: 20) {
    edges { node { id publishedAt tenant { id name } section { id name } publishedRevision { title summary cover { id url width height } } } }
  }
}`;
const FACE_FEED = `query FaceFeed($tenantId: ID!) {
  facePlacements(tenantId: $tenantId, first: 20) {
    id mode placedAt section { id name } story { id title summary publishedAt origin { id name } }
  }
}`;
type Target = 'api' | 'hand' | 'bare';

interface Figures extends LoadFigures {
  /** CPU of this process (API, baselines and autocannon all live here) per response, µs */
  cpuUs: number;
}

interface Median {
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  rssMb: number;
  cpuUs: number;
  runs: number[];
}

interface CaseResult {
  key: string;
  label: string;
  bytes: number;
  items: number;
  api: Median;
  hand: Median;
  bare: Median;
  /** api / hand-written */
  ratio: number;
  /** api / from memory */
  ratioBare: number;
  /** hand-written / from memory */
  handRatioBare: number;
  statements: Statements;
  /** the statements alone, replayed with raw pg (no HTTP, GraphQL, Kysely or loaders), 10 callers */
  replay: { api: LoadFigures & { cpuUs: number }; hand: LoadFigures & { cpuUs: number } };
}

interface Statements {
  /** round trips of one request once the session is remembered (each logged query is one client.query) */
  api: number;
  apiTransactions: number;
  apiFirst: number;
  hand: number;
  handTransactions: number;
  list: string[];
  /** what one request sent, to replay: text and parameters */
  sent: { sql: string; parameters: readonly unknown[] }[];
}

interface Stored {
  /** `load` and the cases' `hand` are missing from figures written before the hand-written baseline */
  sizes?: {
    size: number;
    measuredAt: string;
    county: string;
    cases: CaseResult[];
    pk: LoadFigures;
    summary: SummaryRow[];
    load?: number[];
  }[];
}

const med = (runs: Figures[]): Median => ({
  throughput: round(median(runs.map((r) => r.throughput)), 1),
  p50Ms: median(runs.map((r) => r.p50Ms)),
  p99Ms: median(runs.map((r) => r.p99Ms)),
  rssMb: Math.max(...runs.map((r) => r.rssMb)),
  cpuUs: Math.round(median(runs.map((r) => r.cpuUs))),
  runs: runs.map((r) => r.throughput),
});

async function measured(opts: Parameters<typeof httpLoad>[0]): Promise<Figures> {
  const before = process.cpuUsage();
  const f = await httpLoad(opts);
  const cpu = process.cpuUsage(before);
  return { ...f, cpuUs: Math.round((cpu.user + cpu.system) / Math.max(1, f.count)) };
}

async function cpuProfile<T>(fn: () => Promise<T>, file: string): Promise<{ value: T; summary: ProfileSummary }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const value = await fn();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  // autocannon shares this process: its samples are left out of the shares
  return { value, summary: summarise(profile as CpuProfile, { top: 20, exclude: ['autocannon'] }) };
}

/** The statements one request sends: a second API over a logging Kysely (same dialect as createDb), one request to remember the session, then one counted. */
async function countStatements(
  data: BenchData,
  config: ReturnType<typeof loadConfig>,
  body: string,
  headers: Record<string, string>,
): Promise<Pick<Statements, 'api' | 'apiTransactions' | 'apiFirst' | 'list' | 'sent'>> {
  const statements: string[] = [];
  const sent: Statements['sent'] = [];
  const logged = new Kysely<Database>({
    dialect: new ScopedPostgresDialect({ pool: createPool(data.appUrl, { max: 4 }) }),
    log: (e) => {
      statements.push(e.query.sql);
      sent.push({ sql: e.query.sql, parameters: e.query.parameters });
    },
  });
  const cache = createMemoryCache({ prefix: 'bench-graphql-count:', maxEntries: 1000 });
  const app = await buildApi({ config, db: logged, readDb: logged, cache });
  try {
    const ask = async (): Promise<void> => {
      const res = await app.inject({ method: 'POST', url: '/graphql', headers, payload: body });
      if (res.statusCode !== 200 || (res.json() as { errors?: unknown }).errors)
        throw new Error(`counting: ${res.statusCode} ${res.body.slice(0, 300)}`);
    };
    await ask();
    const apiFirst = statements.length;
    statements.length = 0;
    sent.length = 0;
    await ask();
    const list = statements.map((s) => s.replace(/\s+/g, ' ').trim());
    return {
      api: list.length,
      apiTransactions: list.filter((s) => /^(begin|start transaction)/i.test(s)).length,
      apiFirst,
      list,
      sent: [...sent],
    };
  } finally {
    await app.close();
    await cache.close();
    await logged.destroy();
  }
}

/**
 * One request's statements, replayed in order on one pooled connection with raw pg: the database
 * and driver cost of a request without HTTP, GraphQL, Kysely or loaders (the API runs its
 * out-of-transaction statements on another connection; the round trips are the same).
 */
function replay(pool: pg.Pool, sent: Statements['sent']): () => Promise<unknown> {
  return async () => {
    const client = await pool.connect();
    try {
      for (const q of sent) await client.query(q.sql, q.parameters as unknown[]);
    } finally {
      client.release();
    }
  };
}

async function timedLoop(fn: () => Promise<unknown>): Promise<LoadFigures & { cpuUs: number }> {
  const before = process.cpuUsage();
  const f = await closedLoop(fn, { seconds: SECONDS, concurrency: CONNECTIONS, warmup: 20 });
  const cpu = process.cpuUsage(before);
  return { ...f, cpuUs: Math.round((cpu.user + cpu.system) / Math.max(1, f.count)) };
}

async function main(): Promise<void> {
  const data = await benchData(log);
  const cache = createMemoryCache({ prefix: `bench-graphql:`, maxEntries: 10_000 });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const api = await buildApi({ config, db: data.db, readDb: data.db, cache });
  const closers: (() => Promise<void>)[] = [];
  const loadStart = (await import('node:os')).loadavg();
  try {
    await api.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}/graphql`;
    const hand = await handMercurius(data.appUrl);
    closers.push(hand.close);

    // a typical county: the median by active placements; its editor signs in
    const counties = await data.owner
      .selectFrom('tenants as t')
      .innerJoin('placements as p', 'p.tenant_id', 't.id')
      .select(['t.id', 't.slug', (eb) => eb.fn.countAll<string>().as('n')])
      .where('t.level', '=', 'county')
      .where('p.status', '=', 'active')
      .groupBy(['t.id', 't.slug'])
      .orderBy('n')
      .execute();
    const county = counties[Math.floor(counties.length / 2)]!;
    const editor = await data.owner
      .selectFrom('staff')
      .select('id')
      .where('login', '=', `${county.slug}-editor`)
      .executeTakeFirstOrThrow();
    const { token } = await withPlatform(data.owner, (trx) => createSession(trx, editor.id));
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const plain = { 'content-type': 'application/json' };
    log(`${data.name}: county ${county.slug} with ${Number(county.n).toLocaleString('en-US')} active placements`);

    const cases: CaseResult[] = [];
    const profiles: { key: string; target: Target; file: string; summary: ProfileSummary; throughput: number }[] = [];
    let slowest: { c: CaseResult; body: string } | null = null;
    for (const [key, label, query] of [
      ['own', 'own feed: `stories` (20, published) with origin tenant, section, cover', OWN_FEED],
      ['face', 'face feed: `facePlacements` (20) with origin and section', FACE_FEED],
    ] as const) {
      const body = JSON.stringify({ query, variables: { tenantId: county.id } });
      const ask = async (to: string, h: Record<string, string>): Promise<Record<string, unknown>> => {
        const res = await fetch(to, { method: 'POST', headers: h, body });
        const json = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
        if (res.status !== 200 || json.errors || !json.data)
          throw new Error(`${key} ${to}: ${res.status} ${JSON.stringify(json).slice(0, 400)}`);
        return json.data;
      };
      const answer = await ask(url, headers);
      const items =
        key === 'own'
          ? (answer.stories as { edges: unknown[] }).edges.length
          : (answer.facePlacements as unknown[]).length;
      if (items < 10) throw new Error(`${key}: only ${items} items`);
      // the hand-written resolver must give the very same answer, field for field
      const handAnswer = await ask(hand.url, plain);
      if (JSON.stringify(handAnswer) !== JSON.stringify(answer)) {
        throw new Error(
          `${key}: the hand-written resolver answers differently:\n api  ${JSON.stringify(answer).slice(0, 600)}\n hand ${JSON.stringify(handAnswer).slice(0, 600)}`,
        );
      }
      const bare = await bareMercurius(answer);
      closers.push(bare.close);
      const bareBody = JSON.stringify({ query: bare.query });
      const targets: Record<Target, Parameters<typeof httpLoad>[0]> = {
        api: { url, method: 'POST', body, headers, seconds: SECONDS, connections: CONNECTIONS },
        hand: { url: hand.url, method: 'POST', body, headers: plain, seconds: SECONDS, connections: CONNECTIONS },
        bare: {
          url: bare.url,
          method: 'POST',
          body: bareBody,
          headers: plain,
          seconds: SECONDS,
          connections: CONNECTIONS,
        },
      };

      // statements per request, before the load
      const handBefore = { rt: hand.sql.roundTrips, tx: hand.sql.transactions };
      await ask(hand.url, plain);
      const counted = await countStatements(data, config, body, headers);
      const statements: Statements = {
        ...counted,
        hand: hand.sql.roundTrips - handBefore.rt,
        handTransactions: hand.sql.transactions - handBefore.tx,
      };
      const handSent: Statements['sent'] = [
        { sql: `BEGIN; ${scopeStatement({ tenantId: county.id })}`, parameters: [] },
        { sql: key === 'own' ? OWN_FEED_SQL : FACE_FEED_SQL, parameters: [county.id, 20] },
        { sql: 'COMMIT', parameters: [] },
      ];
      log(
        `${key}: ${statements.api} round trips in ${statements.apiTransactions} transactions per API request (${statements.apiFirst} on the first, with the session lookup); hand-written ${statements.hand} in ${statements.handTransactions}`,
      );

      // one warm-up each, then rounds alternating the three, each round in another order
      for (const t of ['api', 'hand', 'bare'] as const) await httpLoad({ ...targets[t], seconds: 1 });
      const runs: Record<Target, Figures[]> = { api: [], hand: [], bare: [] };
      const order: Target[] = ['api', 'hand', 'bare'];
      for (let r = 0; r < ROUNDS; r++) {
        for (const t of order.map((_, i) => order[(i + r) % order.length]!)) {
          const f = await measured(targets[t]);
          if (f.errors) throw new Error(`${key} ${t}: ${f.errors} failed requests`);
          runs[t].push(f);
          log(
            `  round ${r + 1}/${ROUNDS} ${key} ${t}: ${fmt(f.throughput)} req/s p50 ${fmt(f.p50Ms)} ms, ${f.cpuUs} µs CPU/response`,
          );
        }
      }
      // the statements alone, alternating (API's, hand-written's, then the other way round)
      const replayPool = createPool(data.appUrl, { max: 10, applicationName: 'yiduan-bench-replay' });
      const replays: { api: (LoadFigures & { cpuUs: number })[]; hand: (LoadFigures & { cpuUs: number })[] } = {
        api: [],
        hand: [],
      };
      try {
        for (const t of ['api', 'hand', 'hand', 'api'] as const) {
          const f = await timedLoop(replay(replayPool, t === 'api' ? statements.sent : handSent));
          if (f.errors) throw new Error(`${key} replay ${t}: ${f.errors} errors`);
          replays[t].push(f);
          log(
            `  replay ${key} ${t} statements (${t === 'api' ? statements.sent.length : handSent.length}): ${fmt(f.throughput)}/s p50 ${fmt(f.p50Ms)} ms, ${f.cpuUs} µs CPU`,
          );
        }
      } finally {
        await replayPool.end();
      }
      const better = (xs: (LoadFigures & { cpuUs: number })[]): LoadFigures & { cpuUs: number } =>
        [...xs].sort((x, y) => x.throughput - y.throughput)[Math.floor(xs.length / 2)]!;
      const [a, h, b] = [med(runs.api), med(runs.hand), med(runs.bare)];
      const c: CaseResult = {
        key,
        label,
        bytes: Buffer.byteLength(JSON.stringify({ data: answer })),
        items,
        api: a,
        hand: h,
        bare: b,
        ratio: round(a.throughput / h.throughput, 3),
        ratioBare: round(a.throughput / b.throughput, 3),
        handRatioBare: round(h.throughput / b.throughput, 3),
        statements,
        replay: { api: better(replays.api), hand: better(replays.hand) },
      };
      cases.push(c);
      log(
        `${key}: API ${fmt(a.throughput)} req/s, hand-written ${fmt(h.throughput)}, from memory ${fmt(b.throughput)} → ${fmt(c.ratio)}× hand-written, ${fmt(c.ratioBare)}× from memory`,
      );
      if (!slowest || c.ratio < slowest.c.ratio) slowest = { c, body };

      if (PROFILE && key === 'own') {
        for (const t of ['api', 'hand'] as const) {
          const file = `/tmp/yd-bench-graphql-${key}-${t}-${Date.now()}.cpuprofile`;
          const p = await cpuProfile(() => httpLoad({ ...targets[t], seconds: Math.max(SECONDS, 6) }), file);
          profiles.push({ key, target: t, file, summary: p.summary, throughput: p.value.throughput });
          log(`profile of ${key} ${t}: ${file} (${fmt(p.value.throughput)} req/s under the profiler)`);
        }
      }
    }

    // the database baseline: one primary-key SELECT of a story, 10 callers
    const keys = await data.owner
      .selectFrom('stories')
      .select(['tenant_id', 'id'])
      .where('published_revision', 'is not', null)
      .limit(1000)
      .execute();
    const pk = await closedLoop(pkSelect(data.db, keys), { seconds: Math.min(SECONDS, 5), concurrency: CONNECTIONS });
    log(`PK SELECT: ${fmt(pk.throughput)}/s p50 ${fmt(pk.p50Ms)} ms`);

    const measuredAt = new Date().toISOString();
    const summary: SummaryRow[] = [];
    for (const c of cases) {
      const which = c.key === 'own' ? 'own' : 'face';
      summary.push({
        bench: 'graphql',
        case: c.label,
        size: SIZE,
        throughput: c.api.throughput,
        unit: 'req/s',
        p50Ms: c.api.p50Ms,
        p99Ms: c.api.p99Ms,
        rssMb: c.api.rssMb,
        baseline: 'hand-written Mercurius resolver: one SQL statement, one tenant-scoped transaction, application role',
        baselineThroughput: c.hand.throughput,
        baselineP50Ms: c.hand.p50Ms,
        ratio: c.ratio,
        target: TARGET,
        baseline2: 'bare Mercurius resolver, same data from memory',
        baseline2Throughput: c.bare.throughput,
        ratio2: c.ratioBare,
        measuredAt,
      });
      summary.push({
        bench: 'graphql',
        case: `baseline: the hand-written resolver itself (${which} feed, ${c.statements.hand} round trips)`,
        size: SIZE,
        throughput: c.hand.throughput,
        unit: 'req/s',
        p50Ms: c.hand.p50Ms,
        p99Ms: c.hand.p99Ms,
        rssMb: c.hand.rssMb,
        baseline: 'bare Mercurius resolver, same data from memory',
        baselineThroughput: c.bare.throughput,
        baselineP50Ms: c.bare.p50Ms,
        ratio: c.handRatioBare,
        measuredAt,
      });
    }
    summary.push({
      bench: 'graphql',
      case: 'database baseline: one primary-key SELECT (10 callers)',
      size: SIZE,
      throughput: pk.throughput,
      unit: 'ops/s',
      p50Ms: pk.p50Ms,
      p99Ms: pk.p99Ms,
      rssMb: null,
      baseline: '—',
      baselineThroughput: pk.throughput,
      baselineP50Ms: pk.p50Ms,
      ratio: 1,
      measuredAt,
    });

    const loadEnd = (await import('node:os')).loadavg();
    const prev = readPrevious<Stored>('graphql');
    const sizes = [
      ...(prev?.sizes ?? []).filter((s) => s.size !== SIZE),
      { size: SIZE, measuredAt, county: county.slug, cases, pk, summary, load: [...loadStart, ...loadEnd] },
    ].sort((a, b) => a.size - b.size);
    const lines: string[] = [];
    lines.push(
      `GraphQL over HTTP (autocannon, ${CONNECTIONS} connections), API in this process with the application role under row-level security, a signed-in editor of a typical county (median by active placements). Each case and its two baselines run alternately: one 1 s warm-up each, then ${ROUNDS} rounds of ${SECONDS} s per target, each round in another order; figures are the medians. Baselines: **hand-written**, a Mercurius app (JIT) answering the same query text with one SQL statement in one transaction opened with the tenant's scope as packages/db opens it (BEGIN and \`set_config\` in one round trip, the statement, COMMIT), under the application role, its answer checked equal to the API's; **from memory**, a bare Mercurius resolver returning the API's answer held in memory.`,
    );
    lines.push('');
    lines.push(summaryTable(sizes.flatMap((s) => s.summary)));
    lines.push('');
    lines.push(
      "| case | stories | API req/s (runs) | hand-written req/s (runs) | from memory req/s (runs) | API ÷ hand-written | API ÷ from memory | round trips per request: API (first request) / hand-written | transactions: API / hand-written | process CPU per response: API / hand-written / from memory | statements alone, replayed (raw pg, 10 callers): API's / hand-written's | their CPU per request |",
    );
    lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const s of sizes) {
      // figures of the other size from before the hand-written baseline existed stay in the summary only
      for (const c of s.cases.filter((x) => 'hand' in x)) {
        const runs = (m: Median): string => `${fmt(m.throughput)} (${m.runs.map(fmt).join(' / ')})`;
        lines.push(
          `| ${c.key} feed | ${s.size.toLocaleString('en-US')} | ${runs(c.api)} | ${runs(c.hand)} | ${runs(c.bare)} | ${fmt(c.ratio)}× (${targetCell({ target: TARGET, ratio: c.ratio })}) | ${fmt(c.ratioBare)}× | ${c.statements.api} (${c.statements.apiFirst}) / ${c.statements.hand} | ${c.statements.apiTransactions} / ${c.statements.handTransactions} | ${c.api.cpuUs} / ${c.hand.cpuUs} / ${c.bare.cpuUs} µs | ${c.replay ? `${fmt(c.replay.api.throughput)} / ${fmt(c.replay.hand.throughput)} per s` : ''} | ${c.replay ? `${c.replay.api.cpuUs} / ${c.replay.hand.cpuUs} µs` : ''} |`,
        );
      }
    }
    const notes = [
      `Sizes: ${sizes
        .map(
          (s) =>
            `${s.size.toLocaleString('en-US')} stories (county ${s.county}, measured ${s.measuredAt.slice(0, 16).replace('T', ' ')}${
              s.load
                ? `, load average ${s.load
                    .slice(0, 3)
                    .map((x) => x.toFixed(1))
                    .join('/')} at start, ${s.load
                    .slice(3)
                    .map((x) => x.toFixed(1))
                    .join('/')} at end`
                : ''
            })`,
        )
        .join(
          '; ',
        )}. A default run keeps the figures of the last --large run and the other way round.${sizes.some((s) => s.size !== SIZE && !s.cases.every((c) => 'hand' in c)) ? ' The figures of the other size predate the hand-written baseline (their rows compare with the from-memory one only): `pnpm bench --large graphql` on `yd_bench_1m` (made beforehand by `pnpm generate`) measures both there.' : ''}`,
      `The machine (2 cores) was shared with other work during the run, hence the alternating rounds: read the ratios, which each come from runs seconds apart, not the absolute rates.`,
      `Response sizes: ${cases.map((c) => `${c.key} ${c.bytes.toLocaleString('en-US')} bytes, ${c.items} items`).join('; ')}.`,
      `The hand-written SQL (test/bench/lib/handwritten.ts): own feed \`stories ⋈ tenants ⟕ sections ⟕ story_revisions (published) ⟕ assets\` by primary keys, \`WHERE tenant_id = $1 AND state = 'published' ORDER BY updated_at DESC, id DESC LIMIT 20\` (the API's list index); face feed \`placements ⟕ sections ⟕ stories ⟕ story_revisions ⋈ tenants\`, \`WHERE tenant_id = $1 AND mode <> 'own' ORDER BY placed_at DESC, id DESC LIMIT 20\`. It does no session, grant or staff check (the API's access query does), has no loaders and no per-field resolvers beyond Mercurius' defaults.`,
      `Round trips counted: each query a logging Kysely sees is one client.query call (BEGIN and the scope's settings travel as one). The API's statements of one own-feed request: ${
        cases
          .find((c) => c.key === 'own')
          ?.statements.list.map((s) => `\`${s.slice(0, 70)}${s.length > 70 ? '…' : ''}\``)
          .join('; ') ?? ''
      }.`,
      "Process CPU per response: user + system CPU of the bench process over a run ÷ its responses. The API, both baselines and autocannon share this process, so each figure includes autocannon's share (about the same per response for all three, their answers being the same size); the differences are the servers'.",
      'RSS is of the bench process, which holds the API, both baselines and autocannon.',
      "Statements alone: the very statements (text and parameters) one API request sent, logged as above, replayed in order on one pooled connection with raw pg by 10 callers, beside the hand-written resolver's three; no HTTP, GraphQL, Kysely or loaders. The API's replay bounds what the API could reach with its present statements and no JavaScript cost of its own; the rest of the gap is the API's own work. (The faster of two runs each, alternating.)",
    ];
    if (data.partial)
      notes.push(
        `The ${SIZE.toLocaleString('en-US')}-story database was measured with its generator paused after the stories phase (stories, revisions, placements, search documents all in; citizens, comments, messages and roll-ups not yet): this path does not read them.`,
      );
    if (profiles.length) {
      const md = [
        '# CPU profile of the slowest dynamic path: the GraphQL own feed',
        '',
        `Written by test/bench/graphql.bench.ts with \`--profile\` (\`pnpm bench graphql --profile\`, ${measuredAt.slice(0, 16).replace('T', ' ')} UTC, ${SIZE.toLocaleString('en-US')} stories, county ${county.slug}). The V8 sampling profiler (what \`--cpu-prof\` uses, 200 µs interval) over one ${Math.max(SECONDS, 6)} s autocannon run of 10 connections, started over the inspector in the bench process; autocannon's own samples (any stack under autocannon) are left out of the shares. Raw profiles (temporary): ${profiles.map((p) => p.file).join(', ')}.`,
        '',
      ];
      for (const p of profiles)
        md.push(
          profileMarkdown(
            p.summary,
            `${p.target === 'api' ? 'services/api' : 'the hand-written resolver'}: own feed, ${fmt(p.throughput)} req/s under the profiler`,
          ),
          '',
        );
      writeFileSync(new URL('./results/graphql-profile.md', import.meta.url), md.join('\n'));
      notes.push(`CPU profiles of the own feed (API and hand-written) in results/graphql-profile.md.`);
    }
    writeResult('graphql', {
      large: LARGE,
      sizes,
      markdown: lines.join('\n'),
      notes,
      summary: sizes.flatMap((s) => s.summary),
    });
    console.log(lines.join('\n'));
    if (slowest) log(`slowest against its hand-written baseline: ${slowest.c.key} (${fmt(slowest.c.ratio)}×)`);
  } finally {
    for (const c of closers) await c().catch(() => undefined);
    await api.close();
    await cache.close();
    await data.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

/**
 * GraphQL feed through services/api (Mercurius, JIT, loaders, row-level security) on the
 * generator's province: 10,000 stories by default, 1,000,000 with --large. Each case is an
 * autocannon run against the listening API with a signed-in editor of a typical county;
 * its baseline, in the same run, is a bare Mercurius resolver returning the same data from
 * memory. One primary-key SELECT (the database baseline) is measured alongside.
 *
 * Run: pnpm bench [--large] graphql   or   npx tsx test/bench/graphql.bench.ts [--large] [--seconds=N]
 *      [--profile] (CPU profile of the API during the slowest case, written to /tmp)
 */
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { createMemoryCache } from '@yiduan/cache';
import { loadConfig } from '@yiduan/config';
import { build as buildApi } from '@yiduan/api';
import { createSession } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { bareMercurius, benchData, closedLoop, fmt, httpLoad, LARGE, option, pkSelect, readPrevious, round, SIZE, summaryTable, writeResult, type LoadFigures, type SummaryRow } from './lib/kit.js';

const SECONDS = option('seconds', LARGE ? 8 : 6);
const CONNECTIONS = option('connections', 10);
const PROFILE = process.argv.includes('--profile');
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

interface CaseResult {
  key: string;
  label: string;
  bytes: number;
  figures: LoadFigures;
  baseline: LoadFigures;
  ratio: number;
  profile?: { file: string; top: ProfileTop };
}

interface Stored {
  sizes?: { size: number; measuredAt: string; county: string; cases: CaseResult[]; pk: LoadFigures; summary: SummaryRow[] }[];
}

type ProfileTop = { fn: string; where: string; selfMs: number; share: number }[];

async function profileDuring<T>(fn: () => Promise<T>, label: string): Promise<{ value: T; file: string; top: ProfileTop }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const value = await fn();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const file = `/tmp/yd-bench-graphql-${label}-${Date.now()}.cpuprofile`;
  writeFileSync(file, JSON.stringify(profile));
  // self time per function (samples × interval)
  const byNode = new Map<number, { fn: string; where: string }>();
  for (const n of profile.nodes) {
    const cf = n.callFrame;
    const where = cf.url ? `${cf.url.replace(/^file:\/\/\/work\/main\//, '').replace(/.*node_modules\/\.pnpm\/([^/]+)\/.*/, '$1')}:${cf.lineNumber + 1}` : '';
    byNode.set(n.id, { fn: cf.functionName || '(anonymous)', where });
  }
  const counts = new Map<string, { fn: string; where: string; n: number }>();
  const samples = profile.samples ?? [];
  for (const id of samples) {
    const f = byNode.get(id)!;
    const key = `${f.fn}@${f.where}`;
    const c = counts.get(key) ?? { ...f, n: 0 };
    c.n++;
    counts.set(key, c);
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const perSample = samples.length ? totalMs / samples.length : 0;
  const idle = [...counts.values()].filter((c) => c.fn === '(idle)').reduce((a, c) => a + c.n, 0);
  const busy = Math.max(1, samples.length - idle);
  const top = [...counts.values()]
    .filter((c) => c.fn !== '(idle)')
    .sort((a, b) => b.n - a.n)
    .slice(0, 15)
    .map((c) => ({ fn: c.fn, where: c.where, selfMs: round(c.n * perSample, 1), share: round((100 * c.n) / busy, 1) }));
  return { value, file, top };
}

async function main(): Promise<void> {
  const data = await benchData(log);
  const cache = createMemoryCache({ prefix: `bench-graphql:`, maxEntries: 10_000 });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const api = await buildApi({ config, db: data.db, readDb: data.db, cache });
  const closers: (() => Promise<void>)[] = [];
  try {
    await api.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}/graphql`;

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
    const editor = await data.owner.selectFrom('staff').select('id').where('login', '=', `${county.slug}-editor`).executeTakeFirstOrThrow();
    const { token } = await withPlatform(data.owner, (trx) => createSession(trx, editor.id));
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    log(`${data.name}: county ${county.slug} with ${Number(county.n).toLocaleString('en-US')} active placements`);

    const cases: CaseResult[] = [];
    let slowest: { c: CaseResult; body: string } | null = null;
    for (const [key, label, query] of [
      ['own', 'own feed: `stories` (20, published) with origin tenant, section, cover', OWN_FEED],
      ['face', 'face feed: `facePlacements` (20) with origin and section', FACE_FEED],
    ] as const) {
      const body = JSON.stringify({ query, variables: { tenantId: county.id } });
      const probe = await fetch(url, { method: 'POST', headers, body });
      const json = (await probe.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      if (probe.status !== 200 || json.errors || !json.data) throw new Error(`${key}: ${probe.status} ${JSON.stringify(json).slice(0, 400)}`);
      const text = JSON.stringify(json);
      const items = key === 'own' ? (json.data.stories as { edges: unknown[] }).edges.length : (json.data.facePlacements as unknown[]).length;
      if (items < 10) throw new Error(`${key}: only ${items} items`);
      // the baseline answers the same data from memory
      const bare = await bareMercurius(json.data);
      closers.push(bare.close);
      const bareBody = JSON.stringify({ query: bare.query });
      await httpLoad({ url: bare.url, method: 'POST', body: bareBody, headers: { 'content-type': 'application/json' }, seconds: 1, connections: CONNECTIONS });
      await httpLoad({ url, method: 'POST', body, headers, seconds: 1, connections: CONNECTIONS });
      const baseline = await httpLoad({ url: bare.url, method: 'POST', body: bareBody, headers: { 'content-type': 'application/json' }, seconds: SECONDS, connections: CONNECTIONS });
      const figures = await httpLoad({ url, method: 'POST', body, headers, seconds: SECONDS, connections: CONNECTIONS });
      if (figures.errors) throw new Error(`${key}: ${figures.errors} failed requests`);
      const c: CaseResult = { key, label, bytes: Buffer.byteLength(text), figures, baseline, ratio: round(figures.throughput / baseline.throughput, 3) };
      cases.push(c);
      log(`${key}: ${fmt(figures.throughput)} req/s p50 ${fmt(figures.p50Ms)} ms p99 ${fmt(figures.p99Ms)} ms; bare Mercurius ${fmt(baseline.throughput)} req/s → ${fmt(c.ratio)}×`);
      if (!slowest || c.figures.throughput < slowest.c.figures.throughput) slowest = { c, body };
    }

    // the database baseline: one primary-key SELECT of a story, 10 callers
    const keys = await data.owner.selectFrom('stories').select(['tenant_id', 'id']).where('published_revision', 'is not', null).limit(1000).execute();
    const pk = await closedLoop(pkSelect(data.db, keys), { seconds: Math.min(SECONDS, 5), concurrency: CONNECTIONS });
    log(`PK SELECT: ${fmt(pk.throughput)}/s p50 ${fmt(pk.p50Ms)} ms`);

    if (PROFILE && slowest) {
      const s = slowest;
      const { top, file } = await profileDuring(() => httpLoad({ url, method: 'POST', body: s.body, headers, seconds: SECONDS, connections: CONNECTIONS }), s.c.key);
      s.c.profile = { file, top };
      log(`profile of ${s.c.key}: ${file}`);
      for (const t of top.slice(0, 10)) log(`  ${t.share}% ${t.fn} ${t.where}`);
    }

    const measuredAt = new Date().toISOString();
    const summary: SummaryRow[] = cases.map((c) => ({
      bench: 'graphql',
      case: c.label,
      size: SIZE,
      throughput: c.figures.throughput,
      unit: 'req/s',
      p50Ms: c.figures.p50Ms,
      p99Ms: c.figures.p99Ms,
      rssMb: c.figures.rssMb,
      baseline: 'bare Mercurius resolver, same data',
      baselineThroughput: c.baseline.throughput,
      baselineP50Ms: c.baseline.p50Ms,
      ratio: c.ratio,
      measuredAt,
    }));
    summary.push({ bench: 'graphql', case: 'database baseline: one primary-key SELECT (10 callers)', size: SIZE, throughput: pk.throughput, unit: 'ops/s', p50Ms: pk.p50Ms, p99Ms: pk.p99Ms, rssMb: null, baseline: '—', baselineThroughput: pk.throughput, baselineP50Ms: pk.p50Ms, ratio: 1, measuredAt });

    const prev = readPrevious<Stored>('graphql');
    const sizes = [...(prev?.sizes ?? []).filter((s) => s.size !== SIZE), { size: SIZE, measuredAt, county: county.slug, cases, pk, summary }].sort((a, b) => a.size - b.size);
    const lines: string[] = [];
    lines.push(`GraphQL over HTTP (autocannon, ${CONNECTIONS} connections, ${SECONDS} s per case after a 1 s warm-up), API in this process with the application role under row-level security, a signed-in editor of a typical county (median by active placements). Baseline: a bare Mercurius app (JIT) whose one resolver returns the same \`data\` from memory, measured just before each case.`);
    lines.push('');
    lines.push(summaryTable(sizes.flatMap((s) => s.summary)));
    const notes = [
      `Sizes: ${sizes.map((s) => `${s.size.toLocaleString('en-US')} stories (county ${s.county}, measured ${s.measuredAt.slice(0, 16).replace('T', ' ')})`).join('; ')}. A default run keeps the figures of the last --large run and the other way round.`,
      `Response sizes: ${cases.map((c) => `${c.key} ${c.bytes.toLocaleString('en-US')} bytes`).join(', ')}.`,
      'RSS is of the bench process, which holds the API and autocannon (and, for the baseline, the bare Mercurius app).',
      'There is no public GraphQL feed with covers yet: `stories` is the tenant\'s own list (origin = the tenant itself) with covers; `facePlacements` is what the face carries from others, with origin and section, and `SyndicatedStory` has no cover field.',
    ];
    if (data.partial) notes.push(`The ${SIZE.toLocaleString('en-US')}-story database was measured with its generator paused after the stories phase (stories, revisions, placements, search documents all in; citizens, comments, messages and roll-ups not yet): this path does not read them.`);
    for (const c of cases.filter((x) => x.profile)) {
      notes.push(`CPU profile of \`${c.key}\` (${c.profile!.file}, temporary): ${c.profile!.top.slice(0, 8).map((t) => `${t.fn} ${t.where} ${t.share} %`).join('; ')}.`);
    }
    writeResult('graphql', { large: LARGE, sizes, markdown: lines.join('\n'), notes, summary: sizes.flatMap((s) => s.summary) });
    console.log(lines.join('\n'));
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

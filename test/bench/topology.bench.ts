/**
 * The local topology (docs/topology.md) under load, as ratios within one run:
 *
 *   cached face pages  home and story pages of every demo face, through HAProxy (two portal
 *                      processes) against one portal process asked directly (autocannon)
 *   cold face pages    every story page of every face once, right after its tenants' pages were
 *                      invalidated (as the worker does): each request renders from PostgreSQL (the
 *                      replica, fenced); HAProxy (two portals) against one portal
 *   GraphQL feed       an editor's `stories` feed from an API process connected through PgBouncer
 *                      (transaction pooling) against one connected to the primary directly (a
 *                      third API process started for the bench and stopped after)
 *
 * Rounds alternate the two sides of each pair. The machine is shared (2 cores): read the ratios.
 * Needs the topology; starts it when it is not up (and stops it again after).
 * Run: pnpm bench topology   or   npx tsx test/bench/topology.bench.ts [--seconds=N] [--rounds=N]
 */
import { request } from 'node:http';
import { sql } from 'kysely';
import { createCache } from '@yiduan/cache';
import { createDb } from '@yiduan/db';
import { DEMO_PASSWORD } from '@yiduan/demo';
import { forgetService, spawnService, stopService, tcpOpen, waitService } from '../../scripts/topology/lib.js';
import { down, up } from '../../scripts/topology/main.js';
import { ports, sentinelName, urls } from '../../scripts/topology/settings.js';
import { fmt, httpLoad, median, option, round, writeResult } from './lib/kit.js';

const SECONDS = option('seconds', 3);
const ROUNDS = Math.round(option('rounds', 3));
const CONNECTIONS = option('connections', 8);
const log = (m: string): void => console.log(`[topology] ${m}`);

const startedHere = !(await tcpOpen(ports.lbPortal));
if (startedHere) await up();
const owner = createDb(urls.owner);
const cache = createCache({
  redisUrl: null,
  sentinel: { name: sentinelName, sentinels: ports.sentinels.map((port) => ({ host: '127.0.0.1', port })) },
});
const DIRECT_API_PORT = Number(process.env.TOPOLOGY_API_DIRECT_PORT ?? ports.apis[1]! + 5);

function get(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

try {
  const faces = (
    await sql<{ id: string; slug: string }>`SELECT id, slug FROM tenants WHERE status = 'active' ORDER BY slug`.execute(
      owner,
    )
  ).rows;
  const placements = (
    await sql<{ slug: string; story_id: string }>`
      SELECT t.slug, p.story_id FROM placements p JOIN tenants t ON t.id = p.tenant_id
      JOIN stories s ON s.tenant_id = p.origin_tenant_id AND s.id = p.story_id
      WHERE s.status = 'published' ORDER BY t.slug, p.story_id`.execute(owner)
  ).rows;
  const host = (slug: string, port: number): string => `${slug}.localhost:${port}`;

  // ---------------------------------------------------------------- cached pages
  const cachedRuns = { lb: [] as number[], one: [] as number[] };
  const cachedTargets = faces.flatMap((f) =>
    [
      '/',
      ...placements
        .filter((p) => p.slug === f.slug)
        .slice(0, 3)
        .map((p) => `/a/${p.story_id}`),
    ].map((path) => ({ slug: f.slug, path })),
  );
  const loadCached = async (port: number): Promise<number> => {
    // warm every target on this port first (both portals behind the balancer get asked in turn)
    for (let i = 0; i < 2; i++) for (const t of cachedTargets) await get(port, t.path, host(t.slug, port));
    // autocannon asks one URL per run: the home page of the largest face, then a story page
    const home = await httpLoad({
      url: `http://127.0.0.1:${port}/`,
      headers: { host: host('henan', port) },
      seconds: SECONDS,
      connections: CONNECTIONS,
    });
    const story = cachedTargets.find((t) => t.slug === 'ruyang' && t.path !== '/')!;
    const page = await httpLoad({
      url: `http://127.0.0.1:${port}${story.path}`,
      headers: { host: host('ruyang', port) },
      seconds: SECONDS,
      connections: CONNECTIONS,
    });
    if (home.errors || page.errors) log(`errors on :${port}: ${home.errors} + ${page.errors}`);
    return (home.throughput + page.throughput) / 2;
  };

  // ---------------------------------------------------------------- cold pages
  const coldRuns = { lb: [] as number[], one: [] as number[] };
  const invalidateAll = async (): Promise<void> => {
    await cache.invalidateTags(faces.map((f) => `tenant:${f.id}`));
  };
  const loadCold = async (port: number): Promise<number> => {
    await invalidateAll();
    await new Promise((r) => setTimeout(r, 200));
    let next = 0;
    let errors = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < placements.length) {
          const p = placements[next++]!;
          const status = await get(port, `/a/${p.story_id}`, host(p.slug, port));
          if (status !== 200) errors++;
        }
      }),
    );
    const perSecond = placements.length / ((performance.now() - t0) / 1000);
    if (errors) log(`cold on :${port}: ${errors} of ${placements.length} not 200`);
    return perSecond;
  };

  for (let r = 1; r <= ROUNDS; r++) {
    const order = r % 2 ? (['lb', 'one'] as const) : (['one', 'lb'] as const);
    for (const side of order) {
      const port = side === 'lb' ? ports.lbPortal : ports.portals[0]!;
      cachedRuns[side].push(await loadCached(port));
      coldRuns[side].push(await loadCold(port));
    }
    log(
      `round ${r}: cached ${fmt(cachedRuns.lb.at(-1)!)} vs ${fmt(cachedRuns.one.at(-1)!)} req/s, cold ${fmt(coldRuns.lb.at(-1)!)} vs ${fmt(coldRuns.one.at(-1)!)} pages/s (balancer vs one portal)`,
    );
  }

  // ---------------------------------------------------------------- GraphQL through PgBouncer vs direct
  log(`starting an API process connected directly to the primary on :${DIRECT_API_PORT}`);
  const direct = spawnService('api-direct', 'api', DIRECT_API_PORT, { DATABASE_APP_URL: urls.appDirect });
  const gqlRuns = { pooled: [] as number[], direct: [] as number[] };
  try {
    await waitService(direct);
    const login = await fetch(`http://127.0.0.1:${ports.apis[0]}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }',
        variables: { l: 'ruyang-editor', p: DEMO_PASSWORD },
      }),
    });
    const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;
    const ruyang = faces.find((f) => f.slug === 'ruyang')!.id;
    const body = JSON.stringify({
      query: `query($t: ID!) { stories(tenantId: $t, status: PUBLISHED, first: 20) { edges { node { id publishedAt publishedRevision { title summary } } } } }`,
      variables: { t: ruyang },
    });
    const loadGql = async (port: number): Promise<number> => {
      const res = await httpLoad({
        url: `http://127.0.0.1:${port}/graphql`,
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        seconds: SECONDS,
        connections: CONNECTIONS,
      });
      if (res.errors) log(`graphql errors on :${port}: ${res.errors}`);
      return res.throughput;
    };
    await loadGql(ports.apis[0]!);
    await loadGql(DIRECT_API_PORT);
    for (let r = 1; r <= ROUNDS; r++) {
      const order = r % 2 ? (['pooled', 'direct'] as const) : (['direct', 'pooled'] as const);
      for (const side of order) gqlRuns[side].push(await loadGql(side === 'pooled' ? ports.apis[0]! : DIRECT_API_PORT));
      log(
        `round ${r}: GraphQL feed ${fmt(gqlRuns.pooled.at(-1)!)} req/s through PgBouncer vs ${fmt(gqlRuns.direct.at(-1)!)} direct`,
      );
    }
  } finally {
    await stopService('api-direct');
    forgetService('api-direct');
  }

  const m = {
    cachedLb: median(cachedRuns.lb),
    cachedOne: median(cachedRuns.one),
    coldLb: median(coldRuns.lb),
    coldOne: median(coldRuns.one),
    gqlPooled: median(gqlRuns.pooled),
    gqlDirect: median(gqlRuns.direct),
  };
  const rows = [
    ['cached face pages (home + story, autocannon)', 'HAProxy → 2 portals', m.cachedLb, '1 portal direct', m.cachedOne],
    [
      `cold story pages (${placements.length} pages, each rendered)`,
      'HAProxy → 2 portals',
      m.coldLb,
      '1 portal direct',
      m.coldOne,
    ],
    [
      'GraphQL feed (stories, first 20)',
      'API through PgBouncer',
      m.gqlPooled,
      'API direct to the primary',
      m.gqlDirect,
    ],
  ] as const;
  const markdown = [
    `| case | measured | req/s | baseline (same run) | req/s | ratio |`,
    `| --- | --- | --- | --- | --- | --- |`,
    ...rows.map(([c, a, x, b, y]) => `| ${c} | ${a} | ${fmt(x)} | ${b} | ${fmt(y)} | ${round(x / y, 2)}× |`),
  ].join('\n');
  console.log(`\n${markdown}\n`);
  writeResult('topology', {
    markdown,
    notes: [
      `${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections, sides alternating; medians. Load generator, HAProxy, PostgreSQL (primary + replica), PgBouncer, Redis and every service process share the same 2 cores (and other people's work): two portal processes cannot double the throughput of a machine that is already saturated by one plus the load generator.`,
      'Cold pages: every story page of every face once, right after the worker-style invalidation of all tenants (rendered from the replica, fenced); the face resolution stays cached.',
    ],
    ...m,
    runs: { cachedRuns, coldRuns, gqlRuns },
  });
} finally {
  await cache.close();
  await owner.destroy();
  if (startedHere) await down();
}
process.exit(0);

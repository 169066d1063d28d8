// `pnpm topology smoke`: the running topology answered through HAProxy only. Every demo face's
// home page, a GraphQL sign-in and query, and a story the province publishes and pushes
// (mandatory, every descendant) seen on every face; which portal and API processes served
// (HAProxy's counters). Exits 1 on any failure.
import { FACES, face, graphql, http, ports, signIn, topo, until } from './kit.js';

const log = (m: string): void => console.log(`[smoke] ${m}`);
let failed = false;
const check = (ok: boolean, what: string): void => {
  log(`${ok ? '✔' : '✖'} ${what}`);
  if (!ok) failed = true;
};

const t = topo();
try {
  // faces
  let ok = 0;
  for (const slug of FACES) if ((await face(slug)).status === 200) ok++;
  check(ok === FACES.length, `faces through HAProxy :${ports.lbPortal}: ${ok}/${FACES.length} home pages 200`);

  // GraphQL
  const token = await signIn();
  const ruyang = await t.tenant('ruyang');
  const feed = await graphql<{ stories: { edges: unknown[] } }>(
    `query($t: ID!) { stories(tenantId: $t, status: PUBLISHED, first: 5) { edges { node { id } } } }`,
    { t: ruyang },
    { token },
  );
  check(
    feed.status === 200 && !feed.errors && (feed.data?.stories.edges.length ?? 0) > 0,
    `GraphQL through HAProxy :${ports.lbApi}: sign-in and a feed of ${feed.data?.stories.edges.length ?? 0} stories`,
  );

  // a push seen on every face
  const desk = await t.desk('henan');
  const title = `全省拓扑冒烟推送（${Date.now() % 1_000_000}）`;
  const storyId = await desk.publish(title);
  const t0 = Date.now();
  await desk.pushAll(storyId);
  const seen = new Map<string, number>();
  await until(async () => {
    for (const slug of FACES) {
      if (seen.has(slug)) continue;
      const page = await face(slug);
      if (page.status === 200 && page.body.includes(title)) seen.set(slug, Date.now() - t0);
    }
    return seen.size === FACES.length;
  }, 60_000);
  const times = [...seen.values()].sort((a, b) => a - b);
  check(
    seen.size === FACES.length,
    `push seen on ${seen.size}/${FACES.length} faces through HAProxy, the last after ${times.at(-1) ?? '—'} ms (median ${times[Math.floor(times.length / 2)] ?? '—'} ms)`,
  );

  // both copies of each service served (HAProxy's per-server counters, stats CSV)
  const csv = (await http(ports.lbStats, '/;csv')).body.split('\n');
  const served = csv
    .map((l) => l.split(','))
    .filter((c) => /^(portal|api)\d$/.test(c[1] ?? ''))
    .map((c) => `${c[1]} ${c[17]} ${c[7]} req`);
  check(served.length === 4 && served.every((s) => s.includes(' UP ')), `balancer servers: ${served.join(', ')}`);
} catch (err) {
  check(false, `smoke run: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await t.close();
}
process.exit(failed ? 1 : 0);

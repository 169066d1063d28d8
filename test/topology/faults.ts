// `pnpm test:topology`: faults under load on the running topology (docs/topology.md). Needs
// `pnpm topology up` first; not part of `pnpm test` (it kills processes of the topology and takes
// about two minutes). A bounded load from this machine to loopback runs throughout (LOAD_LOOPS
// closed loops, default 4, through HAProxy): cached face pages, the GraphQL feed, beacons,
// citizens' comments and messages; each fault window also publishes and pushes one story to every
// descendant. One at a time: kill -9 an API process, a portal process, a worker (in the middle of
// a push) and restart it as a supervisor would; fail the Redis primary over (kill -9, the
// Sentinels promote the replica, the old primary returns as a replica); stop and restart the
// PostgreSQL replica (the faces read the primary meanwhile); restart PgBouncer.
// Per fault it prints requests sent, errors, recovery seconds and items lost, where lost means
// accepted by the platform (2xx/303) and missing afterwards: comments, messages, beacons
// (analytics_events), outbox events (not done) and placements (a push that did not reach every
// descendant). Exits 1 when anything was lost or a part did not come back.
import { sql } from 'kysely';
import {
  createCentralSession,
  citizenSessionByToken,
  exchangeAuthCode,
  issueAuthCode,
  pkceChallenge,
} from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import {
  pgRunning,
  psql,
  readServices,
  redisCli,
  sentinelPrimary,
  spawnService,
  startPgbouncer,
  startReplica,
  stopPg,
  stopPgbouncer,
  stopService,
  stopRedisServer,
  tcpOpen,
  waitService,
  waitUntil,
} from '../../scripts/topology/lib.js';
import { paths } from '../../scripts/topology/settings.js';
import { FACES, face, graphql, http, ports, signIn, sleep, topo, until } from './kit.js';

const log = (m: string): void => console.log(`[faults] ${m}`);
const LOOPS = Number(process.env.LOAD_LOOPS ?? 4);
const QUIET_MS = 2000;
const RUN = Date.now().toString(36);
const t = topo();

// ------------------------------------------------------------------ citizens with face sessions

interface Citizen {
  id: string;
  cookies: Map<string, string>;
  csrf: string;
}
const faceHostLb = `ruyang.localhost:${ports.lbPortal}`;

function takeCookies(jar: Map<string, string>, headers: string[] | undefined): void {
  for (const h of headers ?? []) {
    const [pair] = h.split(';');
    const at = pair!.indexOf('=');
    jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
  }
}
const cookieHeader = (jar: Map<string, string>): string => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** A face session on ruyang for an existing demo citizen, through the real sign-in code exchange. */
async function citizenSession(citizenId: string): Promise<string> {
  return withPlatform(t.db, async (trx) => {
    const accountHost = `account.localhost:${ports.lbPortal}`;
    const central = await createCentralSession(trx, citizenId, accountHost);
    const session = await citizenSessionByToken(trx, central.token, accountHost);
    if (!session) throw new Error('no central session');
    const verifier = `v${RUN}${citizenId.replaceAll('-', '')}`.padEnd(43, 'x');
    const redirectUri = `http://${faceHostLb}/auth/callback`;
    const code = await issueAuthCode(trx, session, {
      clientHost: faceHostLb,
      redirectUri,
      codeChallenge: pkceChallenge(verifier),
      codeChallengeMethod: 'S256',
    });
    return (await exchangeAuthCode(trx, { code, verifier, redirectUri, clientHost: faceHostLb })).token;
  });
}

/** GET with cookies through the balancer, keeping what the face sets. */
async function getWith(jar: Map<string, string>, path: string): Promise<string> {
  const res = await rawGet(path, cookieHeader(jar));
  takeCookies(jar, res.cookies);
  return res.body;
}

function rawGet(path: string, cookie: string): Promise<{ body: string; cookies: string[] }> {
  return new Promise((resolve, reject) => {
    void import('node:http').then(({ request }) => {
      const req = request(
        { host: '127.0.0.1', port: ports.lbPortal, path, headers: { host: faceHostLb, cookie } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ body: Buffer.concat(chunks).toString('utf8'), cookies: res.headers['set-cookie'] ?? [] }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  });
}

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

// ------------------------------------------------------------------ the load

type Kind = 'page' | 'graphql' | 'beacon' | 'comment' | 'message';
interface Op {
  at: number;
  kind: Kind;
  ok: boolean;
  /** a write the platform accepted: must be found afterwards */
  accepted?: string;
}
const ops: Op[] = [];
let running = true;
let n = 0;
let writes = 0;
let nextWrite = 0;
/** one comment or message (2:1) this often: 40 citizens stay under 5 comments a minute each */
const WRITE_EVERY_MS = 700;

async function loop(ctx: { storyId: string; token: string; tenantId: string; citizens: Citizen[] }): Promise<void> {
  while (running) {
    const i = n++;
    const r = i % 20;
    const at = Date.now();
    // comments and messages at a citizen's pace (the per-citizen limits), the rest as fast as it goes
    const write = at >= nextWrite;
    if (write) nextWrite = at + WRITE_EVERY_MS;
    if (write && writes++ % 3 !== 2) {
      const c = ctx.citizens[writes % ctx.citizens.length]!;
      const marker = `拓扑故障演练评论${RUN}第${i}条`;
      const res = await http(ports.lbPortal, `/a/${ctx.storyId}/comments`, {
        host: faceHostLb,
        method: 'POST',
        body: new URLSearchParams({ body: marker, _csrf: c.csrf }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(c.cookies) },
      });
      // 429/4xx: refused (rate limit), not lost; only a 303 is an accepted comment
      ops.push({
        at,
        kind: 'comment',
        ok: res.status > 0 && res.status < 500,
        ...(res.status === 303 ? { accepted: marker } : {}),
      });
    } else if (write) {
      const c = ctx.citizens[writes % ctx.citizens.length]!;
      const marker = `演练留言${RUN}-${i}`;
      const res = await http(ports.lbPortal, '/messages', {
        host: faceHostLb,
        method: 'POST',
        body: new URLSearchParams({
          category: 'suggestion',
          title: marker,
          body: `${marker}：建议在社区增设便民服务点。`,
          _csrf: c.csrf,
        }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(c.cookies) },
      });
      ops.push({
        at,
        kind: 'message',
        ok: res.status > 0 && res.status < 500,
        ...(res.status === 303 ? { accepted: marker } : {}),
      });
    } else if (r < 13) {
      const slug = FACES[i % FACES.length]!;
      const res = await face(slug, i % 3 === 0 ? `/a/${ctx.storyId}` : '/');
      // the story is ruyang's: on other faces its page may be 404, which is an answer, not an error
      ops.push({ at, kind: 'page', ok: res.status > 0 && res.status < 500 });
    } else if (r < 16) {
      const res = await graphql<{ stories: unknown }>(
        `query($t: ID!) { stories(tenantId: $t, status: PUBLISHED, first: 10) { edges { node { id } } } }`,
        { t: ctx.tenantId },
        { token: ctx.token },
      );
      ops.push({ at, kind: 'graphql', ok: res.status === 200 && !res.errors });
    } else {
      const marker = `/topofault-${RUN}-${i}`;
      const res = await http(ports.lbPortal, '/_b', {
        host: faceHostLb,
        method: 'POST',
        body: JSON.stringify({ k: 'v', p: marker }),
        headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) topology-load' },
      });
      ops.push({ at, kind: 'beacon', ok: res.status === 204, ...(res.status === 204 ? { accepted: marker } : {}) });
    }
  }
}

// ------------------------------------------------------------------ faults

interface Fault {
  name: string;
  /** breaks the part; returns when the break is done */
  inject(): Promise<void>;
  /** brings the part back (a supervisor's restart, a failover's end); returns when it answers */
  recover(): Promise<void>;
}

const respawn = async (name: string): Promise<void> => {
  const s = readServices().find((e) => e.name === name)!;
  await waitService(spawnService(s.name, s.kind, s.port));
};

const faults: Fault[] = [
  {
    name: 'kill -9 api1',
    inject: () => stopService('api1', 'SIGKILL'),
    recover: () => respawn('api1'),
  },
  {
    name: 'kill -9 portal1',
    inject: () => stopService('portal1', 'SIGKILL'),
    recover: () => respawn('portal1'),
  },
  {
    name: 'kill -9 worker1 (during a push)',
    inject: () => stopService('worker1', 'SIGKILL'),
    recover: () => respawn('worker1'),
  },
  {
    name: 'redis primary fails over (kill -9, Sentinel)',
    async inject() {
      const primary = await sentinelPrimary();
      failedRedis = primary === ports.redisPrimary ? 'redis-primary' : 'redis-replica';
      await stopRedisServer(failedRedis, 'SIGKILL');
    },
    async recover() {
      const old = failedRedis === 'redis-primary' ? ports.redisPrimary : ports.redisReplica;
      const other = old === ports.redisPrimary ? ports.redisReplica : ports.redisPrimary;
      await waitUntil('sentinel failover', async () => (await sentinelPrimary()) === other, 30_000);
      // the old primary comes back as a replica of the new one
      const { run } = await import('../../scripts/topology/lib.js');
      run('/usr/bin/redis-server', [
        `${paths.redis}/redis.conf`,
        '--port',
        String(old),
        '--bind',
        '127.0.0.1',
        '--dir',
        paths.redis,
        '--dbfilename',
        `${failedRedis}.rdb`,
        '--daemonize',
        'yes',
        '--pidfile',
        `${paths.redis}/${failedRedis}.pid`,
        '--logfile',
        `${paths.logs}/${failedRedis}.log`,
        '--maxmemory',
        '256mb',
        '--replicaof',
        '127.0.0.1',
        String(other),
      ]);
      await waitUntil('old primary back as replica', async () => {
        try {
          return redisCli(old, 'ROLE').startsWith('slave');
        } catch {
          return false;
        }
      });
    },
  },
  {
    name: 'postgres replica stopped 3 s, restarted',
    async inject() {
      stopPg('replica', 'fast');
    },
    async recover() {
      await sleep(3000);
      await startReplica();
      await waitUntil('replica streaming', () => psql('primary', 'SELECT count(*) FROM pg_stat_replication') === '1');
    },
  },
  {
    name: 'pgbouncer restarted',
    inject: () => stopPgbouncer('SIGTERM'),
    recover: startPgbouncer,
  },
];
let failedRedis: 'redis-primary' | 'redis-replica' = 'redis-primary';

// ------------------------------------------------------------------ the run

/**
 * The load comes from one address (127.0.0.1, HAProxy): the per-address message limit (20 a day)
 * is for the open internet, not for this run. Its windows (and the per-citizen ones) are cleared
 * in the topology's own Redis before each fault window.
 */
async function clearMessageLimits(): Promise<void> {
  const primaryPort = await sentinelPrimary();
  if (!primaryPort) return;
  for (const pattern of ['*limit:messages*', '*limit:comments*'])
    for (const key of redisCli(primaryPort, '--scan', '--pattern', pattern).split('\n').filter(Boolean))
      redisCli(primaryPort, 'DEL', key);
}

interface Window {
  name: string;
  from: number;
  to: number;
  injectedAt: number;
  backAt: number;
  pushes: string[];
}

let failed = false;
try {
  if (!(await tcpOpen(ports.lbPortal)) || !pgRunning(paths.pgPrimary))
    throw new Error('the topology is not up: pnpm topology up');
  const tenantId = await t.tenant('ruyang');
  const desk = await t.desk('ruyang');
  const province = await t.desk('henan');
  const storyId = await desk.publish(`拓扑故障演练稿件（${RUN}）`);
  const token = await signIn();
  // the load comes from one address (127.0.0.1): the per-address message limit is for the open
  // internet, not for this run; clear its windows in the topology's own Redis
  await clearMessageLimits();
  const ids = await sql<{ id: string }>`
    SELECT id FROM citizens WHERE status = 'active' ORDER BY created_at LIMIT 40`.execute(t.owner);
  const citizens: Citizen[] = [];
  for (const { id } of ids.rows) {
    const jar = new Map<string, string>([['yd_citizen', await citizenSession(id)]]);
    const form = await getWith(jar, `/a/${storyId}/comment`);
    citizens.push({ id, cookies: jar, csrf: csrfOf(form) });
  }
  if (!citizens.length || !citizens[0]!.csrf) throw new Error('no citizen could open the comment form');
  const runStart = new Date();
  log(`load: ${LOOPS} loops through HAProxy; ${citizens.length} citizens; run ${RUN}`);
  const loops = Array.from({ length: LOOPS }, () => loop({ storyId, token, tenantId, citizens }));

  const windows: Window[] = [];
  await sleep(3000);
  for (const fault of faults) {
    await clearMessageLimits();
    const from = Date.now();
    const pushes: string[] = [];
    // a push in flight during the fault: the worker kill lands in the middle of its fan-out
    const pushed = await province.publish(`演练推送（${RUN}，${fault.name}）`);
    await province.pushAll(pushed);
    pushes.push(pushed);
    await sleep(fault.name.startsWith('kill -9 worker') ? 20 : 1500);
    const injectedAt = Date.now();
    await fault.inject();
    await fault.recover();
    const backAt = Date.now();
    // quiet: QUIET_MS without an error, at most 30 s
    await until(async () => {
      const last = ops.filter((o) => !o.ok && o.at >= injectedAt).at(-1);
      return Date.now() - Math.max(last?.at ?? 0, backAt) >= QUIET_MS;
    }, 30_000);
    const to = Date.now();
    windows.push({ name: fault.name, from, to, injectedAt, backAt, pushes });
    log(`${fault.name}: back after ${((backAt - injectedAt) / 1000).toFixed(1)} s`);
  }
  running = false;
  await Promise.all(loops);

  // drain: every outbox event of the run handled, the analytics writer caught up
  const pendingNow = async (): Promise<number> =>
    (
      await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM outbox WHERE created_at >= ${runStart} AND status = 'pending'`.execute(t.owner)
    ).rows[0]!.n;
  await until(async () => (await pendingNow()) === 0, 60_000, 500);
  const beaconsFound = async (): Promise<Set<string>> =>
    new Set(
      (
        await sql<{ path: string }>`SELECT path FROM analytics_events WHERE path LIKE ${`/topofault-${RUN}-%`}`.execute(
          t.owner,
        )
      ).rows.map((r) => r.path),
    );
  const acceptedBeacons = ops.filter((o) => o.kind === 'beacon' && o.accepted).length;
  await until(async () => (await beaconsFound()).size >= acceptedBeacons, 60_000, 1000);

  const beacons = await beaconsFound();
  const comments = new Set(
    (
      await sql<{ body: string }>`SELECT body FROM comments WHERE body LIKE ${`拓扑故障演练评论${RUN}%`}`.execute(
        t.owner,
      )
    ).rows.map((r) => r.body),
  );
  const messages = new Set(
    (
      await sql<{ title: string }>`SELECT title FROM citizen_messages WHERE title LIKE ${`演练留言${RUN}-%`}`.execute(
        t.owner,
      )
    ).rows.map((r) => r.title),
  );
  const found = (o: Op): boolean =>
    o.kind === 'beacon'
      ? beacons.has(o.accepted!)
      : o.kind === 'comment'
        ? comments.has(o.accepted!)
        : messages.has(o.accepted!);
  const descendants = FACES.length - 1;

  console.log('');
  console.log(
    '| fault | requests sent | errors | recovery s | accepted writes (comments/messages/beacons) | items lost |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const w of windows) {
    const mine = ops.filter((o) => o.at >= w.from && o.at < w.to);
    const errs = mine.filter((o) => !o.ok);
    const lastErr = errs.at(-1)?.at ?? 0;
    const recovery = (Math.max(w.backAt, lastErr) - w.injectedAt) / 1000;
    const writes = mine.filter((o) => o.accepted);
    const lostWrites = writes.filter((o) => !found(o));
    let lostPlacements = 0;
    for (const story of w.pushes) {
      const p = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM placements WHERE story_id = ${story}::uuid AND mode <> 'own'`.execute(t.owner);
      lostPlacements += Math.max(0, descendants - p.rows[0]!.n);
    }
    const byKind = (k: Kind): number => writes.filter((o) => o.kind === k).length;
    const lost = lostWrites.length + lostPlacements;
    if (lost > 0) failed = true;
    console.log(
      `| ${w.name} | ${mine.length} | ${errs.length} (${mine.length ? ((100 * errs.length) / mine.length).toFixed(1) : 0} %) | ${recovery.toFixed(1)} | ${byKind('comment')}/${byKind('message')}/${byKind('beacon')} + ${w.pushes.length * descendants} placements | ${lost}${lost ? ` (${lostWrites.map((o) => o.kind).join(', ')}${lostPlacements ? `, ${lostPlacements} placements` : ''})` : ''} |`,
    );
  }
  const outbox = await sql<{ status: string; n: number }>`
    SELECT status, count(*)::int AS n FROM outbox WHERE created_at >= ${runStart} GROUP BY status ORDER BY status`.execute(
    t.owner,
  );
  const notDone = outbox.rows.filter((r) => r.status !== 'done').reduce((s, r) => s + r.n, 0);
  if (notDone > 0) failed = true;
  const total = ops.length;
  const errors = ops.filter((o) => !o.ok).length;
  console.log('');
  log(
    `whole run: ${total} requests, ${errors} errors; outbox events of the run: ${outbox.rows.map((r) => `${r.n} ${r.status}`).join(', ')} (${notDone} not done); comments ${comments.size}, messages ${messages.size}, beacons ${beacons.size} found of ${ops.filter((o) => o.kind === 'comment' && o.accepted).length}, ${ops.filter((o) => o.kind === 'message' && o.accepted).length}, ${acceptedBeacons} accepted`,
  );
} catch (err) {
  failed = true;
  log(`✖ ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  running = false;
  await t.close();
}
log(failed ? '✖ something was lost or did not recover' : '✔ nothing lost; every part recovered');
process.exit(failed ? 1 : 0);

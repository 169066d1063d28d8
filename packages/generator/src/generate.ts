import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import pg from 'pg';
import {
  addDomain,
  createRule,
  createSection,
  createTenant,
  hashPassword,
  SYSTEM_ACTOR,
  updateFace,
  type NavItem,
} from '@yiduan/core';
import { createDb, withPlatform, type DB, type TenantLevel } from '@yiduan/db';
import { DEMO_SECTIONS, PROVINCE_RULES, rng } from '@yiduan/demo';
import { copyRows, copyText, type Cell } from './copy.js';
import { progress, type Progress } from './progress.js';
import { provinceTree, unitsOf } from './province.js';
import {
  CHAIN,
  EVENT_COLS,
  PLACEMENT_COLS,
  REVISION_COLS,
  SEARCH_COLS,
  STORY_COLS,
  type World,
  type WorldTenant,
} from './stories.js';
import type { WorkerInit, WorkerJob, WorkerResult } from './story-worker.js';
import { doneChunks, ensureStateTables, markDone, summary, type PhaseSummary } from './state.js';
import { analyticsRollups } from './analytics.js';
import { COMMENT_TEXTS, MESSAGE_TOPICS, nickname, personName } from './texts.js';

export interface GenerateOptions {
  /** owner connection to a migrated database */
  databaseUrl: string;
  cities?: number;
  counties?: number;
  unitsPerCounty?: number;
  stories?: number;
  citizens?: number;
  /** default: half the citizen count */
  comments?: number;
  /** default: a twentieth of the citizen count */
  messages?: number;
  /** days of analytics roll-ups, when the analytics tables exist (default 365) */
  analyticsDays?: number;
  /** stories are dated over this many days back (default 365) */
  days?: number;
  seed?: string;
  /** stories per chunk (one transaction each); default 5,000 */
  chunkSize?: number;
  domainSuffix?: string;
  /** worker threads generating story chunks ahead of the COPY (default 1) */
  workers?: number;
  /** drop the search GIN index during the load and build it once at the end (default: from 200,000 stories) */
  deferSearchIndex?: boolean;
  quiet?: boolean;
  /** the generator's clock: stories are dated before it (default now) */
  now?: Date;
}

export interface GenerateResult {
  ms: number;
  resumed: boolean;
  phases: PhaseSummary[];
  /** stories per second over the stories phase (this run's chunks only) */
  storiesPerSecond: number;
  counts: Record<string, number>;
}

/** The password of every generated staff account. */
export const GENERATED_PASSWORD = 'Generated2026!yiduan';

const WEIGHT: Record<TenantLevel, number> = { province: 10, city: 4, county: 1 };
const NAVIGATION: NavItem[] = [
  { kind: 'home', label: '首页' },
  ...DEMO_SECTIONS.map((s): NavItem => ({ kind: 'section', label: s.name, section: s.slug })),
];
const PALETTE = [
  '#b71c1c',
  '#0d47a1',
  '#1b5e20',
  '#4a148c',
  '#bf360c',
  '#004d40',
  '#01579b',
  '#4e342e',
  '#263238',
  '#880e4f',
];
const ACCENTS = ['#f9a825', '#ffb300', '#ffd54f', '#ffca28', '#fdd835', '#ffab00'];

type Resolved = Required<Omit<GenerateOptions, 'deferSearchIndex' | 'now'>> & { deferSearchIndex: boolean; now: Date };

function resolve(o: GenerateOptions): Resolved {
  const stories = o.stories ?? 10_000;
  const citizens = o.citizens ?? Math.round(stories / 10);
  return {
    databaseUrl: o.databaseUrl,
    cities: o.cities ?? 18,
    counties: o.counties ?? 156,
    unitsPerCounty: o.unitsPerCounty ?? 20,
    stories,
    citizens,
    comments: o.comments ?? Math.round(citizens / 2),
    messages: o.messages ?? Math.round(citizens / 20),
    analyticsDays: o.analyticsDays ?? 365,
    days: o.days ?? 365,
    seed: o.seed ?? 'yiduan',
    chunkSize: o.chunkSize ?? 5_000,
    workers: o.workers ?? 1,
    domainSuffix: o.domainSuffix ?? 'localhost',
    deferSearchIndex: o.deferSearchIndex ?? stories >= 200_000,
    quiet: o.quiet ?? false,
    now: o.now ?? new Date(),
  };
}

/** What must match for a run to be resumed (the clock is kept from the first run). */
function identity(o: Resolved): Record<string, unknown> {
  const { databaseUrl: _u, quiet: _q, now, deferSearchIndex: _d, workers: _w, ...rest } = o;
  return { ...rest, now: now.toISOString() };
}

const log = (o: Resolved, msg: string): void => {
  if (!o.quiet) process.stderr.write(`${msg}\n`);
};

// ------------------------------------------------------------------ entry

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  let o = resolve(options);
  const started = performance.now();
  const pool = new pg.Pool({ connectionString: o.databaseUrl, max: 2, application_name: 'yiduan-generator' });
  pool.on('error', () => undefined);
  const db = createDb(o.databaseUrl, { max: 1, applicationName: 'yiduan-generator' });
  const client = await pool.connect();
  let resumed = false;
  try {
    await ensureStateTables(client);
    const prev = await client.query<{ options: Record<string, unknown> }>(
      'SELECT options FROM generator_runs WHERE id = 1',
    );
    if (prev.rows[0]) {
      const kept = prev.rows[0].options;
      const wanted = identity(o);
      const differs = Object.keys(wanted).filter(
        (k) => k !== 'now' && JSON.stringify(kept[k]) !== JSON.stringify(wanted[k]),
      );
      if (differs.length)
        throw new Error(
          `this database was generated with other options (${differs.map((k) => `${k}: ${JSON.stringify(kept[k])} ≠ ${JSON.stringify(wanted[k])}`).join(', ')}); use a fresh database or the same options`,
        );
      o = { ...o, now: new Date(String(kept.now)) };
      resumed = true;
      log(o, `resuming the run started with the clock at ${o.now.toISOString()}`);
    } else {
      await client.query('INSERT INTO generator_runs (id, options) VALUES (1, $1)', [JSON.stringify(identity(o))]);
    }
    const superuser =
      (await client.query<{ s: boolean }>(`SELECT rolsuper AS s FROM pg_roles WHERE rolname = current_user`)).rows[0]
        ?.s ?? false;

    await structurePhase(db, pool, client, o, superuser);
    const world = await loadWorld(client, o);
    let storiesMs = 0;
    let storiesDone = 0;
    if (o.deferSearchIndex) await client.query('DROP INDEX IF EXISTS story_search_faces_tsv');
    const s = await storiesPhase(pool, o, world, superuser);
    storiesMs = s.ms;
    storiesDone = s.rows;
    const tables = await existingTables(client);
    if (tables.has('citizens') && tables.has('memberships')) await citizensPhase(pool, o, world, superuser);
    if (tables.has('comments')) await commentsPhase(pool, client, o, world, superuser);
    if (tables.has('citizen_messages')) await messagesPhase(pool, client, o, world, superuser);
    await analyticsPhase(pool, client, o, world, tables, superuser);
    await finishPhase(client, o);
    await client.query('UPDATE generator_runs SET finished_at = now() WHERE id = 1 AND finished_at IS NULL');
    const counts = await countRows(client, tables);
    return {
      ms: performance.now() - started,
      resumed,
      phases: await summary(client),
      storiesPerSecond: storiesMs > 0 ? storiesDone / (storiesMs / 1000) : 0,
      counts,
    };
  } finally {
    client.release();
    await pool.end();
    await db.destroy();
  }
}

async function existingTables(client: pg.PoolClient): Promise<Set<string>> {
  const r = await client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'`);
  return new Set(r.rows.map((x) => x.t));
}

async function countRows(client: pg.PoolClient, tables: Set<string>): Promise<Record<string, number>> {
  const wanted = [
    'tenants',
    'sections',
    'units',
    'staff',
    'grants',
    'assets',
    'stories',
    'story_revisions',
    'review_events',
    'placements',
    'story_search',
    'citizens',
    'memberships',
    'membership_consents',
    'comments',
    'citizen_messages',
    ...[...tables].filter((t) => t.startsWith('analytics_')),
  ];
  const out: Record<string, number> = {};
  for (const t of wanted.filter((x) => tables.has(x))) {
    // estimates after ANALYZE: exact counts of millions of rows take longer than they are worth
    const r = await client.query<{ n: string }>(
      `SELECT greatest(reltuples, 0)::bigint::text AS n FROM pg_class WHERE oid = $1::regclass`,
      [t],
    );
    out[t] = Number(r.rows[0]?.n ?? 0);
  }
  return out;
}

/** One chunk = one transaction: its rows and its progress mark commit together. */
async function inChunk(
  pool: pg.Pool,
  phase: string,
  chunk: number,
  superuser: boolean,
  fn: (c: pg.PoolClient) => Promise<number>,
  since?: number,
): Promise<number> {
  const c = await pool.connect();
  // a chunk's time runs from `since` when given (the stories phase: from the end of the previous
  // chunk, so the wait for the worker's text is counted), else from here
  const t0 = since ?? performance.now();
  try {
    await c.query('BEGIN');
    // the data is consistent by construction (and checked by verify()); skipping the
    // per-row foreign-key and trigger work is what makes a bulk load fast. Local to
    // this transaction: nothing stays switched off if the run stops.
    if (superuser) await c.query(`SET LOCAL session_replication_role = replica`);
    await c.query(`SET LOCAL synchronous_commit = off`);
    const rows = await fn(c);
    await markDone(c, phase, chunk, rows, performance.now() - t0);
    await c.query('COMMIT');
    return rows;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

// ------------------------------------------------------------------ 1. structure

async function structurePhase(
  db: DB,
  pool: pg.Pool,
  client: pg.PoolClient,
  o: Resolved,
  superuser: boolean,
): Promise<void> {
  const tree = provinceTree(o.cities, o.counties);
  // tenants through the application's own functions (tree trigger, faces, domains, sections, audit)
  if (!(await doneChunks(client, 'tenants')).has(0)) {
    const t0 = performance.now();
    const bar = progress('tenants', tree.length, { unit: 'tenants', quiet: o.quiet });
    await withPlatform(db, async (trx) => {
      const ids: string[] = [];
      for (const t of tree) {
        const tenant = await createTenant(trx, SYSTEM_ACTOR, {
          slug: t.slug,
          name: t.name,
          level: t.level,
          parentId: t.parent === null ? null : ids[t.parent]!,
        });
        ids.push(tenant.id);
        await addDomain(trx, SYSTEM_ACTOR, tenant.id, `${t.slug}.${o.domainSuffix}`);
        await updateFace(trx, SYSTEM_ACTOR, tenant.id, {
          siteName: t.siteName,
          tagline: `${t.name}融媒体中心`,
          theme: {
            primary: PALETTE[t.index % PALETTE.length]!,
            accent: ACCENTS[t.index % ACCENTS.length]!,
            background: '#ffffff',
            text: '#1f2328',
            headerText: '#ffffff',
          },
          navigation: NAVIGATION,
          footer: {
            icp: `豫ICP备${String(20000000 + t.index * 37).slice(0, 8)}号`,
            contact: `${t.siteName} 新闻热线 0371-6${String(1000000 + t.index).slice(1)}`,
          },
        });
        for (const s of DEMO_SECTIONS)
          await createSection(trx, SYSTEM_ACTOR, tenant.id, { slug: s.slug, name: s.name, position: s.position });
        if (t.level === 'province')
          for (const rule of PROVINCE_RULES) await createRule(trx, SYSTEM_ACTOR, tenant.id, rule);
        bar.tick(1);
      }
      await sql`INSERT INTO generator_progress (phase, chunk, rows, ms) VALUES ('tenants', 0, ${tree.length}, ${Math.round(performance.now() - t0)})`.execute(
        trx,
      );
    });
    bar.done();
  }
  if ((await doneChunks(client, 'structure')).has(0)) return;
  // units, staff, grants, chains and pictures in bulk
  const idBySlug = new Map(
    (await client.query<{ id: string; slug: string }>('SELECT id, slug FROM tenants')).rows.map((x) => [x.slug, x.id]),
  );
  const passwordHash = await hashPassword(GENERATED_PASSWORD);
  const unitRows: Cell[][] = [];
  const staffRows: Cell[][] = [];
  const grantRows: Cell[][] = [];
  const chainRows: Cell[][] = [];
  const assetRows: Cell[][] = [];
  const r = rng(`${o.seed}:structure`);
  const now = o.now;
  const scenes = ['山水', '田野', '城区', '河畅', '晨曦', '夕照', '街景', '会场'];
  for (const t of tree) {
    const tenantId = idBySlug.get(t.slug);
    if (!tenantId) throw new Error(`tenant ${t.slug} is missing`);
    chainRows.push([tenantId, CHAIN]);
    const desk: Record<string, string> = {};
    for (const [role, grant] of [
      ['reporter', 'reporter'],
      ['editor', 'editor'],
      ['reviewer', 'reviewer'],
      ['chief', 'chief_editor'],
      ['admin', 'tenant_admin'],
    ] as const) {
      const id = randomUUID();
      desk[role] = id;
      staffRows.push([id, `${t.slug}-${role}`, personName(r), passwordHash, now]);
      grantRows.push([randomUUID(), tenantId, id, grant, null, 'generator', now]);
    }
    for (const u of unitsOf(t, o.unitsPerCounty)) {
      const unitId = randomUUID();
      unitRows.push([tenantId, unitId, u.slug, u.name, u.kind, now]);
      if (t.level === 'county') {
        const member = randomUUID();
        staffRows.push([member, `${t.slug}-${u.slug}`.slice(0, 40), personName(r), passwordHash, now]);
        grantRows.push([randomUUID(), tenantId, member, 'reporter', unitId, 'generator', now]);
      }
    }
    for (let i = 0; i < 8; i++) {
      assetRows.push([
        tenantId,
        randomUUID(),
        'image/jpeg',
        180_000 + i * 1_000,
        1600,
        900,
        `generated/${t.slug}/${i + 1}.jpg`,
        `${t.slug}-${i + 1}.jpg`,
        `${t.place.short}${scenes[i]}`,
        t.level === 'province',
        desk.editor!,
        now,
      ]);
    }
  }
  const bar = progress('structure', 1, { unit: 'steps', quiet: o.quiet });
  const rows = await inChunk(pool, 'structure', 0, superuser, async (cl) => {
    let n = 0;
    n += await copyRows(cl, 'units', ['tenant_id', 'id', 'slug', 'name', 'kind', 'created_at'], unitRows);
    n += await copyRows(cl, 'staff', ['id', 'login', 'display_name', 'password_hash', 'created_at'], staffRows);
    n += await copyRows(
      cl,
      'grants',
      ['id', 'tenant_id', 'staff_id', 'role', 'unit_id', 'granted_by', 'created_at'],
      grantRows,
    );
    n += await copyRows(cl, 'review_chains', ['tenant_id', 'steps'], chainRows);
    n += await copyRows(
      cl,
      'assets',
      [
        'tenant_id',
        'id',
        'mime',
        'bytes',
        'width',
        'height',
        'storage_key',
        'original_name',
        'alt',
        'shared',
        'created_by',
        'created_at',
      ],
      assetRows,
    );
    return n;
  });
  bar.tick(1);
  bar.done(`${rows.toLocaleString('en-US')} rows (units, staff, grants, review chains, pictures)`);
}

async function loadWorld(client: pg.PoolClient, o: Resolved): Promise<World> {
  const tree = provinceTree(o.cities, o.counties);
  const bySlug = new Map(tree.map((t) => [t.slug, t]));
  const tenants = (await client.query<{ id: string; slug: string }>('SELECT id, slug FROM tenants')).rows;
  const world: WorldTenant[] = [];
  const idOf = new Map<string, string>();
  for (const row of tenants) {
    const t = bySlug.get(row.slug);
    if (!t) continue;
    idOf.set(row.slug, row.id);
    world.push({
      ...t,
      id: row.id,
      sections: {},
      units: [],
      staff: { reporter: '', editor: '', editorName: '', chief: '', chiefName: '', members: [] },
      assets: [],
      descendants: [],
      ancestors: [],
    });
  }
  world.sort((a, b) => a.index - b.index);
  const byId = new Map(world.map((t) => [t.id, t]));
  for (const s of (
    await client.query<{ tenant_id: string; id: string; slug: string }>('SELECT tenant_id, id, slug FROM sections')
  ).rows) {
    const t = byId.get(s.tenant_id);
    if (t) t.sections[s.slug] = s.id;
  }
  for (const t of world) {
    const specs = new Map(unitsOf(t, o.unitsPerCounty).map((u) => [u.slug, u]));
    t.units = (
      await client.query<{ id: string; slug: string }>(
        'SELECT id, slug FROM units WHERE tenant_id = $1 ORDER BY slug',
        [t.id],
      )
    ).rows
      .filter((u) => specs.has(u.slug))
      .map((u) => ({ id: u.id, spec: specs.get(u.slug)! }));
  }
  const staff = (
    await client.query<{ id: string; login: string; display_name: string }>(`SELECT id, login, display_name FROM staff`)
  ).rows;
  for (const s of staff) {
    const dash = s.login.indexOf(
      '-',
      s.login.startsWith('city-') || s.login.startsWith('county-') ? s.login.indexOf('-') + 1 : 0,
    );
    const t = byId.get(idOf.get(s.login.slice(0, dash)) ?? '');
    if (!t) continue;
    const role = s.login.slice(dash + 1);
    if (role === 'reporter') t.staff.reporter = s.id;
    else if (role === 'editor') {
      t.staff.editor = s.id;
      t.staff.editorName = s.display_name;
    } else if (role === 'chief') {
      t.staff.chief = s.id;
      t.staff.chiefName = s.display_name;
    } else if (!['reviewer', 'admin'].includes(role)) t.staff.members.push(s.id);
  }
  for (const a of (
    await client.query<{ tenant_id: string; id: string }>('SELECT tenant_id, id FROM assets ORDER BY storage_key')
  ).rows)
    byId.get(a.tenant_id)?.assets.push(a.id);
  for (const e of (
    await client.query<{ a: string; d: string; depth: number }>(
      'SELECT ancestor_id AS a, descendant_id AS d, depth FROM tenant_tree WHERE depth > 0 ORDER BY depth',
    )
  ).rows) {
    byId.get(e.a)?.descendants.push(e.d);
    byId.get(e.d)?.ancestors.push(e.a);
  }
  const cumulative: number[] = [];
  let sum = 0;
  for (const t of world) {
    sum += WEIGHT[t.level];
    cumulative.push(sum);
  }
  return { tenants: world, byId, cumulative, weightSum: sum };
}

async function storiesPhase(
  pool: pg.Pool,
  o: Resolved,
  w: World,
  superuser: boolean,
): Promise<{ ms: number; rows: number }> {
  const chunks = Math.ceil(o.stories / o.chunkSize);
  const c = await pool.connect();
  const done = await doneChunks(c, 'stories').finally(() => c.release());
  const already = [...done].reduce((n, k) => n + Math.min(o.chunkSize, o.stories - k * o.chunkSize), 0);
  if (done.size >= chunks) return { ms: 0, rows: 0 };
  const bar: Progress = progress('stories', o.stories, { unit: 'stories', alreadyDone: already, quiet: o.quiet });
  const t0 = performance.now();
  let rows = 0;
  const todo = Array.from({ length: chunks }, (_, k) => k).filter((k) => !done.has(k));
  // generation runs in worker threads, a few chunks ahead of the COPY into PostgreSQL
  const threads = Math.max(1, Math.min(o.workers, todo.length));
  const workers = Array.from(
    { length: threads },
    () => new Worker(new URL('./story-worker-boot.mjs', import.meta.url)),
  );
  try {
    const init: WorkerInit = {
      params: { seed: o.seed, now: o.now.toISOString(), days: o.days },
      tenants: w.tenants,
      weight: WEIGHT,
    };
    for (const wk of workers) wk.postMessage({ init });
    const pending = new Map<number, Promise<WorkerResult>>();
    let next = 0;
    const request = (): void => {
      if (next >= todo.length) return;
      const k = todo[next]!;
      const wk = workers[next % threads]!;
      next++;
      const from = k * o.chunkSize;
      const job: WorkerJob = { chunk: k, from, to: Math.min(o.stories, from + o.chunkSize) };
      pending.set(
        k,
        new Promise<WorkerResult>((resolve, reject) => {
          const onMessage = (m: WorkerResult): void => {
            if (m.chunk !== k) return;
            wk.off('message', onMessage);
            wk.off('error', reject);
            resolve(m);
          };
          wk.on('message', onMessage);
          wk.once('error', reject);
          wk.postMessage({ job });
        }),
      );
    };
    for (let i = 0; i < threads + 1; i++) request();
    let since = performance.now();
    for (const k of todo) {
      const result = await pending.get(k)!;
      pending.delete(k);
      request();
      const n = Math.min(o.stories, (k + 1) * o.chunkSize) - k * o.chunkSize;
      await inChunk(
        pool,
        'stories',
        k,
        superuser,
        async (cl) => {
          const times: string[] = [];
          for (const [table, cols] of [
            ['stories', STORY_COLS],
            ['story_revisions', REVISION_COLS],
            ['review_events', EVENT_COLS],
            ['placements', PLACEMENT_COLS],
            ['story_search', SEARCH_COLS],
          ] as const) {
            const key =
              table === 'story_revisions'
                ? 'revisions'
                : table === 'review_events'
                  ? 'events'
                  : table === 'story_search'
                    ? 'search'
                    : table;
            const t1 = performance.now();
            await copyText(cl, table, cols, result.text[key]);
            times.push(`${table} ${result.rows[key]} in ${Math.round(performance.now() - t1)} ms`);
          }
          if (process.env.GENERATOR_DEBUG)
            process.stderr.write(
              `\nchunk ${k}: generated in ${Math.round(result.ms)} ms (worker); ${times.join('; ')}\n`,
            );
          return n;
        },
        since,
      );
      since = performance.now();
      rows += n;
      bar.tick(n);
    }
  } finally {
    await Promise.all(workers.map((wk) => wk.terminate()));
  }
  const ms = performance.now() - t0;
  bar.done();
  return { ms, rows };
}

// ------------------------------------------------------------------ 3. citizens and follows

const CITIZEN_CHUNK = 50_000;

async function citizensPhase(pool: pg.Pool, o: Resolved, w: World, superuser: boolean): Promise<void> {
  const chunks = Math.ceil(o.citizens / CITIZEN_CHUNK);
  const c = await pool.connect();
  const done = await doneChunks(c, 'citizens').finally(() => c.release());
  if (done.size >= chunks) return;
  const already = [...done].reduce((n, k) => n + Math.min(CITIZEN_CHUNK, o.citizens - k * CITIZEN_CHUNK), 0);
  const bar = progress('citizens', o.citizens, { unit: 'citizens', alreadyDone: already, quiet: o.quiet });
  const counties = w.tenants.filter((t) => t.level === 'county');
  const homes = counties.length ? counties : w.tenants;
  const nowMs = o.now.getTime();
  for (let k = 0; k < chunks; k++) {
    if (done.has(k)) continue;
    const r = rng(`${o.seed}:citizens:${k}`);
    const from = k * CITIZEN_CHUNK;
    const to = Math.min(o.citizens, from + CITIZEN_CHUNK);
    const citizens: Cell[][] = [];
    const memberships: Cell[][] = [];
    const consents: Cell[][] = [];
    for (let i = from; i < to; i++) {
      const id = randomUUID();
      const joined = new Date(nowMs - Math.floor(r.next() * 730 * 86_400_000));
      // unique by construction: the index in the last 9 digits
      const phone = `1${3 + (i % 7)}${String(i).padStart(9, '0')}`;
      citizens.push([id, phone, r.chance(0.1) ? `u${i}@example.cn` : null, nickname(r, i), joined, joined]);
      const home = r.pick(homes);
      const follow = (t: WorldTenant, unitId: string | null, when: Date): void => {
        const m = randomUUID();
        memberships.push([t.id, m, id, unitId, when]);
        consents.push([t.id, m, 'news', true, when]);
        if (r.chance(0.2)) consents.push([t.id, m, 'share_parent', true, when]);
      };
      follow(home, null, joined);
      const city = home.ancestors[0] ? w.byId.get(home.ancestors[0]) : undefined;
      if (city && r.chance(0.35)) follow(city, null, new Date(joined.getTime() + r.int(0, 90) * 86_400_000));
      const province = home.ancestors[home.ancestors.length - 1]
        ? w.byId.get(home.ancestors[home.ancestors.length - 1]!)
        : undefined;
      if (province && province !== city && r.chance(0.25))
        follow(province, null, new Date(joined.getTime() + r.int(0, 90) * 86_400_000));
      if (home.units.length && r.chance(0.1))
        follow(home, r.pick(home.units).id, new Date(joined.getTime() + r.int(0, 60) * 86_400_000));
    }
    for (const m of memberships) if ((m[4] as Date).getTime() > nowMs) m[4] = new Date(nowMs - 1000);
    for (const m of consents) if ((m[4] as Date).getTime() > nowMs) m[4] = new Date(nowMs - 1000);
    await inChunk(pool, 'citizens', k, superuser, async (cl) => {
      await copyRows(cl, 'citizens', ['id', 'phone', 'email', 'display_name', 'created_at', 'updated_at'], citizens);
      await copyRows(cl, 'memberships', ['tenant_id', 'id', 'citizen_id', 'unit_id', 'created_at'], memberships);
      await copyRows(cl, 'membership_consents', ['tenant_id', 'membership_id', 'purpose', 'granted', 'at'], consents);
      return to - from;
    });
    bar.tick(to - from);
  }
  bar.done();
}

// ------------------------------------------------------------------ 4. comments

interface StoryKey {
  tenant_id: string;
  id: string;
  published_at: Date;
}
interface CitizenKey {
  id: string;
  display_name: string;
}

/** A sample of public stories and of citizens to write comments and messages with. */
async function samples(client: pg.PoolClient, want: number): Promise<{ stories: StoryKey[]; citizens: CitizenKey[] }> {
  const n = Math.max(1, Math.min(200_000, want));
  const total = Number(
    (
      await client.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM stories WHERE published_revision IS NOT NULL AND retracted_at IS NULL`,
      )
    ).rows[0]!.n,
  );
  const share = Math.min(1, (n * 1.2) / Math.max(1, total));
  const stories = (
    await client.query<StoryKey>(
      `SELECT tenant_id, id, published_at FROM stories WHERE published_revision IS NOT NULL AND retracted_at IS NULL AND random() < $1 LIMIT $2`,
      [share, n],
    )
  ).rows;
  const ctotal = Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM citizens`)).rows[0]!.n);
  const cshare = Math.min(1, (n * 1.2) / Math.max(1, ctotal));
  const citizens = (
    await client.query<CitizenKey>(`SELECT id, display_name FROM citizens WHERE random() < $1 LIMIT $2`, [cshare, n])
  ).rows;
  return { stories, citizens };
}

const COMMENT_CHUNK = 50_000;
const COMMENT_COLS = [
  'tenant_id',
  'id',
  'story_tenant_id',
  'story_id',
  'parent_id',
  'citizen_id',
  'staff_id',
  'author_name',
  'body',
  'official',
  'status',
  'held_reason',
  'findings',
  'report_count',
  'moderated_by',
  'moderated_at',
  'moderation_note',
  'created_at',
];
const MESSAGE_COLS = [
  'tenant_id',
  'id',
  'serial',
  'unit_id',
  'citizen_id',
  'category',
  'title',
  'body',
  'contact_name',
  'contact_phone',
  'allow_public',
  'status',
  'assignee_id',
  'due_at',
  'reply',
  'reply_public',
  'replied_by',
  'replied_at',
  'rating',
  'rated_at',
  'closed_at',
  'created_at',
  'updated_at',
];

async function columnsOf(client: pg.PoolClient, table: string): Promise<Set<string>> {
  const r = await client.query<{ c: string }>(
    `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return new Set(r.rows.map((x) => x.c));
}

/** COPY only the columns the table has (the audience schema is still growing); the others keep their defaults. */
async function copyPresent(
  cl: pg.PoolClient,
  table: string,
  cols: readonly string[],
  rows: Cell[][],
  present: Set<string>,
): Promise<number> {
  const keep = cols.map((c, i) => (present.has(c) ? i : -1)).filter((i) => i >= 0);
  return copyRows(
    cl,
    table,
    keep.map((i) => cols[i]!),
    rows.map((r) => keep.map((i) => r[i])),
  );
}

async function commentsPhase(
  pool: pg.Pool,
  client: pg.PoolClient,
  o: Resolved,
  w: World,
  superuser: boolean,
): Promise<void> {
  const chunks = Math.ceil(o.comments / COMMENT_CHUNK);
  const done = await doneChunks(client, 'comments');
  if (done.size >= chunks || o.comments === 0) return;
  const { stories, citizens } = await samples(client, Math.ceil(o.comments / 3));
  const present = await columnsOf(client, 'comments');
  if (!stories.length || !citizens.length) return;
  const already = [...done].reduce((n, k) => n + Math.min(COMMENT_CHUNK, o.comments - k * COMMENT_CHUNK), 0);
  const bar = progress('comments', o.comments, { unit: 'comments', alreadyDone: already, quiet: o.quiet });
  const nowMs = o.now.getTime();
  for (let k = 0; k < chunks; k++) {
    if (done.has(k)) continue;
    const r = rng(`${o.seed}:comments:${k}`);
    const from = k * COMMENT_CHUNK;
    const to = Math.min(o.comments, from + COMMENT_CHUNK);
    const rows: Cell[][] = [];
    for (let i = from; i < to; i++) {
      // popular stories draw most comments: a skewed pick
      const s = stories[Math.floor(Math.pow(r.next(), 2) * stories.length)]!;
      const who = r.pick(citizens);
      const id = randomUUID();
      const at = new Date(
        Math.min(nowMs - 1000, s.published_at.getTime() + Math.floor(Math.pow(r.next(), 3) * 7 * 86_400_000)),
      );
      const roll = r.next();
      const status = roll < 0.9 ? 'approved' : roll < 0.97 ? 'pending' : roll < 0.99 ? 'hidden' : 'rejected';
      const face = w.byId.get(s.tenant_id);
      const moderated = status !== 'pending' && face ? face.staff.editor : null;
      rows.push([
        s.tenant_id,
        id,
        s.tenant_id,
        s.id,
        null,
        who.id,
        null,
        who.display_name,
        r.pick(COMMENT_TEXTS),
        false,
        status,
        status === 'pending' ? '待审核' : null,
        { json: [] },
        0,
        moderated,
        moderated ? at : null,
        null,
        at,
      ]);
      // the face answers some: an official reply under the comment
      if (status === 'approved' && face && r.chance(0.03)) {
        const replyAt = new Date(Math.min(nowMs - 500, at.getTime() + r.int(1, 48) * 3_600_000));
        rows.push([
          s.tenant_id,
          randomUUID(),
          s.tenant_id,
          s.id,
          id,
          null,
          face.staff.editor,
          face.siteName,
          '感谢您的关注和留言，我们已将您的意见转交相关部门。',
          true,
          'approved',
          null,
          { json: [] },
          0,
          face.staff.editor,
          replyAt,
          null,
          replyAt,
        ]);
      }
    }
    await inChunk(pool, 'comments', k, superuser, async (cl) =>
      copyPresent(cl, 'comments', COMMENT_COLS, rows, present),
    );
    bar.tick(to - from);
  }
  bar.done();
}

// ------------------------------------------------------------------ 5. messages

async function messagesPhase(
  pool: pg.Pool,
  client: pg.PoolClient,
  o: Resolved,
  w: World,
  superuser: boolean,
): Promise<void> {
  const chunk = 50_000;
  const chunks = Math.ceil(o.messages / chunk);
  const done = await doneChunks(client, 'messages');
  if (done.size >= chunks || o.messages === 0) return;
  const { citizens } = await samples(client, Math.min(o.messages, 100_000));
  const present = await columnsOf(client, 'citizen_messages');
  if (!citizens.length) return;
  const already = [...done].reduce((n, k) => n + Math.min(chunk, o.messages - k * chunk), 0);
  const bar = progress('messages', o.messages, { unit: 'messages', alreadyDone: already, quiet: o.quiet });
  const nowMs = o.now.getTime();
  const byLevel = (l: TenantLevel): WorldTenant[] => w.tenants.filter((t) => t.level === l);
  const counties = byLevel('county');
  const cities = byLevel('city');
  const provinces = byLevel('province');
  for (let k = 0; k < chunks; k++) {
    if (done.has(k)) continue;
    const r = rng(`${o.seed}:messages:${k}`);
    const from = k * chunk;
    const to = Math.min(o.messages, from + chunk);
    const rows: Cell[][] = [];
    for (let i = from; i < to; i++) {
      const roll = r.next();
      const pool2 = roll < 0.8 && counties.length ? counties : roll < 0.95 && cities.length ? cities : provinces;
      const t = r.pick(pool2);
      const topic = r.pick(MESSAGE_TOPICS);
      const unit = t.units.length && r.chance(0.5) ? r.pick(t.units).id : null;
      const who = r.pick(citizens);
      const created = new Date(nowMs - Math.floor(Math.pow(r.next(), 1.1) * o.days * 86_400_000));
      const age = nowMs - created.getTime();
      const s = r.next();
      // older messages are mostly answered; recent ones still wait
      const status =
        age > 20 * 86_400_000
          ? s < 0.75
            ? 'closed'
            : 'replied'
          : s < 0.3
            ? 'received'
            : s < 0.5
              ? 'assigned'
              : s < 0.8
                ? 'replied'
                : 'closed';
      const replied = status === 'replied' || status === 'closed';
      const repliedAt = replied
        ? new Date(Math.min(nowMs - 1000, created.getTime() + r.int(4, 240) * 3_600_000))
        : null;
      const closedAt =
        status === 'closed' ? new Date(Math.min(nowMs - 500, repliedAt!.getTime() + r.int(1, 72) * 3_600_000)) : null;
      const allowPublic = r.chance(0.6);
      const rating = closedAt && r.chance(0.6) ? r.int(3, 5) : null;
      const serial = `${created.getUTCFullYear()}${String(k).padStart(3, '0')}${String(i - from).padStart(5, '0')}`;
      rows.push([
        t.id,
        randomUUID(),
        serial,
        unit,
        who.id,
        topic.category,
        topic.title(t.place.short).slice(0, 60),
        topic.body(t.place.short, r).slice(0, 3000),
        r.chance(0.5) ? who.display_name.slice(0, 20) : null,
        null,
        allowPublic,
        status,
        status === 'received' ? null : t.staff.editor,
        new Date(created.getTime() + 15 * 86_400_000),
        replied ? topic.reply : null,
        replied && allowPublic,
        replied ? t.staff.editor : null,
        repliedAt,
        rating,
        rating ? closedAt : null,
        closedAt,
        created,
        closedAt ?? repliedAt ?? created,
      ]);
    }
    await inChunk(pool, 'messages', k, superuser, async (cl) =>
      copyPresent(cl, 'citizen_messages', MESSAGE_COLS, rows, present),
    );
    bar.tick(to - from);
  }
  bar.done();
}

// ------------------------------------------------------------------ 6. analytics roll-ups

/**
 * A year of daily roll-ups, when the analytics tables exist. Written in SQL from
 * what the database already holds (placements per face and day), scaled by
 * audience, so the roll-ups agree with the content they count.
 */
async function analyticsPhase(
  pool: pg.Pool,
  client: pg.PoolClient,
  o: Resolved,
  w: World,
  tables: Set<string>,
  superuser: boolean,
): Promise<void> {
  const wrote = await analyticsRollups({
    pool,
    client,
    days: o.analyticsDays,
    now: o.now,
    seed: o.seed,
    tenants: w.tenants,
    tables,
    superuser,
    quiet: o.quiet,
    inChunk,
  });
  if (wrote === null)
    log(o, 'analytics: no roll-up tables in this database yet (migration 2026_11_27_1900_analytics); skipped');
}

// ------------------------------------------------------------------ 7. finish

async function finishPhase(client: pg.PoolClient, o: Resolved): Promise<void> {
  if ((await doneChunks(client, 'finish')).has(0)) return;
  const t0 = performance.now();
  const bar = progress('finish', 2, { unit: 'steps', quiet: o.quiet });
  const idx = await client.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'story_search_faces_tsv'`);
  if (!idx.rowCount) {
    await client.query(`SET maintenance_work_mem = '512MB'`);
    // the migration's own definition (2026_11_27_1600_search)
    await client.query('CREATE INDEX story_search_faces_tsv ON story_search USING gin (faces, tsv)');
  }
  // the bulk load ran without triggers: the face listing (migration 2026_12_07_1530) is built from the placements
  if ((await client.query(`SELECT 1 FROM pg_proc WHERE proname = 'face_listings_rebuild'`)).rowCount)
    await client.query('SELECT face_listings_rebuild()');
  bar.tick(1);
  await client.query('ANALYZE');
  bar.tick(1);
  await markDone(client, 'finish', 0, 0, performance.now() - t0);
  bar.done('search index built, statistics gathered');
}

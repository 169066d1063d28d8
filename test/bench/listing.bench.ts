/**
 * The face listing (face_listings) against the join the faces read before it, in the same run:
 * the queries behind a section page (count + page of 20), a home block (pins first, 20), the
 * "latest" module and a live story page, round-robin over every face of the generated province
 * (public scope, application role, as the portal reads). "join" is the former code of
 * packages/core/src/syndication/repo/feed.ts (placements ⋈ stories ⋈ published revision ⋈ tenants),
 * kept here as the baseline; "listing" is faceFeed / faceFeedCount / storyOnFace today.
 * Rounds alternate the two, so the machine's load hits both alike.
 *
 * Run: pnpm bench listing   (BENCH_DB=<name> to measure on another generated database)
 */
import { availableParallelism, loadavg } from 'node:os';
import { sql } from 'kysely';
import { faceFeed, faceFeedCount, storyOnFace, STORY_TEXT_FIELDS } from '@yiduan/core';
import { withPublic, type Executor } from '@yiduan/db';
import { benchData, closedLoop, fmt, median, option, writeResult, type LoadFigures } from './lib/kit.js';

const SECONDS = option('seconds', 3);
const ROUNDS = Math.round(option('rounds', 3));
const CONCURRENCY = Math.round(option('concurrency', 8));
const log = (m: string): void => console.log(`[listing] ${m}`);

// ---- the former read path (the baseline)
function joinBase(ex: Executor, tenantId: string) {
  return ex
    .selectFrom('placements as p')
    .innerJoin('stories as s', (j) =>
      j.onRef('s.tenant_id', '=', 'p.origin_tenant_id').onRef('s.id', '=', 'p.story_id'),
    )
    .innerJoin('story_revisions as r', (j) =>
      j
        .onRef('r.tenant_id', '=', 's.tenant_id')
        .onRef('r.story_id', '=', 's.id')
        .onRef('r.number', '=', 's.published_revision'),
    )
    .innerJoin('tenants as o', 'o.id', 's.tenant_id')
    .where('p.tenant_id', '=', tenantId)
    .where('p.status', '=', sql.lit('active'))
    .where('s.retracted_at', 'is', null)
    .select([
      'p.id as placement_id',
      'p.mode',
      'p.mandatory',
      'p.pinned',
      'p.local_title',
      'p.section_id',
      'p.placed_at',
      'p.story_published_at',
      's.id as story_id',
      's.kind',
      's.unit_id',
      's.published_at',
      's.origin_tenant_id as copy_origin_tenant_id',
      's.origin_story_id as copy_origin_story_id',
      'r.number as revision',
      ...STORY_TEXT_FIELDS.map((f) => `r.${f.column}` as const),
      'r.cover_asset_id',
      'r.tags',
      'r.link_url',
      'o.id as origin_id',
      'o.slug as origin_slug',
      'o.name as origin_name',
    ]);
}
async function joinFeed(
  ex: Executor,
  tenantId: string,
  q: { sectionId?: string; pinnedFirst?: boolean; limit: number; offset?: number },
) {
  let query = joinBase(ex, tenantId);
  if (q.sectionId) query = query.where('p.section_id', '=', q.sectionId);
  if (q.pinnedFirst !== false) query = query.orderBy('p.pinned', 'desc');
  return query
    .orderBy('p.story_published_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(q.limit)
    .offset(q.offset ?? 0)
    .execute();
}
async function joinCount(ex: Executor, tenantId: string, sectionId: string) {
  return ex
    .selectFrom('placements as p')
    .innerJoin('stories as s', (j) =>
      j.onRef('s.tenant_id', '=', 'p.origin_tenant_id').onRef('s.id', '=', 'p.story_id'),
    )
    .innerJoin('story_revisions as r', (j) =>
      j
        .onRef('r.tenant_id', '=', 's.tenant_id')
        .onRef('r.story_id', '=', 's.id')
        .onRef('r.number', '=', 's.published_revision'),
    )
    .where('p.tenant_id', '=', tenantId)
    .where('p.status', '=', sql.lit('active'))
    .where('s.retracted_at', 'is', null)
    .where('p.section_id', '=', sectionId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
}
async function joinStory(ex: Executor, tenantId: string, storyId: string) {
  const live = await joinBase(ex, tenantId).where('p.story_id', '=', storyId).select(['r.body']).executeTakeFirst();
  if (!live) return null;
  const corrections = await ex
    .selectFrom('story_corrections')
    .select(['note', 'created_at'])
    .where('tenant_id', '=', live.origin_id)
    .where('story_id', '=', storyId)
    .orderBy('created_at')
    .execute();
  const copy = live.copy_origin_tenant_id
    ? await ex
        .selectFrom('tenants')
        .select(['id', 'slug', 'name'])
        .where('id', '=', live.copy_origin_tenant_id)
        .executeTakeFirst()
    : null;
  return { live, corrections, copy };
}

async function main(): Promise<void> {
  const data = await benchData(log);
  const { db, owner } = data;
  const faces = await owner
    .selectFrom('face_listings as l')
    .select([
      'l.tenant_id',
      sql<string>`(array_agg(l.section_id ORDER BY l.published_at DESC))[1]`.as('section_id'),
      sql<string[]>`(array_agg(l.story_id ORDER BY l.published_at DESC))[1:20]`.as('stories'),
    ])
    .groupBy('l.tenant_id')
    .execute();
  const rows = await owner
    .selectFrom('face_listings')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  log(`${faces.length} faces, ${rows.n} listing rows`);
  const stories = faces.flatMap((f) => f.stories.map((s) => ({ face: f.tenant_id, story: s })));
  let i = 0;
  const nextFace = () => faces[i++ % faces.length]!;
  let j = 0;
  const nextStory = () => stories[j++ % stories.length]!;

  type Case = { key: string; label: string; join: () => Promise<unknown>; listing: () => Promise<unknown> };
  const cases: Case[] = [
    {
      key: 'section',
      label: 'section page: count + page 2 of 20',
      join: () =>
        withPublic(db, async (trx) => {
          const f = nextFace();
          await joinCount(trx, f.tenant_id, f.section_id);
          await joinFeed(trx, f.tenant_id, { sectionId: f.section_id, limit: 20, offset: 20 });
        }),
      listing: () =>
        withPublic(db, async (trx) => {
          const f = nextFace();
          await faceFeedCount(trx, f.tenant_id, { sectionId: f.section_id });
          await faceFeed(trx, f.tenant_id, { sectionId: f.section_id, limit: 20, offset: 20 });
        }),
    },
    {
      key: 'home',
      label: 'home block: pins first, 20',
      join: () => withPublic(db, (trx) => joinFeed(trx, nextFace().tenant_id, { limit: 20 })),
      listing: () => withPublic(db, (trx) => faceFeed(trx, nextFace().tenant_id, { limit: 20 })),
    },
    {
      key: 'latest',
      label: 'latest / RSS: by time, 20',
      join: () => withPublic(db, (trx) => joinFeed(trx, nextFace().tenant_id, { limit: 20, pinnedFirst: false })),
      listing: () => withPublic(db, (trx) => faceFeed(trx, nextFace().tenant_id, { limit: 20, pinnedFirst: false })),
    },
    {
      key: 'story',
      label: `story page data (live; ≤ 20 newest per face, ${stories.length} stories)`,
      join: () =>
        withPublic(db, (trx) => {
          const s = nextStory();
          return joinStory(trx, s.face, s.story);
        }),
      listing: () =>
        withPublic(db, (trx) => {
          const s = nextStory();
          return storyOnFace(trx, s.face, s.story);
        }),
    },
  ];
  const load = [loadavg()[0]!];
  const figures = new Map<string, { join: LoadFigures[]; listing: LoadFigures[] }>(
    cases.map((c) => [c.key, { join: [], listing: [] }]),
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) {
      const order = round % 2 === 0 ? (['join', 'listing'] as const) : (['listing', 'join'] as const);
      for (const side of order) {
        const f = await closedLoop(c[side], { seconds: SECONDS, concurrency: CONCURRENCY, warmup: 20 });
        figures.get(c.key)![side].push(f);
        log(`round ${round + 1} ${c.key} ${side}: ${fmt(f.throughput)}/s p50 ${fmt(f.p50Ms)} ms`);
      }
    }
  }
  load.push(loadavg()[0]!);
  const table = [
    '| case | join (before) /s | p50 ms | listing (after) /s | p50 ms | after / before |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const result: Record<string, unknown> = {};
  for (const c of cases) {
    const f = figures.get(c.key)!;
    const b = median(f.join.map((x) => x.throughput));
    const a = median(f.listing.map((x) => x.throughput));
    table.push(
      `| ${c.label} | ${fmt(b)} | ${fmt(median(f.join.map((x) => x.p50Ms)))} | ${fmt(a)} | ${fmt(median(f.listing.map((x) => x.p50Ms)))} | ${(a / b).toFixed(2)}× |`,
    );
    result[c.key] = { before: b, after: a, ratio: a / b };
  }
  const md = table.join('\n');
  console.log(md);
  writeResult('listing', {
    ...result,
    markdown: md,
    notes: [
      `Command: \`pnpm bench listing\` (BENCH_DB=${data.name}: the generated province, ${data.stories.toLocaleString('en-US')} stories, ${faces.length} faces, ${rows.n} listing rows). Closed loop of ${CONCURRENCY} callers, ${SECONDS} s per case and side, ${ROUNDS} rounds alternating which side goes first, medians; each call is one public-scoped transaction under the application role (BEGIN + scope in one round trip, the statements, COMMIT).`,
      `"join" is the former read path (placements ⋈ stories ⋈ published revision ⋈ tenants; a story page 2–3 statements), "listing" the face listing (one index range scan per list; a live story page one statement). Load average ${load.map((x) => x.toFixed(1)).join(' → ')} on ${availableParallelism()} cores shared with other work: the figures are noisy, the ratios more telling than the absolute rates.`,
    ],
  });
  await data.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

import { randomUUID } from 'node:crypto';
import type { Block } from '@yiduan/core';
import type { TenantLevel } from '@yiduan/db';
import { GENERAL_TEMPLATES, rng, seasonOf, UNIT_TEMPLATES, type Rng, type Template } from '@yiduan/demo';
import { revisionTextColumns, searchDocument, STORY_TEXT_FIELDS, type StoryText } from '@yiduan/core';
import type { Cell } from './copy.js';
import { demoUnit, type unitsOf, type GenTenant } from './province.js';

/** Story chunks: pure generation (no database), shared by the main thread and the worker threads. */
export interface StoryParams {
  seed: string;
  now: Date;
  days: number;
}

export const CHAIN = ['editor', 'reviewer', 'chief_editor'];

/** Rebuilds the lookups of a world received from another thread (Maps do not travel). */
export function worldFrom(tenants: WorldTenant[], weight: Record<TenantLevel, number>): World {
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const cumulative: number[] = [];
  let sum = 0;
  for (const t of tenants) {
    sum += weight[t.level];
    cumulative.push(sum);
  }
  return { tenants, byId, cumulative, weightSum: sum };
}

// ------------------------------------------------------------------ the world, as loaded back

export interface WorldTenant extends GenTenant {
  id: string;
  sections: Record<string, string>;
  units: { id: string; spec: ReturnType<typeof unitsOf>[number] }[];
  staff: { reporter: string; editor: string; editorName: string; chief: string; chiefName: string; members: string[] };
  assets: string[];
  /** ids of every descendant (pushes) */
  descendants: string[];
  /** ids of the ancestors, nearest first (pulls) */
  ancestors: string[];
}

export interface World {
  tenants: WorldTenant[];
  byId: Map<string, WorldTenant>;
  /** cumulative story weights, for the weighted pick of a story's tenant */
  cumulative: number[];
  weightSum: number;
}

// ------------------------------------------------------------------ 2. stories

function pickTenant(w: World, r: Rng): WorldTenant {
  const x = r.next() * w.weightSum;
  let lo = 0;
  let hi = w.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (w.cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return w.tenants[lo]!;
}

const fits = (t: Template, p: GenTenant, season: string): boolean =>
  (!t.levels || t.levels.includes(p.level)) &&
  (!t.rural || p.place.rural) &&
  (!t.seasons || (t.seasons as readonly string[]).includes(season));

/** Template pools per (level, rural, season), and unit templates per topic. */
export function templatePools(): {
  general: (t: GenTenant, season: string) => readonly Template[];
  unit: (topic: string, season: string) => readonly Template[];
} {
  const cache = new Map<string, readonly Template[]>();
  return {
    general: (t, season) => {
      const key = `${t.level}:${t.place.rural}:${season}`;
      let pool = cache.get(key);
      if (!pool) cache.set(key, (pool = GENERAL_TEMPLATES.filter((x) => fits(x, t, season))));
      return pool;
    },
    unit: (topic, season) => {
      const key = `unit:${topic}:${season}`;
      let pool = cache.get(key);
      if (!pool)
        cache.set(
          key,
          (pool = UNIT_TEMPLATES.filter(
            (x) => x.topic === topic && (!x.seasons || (x.seasons as readonly string[]).includes(season)),
          )),
        );
      return pool;
    },
  };
}

export const STORY_COLS = [
  'tenant_id',
  'id',
  'kind',
  'status',
  'section_id',
  'unit_id',
  'current_revision',
  'review_revision',
  'review_step',
  'review_steps',
  'published_revision',
  'first_published_at',
  'published_at',
  'retracted_at',
  'retraction_reason',
  'created_by',
  'created_at',
  'updated_at',
  'share_policy',
];
export const REVISION_COLS = [
  'tenant_id',
  'story_id',
  'number',
  ...STORY_TEXT_FIELDS.map((f) => f.column),
  'cover_asset_id',
  'tags',
  'body',
  'created_by',
  'created_at',
];
export const EVENT_COLS = [
  'tenant_id',
  'story_id',
  'revision',
  'step',
  'action',
  'actor_id',
  'actor_name',
  'comment',
  'at',
];
// story_published_at and a section are written here: the bulk load runs without triggers (placements_fill)
export const PLACEMENT_COLS = [
  'tenant_id',
  'id',
  'story_id',
  'origin_tenant_id',
  'mode',
  'mandatory',
  'status',
  'section_id',
  'pinned',
  'placed_by',
  'created_at',
  'updated_at',
  'placed_at',
  'story_published_at',
];
export const SEARCH_COLS = [
  'tenant_id',
  'story_id',
  'revision',
  'title',
  'summary',
  'body_text',
  'tsv',
  'faces',
  'published_at',
  'indexed_at',
];

/** A placement always has a section: the face's same-slug one, else its first (what face_default_section gives a generated face). */
function faceSection(face: Pick<WorldTenant, 'sections'>, slug: string): string | null {
  return face.sections[slug] ?? Object.values(face.sections)[0] ?? null;
}

export interface ChunkRows {
  stories: Cell[][];
  revisions: Cell[][];
  events: Cell[][];
  placements: Cell[][];
  search: Cell[][];
}

const RETRACTIONS = [
  '经核查，稿件部分内容与事实不符，予以撤回。',
  '应相关单位要求，稿件内容需进一步核实，暂予撤回。',
  '稿件存在重复发布，予以撤回。',
];

/** The rows of stories [from, to): deterministic for a given seed and chunk. */
export function storyChunk(
  o: StoryParams,
  w: World,
  pools: ReturnType<typeof templatePools>,
  chunk: number,
  from: number,
  to: number,
): ChunkRows {
  const r = rng(`${o.seed}:stories:${chunk}`);
  const out: ChunkRows = { stories: [], revisions: [], events: [], placements: [], search: [] };
  const nowMs = o.now.getTime();
  const span = o.days * 86_400_000;
  for (let i = from; i < to; i++) {
    const t = pickTenant(w, r);
    const id = randomUUID();
    // spread over the period, a little denser towards now; daytime in China
    const back = Math.floor(span * Math.pow(r.next(), 1.15));
    const day = new Date(nowMs - back);
    const cstHour = r.int(7, 22);
    const at = new Date(
      Math.min(
        nowMs - 60_000,
        Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), cstHour - 8, r.int(0, 59), r.int(0, 59)),
      ),
    );
    const season = seasonOf(at);
    let unit: WorldTenant['units'][number] | null = null;
    let template: Template | undefined;
    if (t.level === 'county' && t.units.length && r.chance(0.3)) {
      unit = r.pick(t.units);
      const pool = pools.unit(unit.spec.topic, season);
      if (pool.length) template = r.pick(pool);
      else unit = null;
    }
    template ??= r.pick(pools.general(t, season));
    const draft = template.make({ p: t.place, r, date: at, season, ...(unit ? { unit: demoUnit(unit.spec) } : {}) });
    const body: Block[] = [];
    for (const b of draft.body) {
      if (b.type === 'picture') {
        if (t.assets.length) body.push({ type: 'image', assetId: r.pick(t.assets), caption: b.caption.slice(0, 300) });
      } else body.push(b as Block);
    }
    const cover = t.assets.length && r.chance(0.6) ? r.pick(t.assets) : null;
    const sectionId = t.sections[template.section] ?? null;
    const roll = r.next();
    const state: 'draft' | 'in_review' | 'published' | 'retracted' =
      roll < 0.02 ? 'draft' : roll < 0.03 ? 'in_review' : roll < 0.035 ? 'retracted' : 'published';
    const published = state === 'published' || state === 'retracted';
    const createdAt = new Date(at.getTime() - r.int(1, 30) * 3_600_000);
    const retractedAt = state === 'retracted' ? new Date(at.getTime() + r.int(1, 48) * 3_600_000) : null;
    const updatedAt = retractedAt ?? at;
    const writer = unit && t.staff.members.length ? r.pick(t.staff.members) : t.staff.reporter;
    out.stories.push([
      t.id,
      id,
      'article',
      published ? 'published' : state,
      sectionId,
      unit?.id ?? null,
      1,
      state === 'in_review' ? 1 : null,
      state === 'in_review' ? 1 : null,
      state === 'in_review' ? CHAIN : null,
      published ? 1 : null,
      published ? at : null,
      published ? at : null,
      retractedAt,
      retractedAt ? r.pick(RETRACTIONS) : null,
      writer,
      createdAt,
      published ? updatedAt : createdAt,
      t.level === 'county' ? 'up' : 'tree',
    ]);
    // the author line draws from the generator after the story row, as it always has (same seed, same province)
    const texts = Object.fromEntries(STORY_TEXT_FIELDS.map((f) => [f.name, draft[f.name] ?? ''])) as StoryText;
    const columns = revisionTextColumns({
      ...texts,
      title: draft.title.slice(0, 120),
      authorLine: authorLine(t, r, unit !== null),
    });
    out.revisions.push([
      t.id,
      id,
      1,
      ...STORY_TEXT_FIELDS.map((f) => columns[f.column]),
      cover,
      draft.tags,
      { json: body },
      writer,
      createdAt,
    ]);
    if (state === 'in_review')
      out.events.push([t.id, id, 1, null, 'submit', writer, t.place.people.reporter, '', createdAt]);
    if (published) out.events.push([t.id, id, 1, null, 'publish', t.staff.editor, t.staff.editorName, '', at]);
    if (retractedAt) out.events.push([t.id, id, 1, null, 'retract', t.staff.chief, t.staff.chiefName, '', retractedAt]);
    if (!published) continue;

    // placements: its own face, then pushes down and pulls up
    const faces = [t.id];
    out.placements.push([
      t.id,
      randomUUID(),
      id,
      t.id,
      'own',
      false,
      'active',
      sectionId ?? faceSection(t, template.section),
      false,
      null,
      at,
      at,
      at,
      at,
    ]);
    const place = (face: WorldTenant, mode: 'pushed' | 'pulled', mandatory: boolean, when: Date, by: string): void => {
      faces.push(face.id);
      out.placements.push([
        face.id,
        randomUUID(),
        id,
        t.id,
        mode,
        mandatory,
        'active',
        faceSection(face, template.section),
        false,
        by,
        when,
        when,
        when,
        at,
      ]);
    };
    if ((t.level === 'province' && r.chance(0.1)) || (t.level === 'city' && r.chance(0.05))) {
      const when = new Date(at.getTime() + r.int(2, 30) * 60_000);
      for (const d of t.descendants) place(w.byId.get(d)!, 'pushed', t.level === 'province', when, t.staff.editor);
    } else if (t.level === 'county' && !retractedAt) {
      const city = t.ancestors[0] ? w.byId.get(t.ancestors[0]) : undefined;
      const province = t.ancestors[1] ? w.byId.get(t.ancestors[1]) : undefined;
      if (city && r.chance(0.03))
        place(city, 'pulled', false, new Date(at.getTime() + r.int(1, 12) * 3_600_000), city.staff.editor);
      if (province && r.chance(0.005))
        place(province, 'pulled', false, new Date(at.getTime() + r.int(2, 24) * 3_600_000), province.staff.editor);
    }
    if (!retractedAt) {
      const doc = searchDocument({ ...columns, tags: draft.tags, body });
      // the same order as story_faces(): uuid order is the order of their lowercase hex text
      faces.sort();
      out.search.push([t.id, id, 1, doc.title, doc.summary, doc.bodyText, doc.tsv, faces, at, at]);
    }
  }
  return out;
}

function authorLine(t: WorldTenant, r: Rng, byUnit: boolean): string {
  const p = t.place;
  const stringer = r.pick(p.stringers);
  if (byUnit) return `通讯员 ${stringer}`;
  return t.level === 'county'
    ? r.pick([`记者 ${p.people.reporter}`, `融媒记者 ${p.people.reporter} 通讯员 ${stringer}`])
    : r.pick([`记者 ${p.people.reporter}`, `记者 ${p.people.reporter} 实习生 ${stringer}`]);
}

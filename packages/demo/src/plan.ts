import {
  GENERAL_TEMPLATES,
  SIGNATURES,
  UNIT_TEMPLATES,
  para,
  type SectionSlug,
  type StoryDraft,
  type Template,
} from './content/index.js';
import { placeOf, type DemoUnit, type Place } from './places.js';
import { cstAt, rng, seasonOf, type Rng, type Season } from './text.js';

/** Where a story ends up, so every console screen has something to show. */
export type PlannedState = 'published' | 'corrected' | 'draft' | 'draft-warn' | 'in_review' | 'rejected' | 'scheduled';

export interface PlannedStory {
  key: string;
  template: Template;
  section: SectionSlug;
  unit: DemoUnit | null;
  state: PlannedState;
  /** login of who drafts and submits */
  writer: string;
  /** login of who signs the editor step and publishes */
  editor: string;
  draft: StoryDraft;
  authorLine: string;
  createdAt: Date;
  /** last change: publication, correction or last edit */
  updatedAt: Date;
  /** publication time (published) or the scheduled time */
  at: Date | null;
  /** rejection reason, correction note */
  note: string;
}

const OTHER_STATES: Record<string, readonly PlannedState[]> = {
  county: ['draft', 'draft-warn', 'in_review', 'rejected', 'scheduled', 'corrected'],
  city: ['draft-warn', 'in_review', 'corrected'],
  province: ['draft', 'in_review'],
};
const PUBLISHED: Record<string, number> = { county: 20, city: 20, province: 12 };

const REJECTIONS = [
  '导语过长，核心信息不突出；文中数据请注明来源后再提交。',
  '采访对象的单位和职务请补充完整，图片说明需核实。',
  '政策表述请与原文件核对一致，标题不宜使用口语化表达。',
];
const CORRECTIONS = [
  '原稿中一处数据有误，已更正。特此说明。',
  '原稿中采访对象的职务表述有误，现已更正。',
  '原稿中活动时间表述不准确，已更正。',
];

const fits = (t: Template, p: Place, season: Season): boolean =>
  (!t.levels || t.levels.includes(p.level)) && (!t.rural || p.rural) && (!t.seasons || t.seasons.includes(season));

interface Pick {
  template: Template;
  unit: DemoUnit | null;
  signature: boolean;
}

/** Signature stories, then each unit's own, then general ones balanced across sections. */
function pickTemplates(p: Place, r: Rng, season: Season, total: number): Pick[] {
  const picks: Pick[] = (SIGNATURES[p.slug] ?? [])
    .filter((t) => fits(t, p, season))
    .map((template) => ({ template, unit: null, signature: true }));
  for (const unit of p.units) {
    for (const template of UNIT_TEMPLATES.filter((t) => t.topic === unit.topic && fits(t, p, season)))
      picks.push({ template, unit, signature: false });
  }
  const pools = new Map<SectionSlug, Template[]>();
  for (const t of r.shuffle(GENERAL_TEMPLATES.filter((t) => fits(t, p, season))))
    pools.set(t.section, [...(pools.get(t.section) ?? []), t]);
  const count = (s: SectionSlug): number => picks.filter((x) => x.template.section === s).length;
  while (picks.length < total) {
    const open = [...pools.entries()].filter(([, ts]) => ts.length > 0);
    if (!open.length) break;
    const [section, pool] = open.sort((a, b) => count(a[0]) - count(b[0]))[0]!;
    picks.push({ template: pool.shift()!, unit: null, signature: false });
    if (!pool.length) pools.delete(section);
  }
  return picks.slice(0, total);
}

function authorLine(p: Place, r: Rng, unit: DemoUnit | null, byMember: boolean): string {
  const reporter = p.people.reporter;
  const stringer = r.pick(p.stringers);
  if (unit && byMember) return r.pick([`通讯员 ${unit.member}`, `${unit.name} ${unit.member}`, `${unit.name}供稿`]);
  if (unit) return `记者 ${reporter} 通讯员 ${stringer}`;
  return p.level === 'county'
    ? r.pick([`记者 ${reporter}`, `记者 ${reporter} 通讯员 ${stringer}`, `融媒记者 ${reporter} 通讯员 ${stringer}`])
    : r.pick([`记者 ${reporter}`, `记者 ${reporter} 通讯员 ${stringer}`, `记者 ${reporter} 实习生 ${stringer}`]);
}

/**
 * The stories of one tenant: which templates, who writes and signs them, in
 * which state they end and when. Deterministic per tenant except for dates,
 * which are relative to `now` (publication spread over the last 30 days).
 */
export function planStories(slug: string, now: Date): PlannedStory[] {
  const p = placeOf(slug);
  const r = rng(`plan:${slug}`);
  const season = seasonOf(now);
  const others = OTHER_STATES[p.level]!.filter((s) => s !== 'corrected');
  const published = PUBLISHED[p.level]!;
  const picks = r.shuffle(pickTemplates(p, r, season, published + others.length));

  // states: signature stories are always published; unit members keep one draft
  const states = new Map<Pick, PlannedState>();
  const free = (pred: (x: Pick) => boolean): Pick | undefined =>
    picks.find((x) => !states.has(x) && !x.signature && pred(x));
  for (const s of others) {
    const x =
      (s === 'draft' ? free((y) => Boolean(y.unit?.member)) : undefined) ??
      free((y) => s !== 'draft-warn' || !y.unit) ??
      free(() => true);
    if (x) states.set(x, s);
  }
  if (OTHER_STATES[p.level]!.includes('corrected')) {
    const x = free(() => true);
    if (x) states.set(x, 'corrected');
  }

  const live = picks.filter((x) => !states.has(x) || states.get(x) === 'corrected');
  const out: PlannedStory[] = [];
  live.forEach((x, i) => {
    // newest first: spread over 30 days, daytime hours, never in the future
    const daysAgo = Math.floor(((i + r.next() * 0.9) * 30) / live.length);
    let at = cstAt(now, -daysAgo, r.int(7, 21), r.int(0, 59));
    if (at.getTime() > now.getTime() - 15 * 60_000) at = new Date(now.getTime() - r.int(20, 180) * 60_000);
    const corrected = states.get(x) === 'corrected';
    const updatedAt = corrected ? new Date(Math.min(at.getTime() + 26 * 3600_000, now.getTime() - 10 * 60_000)) : at;
    out.push(
      build(
        p,
        x,
        corrected ? 'corrected' : 'published',
        at,
        new Date(at.getTime() - r.int(3, 30) * 3600_000),
        updatedAt,
        new Date(at.getTime() - r.int(0, 1) * 86400_000),
      ),
    );
  });
  for (const x of picks.filter((y) => states.has(y) && states.get(y) !== 'corrected')) {
    const state = states.get(x)!;
    const at = state === 'scheduled' ? cstAt(now, 1, 8) : null;
    const updatedAt = new Date(now.getTime() - r.int(1, 8) * 3600_000);
    out.push(build(p, x, state, at, new Date(updatedAt.getTime() - r.int(4, 48) * 3600_000), updatedAt, now));
  }
  return out;

  function build(
    place: Place,
    x: Pick,
    state: PlannedState,
    at: Date | null,
    createdAt: Date,
    updatedAt: Date,
    day: Date,
  ): PlannedStory {
    const sr = rng(`${slug}:${x.template.id}:${x.unit?.slug ?? ''}`);
    const draft = x.template.make({
      p: place,
      r: sr,
      date: day,
      season: seasonOf(day),
      ...(x.unit ? { unit: x.unit } : {}),
    });
    if (state === 'draft-warn') {
      // an unfinished draft with reminders in it: the console shows the dictionary's warnings here
      draft.body.push(para('（待补充：采访对象做为项目负责人的具体职务；截止目前的完成进度。）'));
    }
    const byMember = Boolean(x.unit?.member);
    const sharedEditor = (slug === 'zhecheng' || slug === 'yichuan') && sr.chance(0.4);
    return {
      key: `${x.template.id}:${x.unit?.slug ?? ''}`,
      template: x.template,
      section: x.template.section,
      unit: x.unit,
      state,
      writer: byMember ? `${slug}-${x.unit!.slug}` : `${slug}-reporter`,
      editor: sharedEditor ? 'zhongyuan-ops' : `${slug}-editor`,
      draft,
      authorLine: authorLine(place, sr, x.unit, byMember),
      createdAt,
      updatedAt,
      at,
      note: state === 'rejected' ? sr.pick(REJECTIONS) : state === 'corrected' ? sr.pick(CORRECTIONS) : '',
    };
  }
}

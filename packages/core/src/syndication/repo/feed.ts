import { sql } from 'kysely';
import type { Executor } from '@yiduan/db';
import { STORY_TEXT_FIELDS, storyText, type Block } from '../../newsroom/index.js';
import { isUuid } from '../../tenancy/index.js';
import type { FaceStory, FaceStoryPage, FeedQuery, SitemapStory, StoryOnFace } from '../model.js';

// Selects one row per active placement with the story's published revision; the
// join on published_revision makes unpublished and retracted stories drop out.
function feedBase(ex: Executor, tenantId: string) {
  return ex
    .selectFrom('placements as p')
    .innerJoin('stories as s', (j) => j.onRef('s.tenant_id', '=', 'p.origin_tenant_id').onRef('s.id', '=', 'p.story_id'))
    .innerJoin('story_revisions as r', (j) => j.onRef('r.tenant_id', '=', 's.tenant_id').onRef('r.story_id', '=', 's.id').onRef('r.number', '=', 's.published_revision'))
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

type FeedRow = Awaited<ReturnType<ReturnType<typeof feedBase>['execute']>>[number];

function toFaceStory(tenantId: string, r: FeedRow): FaceStory {
  return {
    placementId: r.placement_id,
    storyId: r.story_id,
    kind: r.kind,
    mode: r.mode,
    mandatory: r.mandatory,
    pinned: r.pinned,
    ...storyText(r),
    title: r.local_title ?? r.title,
    originalTitle: r.title,
    coverAssetId: r.cover_asset_id,
    tags: r.tags,
    linkUrl: r.link_url,
    sectionId: r.section_id,
    unitId: r.unit_id,
    revision: r.revision,
    // the date a face shows is the one its lists sort by: the story's publication at its origin
    publishedAt: r.story_published_at,
    placedAt: r.placed_at,
    origin: { tenantId: r.origin_id, slug: r.origin_slug, name: r.origin_name, storyId: r.story_id },
    own: r.origin_id === tenantId,
  };
}

/**
 * A face's stories: pinned first (unless asked not to), then by the story's own
 * publication time at its origin, newest first. A face that takes up an older story
 * and wants it on top pins it. One index scan (placements_feed / placements_latest /
 * placements_section_feed).
 */
export async function faceFeed(ex: Executor, tenantId: string, q: FeedQuery = {}): Promise<FaceStory[]> {
  if (!isUuid(tenantId)) return [];
  let query = feedBase(ex, tenantId);
  if (q.sectionId) query = query.where('p.section_id', '=', q.sectionId);
  if (q.unitId) query = query.where('s.unit_id', '=', q.unitId);
  if (q.tag) query = query.where(sql<boolean>`${q.tag} = ANY(r.tags)`);
  if (q.pinnedFirst !== false) query = query.orderBy('p.pinned', 'desc');
  const rows = await query
    .orderBy('p.story_published_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(Math.min(q.limit ?? 20, 100))
    .offset(Math.max(0, q.offset ?? 0))
    .execute();
  return rows.map((r) => toFaceStory(tenantId, r));
}

export async function faceFeedCount(ex: Executor, tenantId: string, q: Pick<FeedQuery, 'sectionId' | 'unitId' | 'tag'> = {}): Promise<number> {
  let query = ex
    .selectFrom('placements as p')
    .innerJoin('stories as s', (j) => j.onRef('s.tenant_id', '=', 'p.origin_tenant_id').onRef('s.id', '=', 'p.story_id'))
    .innerJoin('story_revisions as r', (j) => j.onRef('r.tenant_id', '=', 's.tenant_id').onRef('r.story_id', '=', 's.id').onRef('r.number', '=', 's.published_revision'))
    .where('p.tenant_id', '=', tenantId)
    .where('p.status', '=', sql.lit('active'))
    .where('s.retracted_at', 'is', null);
  if (q.sectionId) query = query.where('p.section_id', '=', q.sectionId);
  if (q.unitId) query = query.where('s.unit_id', '=', q.unitId);
  if (q.tag) query = query.where(sql<boolean>`${q.tag} = ANY(r.tags)`);
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * One story as a face shows it: live, retracted (the URL answers 410 with the
 * notice on every face that carried it), or missing (404).
 */
export async function storyOnFace(ex: Executor, tenantId: string, storyId: string): Promise<StoryOnFace> {
  if (!isUuid(tenantId) || !isUuid(storyId)) return { state: 'missing' };
  const live = await feedBase(ex, tenantId).where('p.story_id', '=', storyId).select(['r.body']).executeTakeFirst();
  if (live) {
    const base = toFaceStory(tenantId, live);
    const corrections = await ex
      .selectFrom('story_corrections')
      .select(['note', 'created_at'])
      .where('tenant_id', '=', base.origin.tenantId)
      .where('story_id', '=', storyId)
      .orderBy('created_at')
      .execute();
    let copiedFrom: FaceStoryPage['copiedFrom'] = null;
    if (live.copy_origin_tenant_id && live.copy_origin_story_id) {
      const o = await ex.selectFrom('tenants').select(['id', 'slug', 'name']).where('id', '=', live.copy_origin_tenant_id).executeTakeFirst();
      if (o) copiedFrom = { tenantId: o.id, slug: o.slug, name: o.name, storyId: live.copy_origin_story_id };
    }
    return { state: 'live', story: { ...base, body: live.body as Block[], corrections: corrections.map((c) => ({ note: c.note, createdAt: c.created_at })), copiedFrom } };
  }
  // was it ever on this face? then a retraction answers 410
  const gone = await ex
    .selectFrom('placements as p')
    .innerJoin('stories as s', (j) => j.onRef('s.tenant_id', '=', 'p.origin_tenant_id').onRef('s.id', '=', 'p.story_id'))
    .innerJoin('tenants as o', 'o.id', 's.tenant_id')
    .select(['s.retracted_at', 's.retraction_reason', 'o.slug', 'o.name'])
    .where('p.tenant_id', '=', tenantId)
    .where('p.story_id', '=', storyId)
    .where('s.retracted_at', 'is not', null)
    .executeTakeFirst();
  if (gone?.retracted_at) return { state: 'retracted', title: null, reason: gone.retraction_reason ?? '', retractedAt: gone.retracted_at, origin: { slug: gone.slug, name: gone.name } };
  return { state: 'missing' };
}

/**
 * The face's own live stories (its own and its detached copies), newest first, for
 * its sitemaps. Placed stories are left out on purpose: their canonical URL is the
 * origin's, and a sitemap lists canonical URLs only; the origin's sitemap has them.
 * Not faceFeed: that pages by 100, a sitemap wants thousands of ids in one query.
 */
export async function ownLiveStories(ex: Executor, tenantId: string, opts: { since?: Date; limit: number }): Promise<SitemapStory[]> {
  let q = ex
    .selectFrom('placements as p')
    .innerJoin('stories as s', (j) => j.onRef('s.tenant_id', '=', 'p.origin_tenant_id').onRef('s.id', '=', 'p.story_id'))
    .innerJoin('story_revisions as r', (j) => j.onRef('r.tenant_id', '=', 's.tenant_id').onRef('r.story_id', '=', 's.id').onRef('r.number', '=', 's.published_revision'))
    .where('p.tenant_id', '=', tenantId)
    .where('p.origin_tenant_id', '=', tenantId)
    .where('p.status', '=', 'active')
    .where('s.retracted_at', 'is', null)
    .where('s.published_at', 'is not', null);
  if (opts.since) q = q.where('s.published_at', '>=', opts.since);
  const rows = await q
    .select(['s.id', 'p.local_title', 'r.title', 's.published_at', 's.updated_at'])
    .orderBy('s.published_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(opts.limit)
    .execute();
  return rows.map((r) => ({ storyId: r.id, title: r.local_title ?? r.title, publishedAt: r.published_at ?? r.updated_at, updatedAt: r.updated_at }));
}

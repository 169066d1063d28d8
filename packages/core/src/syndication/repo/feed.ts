import { sql } from 'kysely';
import type { Executor } from '@yiduan/db';
import { STORY_TEXT_FIELDS, storyText, type Block } from '../../newsroom/index.js';
import { isUuid } from '../../tenancy/index.js';
import type {
  FaceImage,
  FaceStory,
  FaceStoryPage,
  FeedQuery,
  SitemapStory,
  StoryOnFace,
  StoryPageOnFace,
} from '../model.js';

// A face's lists and story page read the face listing alone (face_listings, migration
// 2026_12_07_1530_face_listings): one row per story the face shows, kept current by triggers
// in the same transaction as every change, so unpublished and retracted stories are not there.
function listingBase(ex: Executor, tenantId: string) {
  return ex
    .selectFrom('face_listings as l')
    .where('l.tenant_id', '=', tenantId)
    .select([
      'l.placement_id',
      'l.mode',
      'l.mandatory',
      'l.pinned',
      'l.local_title',
      'l.section_id',
      'l.placed_at',
      'l.published_at',
      'l.story_id',
      'l.kind',
      'l.unit_id',
      'l.copy_origin_tenant_id',
      'l.copy_origin_story_id',
      'l.revision',
      ...STORY_TEXT_FIELDS.map((f) => `l.${f.column}` as const),
      'l.cover_asset_id',
      'l.tags',
      'l.link_url',
      'l.origin_tenant_id',
      'l.origin_slug',
      'l.origin_name',
    ]);
}

type ListingRow = Awaited<ReturnType<ReturnType<typeof listingBase>['execute']>>[number];

function toFaceStory(tenantId: string, r: ListingRow): FaceStory {
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
    publishedAt: r.published_at,
    placedAt: r.placed_at,
    origin: { tenantId: r.origin_tenant_id, slug: r.origin_slug, name: r.origin_name, storyId: r.story_id },
    own: r.origin_tenant_id === tenantId,
  };
}

/**
 * A face's stories: pinned first (unless asked not to), then by the story's own
 * publication time at its origin, newest first. A face that takes up an older story
 * and wants it on top pins it. One index range scan of the face listing
 * (face_listings_feed / _latest / _section / _unit; a tag page: face_listings_tags, GIN, with the face's index).
 */
export async function faceFeed(ex: Executor, tenantId: string, q: FeedQuery = {}): Promise<FaceStory[]> {
  if (!isUuid(tenantId)) return [];
  let query = listingBase(ex, tenantId);
  if (q.sectionId) query = query.where('l.section_id', '=', q.sectionId);
  if (q.unitId) query = query.where('l.unit_id', '=', q.unitId);
  if (q.tag) query = query.where(sql<boolean>`l.tags @> ARRAY[${q.tag}]::text[]`);
  if (q.pinnedFirst !== false) query = query.orderBy('l.pinned', 'desc');
  const rows = await query
    .orderBy('l.published_at', 'desc')
    .orderBy('l.placement_id', 'desc')
    .limit(Math.min(q.limit ?? 20, 100))
    .offset(Math.max(0, q.offset ?? 0))
    .execute();
  return rows.map((r) => toFaceStory(tenantId, r));
}

export async function faceFeedCount(
  ex: Executor,
  tenantId: string,
  q: Pick<FeedQuery, 'sectionId' | 'unitId' | 'tag'> = {},
): Promise<number> {
  if (!isUuid(tenantId)) return 0;
  let query = ex.selectFrom('face_listings as l').where('l.tenant_id', '=', tenantId);
  if (q.sectionId) query = query.where('l.section_id', '=', q.sectionId);
  if (q.unitId) query = query.where('l.unit_id', '=', q.unitId);
  if (q.tag) query = query.where(sql<boolean>`l.tags @> ARRAY[${q.tag}]::text[]`);
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The story's listing row with its body, corrections and a copy's origin; with `page`, what its page draws besides. */
function liveRow(ex: Executor, tenantId: string, storyId: string) {
  return listingBase(ex, tenantId)
    .where('l.story_id', '=', storyId)
    .innerJoin('story_revisions as r', (j) =>
      j
        .onRef('r.tenant_id', '=', 'l.origin_tenant_id')
        .onRef('r.story_id', '=', 'l.story_id')
        .onRef('r.number', '=', 'l.revision'),
    )
    .leftJoin('tenants as c', 'c.id', 'l.copy_origin_tenant_id')
    .select([
      'r.body',
      'c.slug as copy_origin_slug',
      'c.name as copy_origin_name',
      sql<
        { note: string; created_at: string }[]
      >`coalesce((SELECT json_agg(json_build_object('note', k.note, 'created_at', k.created_at) ORDER BY k.created_at)
          FROM story_corrections k WHERE k.tenant_id = l.origin_tenant_id AND k.story_id = l.story_id), '[]')`.as(
        'corrections',
      ),
    ]);
}

type LiveRow = Awaited<ReturnType<ReturnType<typeof liveRow>['execute']>>[number];

function toStoryPage(tenantId: string, live: LiveRow): FaceStoryPage {
  let copiedFrom: FaceStoryPage['copiedFrom'] = null;
  if (live.copy_origin_tenant_id && live.copy_origin_story_id && live.copy_origin_slug && live.copy_origin_name) {
    copiedFrom = {
      tenantId: live.copy_origin_tenant_id,
      slug: live.copy_origin_slug,
      name: live.copy_origin_name,
      storyId: live.copy_origin_story_id,
    };
  }
  const corrections = live.corrections.map((c) => ({ note: c.note, createdAt: new Date(c.created_at) }));
  return { ...toFaceStory(tenantId, live), body: live.body as Block[], corrections, copiedFrom };
}

/** Was it ever on this face? Then a retraction answers 410 with its notice. */
async function goneFromFace(
  ex: Executor,
  tenantId: string,
  storyId: string,
): Promise<Exclude<StoryOnFace, { state: 'live' }>> {
  const gone = await ex
    .selectFrom('placements as p')
    .innerJoin('stories as s', (j) =>
      j.onRef('s.tenant_id', '=', 'p.origin_tenant_id').onRef('s.id', '=', 'p.story_id'),
    )
    .innerJoin('tenants as o', 'o.id', 's.tenant_id')
    .select(['s.retracted_at', 's.retraction_reason', 'o.slug', 'o.name'])
    .where('p.tenant_id', '=', tenantId)
    .where('p.story_id', '=', storyId)
    .where('s.retracted_at', 'is not', null)
    .executeTakeFirst();
  if (gone?.retracted_at)
    return {
      state: 'retracted',
      title: null,
      reason: gone.retraction_reason ?? '',
      retractedAt: gone.retracted_at,
      origin: { slug: gone.slug, name: gone.name },
    };
  return { state: 'missing' };
}

/**
 * One story as a face shows it: live, retracted (the URL answers 410 with the
 * notice on every face that carried it), or missing (404). A live story is one
 * query (its listing row, the published revision's body by primary key, the
 * corrections and a copy's origin); a retracted or missing one is two.
 */
export async function storyOnFace(ex: Executor, tenantId: string, storyId: string): Promise<StoryOnFace> {
  if (!isUuid(tenantId) || !isUuid(storyId)) return { state: 'missing' };
  const live = await liveRow(ex, tenantId, storyId).executeTakeFirst();
  if (live) return { state: 'live', story: toStoryPage(tenantId, live) };
  return goneFromFace(ex, tenantId, storyId);
}

/**
 * A story page's data in one statement (public scope): the story as `storyOnFace` reads it,
 * the face's section, the primary hosts of its origin and of a copy's origin (for the links to
 * the original), the face's approved comments (the first `commentLimit`, oldest first) and the
 * sizes and descriptions of the images it draws (face_story_images: the assets its published
 * revision names, which row-level security would hide from the public scope). A retracted or
 * missing story costs a second statement, as with `storyOnFace`.
 */
export async function storyPageOnFace(
  ex: Executor,
  tenantId: string,
  storyId: string,
  commentLimit = 200,
): Promise<StoryPageOnFace> {
  if (!isUuid(tenantId) || !isUuid(storyId)) return { state: 'missing' };
  const live = await liveRow(ex, tenantId, storyId)
    .select([
      sql<{
        slug: string;
        name: string;
      } | null>`(SELECT json_build_object('slug', x.slug, 'name', x.name) FROM sections x WHERE x.tenant_id = l.tenant_id AND x.id = l.section_id)`.as(
        'section',
      ),
      sql<
        string | null
      >`(SELECT d.host FROM tenant_domains d WHERE d.tenant_id = l.origin_tenant_id AND d.is_primary LIMIT 1)`.as(
        'origin_host',
      ),
      sql<
        string | null
      >`(SELECT d.host FROM tenant_domains d WHERE d.tenant_id = l.copy_origin_tenant_id AND d.is_primary LIMIT 1)`.as(
        'copy_origin_host',
      ),
      sql<
        {
          id: string;
          parent_id: string | null;
          author_name: string;
          body: string;
          official: boolean;
          created_at: string;
        }[]
      >`coalesce((SELECT json_agg(m ORDER BY m.created_at) FROM (
          SELECT c.id, c.parent_id, c.author_name, c.body, c.official, c.created_at FROM comments c
           WHERE c.tenant_id = l.tenant_id AND c.story_id = l.story_id AND c.status = 'approved'
           ORDER BY c.created_at LIMIT ${commentLimit}) m), '[]')`.as('comments'),
      sql<FaceImage[]>`coalesce((SELECT json_agg(i) FROM face_story_images(l.tenant_id, l.story_id) i), '[]')`.as(
        'images',
      ),
    ])
    .executeTakeFirst();
  if (!live) return goneFromFace(ex, tenantId, storyId);
  return {
    state: 'live',
    story: toStoryPage(tenantId, live),
    section: live.section,
    originHost: live.origin_host,
    copyOriginHost: live.copy_origin_host,
    comments: live.comments.map((c) => ({
      id: c.id,
      parentId: c.parent_id,
      authorName: c.author_name,
      body: c.body,
      official: c.official,
      createdAt: new Date(c.created_at),
    })),
    images: live.images,
  };
}

/**
 * Sizes and descriptions of the covers a face's list shows, in the public scope: an asset is
 * answered only while it is the cover of a story live on the face (face_cover_images), since
 * row-level security hides a tenant's unshared assets from the public.
 */
export async function faceCoverImages(
  ex: Executor,
  tenantId: string,
  ids: readonly (string | null | undefined)[],
): Promise<FaceImage[]> {
  const valid = [...new Set(ids.filter((id): id is string => typeof id === 'string' && isUuid(id)))];
  if (!isUuid(tenantId) || valid.length === 0) return [];
  const rows =
    await sql<FaceImage>`SELECT id, width, height, alt, mime FROM face_cover_images(${tenantId}::uuid, ${valid}::uuid[])`.execute(
      ex,
    );
  return rows.rows;
}

/**
 * The face's own live stories (its own and its detached copies), newest first, for
 * its sitemaps. Placed stories are left out on purpose: their canonical URL is the
 * origin's, and a sitemap lists canonical URLs only; the origin's sitemap has them.
 * Not faceFeed: that pages by 100, a sitemap wants thousands of ids in one query.
 */
export async function ownLiveStories(
  ex: Executor,
  tenantId: string,
  opts: { since?: Date; limit: number },
): Promise<SitemapStory[]> {
  let q = ex
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
  return rows.map((r) => ({
    storyId: r.id,
    title: r.local_title ?? r.title,
    publishedAt: r.published_at ?? r.updated_at,
    updatedAt: r.updated_at,
  }));
}

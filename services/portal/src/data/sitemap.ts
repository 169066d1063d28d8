import { sectionsOf } from '@yiduan/core';
import { withPublic, type DB, type Executor } from '@yiduan/db';

/** The sitemap protocol's limit per file; beyond it a sitemap index is needed. */
export const SITEMAP_MAX = 50_000;
/** Google News reads at most 1,000 URLs, published in the last two days. */
export const NEWS_MAX = 1_000;
export const NEWS_WINDOW_MS = 2 * 86400_000;

export interface SitemapStory {
  storyId: string;
  title: string;
  publishedAt: Date;
  updatedAt: Date;
}

/**
 * The face's own live stories (its own and its detached copies), newest first.
 * Placed stories are left out on purpose: their canonical URL is the origin's,
 * and a sitemap should list canonical URLs only; the origin's sitemap has them.
 * Not core's faceFeed: that pages by 100, a sitemap wants thousands of ids in one query.
 */
async function ownLiveStories(ex: Executor, tenantId: string, opts: { since?: Date; limit: number }): Promise<SitemapStory[]> {
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

export interface SitemapData {
  sections: string[];
  stories: SitemapStory[];
}

export async function loadSitemap(db: DB, tenantId: string): Promise<SitemapData> {
  return withPublic(db, async (trx) => ({
    sections: (await sectionsOf(trx, tenantId)).map((s) => s.slug),
    stories: await ownLiveStories(trx, tenantId, { limit: SITEMAP_MAX - 100 }),
  }));
}

export async function loadNewsSitemap(db: DB, tenantId: string, now = new Date()): Promise<SitemapStory[]> {
  return withPublic(db, (trx) => ownLiveStories(trx, tenantId, { since: new Date(now.getTime() - NEWS_WINDOW_MS), limit: NEWS_MAX }));
}

import { sql } from 'kysely';
import type { Executor } from '@yiduan/db';
import type { PoolFilter, PoolStory } from '../model.js';

/**
 * The descendants' published stories a tenant may take up (shared upward or across
 * the tree), newest first, with whether it already carries each.
 */
export async function poolRows(ex: Executor, tenantId: string, f: PoolFilter, limit: number): Promise<PoolStory[]> {
  let q = ex
    .selectFrom('stories as s')
    .innerJoin('tenant_tree as tt', (j) =>
      j.onRef('tt.descendant_id', '=', 's.tenant_id').on('tt.ancestor_id', '=', tenantId).on('tt.depth', '>', 0),
    )
    .innerJoin('story_revisions as r', (j) =>
      j
        .onRef('r.tenant_id', '=', 's.tenant_id')
        .onRef('r.story_id', '=', 's.id')
        .onRef('r.number', '=', 's.published_revision'),
    )
    .innerJoin('tenants as t', 't.id', 's.tenant_id')
    .leftJoin('sections as sec', (j) =>
      j.onRef('sec.tenant_id', '=', 's.tenant_id').onRef('sec.id', '=', 's.section_id'),
    )
    .leftJoin('placements as mine', (j) =>
      j.onRef('mine.story_id', '=', 's.id').on('mine.tenant_id', '=', tenantId).on('mine.status', '=', 'active'),
    )
    .select([
      's.id as storyId',
      's.tenant_id as tenantId',
      't.name as tenantName',
      's.kind',
      'r.title',
      'r.summary',
      'sec.name as sectionName',
      's.published_at as publishedAt',
    ])
    .select(sql<boolean>`mine.id IS NOT NULL`.as('placed'))
    .where('s.retracted_at', 'is', null)
    .where('s.share_policy', 'in', ['up', 'tree']);
  if (f.tenantId) q = q.where('s.tenant_id', '=', f.tenantId);
  if (f.sectionId) q = q.where('s.section_id', '=', f.sectionId);
  if (f.from) q = q.where('s.published_at', '>=', f.from);
  if (f.to) q = q.where('s.published_at', '<', f.to);
  if (f.query?.trim()) q = q.where('r.title', 'ilike', `%${f.query.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  if (f.placed === true) q = q.where(sql<boolean>`mine.id IS NOT NULL`);
  if (f.placed === false) q = q.where(sql<boolean>`mine.id IS NULL`);
  const rows = await q
    .orderBy('s.published_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit)
    .offset(f.offset ?? 0)
    .execute();
  return rows.map((r) => ({ ...r, publishedAt: r.publishedAt ?? new Date(0) }));
}

import { sql } from 'kysely';
import type { Executor } from '@yiduan/db';
import { isUuid } from '../../tenancy/index.js';
import type { MostRead, Period } from '../model.js';

/**
 * The stories read most on one face over a period (the daily story roll-up, counted where they
 * were read), among those the face still shows: active placement, published, not retracted.
 * Run it in the face tenant's scope: row-level security lets a face read the reads it carried
 * (analytics_story_daily.face_read) and nobody else's.
 */
export async function mostReadOnFace(
  ex: Executor,
  faceTenantId: string,
  period: Period,
  limit = 10,
): Promise<MostRead[]> {
  if (!isUuid(faceTenantId)) return [];
  const r = await sql<{ story_id: string; title: string; views: number }>`
    WITH reads AS (
      SELECT story_id, sum(views)::int AS views FROM analytics_story_daily
       WHERE face_tenant_id = ${faceTenantId} AND day BETWEEN ${period.from}::date AND ${period.to}::date
       GROUP BY story_id
      HAVING sum(views) > 0
    )
    SELECT p.story_id, coalesce(p.local_title, rv.title) AS title, reads.views
      FROM reads
      JOIN placements p ON p.tenant_id = ${faceTenantId} AND p.story_id = reads.story_id AND p.status = 'active'
      JOIN stories s ON s.tenant_id = p.origin_tenant_id AND s.id = p.story_id AND s.retracted_at IS NULL
      JOIN story_revisions rv ON rv.tenant_id = s.tenant_id AND rv.story_id = s.id AND rv.number = s.published_revision
     ORDER BY reads.views DESC, p.story_id
     LIMIT ${Math.max(1, Math.min(limit, 50))}`.execute(ex);
  return r.rows.map((row) => ({ storyId: row.story_id, title: row.title, views: row.views }));
}

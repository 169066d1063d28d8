import type pg from 'pg';
import { doneChunks } from './state.js';
import { progress } from './progress.js';

/**
 * A year of analytics roll-ups (tables of migration 2026_11_27_1900_analytics),
 * written in SQL from what the database already holds, so they agree with it:
 *   - per story, day and face: reads on the origin's own face the day of publication
 *     and the two days after, and on every other face that carried it the first day
 *     (counts from a hash of the placement: deterministic, skewed like real reading);
 *   - per tenant and day, scope 'own': sums of those reads on its face, reach of its
 *     stories anywhere, stories first published, followers gained, comments posted,
 *     messages due and answered on time; scope 'tree': the same summed over the subtree;
 *   - per unit and day: its stories' reads and publications, its followers gained.
 * Raw events (analytics_events) are not generated: they are kept for days, not a year.
 */
export interface AnalyticsContext {
  pool: pg.Pool;
  client: pg.PoolClient;
  days: number;
  now: Date;
  seed: string;
  tenants: readonly { id: string; level: string }[];
  tables: Set<string>;
  superuser: boolean;
  quiet: boolean;
  inChunk(
    pool: pg.Pool,
    phase: string,
    chunk: number,
    superuser: boolean,
    fn: (c: pg.PoolClient) => Promise<number>,
  ): Promise<number>;
}

const NEEDED = ['analytics_story_daily', 'analytics_tenant_daily', 'analytics_unit_daily'];
const CST = `'Asia/Shanghai'`;

/** Returns the rows written, or null when the analytics tables are not there. */
export async function analyticsRollups(ctx: AnalyticsContext): Promise<number | null> {
  if (!NEEDED.every((t) => ctx.tables.has(t))) return null;
  const today = new Date(ctx.now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const params = [today, ctx.days];
  let rows = 0;

  // 1. per story and face, one chunk per origin tenant
  const done = await doneChunks(ctx.client, 'analytics-stories');
  if (done.size < ctx.tenants.length) {
    const bar = progress('roll-ups', ctx.tenants.length, { unit: 'tenants', alreadyDone: done.size, quiet: ctx.quiet });
    for (const [i, t] of ctx.tenants.entries()) {
      if (done.has(i)) continue;
      rows += await ctx.inChunk(ctx.pool, 'analytics-stories', i, ctx.superuser, async (c) => {
        const r = await c.query(
          `INSERT INTO analytics_story_daily (tenant_id, story_id, day, face_tenant_id, views, uniques, completions, shares)
           SELECT p.origin_tenant_id, p.story_id, x.day, p.tenant_id, x.views, (x.views * 0.72)::int, (x.views * 0.38)::int, (x.views * 0.015)::int
             FROM placements p
             JOIN stories s ON s.tenant_id = p.origin_tenant_id AND s.id = p.story_id AND s.first_published_at IS NOT NULL
             CROSS JOIN LATERAL generate_series(0, CASE WHEN p.mode = 'own' THEN 2 ELSE 0 END) g(n)
             CROSS JOIN LATERAL (SELECT (p.placed_at AT TIME ZONE ${CST})::date + g.n AS day,
                                        5 + (abs(hashtext(p.id::text || g.n::text)) % CASE g.n WHEN 0 THEN CASE WHEN p.mode = 'own' THEN 900 ELSE 120 END WHEN 1 THEN 240 ELSE 60 END) AS views) x
            WHERE p.origin_tenant_id = $3 AND p.status = 'active' AND x.day <= $1::date AND x.day > $1::date - $2::int`,
          [...params, t.id],
        );
        return r.rowCount ?? 0;
      });
      bar.tick(1);
    }
    bar.done();
  }

  // 2. per tenant (own, then tree) and per unit, one transaction
  if (!(await doneChunks(ctx.client, 'analytics-tenants')).has(0)) {
    const bar = progress('roll-ups', 3, { unit: 'tables', quiet: ctx.quiet });
    rows += await ctx.inChunk(ctx.pool, 'analytics-tenants', 0, ctx.superuser, async (c) => {
      let n = 0;
      const day = (col: string): string => `(${col} AT TIME ZONE ${CST})::date`;
      const own = await c.query(
        `WITH days AS (SELECT d::date AS day FROM generate_series($1::date - $2::int + 1, $1::date, interval '1 day') d),
              face AS (SELECT face_tenant_id AS tenant_id, day, sum(views) v, sum(uniques) u, sum(completions) c, sum(shares) s FROM analytics_story_daily GROUP BY 1, 2),
              reach AS (SELECT tenant_id, day, sum(views) r, sum(views) FILTER (WHERE face_tenant_id <> tenant_id) sy FROM analytics_story_daily GROUP BY 1, 2),
              pub AS (SELECT tenant_id, ${day('first_published_at')} AS day, count(*) n FROM stories WHERE first_published_at IS NOT NULL GROUP BY 1, 2),
              fol AS (SELECT tenant_id, ${day('created_at')} AS day, count(*) n FROM memberships GROUP BY 1, 2),
              com AS (SELECT tenant_id, ${day('created_at')} AS day, count(*) n FROM comments GROUP BY 1, 2),
              msg AS (SELECT tenant_id, ${day('due_at')} AS day, count(*) due, count(*) FILTER (WHERE replied_at <= due_at) ok FROM citizen_messages GROUP BY 1, 2)
         INSERT INTO analytics_tenant_daily (tenant_id, scope, day, views, uniques, completions, shares, reach_views, syndicated_views, stories_published, followers_gained, comments, messages_due, messages_on_time, updated_at)
         SELECT t.id, 'own', d.day, coalesce(face.v, 0), coalesce(face.u, 0), coalesce(face.c, 0), coalesce(face.s, 0), coalesce(reach.r, 0), coalesce(reach.sy, 0),
                coalesce(pub.n, 0), coalesce(fol.n, 0), coalesce(com.n, 0), coalesce(msg.due, 0), coalesce(msg.ok, 0), now()
           FROM tenants t CROSS JOIN days d
           LEFT JOIN face ON face.tenant_id = t.id AND face.day = d.day
           LEFT JOIN reach ON reach.tenant_id = t.id AND reach.day = d.day
           LEFT JOIN pub ON pub.tenant_id = t.id AND pub.day = d.day
           LEFT JOIN fol ON fol.tenant_id = t.id AND fol.day = d.day
           LEFT JOIN com ON com.tenant_id = t.id AND com.day = d.day
           LEFT JOIN msg ON msg.tenant_id = t.id AND msg.day = d.day`,
        params,
      );
      n += own.rowCount ?? 0;
      bar.tick(1);
      const tree = await c.query(
        `INSERT INTO analytics_tenant_daily (tenant_id, scope, day, views, uniques, completions, shares, reach_views, syndicated_views, stories_published, followers_gained, comments, messages_due, messages_on_time, updated_at)
         SELECT tt.ancestor_id, 'tree', a.day, sum(a.views), sum(a.uniques), sum(a.completions), sum(a.shares), sum(a.reach_views), sum(a.syndicated_views),
                sum(a.stories_published), sum(a.followers_gained), sum(a.comments), sum(a.messages_due), sum(a.messages_on_time), now()
           FROM analytics_tenant_daily a JOIN tenant_tree tt ON tt.descendant_id = a.tenant_id
          WHERE a.scope = 'own'
          GROUP BY tt.ancestor_id, a.day`,
      );
      n += tree.rowCount ?? 0;
      bar.tick(1);
      const units = await c.query(
        `WITH rd AS (SELECT s.tenant_id, s.unit_id, a.day, sum(a.views) v, sum(a.uniques) u, sum(a.completions) c, sum(a.shares) s
                       FROM analytics_story_daily a JOIN stories s ON s.tenant_id = a.tenant_id AND s.id = a.story_id
                      WHERE s.unit_id IS NOT NULL GROUP BY 1, 2, 3),
              pub AS (SELECT tenant_id, unit_id, ${day('first_published_at')} AS day, count(*) n FROM stories WHERE unit_id IS NOT NULL AND first_published_at IS NOT NULL GROUP BY 1, 2, 3),
              fol AS (SELECT tenant_id, unit_id, ${day('created_at')} AS day, count(*) n FROM memberships WHERE unit_id IS NOT NULL GROUP BY 1, 2, 3),
              k AS (SELECT tenant_id, unit_id, day FROM rd UNION SELECT tenant_id, unit_id, day FROM pub UNION SELECT tenant_id, unit_id, day FROM fol)
         INSERT INTO analytics_unit_daily (tenant_id, unit_id, day, views, uniques, completions, shares, stories_published, followers_gained, updated_at)
         SELECT k.tenant_id, k.unit_id, k.day, coalesce(rd.v, 0), coalesce(rd.u, 0), coalesce(rd.c, 0), coalesce(rd.s, 0), coalesce(pub.n, 0), coalesce(fol.n, 0), now()
           FROM k
           LEFT JOIN rd ON rd.tenant_id = k.tenant_id AND rd.unit_id = k.unit_id AND rd.day = k.day
           LEFT JOIN pub ON pub.tenant_id = k.tenant_id AND pub.unit_id = k.unit_id AND pub.day = k.day
           LEFT JOIN fol ON fol.tenant_id = k.tenant_id AND fol.unit_id = k.unit_id AND fol.day = k.day
          WHERE k.day <= $1::date AND k.day > $1::date - $2::int`,
        params,
      );
      n += units.rowCount ?? 0;
      bar.tick(1);
      return n;
    });
    bar.done();
  }
  return rows;
}

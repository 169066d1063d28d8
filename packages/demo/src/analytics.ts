import { sql } from 'kysely';
import { setPlatform, type Tenant, type Trx } from '@yiduan/db';

/**
 * A realistic year of roll-ups for the demo province, so the console's dashboards, rankings and
 * trends have something to show on a fresh start. Deterministic (hashes, not Math.random), set-based
 * (a handful of INSERT … SELECT over generate_series: well under a second), written in platform scope.
 *
 * Shape: reads scale with the level (province ≫ city ≫ county) and a per-tenant appetite; weekends
 * are quieter, the year grows about 30 %, the Spring Festival and National Day weeks peak; one
 * county (柘城县) slowly stops publishing over the last weeks, so the dormancy trend has a story.
 * The last two days are left to the live roll-up, which recomputes them from real events.
 */
export async function seedAnalytics(trx: Trx, tenants: Record<string, Tenant>, now: Date): Promise<void> {
  await setPlatform(trx);
  const quiet = tenants.zhecheng?.id ?? null;
  const last = sql`((${now.toISOString()}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date - 2)`;
  // a deterministic 0..1 noise per key
  const noise = (key: RawKey) => sql`(abs(hashtext(${key})) % 1000) / 1000.0`;
  type RawKey = ReturnType<typeof sql.raw>;

  await sql`
    WITH days AS (
      SELECT d::date AS day, ${last} - d::date AS age FROM generate_series(${last} - 364, ${last}, interval '1 day') d
    ), base AS (
      SELECT t.id AS tenant_id, d.day, d.age,
             (CASE t.level WHEN 'province' THEN 18000 WHEN 'city' THEN 4200 ELSE 1100 END)
               * (0.6 + ${noise(sql.raw(`t.slug`))})                                   -- appetite of this face
               * (1 + 0.3 * (364 - d.age) / 364.0)                                     -- the year's growth
               * (CASE WHEN extract(isodow FROM d.day) >= 6 THEN 0.72 ELSE 1 END)      -- weekends
               * (CASE WHEN d.day BETWEEN '2026-02-14' AND '2026-02-22' OR d.day BETWEEN '2026-10-01' AND '2026-10-07' THEN 1.6 ELSE 1 END)
               * (0.85 + 0.3 * ${noise(sql.raw(`t.slug || d.day::text`))}) AS v,
             (CASE t.level WHEN 'province' THEN 45 WHEN 'city' THEN 28 ELSE 14 END) AS pub,
             t.level
        FROM tenants t CROSS JOIN days d
    )
    INSERT INTO analytics_tenant_daily (tenant_id, scope, day, views, uniques, completions, shares, reach_views, syndicated_views,
      stories_published, followers_gained, followers_lost, comments, messages_due, messages_on_time)
    SELECT tenant_id, 'own', day,
           round(v), round(v * 0.58), round(v * 0.34), round(v * 0.021),
           round(v * CASE level WHEN 'county' THEN 1.35 WHEN 'city' THEN 1.15 ELSE 1.05 END),
           round(v * CASE level WHEN 'county' THEN 0.35 WHEN 'city' THEN 0.15 ELSE 0.05 END),
           CASE WHEN tenant_id = ${quiet} AND age < 40 THEN (CASE WHEN age > 25 AND (age % 5) = 0 THEN 1 ELSE 0 END)
                ELSE greatest(0, round(pub * (CASE WHEN extract(isodow FROM day) >= 6 THEN 0.4 ELSE 1 END) * (0.7 + 0.6 * ${noise(sql.raw(`tenant_id::text || day::text || 'p'`))})))::int END,
           round(v * 0.006), round(v * 0.0013), round(v * 0.004),
           round(CASE level WHEN 'province' THEN 6 WHEN 'city' THEN 4 ELSE 3 END * (0.5 + ${noise(sql.raw(`tenant_id::text || day::text || 'm'`))})),
           0
      FROM base
    ON CONFLICT (tenant_id, scope, day) DO NOTHING`.execute(trx);
  // about nine in ten messages answered on time
  await sql`UPDATE analytics_tenant_daily SET messages_on_time = round(messages_due * (0.78 + 0.2 * ((abs(hashtext(tenant_id::text || day::text)) % 100) / 100.0)))
             WHERE scope = 'own' AND messages_due > 0 AND day <= ${last}`.execute(trx);

  // units: a share of their tenant's reads and publishing
  await sql`
    INSERT INTO analytics_unit_daily (tenant_id, unit_id, day, views, uniques, completions, shares, stories_published, followers_gained, followers_lost, messages_due, messages_on_time)
    SELECT u.tenant_id, u.id, o.day, round(o.views * f.share), round(o.uniques * f.share), round(o.completions * f.share), round(o.shares * f.share),
           round(o.stories_published * f.share * 1.5), round(o.followers_gained * f.share), round(o.followers_lost * f.share),
           round(o.messages_due * f.share), round(o.messages_on_time * f.share)
      FROM units u
      JOIN analytics_tenant_daily o ON o.tenant_id = u.tenant_id AND o.scope = 'own' AND o.day <= ${last}
      CROSS JOIN LATERAL (SELECT (0.04 + 0.16 * (abs(hashtext(u.slug)) % 100) / 100.0) AS share) f
    ON CONFLICT (tenant_id, unit_id, day) DO NOTHING`.execute(trx);

  // stories: the week after each publication, on every face that carries it (reads decay by half a day)
  await sql`
    INSERT INTO analytics_story_daily (tenant_id, story_id, day, face_tenant_id, views, uniques, completions, shares)
    SELECT p.origin_tenant_id, p.story_id, (s.first_published_at AT TIME ZONE 'Asia/Shanghai')::date + k, p.tenant_id,
           round(r.v / power(2, k)), round(r.v * 0.7 / power(2, k)), round(r.v * 0.36 / power(2, k)), round(r.v * 0.025 / power(2, k))
      FROM placements p JOIN stories s ON s.tenant_id = p.origin_tenant_id AND s.id = p.story_id
      JOIN tenants f ON f.id = p.tenant_id
      CROSS JOIN generate_series(0, 6) k
      CROSS JOIN LATERAL (SELECT (CASE f.level WHEN 'province' THEN 2400 WHEN 'city' THEN 700 ELSE 260 END)
                                 * (0.3 + (abs(hashtext(p.story_id::text || p.tenant_id::text)) % 100) / 70.0) AS v) r
     WHERE p.status = 'active' AND s.first_published_at IS NOT NULL
       AND (s.first_published_at AT TIME ZONE 'Asia/Shanghai')::date + k <= ${last}
    ON CONFLICT DO NOTHING`.execute(trx);

  // up the tree: subtree sums (uniques: the sum less an overlap between faces)
  await sql`
    INSERT INTO analytics_tenant_daily (tenant_id, scope, day, views, uniques, completions, shares, reach_views, syndicated_views,
      stories_published, followers_gained, followers_lost, comments, messages_due, messages_on_time)
    SELECT tt.ancestor_id, 'tree', o.day, sum(o.views), round(sum(o.uniques) * CASE WHEN count(*) > 1 THEN 0.9 ELSE 1 END), sum(o.completions), sum(o.shares),
           sum(o.reach_views), sum(o.syndicated_views), sum(o.stories_published), sum(o.followers_gained), sum(o.followers_lost),
           sum(o.comments), sum(o.messages_due), sum(o.messages_on_time)
      FROM tenant_tree tt JOIN analytics_tenant_daily o ON o.tenant_id = tt.descendant_id AND o.scope = 'own' AND o.day <= ${last}
     GROUP BY tt.ancestor_id, o.day
    ON CONFLICT (tenant_id, scope, day) DO NOTHING`.execute(trx);
}

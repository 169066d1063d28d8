import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '@yiduan/db';
import { isDay } from '../days.js';
import type { Pair, RollupResult } from '../model.js';

/**
 * Incremental roll-ups. The unit of work is a (tenant, day) pair: the writer marks the pairs its
 * events touched (the face's and the story origin's), and every run also revisits today and
 * yesterday for every tenant (publishing, follows, comments and messages change those days).
 * Recomputing a pair replaces its rows, so a run can repeat without counting anything twice.
 *
 * Reading figures (views, uniques, completions, shares, reach) come from the raw events and are
 * recomputed only for days still inside the retention period: older days keep their roll-ups
 * when the partitions are gone. Uniques are exact: COUNT(DISTINCT visitor) over the day's
 * partition, which for a subtree is the union of its faces (a sum would count a visitor twice).
 */

const CST = sql.lit('Asia/Shanghai');

function pairsCte(pairs: Pair[]): RawBuilder<unknown> {
  return sql`p AS (SELECT DISTINCT * FROM unnest(${pairs.map((x) => x.tenantId)}::uuid[], ${pairs.map((x) => x.day)}::date[]) AS p(tenant_id, day))`;
}

/** per tenant the instant range the pairs cover, for index range scans on the source tables */
const rangeCte = sql`r AS (
  SELECT tenant_id, (min(day)::timestamp AT TIME ZONE ${CST}) AS lo, ((max(day) + 1)::timestamp AT TIME ZONE ${CST}) AS hi FROM p GROUP BY tenant_id)`;

const cst = (col: string) => sql`(${sql.ref(col)} AT TIME ZONE ${CST})::date`;

/** Recomputes every roll-up of these (tenant, day) pairs, and the subtree rows of their ancestors. Platform scope. */
export async function rollupPairs(trx: Executor, pairs: Pair[], opts: { horizon: string }): Promise<RollupResult> {
  const started = Date.now();
  if (pairs.length === 0) return { pairs: 0, treePairs: 0, ms: 0, steps: {} };
  const steps: Record<string, number> = {};
  let mark = Date.now();
  const step = (name: string): void => {
    const t = Date.now();
    steps[name] = t - mark;
    mark = t;
  };
  const p = pairsCte(pairs);
  const horizon = opts.horizon;
  const days = [...new Set(pairs.map((x) => x.day))].filter((d) => d >= horizon && isDay(d));
  // days as literal constants, not a parameter: the planner then prunes the day partitions at
  // plan time (with a parameter every one of ~400 partitions is planned and pruned at run time)
  const dayList = days.length > 0 ? sql.join(days.map((d) => sql`${sql.lit(d)}::date`)) : sql`NULL::date`;

  // ---- per story, day and face (origin = tenant_id)
  await sql`WITH ${p} DELETE FROM analytics_story_daily d USING p WHERE d.tenant_id = p.tenant_id AND d.day = p.day AND p.day >= ${horizon}::date`.execute(
    trx,
  );
  step('story.delete');
  await sql`
    WITH ${p}
    INSERT INTO analytics_story_daily (tenant_id, story_id, day, face_tenant_id, views, uniques, completions, shares)
    SELECT e.story_tenant_id, e.story_id, e.day, e.tenant_id,
           count(*) FILTER (WHERE e.kind = 'view'), count(DISTINCT e.visitor) FILTER (WHERE e.kind = 'view'),
           count(*) FILTER (WHERE e.kind = 'read'), count(*) FILTER (WHERE e.kind = 'share')
      FROM analytics_events e JOIN p ON e.story_tenant_id = p.tenant_id AND e.day = p.day
     WHERE e.day IN (${dayList}) AND e.story_id IS NOT NULL AND e.kind IN ('view', 'read', 'share')
     GROUP BY 1, 2, 3, 4`.execute(trx);
  step('story.insert');

  // ---- per tenant, own face and own publishing
  await sql`
    WITH ${p}
    UPDATE analytics_tenant_daily d SET
      stories_published = 0, followers_gained = 0, followers_lost = 0, comments = 0, messages_due = 0, messages_on_time = 0,
      views = CASE WHEN d.day >= ${horizon}::date THEN 0 ELSE d.views END,
      uniques = CASE WHEN d.day >= ${horizon}::date THEN 0 ELSE d.uniques END,
      completions = CASE WHEN d.day >= ${horizon}::date THEN 0 ELSE d.completions END,
      shares = CASE WHEN d.day >= ${horizon}::date THEN 0 ELSE d.shares END,
      reach_views = CASE WHEN d.day >= ${horizon}::date THEN 0 ELSE d.reach_views END,
      syndicated_views = CASE WHEN d.day >= ${horizon}::date THEN 0 ELSE d.syndicated_views END,
      updated_at = now()
      FROM p WHERE d.tenant_id = p.tenant_id AND d.scope = 'own' AND d.day = p.day`.execute(trx);
  step('tenant.reset');
  // reads on this tenant's face
  await sql`
    WITH ${p}
    INSERT INTO analytics_tenant_daily AS d (tenant_id, scope, day, views, uniques, completions, shares)
    SELECT e.tenant_id, 'own', e.day, count(*) FILTER (WHERE e.kind = 'view'), count(DISTINCT e.visitor) FILTER (WHERE e.kind = 'view'),
           count(*) FILTER (WHERE e.kind = 'read'), count(*) FILTER (WHERE e.kind = 'share')
      FROM analytics_events e JOIN p ON e.tenant_id = p.tenant_id AND e.day = p.day
     WHERE e.day IN (${dayList})
     GROUP BY 1, 3
    ON CONFLICT (tenant_id, scope, day) DO UPDATE SET views = excluded.views, uniques = excluded.uniques,
      completions = excluded.completions, shares = excluded.shares, updated_at = now()`.execute(trx);
  step('tenant.face');
  // reads of this tenant's stories anywhere (its reach), and on other faces only (syndicated reach)
  await sql`
    WITH ${p}
    INSERT INTO analytics_tenant_daily AS d (tenant_id, scope, day, reach_views, syndicated_views)
    SELECT e.story_tenant_id, 'own', e.day, count(*), count(*) FILTER (WHERE e.tenant_id <> e.story_tenant_id)
      FROM analytics_events e JOIN p ON e.story_tenant_id = p.tenant_id AND e.day = p.day
     WHERE e.day IN (${dayList}) AND e.kind = 'view'
     GROUP BY 1, 3
    ON CONFLICT (tenant_id, scope, day) DO UPDATE SET reach_views = excluded.reach_views, syndicated_views = excluded.syndicated_views, updated_at = now()`.execute(
    trx,
  );
  step('tenant.reach');
  // publishing, audience and service
  await sql`
    WITH ${p}, ${rangeCte},
    x AS (
      SELECT s.tenant_id, ${cst('s.first_published_at')} AS day, 1 AS sp, 0 AS fg, 0 AS fl, 0 AS cm, 0 AS md, 0 AS mo
        FROM stories s JOIN r ON s.tenant_id = r.tenant_id AND s.first_published_at >= r.lo AND s.first_published_at < r.hi
      UNION ALL
      SELECT m.tenant_id, ${cst('m.created_at')}, 0, 1, 0, 0, 0, 0
        FROM memberships m JOIN r ON m.tenant_id = r.tenant_id AND m.created_at >= r.lo AND m.created_at < r.hi
      UNION ALL
      SELECT m.tenant_id, ${cst('m.ended_at')}, 0, 0, 1, 0, 0, 0
        FROM memberships m JOIN r ON m.tenant_id = r.tenant_id AND m.ended_at >= r.lo AND m.ended_at < r.hi
      UNION ALL
      SELECT c.tenant_id, ${cst('c.created_at')}, 0, 0, 0, 1, 0, 0
        FROM comments c JOIN r ON c.tenant_id = r.tenant_id AND c.created_at >= r.lo AND c.created_at < r.hi
      UNION ALL
      SELECT cm.tenant_id, ${cst('cm.due_at')}, 0, 0, 0, 0, 1, (cm.replied_at IS NOT NULL AND cm.replied_at <= cm.due_at)::int
        FROM citizen_messages cm JOIN r ON cm.tenant_id = r.tenant_id AND cm.due_at >= r.lo AND cm.due_at < r.hi
    )
    INSERT INTO analytics_tenant_daily AS d (tenant_id, scope, day, stories_published, followers_gained, followers_lost, comments, messages_due, messages_on_time)
    SELECT x.tenant_id, 'own', x.day, sum(sp), sum(fg), sum(fl), sum(cm), sum(md), sum(mo)
      FROM x JOIN p ON p.tenant_id = x.tenant_id AND p.day = x.day
     GROUP BY 1, 3
    ON CONFLICT (tenant_id, scope, day) DO UPDATE SET stories_published = excluded.stories_published,
      followers_gained = excluded.followers_gained, followers_lost = excluded.followers_lost, comments = excluded.comments,
      messages_due = excluded.messages_due, messages_on_time = excluded.messages_on_time, updated_at = now()`.execute(
    trx,
  );
  step('tenant.activity');

  // ---- per unit (the unit's stories wherever read; its publishing, follows and messages)
  await sql`
    WITH ${p}
    UPDATE analytics_unit_daily d SET
      stories_published = 0, followers_gained = 0, followers_lost = 0, messages_due = 0, messages_on_time = 0,
      views = CASE WHEN d.day >= ${horizon}::date THEN 0 ELSE d.views END,
      uniques = CASE WHEN d.day >= ${horizon}::date THEN 0 ELSE d.uniques END,
      completions = CASE WHEN d.day >= ${horizon}::date THEN 0 ELSE d.completions END,
      shares = CASE WHEN d.day >= ${horizon}::date THEN 0 ELSE d.shares END,
      updated_at = now()
      FROM p WHERE d.tenant_id = p.tenant_id AND d.day = p.day`.execute(trx);
  step('unit.reset');
  await sql`
    WITH ${p}
    INSERT INTO analytics_unit_daily AS d (tenant_id, unit_id, day, views, uniques, completions, shares)
    SELECT e.story_tenant_id, e.unit_id, e.day, count(*) FILTER (WHERE e.kind = 'view'), count(DISTINCT e.visitor) FILTER (WHERE e.kind = 'view'),
           count(*) FILTER (WHERE e.kind = 'read'), count(*) FILTER (WHERE e.kind = 'share')
      FROM analytics_events e JOIN p ON e.story_tenant_id = p.tenant_id AND e.day = p.day
     WHERE e.day IN (${dayList}) AND e.unit_id IS NOT NULL
     GROUP BY 1, 2, 3
    ON CONFLICT (tenant_id, unit_id, day) DO UPDATE SET views = excluded.views, uniques = excluded.uniques,
      completions = excluded.completions, shares = excluded.shares, updated_at = now()`.execute(trx);
  step('unit.reads');
  await sql`
    WITH ${p}, ${rangeCte},
    x AS (
      SELECT s.tenant_id, s.unit_id, ${cst('s.first_published_at')} AS day, 1 AS sp, 0 AS fg, 0 AS fl, 0 AS md, 0 AS mo
        FROM stories s JOIN r ON s.tenant_id = r.tenant_id AND s.first_published_at >= r.lo AND s.first_published_at < r.hi
       WHERE s.unit_id IS NOT NULL
      UNION ALL
      SELECT m.tenant_id, m.unit_id, ${cst('m.created_at')}, 0, 1, 0, 0, 0
        FROM memberships m JOIN r ON m.tenant_id = r.tenant_id AND m.created_at >= r.lo AND m.created_at < r.hi WHERE m.unit_id IS NOT NULL
      UNION ALL
      SELECT m.tenant_id, m.unit_id, ${cst('m.ended_at')}, 0, 0, 1, 0, 0
        FROM memberships m JOIN r ON m.tenant_id = r.tenant_id AND m.ended_at >= r.lo AND m.ended_at < r.hi WHERE m.unit_id IS NOT NULL
      UNION ALL
      SELECT cm.tenant_id, cm.unit_id, ${cst('cm.due_at')}, 0, 0, 0, 1, (cm.replied_at IS NOT NULL AND cm.replied_at <= cm.due_at)::int
        FROM citizen_messages cm JOIN r ON cm.tenant_id = r.tenant_id AND cm.due_at >= r.lo AND cm.due_at < r.hi WHERE cm.unit_id IS NOT NULL
    )
    INSERT INTO analytics_unit_daily AS d (tenant_id, unit_id, day, stories_published, followers_gained, followers_lost, messages_due, messages_on_time)
    SELECT x.tenant_id, x.unit_id, x.day, sum(sp), sum(fg), sum(fl), sum(md), sum(mo)
      FROM x JOIN p ON p.tenant_id = x.tenant_id AND p.day = x.day
      JOIN units u ON u.tenant_id = x.tenant_id AND u.id = x.unit_id
     GROUP BY 1, 2, 3
    ON CONFLICT (tenant_id, unit_id, day) DO UPDATE SET stories_published = excluded.stories_published,
      followers_gained = excluded.followers_gained, followers_lost = excluded.followers_lost,
      messages_due = excluded.messages_due, messages_on_time = excluded.messages_on_time, updated_at = now()`.execute(
    trx,
  );
  step('unit.activity');

  // ---- up the tree: every ancestor (and the tenant itself) gets its subtree's sum for the day
  const tree = await sql<{ n: number }>`
    WITH ${p},
    tp AS (SELECT DISTINCT tt.ancestor_id AS tenant_id, p.day FROM p JOIN tenant_tree tt ON tt.descendant_id = p.tenant_id),
    up AS (
      INSERT INTO analytics_tenant_daily AS d (tenant_id, scope, day, views, uniques, completions, shares, reach_views, syndicated_views,
        stories_published, followers_gained, followers_lost, comments, messages_due, messages_on_time)
      SELECT tp.tenant_id, 'tree', tp.day, coalesce(sum(o.views), 0), 0, coalesce(sum(o.completions), 0), coalesce(sum(o.shares), 0),
             coalesce(sum(o.reach_views), 0), coalesce(sum(o.syndicated_views), 0), coalesce(sum(o.stories_published), 0),
             coalesce(sum(o.followers_gained), 0), coalesce(sum(o.followers_lost), 0), coalesce(sum(o.comments), 0),
             coalesce(sum(o.messages_due), 0), coalesce(sum(o.messages_on_time), 0)
        FROM tp JOIN tenant_tree tt ON tt.ancestor_id = tp.tenant_id
        LEFT JOIN analytics_tenant_daily o ON o.tenant_id = tt.descendant_id AND o.scope = 'own' AND o.day = tp.day
       GROUP BY tp.tenant_id, tp.day
      ON CONFLICT (tenant_id, scope, day) DO UPDATE SET views = excluded.views, completions = excluded.completions,
        shares = excluded.shares, reach_views = excluded.reach_views, syndicated_views = excluded.syndicated_views,
        stories_published = excluded.stories_published, followers_gained = excluded.followers_gained,
        followers_lost = excluded.followers_lost, comments = excluded.comments, messages_due = excluded.messages_due,
        messages_on_time = excluded.messages_on_time, updated_at = now()
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM up`.execute(trx);
  step('tree.sums');
  // subtree uniques: one visitor read on two faces of the subtree counts once
  await sql`
    WITH ${p},
    tp AS (SELECT DISTINCT tt.ancestor_id AS tenant_id, p.day FROM p JOIN tenant_tree tt ON tt.descendant_id = p.tenant_id WHERE p.day >= ${horizon}::date),
    u AS (
      SELECT tp.tenant_id, tp.day, count(DISTINCT e.visitor)::int AS n
        FROM tp JOIN tenant_tree tt ON tt.ancestor_id = tp.tenant_id
        LEFT JOIN analytics_events e ON e.tenant_id = tt.descendant_id AND e.day = tp.day AND e.kind = 'view' AND e.day IN (${dayList})
       GROUP BY 1, 2
    )
    UPDATE analytics_tenant_daily d SET uniques = u.n FROM u
     WHERE d.tenant_id = u.tenant_id AND d.scope = 'tree' AND d.day = u.day`.execute(trx);
  step('tree.uniques');

  // ---- videos per face and day: plays, watch time, completion (a visitor's furthest fraction)
  await sql`WITH ${p} DELETE FROM analytics_video_daily d USING p
     WHERE d.tenant_id = p.tenant_id AND d.scope = 'own' AND d.day = p.day AND p.day >= ${horizon}::date`.execute(trx);
  await sql`
    WITH ${p},
    pv AS (
      SELECT e.tenant_id, e.day, e.video_id, e.video_tenant_id, e.visitor,
             count(*) FILTER (WHERE e.kind = 'play') AS plays, coalesce(sum(e.watch_ms), 0) AS watch_ms,
             coalesce(max(e.fraction), 0) AS fraction, count(*) FILTER (WHERE e.kind = 'end') AS ended
        FROM analytics_events e JOIN p ON e.tenant_id = p.tenant_id AND e.day = p.day
       WHERE e.day IN (${dayList}) AND e.video_id IS NOT NULL
       GROUP BY 1, 2, 3, 4, 5
    )
    INSERT INTO analytics_video_daily (tenant_id, scope, day, video_id, video_tenant_id, plays, viewers, watch_ms, completion_sum, completed)
    SELECT tenant_id, 'own', day, video_id, video_tenant_id, sum(plays), count(*), sum(watch_ms), sum(fraction), sum(ended)
      FROM pv GROUP BY tenant_id, day, video_id, video_tenant_id`.execute(trx);
  step('video.face');
  // up the tree: every ancestor gets the sum of its subtree's faces per video
  await sql`
    WITH ${p},
    tp AS (SELECT DISTINCT tt.ancestor_id AS tenant_id, p.day FROM p JOIN tenant_tree tt ON tt.descendant_id = p.tenant_id)
    DELETE FROM analytics_video_daily d USING tp WHERE d.tenant_id = tp.tenant_id AND d.scope = 'tree' AND d.day = tp.day`.execute(
    trx,
  );
  await sql`
    WITH ${p},
    tp AS (SELECT DISTINCT tt.ancestor_id AS tenant_id, p.day FROM p JOIN tenant_tree tt ON tt.descendant_id = p.tenant_id)
    INSERT INTO analytics_video_daily (tenant_id, scope, day, video_id, video_tenant_id, plays, viewers, watch_ms, completion_sum, completed)
    SELECT tp.tenant_id, 'tree', tp.day, o.video_id, o.video_tenant_id, sum(o.plays), sum(o.viewers), sum(o.watch_ms),
           sum(o.completion_sum), sum(o.completed)
      FROM tp JOIN tenant_tree tt ON tt.ancestor_id = tp.tenant_id
      JOIN analytics_video_daily o ON o.tenant_id = tt.descendant_id AND o.scope = 'own' AND o.day = tp.day
     GROUP BY tp.tenant_id, tp.day, o.video_id, o.video_tenant_id`.execute(trx);
  step('video.tree');

  return { pairs: pairs.length, treePairs: tree.rows[0]?.n ?? 0, ms: Date.now() - started, steps };
}

/** Takes every marked (tenant, day) pair: a failed run rolls back and leaves them marked. */
export async function takeDirtyPairs(ex: Executor): Promise<Pair[]> {
  const marked = await sql<{
    tenant_id: string;
    day: string;
  }>`DELETE FROM analytics_dirty RETURNING tenant_id, day::text AS day`.execute(ex);
  return marked.rows.map((r) => ({ tenantId: r.tenant_id, day: r.day }));
}

/** The tenants a sweep revisits: every one, or every one not closed. */
export async function tenantIdsForSweep(ex: Executor, opts: { includeClosed: boolean }): Promise<string[]> {
  const q = ex.selectFrom('tenants').select('id');
  return (await (opts.includeClosed ? q : q.where('status', '<>', 'closed')).execute()).map((t) => t.id);
}

/** One roll-up run at a time across all worker copies: false when another holds the lock. */
export async function tryRollupLock(ex: Executor): Promise<boolean> {
  const lock = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(727020) AS ok`.execute(ex);
  return lock.rows[0]?.ok ?? false;
}

/** Serialises worker copies starting the daily chain together. */
export async function lockDailySchedule(ex: Executor): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(727021)`.execute(ex);
}

/** Whether an outbox event of the topic waits to be run (the daily chain has a next link). */
export async function hasPendingEvent(ex: Executor, topic: string): Promise<boolean> {
  return (
    (await ex
      .selectFrom('outbox')
      .select('id')
      .where('topic', '=', topic)
      .where('status', '=', 'pending')
      .executeTakeFirst()) !== undefined
  );
}

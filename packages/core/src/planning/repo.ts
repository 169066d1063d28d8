import { sql, type Insertable, type RawBuilder, type Updateable } from 'kysely';
import type {
  AssignmentHistoryRow,
  AssignmentHistoryTable,
  AssignmentRow,
  AssignmentsTable,
  CampaignRow,
  CampaignStatus,
  CampaignsTable,
  CoverageState,
  Executor,
  PlanningNoticeKind,
  PlanningNoticeRow,
  PitchRow,
  PitchesTable,
  StoryState,
  TenantLevel,
  TopicRow,
  TopicsTable,
} from '@yiduan/db';
import type { PitchFilter, TopicFilter } from './model.js';

// SQL only: plain functions, executor first, rows in and rows out. Access, audit and events are the
// service's. Every query runs under the caller's scope: row-level security decides what is visible
// (a tenant's own rows, its descendants' for reading, a desk assignment to it, a pitch to it).

export type NewCampaignRow = Insertable<CampaignsTable>;
export type CampaignPatchRow = Updateable<CampaignsTable>;
export type NewTopicRow = Insertable<TopicsTable>;
export type TopicPatchRow = Updateable<TopicsTable>;
export type NewAssignmentRow = Insertable<AssignmentsTable>;
export type AssignmentPatchRow = Updateable<AssignmentsTable>;
export type NewPitchRow = Insertable<PitchesTable>;
export type PitchPatchRow = Updateable<PitchesTable>;

const uuids = (ids: readonly string[]) => sql`${[...ids]}::uuid[]`;

/**
 * The guarded update every planning table shares: one row named by its own tenant and id, its
 * updated_at stamped; row-level security and the answer guard decide what the scope may change.
 * The typed wrappers below keep each table's columns checked.
 */
async function updateRow(
  ex: Executor,
  table: 'campaigns' | 'topics' | 'assignments' | 'pitches',
  tenantId: string,
  id: string,
  patch: Record<string, unknown>,
): Promise<boolean> {
  const set = Object.entries({ ...patch, updated_at: new Date() })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => sql`${sql.ref(k)} = ${v}`);
  const r =
    await sql`UPDATE ${sql.table(table)} SET ${sql.join(set)} WHERE tenant_id = ${tenantId} AND id = ${id}`.execute(ex);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** A row the tenant owns or is the other party of (the assignee tenant, the pitch's receiver), locked when asked. */
async function partyRow<R>(
  ex: Executor,
  table: 'assignments' | 'pitches',
  other: 'assignee_tenant_id' | 'to_tenant_id',
  tenantId: string,
  id: string,
  lock: boolean,
): Promise<R | undefined> {
  const r = await sql<R>`
    SELECT * FROM ${sql.table(table)} WHERE id = ${id} AND (tenant_id = ${tenantId} OR ${sql.ref(other)} = ${tenantId})
    ${lock ? sql`FOR UPDATE` : sql``}`.execute(ex);
  return r.rows[0];
}
/** An assignment still to do (`a`, its story `s`): open, and its story not published. */
const OPEN_NOW = sql`a.status IN ('assigned', 'accepted') AND s.state IS DISTINCT FROM 'published'`;

// ---------------------------------------------------------------- campaigns

export interface ListedCampaignRow extends Omit<CampaignRow, 'starts_on' | 'ends_on'> {
  starts_on: string | null;
  ends_on: string | null;
  tenant_name: string;
  topic_count: number;
  /** the share list rows the scope may read */
  share_tenant_ids: string[];
  /** whether the campaign reaches the querying tenant (its own, or shared with it) */
  reaches: boolean;
}

export async function insertCampaign(ex: Executor, row: NewCampaignRow): Promise<string> {
  const r = await ex.insertInto('campaigns').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateCampaign(
  ex: Executor,
  tenantId: string,
  id: string,
  patch: CampaignPatchRow,
): Promise<boolean> {
  return updateRow(ex, 'campaigns', tenantId, id, patch);
}

/**
 * The campaigns a tenant works in: its own and its ancestors' that reach down, with the number of
 * topics of the tenant's subtree that name each. `ids` narrows to those (any the scope may read).
 */
export async function campaignRows(
  ex: Executor,
  q: { tenantId: string; status?: CampaignStatus | null; ids?: readonly string[] },
): Promise<ListedCampaignRow[]> {
  const conds = [
    q.ids
      ? sql`c.id = ANY(${uuids(q.ids)})`
      : sql`c.tenant_id IN (SELECT ancestor_id FROM tenant_tree WHERE descendant_id = ${q.tenantId})`,
  ];
  if (!q.ids) conds.push(sql`campaign_reaches(c.tenant_id, c.id, c.reach, c.reach_level, ${q.tenantId}::uuid)`);
  if (q.status) conds.push(sql`c.status = ${q.status}`);
  const r = await sql<ListedCampaignRow>`
    SELECT c.tenant_id, c.id, c.title, c.brief, c.starts_on::text AS starts_on, c.ends_on::text AS ends_on, c.reach,
           c.reach_level, c.status, c.created_by, c.created_by_name, c.created_at, c.updated_at, te.name AS tenant_name,
           campaign_reaches(c.tenant_id, c.id, c.reach, c.reach_level, ${q.tenantId}::uuid) AS reaches,
           ARRAY(SELECT s.share_tenant_id FROM campaign_shares s JOIN tenants st ON st.id = s.share_tenant_id
                  WHERE s.tenant_id = c.tenant_id AND s.campaign_id = c.id ORDER BY st.name, st.id) AS share_tenant_ids,
           (SELECT count(*) FROM topics t
             WHERE t.campaign_tenant_id = c.tenant_id AND t.campaign_id = c.id
               AND t.tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = ${q.tenantId}))::int AS topic_count
      FROM campaigns c JOIN tenants te ON te.id = c.tenant_id
     WHERE ${sql.join(conds, sql` AND `)}
     ORDER BY (c.status = 'open') DESC, c.created_at DESC, c.id`.execute(ex);
  return r.rows;
}

/** Replaces a campaign's share list (its own tenant's rows). */
export async function replaceShares(
  ex: Executor,
  tenantId: string,
  campaignId: string,
  shareTenantIds: readonly string[],
): Promise<void> {
  await ex
    .deleteFrom('campaign_shares')
    .where('tenant_id', '=', tenantId)
    .where('campaign_id', '=', campaignId)
    .execute();
  if (shareTenantIds.length)
    await ex
      .insertInto('campaign_shares')
      .values(shareTenantIds.map((id) => ({ tenant_id: tenantId, campaign_id: campaignId, share_tenant_id: id })))
      .execute();
}

/** Of these tenants, those that are proper descendants of the tenant. */
export async function properDescendants(ex: Executor, tenantId: string, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const r = await sql<{ id: string }>`
    SELECT descendant_id AS id FROM tenant_tree
     WHERE ancestor_id = ${tenantId} AND depth > 0 AND descendant_id = ANY(${uuids(ids)})`.execute(ex);
  return r.rows.map((x) => x.id);
}

/** How many proper descendants of the tenant are at the level. */
export async function descendantsAtLevel(ex: Executor, tenantId: string, level: string): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM tenant_tree d JOIN tenants te ON te.id = d.descendant_id
     WHERE d.ancestor_id = ${tenantId} AND d.depth > 0 AND te.level = ${level}`.execute(ex);
  return r.rows[0]?.n ?? 0;
}

/** Of these tenants, those a campaign is not shared with (whatever the scope may read of it). */
export async function outsideShare(
  ex: Executor,
  campaignTenantId: string,
  campaignId: string,
  tenantIds: readonly string[],
): Promise<string[]> {
  if (!tenantIds.length) return [];
  const r = await sql<{ id: string }>`
    SELECT t AS id FROM unnest(${uuids(tenantIds)}) AS t
     WHERE NOT campaign_shared_with(${campaignTenantId}::uuid, ${campaignId}::uuid, t)`.execute(ex);
  return r.rows.map((x) => x.id);
}

// ---------------------------------------------------------------- topics

export interface ListedTopicRow extends TopicRow {
  tenant_name: string;
  campaign_title: string | null;
  upstream_tenant_name: string | null;
  assignment_count: number;
  published_count: number;
  overdue: boolean;
  total: number;
}

export async function insertTopic(ex: Executor, row: NewTopicRow): Promise<string> {
  const r = await ex.insertInto('topics').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateTopic(ex: Executor, tenantId: string, id: string, patch: TopicPatchRow): Promise<boolean> {
  return updateRow(ex, 'topics', tenantId, id, patch);
}

/** A topic of the tenant, locked for a change when asked. */
export async function topicRow(
  ex: Executor,
  tenantId: string,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<TopicRow | undefined> {
  let q = ex.selectFrom('topics').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (opts.lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The tenant's local topic answering an ancestor's desk assignment, if it has one. */
export async function localTopicOf(
  ex: Executor,
  tenantId: string,
  upstreamTenantId: string,
  upstreamAssignmentId: string,
): Promise<TopicRow | undefined> {
  return ex
    .selectFrom('topics')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('upstream_tenant_id', '=', upstreamTenantId)
    .where('upstream_assignment_id', '=', upstreamAssignmentId)
    .executeTakeFirst();
}

export interface TopicQuery {
  /** the viewing tenant: its own topics, and with `filter.subtree` its descendants' */
  tenantId: string;
  /** the viewer (for `mine`) */
  staffId: string | null;
  filter: TopicFilter;
  limit: number;
  offset: number;
  /** only these topics (any the scope may read) */
  ids?: readonly string[];
}

/**
 * Topics with their campaign's title, the ancestor they answer, and their assignments' progress
 * (how many, how many published, any overdue), in one statement; the total that matched on each row.
 */
export async function topicRows(ex: Executor, q: TopicQuery): Promise<ListedTopicRow[]> {
  const f = q.filter;
  const conds: RawBuilder<unknown>[] = [];
  if (q.ids) conds.push(sql`t.id = ANY(${uuids(q.ids)})`);
  else if (f.subtree || f.tenantId)
    conds.push(sql`t.tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = ${q.tenantId})`);
  else conds.push(sql`t.tenant_id = ${q.tenantId}`);
  if (f.tenantId) conds.push(sql`t.tenant_id = ${f.tenantId}`);
  if (f.status) conds.push(sql`t.status = ${f.status}`);
  if (f.campaignId) conds.push(sql`t.campaign_id = ${f.campaignId}`);
  if (f.mine) {
    conds.push(sql`(t.proposed_by = ${q.staffId} OR EXISTS (
      SELECT 1 FROM assignments m WHERE m.tenant_id = t.tenant_id AND m.topic_id = t.id AND m.assignee_staff_id = ${q.staffId}))`);
  }
  if (f.search) {
    const like = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(sql`(t.title ILIKE ${like} OR t.brief ILIKE ${like})`);
  }
  const r = await sql<ListedTopicRow>`
    SELECT t.*, te.name AS tenant_name, c.title AS campaign_title, ut.name AS upstream_tenant_name,
           p.assignment_count, p.published_count, (t.status = 'planned' AND p.overdue) AS overdue,
           (count(*) OVER ())::int AS total
      FROM topics t
      JOIN tenants te ON te.id = t.tenant_id
      LEFT JOIN campaigns c ON c.tenant_id = t.campaign_tenant_id AND c.id = t.campaign_id
      LEFT JOIN tenants ut ON ut.id = t.upstream_tenant_id
      CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE a.status IN ('assigned', 'accepted'))::int AS assignment_count,
               count(*) FILTER (WHERE a.status = 'accepted' AND s.state = 'published')::int AS published_count,
               coalesce(bool_or(a.due_at < now() AND a.status IN ('assigned', 'accepted') AND s.state IS DISTINCT FROM 'published'), false) AS overdue
          FROM assignments a
          LEFT JOIN stories s ON s.tenant_id = a.assignee_tenant_id AND s.id = a.story_id
         WHERE a.tenant_id = t.tenant_id AND a.topic_id = t.id) p
     WHERE ${sql.join(conds, sql` AND `)}
     ORDER BY CASE t.status WHEN 'proposed' THEN 0 WHEN 'planned' THEN 1 ELSE 2 END, t.due_at ASC NULLS LAST, t.updated_at DESC, t.id
     LIMIT ${q.limit} OFFSET ${q.offset}`.execute(ex);
  return r.rows;
}

// ---------------------------------------------------------------- assignments

export interface ListedAssignmentRow extends AssignmentRow {
  tenant_name: string;
  assignee_tenant_name: string;
  campaign_title: string | null;
  story_state: StoryState | null;
  story_title_now: string | null;
  local_topic_id: string | null;
}

export async function insertAssignments(ex: Executor, rows: NewAssignmentRow[]): Promise<string[]> {
  if (!rows.length) return [];
  const out = await ex.insertInto('assignments').values(rows).returning('id').execute();
  return out.map((r) => r.id);
}

/** Changes an assignment named by its own (the assigner's) tenant; under row-level security the assignee tenant may change its answer only. */
export async function updateAssignment(
  ex: Executor,
  tenantId: string,
  id: string,
  patch: AssignmentPatchRow,
): Promise<boolean> {
  return updateRow(ex, 'assignments', tenantId, id, patch);
}

/** An assignment the tenant made or was given (as a person's or as a desk), locked when asked. */
export async function assignmentRow(
  ex: Executor,
  tenantId: string,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<AssignmentRow | undefined> {
  return partyRow<AssignmentRow>(ex, 'assignments', 'assignee_tenant_id', tenantId, id, opts.lock ?? false);
}

/** The assignments of a topic (its own tenant's) still to do, its story not published, locked: dropping the topic cancels them. */
export async function openAssignmentsOf(ex: Executor, tenantId: string, topicId: string): Promise<AssignmentRow[]> {
  const r = await sql<AssignmentRow>`
    SELECT a.* FROM assignments a LEFT JOIN stories s ON s.tenant_id = a.assignee_tenant_id AND s.id = a.story_id
     WHERE a.tenant_id = ${tenantId} AND a.topic_id = ${topicId} AND ${OPEN_NOW}
     FOR UPDATE OF a`.execute(ex);
  return r.rows;
}

export type AssignmentWhere =
  | { kind: 'ids'; tenantId: string; ids: readonly string[] }
  | { kind: 'story'; tenantId: string; storyId: string }
  | { kind: 'linkable'; tenantId: string }
  | { kind: 'topics'; keys: readonly { tenantId: string; topicId: string }[] }
  | { kind: 'mine'; tenantId: string; staffId: string; open: boolean }
  | { kind: 'incoming'; tenantId: string; open: boolean };

/**
 * Assignments with their tenants' names, their campaign's title, their story's state and current
 * title where the viewer may read the story (else the title when filed), and the assignee's local
 * topic of an accepted desk assignment.
 */
export async function assignmentRows(ex: Executor, where: AssignmentWhere): Promise<ListedAssignmentRow[]> {
  let cond: RawBuilder<unknown>;
  switch (where.kind) {
    case 'ids':
      cond = sql`a.id = ANY(${uuids(where.ids)}) AND (a.tenant_id = ${where.tenantId} OR a.assignee_tenant_id = ${where.tenantId})`;
      break;
    case 'story':
      // the coverages a story of the tenant fulfils: its own and those its ancestors gave it
      cond = sql`a.assignee_tenant_id = ${where.tenantId} AND a.story_id = ${where.storyId}`;
      break;
    case 'linkable':
      // open coverages given to the tenant (a person's or its desk's) with no content linked yet
      cond = sql`a.assignee_tenant_id = ${where.tenantId} AND a.status IN ('assigned', 'accepted') AND a.story_id IS NULL
                 AND (a.assignee_staff_id IS NOT NULL OR a.tenant_id <> ${where.tenantId})`;
      break;
    case 'topics': {
      if (!where.keys.length) return [];
      cond = sql`(a.tenant_id, a.topic_id) IN (SELECT * FROM unnest(${uuids(where.keys.map((k) => k.tenantId))}, ${uuids(where.keys.map((k) => k.topicId))}))`;
      break;
    }
    case 'mine':
      cond = sql`a.tenant_id = ${where.tenantId} AND a.assignee_staff_id = ${where.staffId}${where.open ? sql` AND ${OPEN_NOW}` : sql``}`;
      break;
    case 'incoming':
      cond = sql`a.assignee_tenant_id = ${where.tenantId} AND a.tenant_id <> ${where.tenantId} AND a.assignee_staff_id IS NULL${where.open ? sql` AND ${OPEN_NOW}` : sql``}`;
      break;
  }
  const r = await sql<ListedAssignmentRow>`
    SELECT a.*, te.name AS tenant_name, ta.name AS assignee_tenant_name, c.title AS campaign_title,
           s.state AS story_state, coalesce(rv.title, a.story_title) AS story_title_now, lt.id AS local_topic_id
      FROM assignments a
      JOIN tenants te ON te.id = a.tenant_id
      JOIN tenants ta ON ta.id = a.assignee_tenant_id
      LEFT JOIN campaigns c ON c.tenant_id = a.campaign_tenant_id AND c.id = a.campaign_id
      LEFT JOIN stories s ON s.tenant_id = a.assignee_tenant_id AND s.id = a.story_id
      LEFT JOIN story_revisions rv ON rv.tenant_id = s.tenant_id AND rv.story_id = s.id AND rv.number = coalesce(s.published_revision, s.current_revision)
      LEFT JOIN topics lt ON a.assignee_staff_id IS NULL AND lt.tenant_id = a.assignee_tenant_id
                         AND lt.upstream_tenant_id = a.tenant_id AND lt.upstream_assignment_id = a.id
     WHERE ${cond}
     ORDER BY (${OPEN_NOW}) DESC, a.due_at ASC NULLS LAST, a.created_at DESC, a.id`.execute(ex);
  return r.rows;
}

/** A story of the tenant that may be filed: its state and current title. */
export async function storyForFiling(
  ex: Executor,
  tenantId: string,
  storyId: string,
): Promise<{ id: string; state: StoryState; title: string } | undefined> {
  const r = await sql<{ id: string; state: StoryState; title: string }>`
    SELECT s.id, s.state, rv.title FROM stories s
      JOIN story_revisions rv ON rv.tenant_id = s.tenant_id AND rv.story_id = s.id AND rv.number = s.current_revision
     WHERE s.tenant_id = ${tenantId} AND s.id = ${storyId}`.execute(ex);
  return r.rows[0];
}

// ---------------------------------------------------------------- pitches

export interface ListedPitchRow extends PitchRow {
  tenant_name: string;
  to_tenant_name: string;
  topic_title: string;
  topic_status: TopicRow['status'];
  topic_brief: string;
  topic_due_at: Date | null;
  campaign_title: string | null;
}

export async function insertPitch(ex: Executor, row: NewPitchRow): Promise<string> {
  const r = await ex.insertInto('pitches').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Changes a pitch named by its own (the pitcher's) tenant; under row-level security the receiver may change its decision only. */
export async function updatePitch(ex: Executor, tenantId: string, id: string, patch: PitchPatchRow): Promise<boolean> {
  return updateRow(ex, 'pitches', tenantId, id, patch);
}

/** A pitch the tenant made or received, locked when asked. */
export async function pitchRow(
  ex: Executor,
  tenantId: string,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<PitchRow | undefined> {
  return partyRow<PitchRow>(ex, 'pitches', 'to_tenant_id', tenantId, id, opts.lock ?? false);
}

/** The pitches of a topic (its own tenant's) still waiting for a decision, locked. */
export async function pendingPitchesOf(ex: Executor, tenantId: string, topicId: string): Promise<PitchRow[]> {
  return ex
    .selectFrom('pitches')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('topic_id', '=', topicId)
    .where('status', '=', 'pending')
    .forUpdate()
    .execute();
}

export type PitchWhere =
  | { kind: 'ids'; tenantId: string; ids: readonly string[] }
  | { kind: 'topics'; keys: readonly { tenantId: string; topicId: string }[] }
  | { kind: 'incoming'; tenantId: string; filter: PitchFilter };

export async function pitchRows(ex: Executor, where: PitchWhere): Promise<ListedPitchRow[]> {
  let cond: RawBuilder<unknown>;
  switch (where.kind) {
    case 'ids':
      cond = sql`p.id = ANY(${uuids(where.ids)}) AND (p.tenant_id = ${where.tenantId} OR p.to_tenant_id = ${where.tenantId})`;
      break;
    case 'topics':
      if (!where.keys.length) return [];
      cond = sql`(p.tenant_id, p.topic_id) IN (SELECT * FROM unnest(${uuids(where.keys.map((k) => k.tenantId))}, ${uuids(where.keys.map((k) => k.topicId))}))`;
      break;
    case 'incoming':
      cond = where.filter.status
        ? sql`p.to_tenant_id = ${where.tenantId} AND p.status = ${where.filter.status}`
        : sql`p.to_tenant_id = ${where.tenantId}`;
      break;
  }
  const r = await sql<ListedPitchRow>`
    SELECT p.*, te.name AS tenant_name, tt.name AS to_tenant_name, t.title AS topic_title, t.status AS topic_status,
           t.brief AS topic_brief, t.due_at AS topic_due_at, c.title AS campaign_title
      FROM pitches p
      JOIN tenants te ON te.id = p.tenant_id
      JOIN tenants tt ON tt.id = p.to_tenant_id
      JOIN topics t ON t.tenant_id = p.tenant_id AND t.id = p.topic_id
      LEFT JOIN campaigns c ON c.tenant_id = p.to_tenant_id AND c.id = p.campaign_id
     WHERE ${cond}
     ORDER BY (p.status = 'pending') DESC, p.created_at DESC, p.id`.execute(ex);
  return r.rows;
}

// ---------------------------------------------------------------- counts and people

export async function planningCounts(
  ex: Executor,
  tenantId: string,
  staffId: string | null,
): Promise<{
  proposed: number;
  planned: number;
  overdue: number;
  mine: number;
  incoming_assignments: number;
  incoming_pitches: number;
}> {
  const r = await sql<{
    proposed: number;
    planned: number;
    overdue: number;
    mine: number;
    incoming_assignments: number;
    incoming_pitches: number;
  }>`
    SELECT (SELECT count(*) FROM topics WHERE tenant_id = ${tenantId} AND status = 'proposed')::int AS proposed,
           (SELECT count(*) FROM topics WHERE tenant_id = ${tenantId} AND status = 'planned')::int AS planned,
           (SELECT count(*) FROM topics t WHERE t.tenant_id = ${tenantId} AND t.status = 'planned' AND EXISTS (
              SELECT 1 FROM assignments a LEFT JOIN stories s ON s.tenant_id = a.assignee_tenant_id AND s.id = a.story_id
               WHERE a.tenant_id = t.tenant_id AND a.topic_id = t.id AND a.due_at < now() AND ${OPEN_NOW}))::int AS overdue,
           (SELECT count(*) FROM assignments a LEFT JOIN stories s ON s.tenant_id = a.assignee_tenant_id AND s.id = a.story_id
             WHERE a.tenant_id = ${tenantId} AND a.assignee_staff_id = ${staffId} AND ${OPEN_NOW})::int AS mine,
           (SELECT count(*) FROM assignments WHERE assignee_tenant_id = ${tenantId} AND tenant_id <> ${tenantId} AND status = 'assigned')::int AS incoming_assignments,
           (SELECT count(*) FROM pitches WHERE to_tenant_id = ${tenantId} AND status = 'pending')::int AS incoming_pitches`.execute(
    ex,
  );
  return r.rows[0]!;
}

export interface PersonRow {
  id: string;
  name: string;
  roles: string[];
  open_assignments: number;
}

/**
 * People with a tenant-wide role in the tenant (their own grant, or their operator organisation's
 * while its qualification is valid), with how many open assignments each holds there.
 */
export async function assignablePeople(ex: Executor, tenantId: string, staffId?: string): Promise<PersonRow[]> {
  const r = await sql<PersonRow>`
    SELECT s.id, s.display_name AS name, array_agg(DISTINCT g.role ORDER BY g.role) AS roles,
           (SELECT count(*) FROM assignments a LEFT JOIN stories st ON st.tenant_id = a.assignee_tenant_id AND st.id = a.story_id
             WHERE a.tenant_id = ${tenantId} AND a.assignee_staff_id = s.id AND a.status IN ('assigned', 'accepted')
               AND st.state IS DISTINCT FROM 'published')::int AS open_assignments
      FROM grants g
      LEFT JOIN organisations o ON o.id = g.org_id
      JOIN staff s ON s.id = g.staff_id
                   OR (g.org_id IS NOT NULL AND s.org_id = g.org_id AND o.status = 'active'
                       AND o.valid_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date)
     WHERE g.tenant_id = ${tenantId} AND g.revoked_at IS NULL AND g.unit_id IS NULL AND s.status = 'active'
       ${staffId ? sql`AND s.id = ${staffId}` : sql``}
     GROUP BY s.id, s.display_name
     ORDER BY s.display_name, s.id`.execute(ex);
  return r.rows;
}

// ---------------------------------------------------------------- coverage: history, overdue, board, workload

export async function insertHistory(ex: Executor, rows: Insertable<AssignmentHistoryTable>[]): Promise<void> {
  if (rows.length) await ex.insertInto('assignment_history').values(rows).execute();
}

/** The recorded changes of assignments readable in the scope, oldest first. */
export async function historyRows(
  ex: Executor,
  keys: readonly { tenantId: string; assignmentId: string }[],
): Promise<AssignmentHistoryRow[]> {
  if (!keys.length) return [];
  const r = await sql<AssignmentHistoryRow>`
    SELECT h.* FROM assignment_history h
     WHERE (h.tenant_id, h.assignment_id) IN (SELECT * FROM unnest(${uuids(keys.map((k) => k.tenantId))}, ${uuids(keys.map((k) => k.assignmentId))}))
     ORDER BY h.at, h.id`.execute(ex);
  return r.rows;
}

/** Descendants of a tenant (itself included) at a level, within the viewer's subtree. */
export async function tenantsUnder(
  ex: Executor,
  viewerTenantId: string,
  rootId: string,
  level: TenantLevel,
): Promise<{ id: string; name: string }[]> {
  const r = await sql<{ id: string; name: string }>`
    SELECT te.id, te.name FROM tenant_tree d JOIN tenants te ON te.id = d.descendant_id
     WHERE d.ancestor_id = ${rootId} AND te.level = ${level}
       AND EXISTS (SELECT 1 FROM tenant_tree v WHERE v.ancestor_id = ${viewerTenantId} AND v.descendant_id = ${rootId})
     ORDER BY te.name, te.id`.execute(ex);
  return r.rows;
}

export interface OverdueCoverageRow {
  tenant_id: string;
  tenant_name: string;
  id: string;
  assignee_tenant_id: string;
  assignee_tenant_name: string;
  assignee_name: string;
  title: string;
  task: AssignmentRow['task'];
  state: CoverageState;
  due_at: Date;
  campaign_id: string | null;
}

/** Overdue coverages given by or to the tenant's subtree (a definer function, for the tenant itself only). */
export async function overdueCoverageRows(ex: Executor, tenantId: string, limit = 500): Promise<OverdueCoverageRow[]> {
  const r = await sql<OverdueCoverageRow>`
    SELECT o.tenant_id, te.name AS tenant_name, o.id, o.assignee_tenant_id, ta.name AS assignee_tenant_name, o.assignee_name,
           o.title, o.task, o.state, o.due_at, o.campaign_id
      FROM overdue_coverages(${tenantId}::uuid) o
      JOIN tenants te ON te.id = o.tenant_id
      JOIN tenants ta ON ta.id = o.assignee_tenant_id
     LIMIT ${limit}`.execute(ex);
  return r.rows;
}

export interface BoardRow {
  tenant_id: string;
  tenant_name: string;
  id: string;
  topic_id: string;
  title: string;
  task: AssignmentRow['task'];
  assignee_tenant_id: string;
  assignee_tenant_name: string;
  assignee_name: string;
  state: CoverageState;
  due_at: Date | null;
  completed_at: Date | null;
  overdue: boolean;
  story_title: string | null;
}

/**
 * The board of a campaign: the coverages of topics that name it in the viewer's subtree (its own,
 * its descendants' local topics), at most `perState` cards of each state (overdue ones first, then
 * by due time), each with the state's total; overdue ones flagged.
 */
export async function boardRows(
  ex: Executor,
  tenantId: string,
  campaignTenantId: string,
  campaignId: string,
  perState = 50,
): Promise<(BoardRow & { state_total: number; state_overdue: number })[]> {
  const r = await sql<BoardRow & { state_total: number; state_overdue: number }>`
    WITH c AS (
      SELECT a.tenant_id, a.id, a.topic_id, a.title, a.task, a.assignee_tenant_id, a.assignee_name, a.state, a.due_at,
             a.completed_at, a.story_title, a.created_at,
             (a.state IN ('assigned', 'accepted', 'in_progress', 'submitted') AND a.due_at < now()) AS overdue
        FROM topics t
        JOIN assignments a ON a.tenant_id = t.tenant_id AND a.topic_id = t.id
       WHERE t.campaign_tenant_id = ${campaignTenantId} AND t.campaign_id = ${campaignId}
         AND t.tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = ${tenantId})),
    ranked AS (
      SELECT c.*, row_number() OVER w AS n, (count(*) OVER (PARTITION BY c.state))::int AS state_total,
             (count(*) FILTER (WHERE c.overdue) OVER (PARTITION BY c.state))::int AS state_overdue
        FROM c WINDOW w AS (PARTITION BY c.state ORDER BY c.overdue DESC, c.due_at ASC NULLS LAST, c.created_at, c.id))
    SELECT r.tenant_id, te.name AS tenant_name, r.id, r.topic_id, r.title, r.task, r.assignee_tenant_id,
           ta.name AS assignee_tenant_name, r.assignee_name, r.state, r.due_at, r.completed_at, r.overdue, r.story_title,
           r.state_total, r.state_overdue
      FROM ranked r
      JOIN tenants te ON te.id = r.tenant_id
      JOIN tenants ta ON ta.id = r.assignee_tenant_id
     WHERE r.n <= ${perState}
     ORDER BY r.due_at ASC NULLS LAST, r.created_at, r.id`.execute(ex);
  return r.rows;
}

export async function boardTopicCount(
  ex: Executor,
  tenantId: string,
  campaignTenantId: string,
  campaignId: string,
): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM topics t
     WHERE t.campaign_tenant_id = ${campaignTenantId} AND t.campaign_id = ${campaignId}
       AND t.tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = ${tenantId})`.execute(ex);
  return r.rows[0]?.n ?? 0;
}

export interface WorkloadRow {
  tenant_id: string;
  tenant_name: string;
  staff_id: string | null;
  name: string;
  assigned: number;
  completed: number;
  on_time: number;
  adopted: number;
}

/**
 * Workload in the viewer's subtree: per tenant (the desk assignments it received from its
 * ancestors, and its pitches adopted) and per person (their own assignments), as far as the
 * scope may read. Declined and cancelled coverages are not counted as assigned.
 */
export async function workloadRows(
  ex: Executor,
  tenantId: string,
  period: { from: string | null; to: string | null } = { from: null, to: null },
): Promise<WorkloadRow[]> {
  // a coverage counts in the period it was assigned, an adopted pitch in the period it was decided (Beijing days)
  const within = (col: RawBuilder<unknown>) =>
    sql`(${period.from}::date IS NULL OR ${col} >= (${period.from}::date::timestamp AT TIME ZONE 'Asia/Shanghai'))
        AND (${period.to}::date IS NULL OR ${col} < ((${period.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'))`;
  const r = await sql<WorkloadRow>`
    WITH sub AS (SELECT descendant_id AS id FROM tenant_tree WHERE ancestor_id = ${tenantId}),
    desk AS (
      SELECT a.assignee_tenant_id AS tenant_id,
             count(*) FILTER (WHERE a.state NOT IN ('declined', 'cancelled'))::int AS assigned,
             count(*) FILTER (WHERE a.state = 'completed')::int AS completed,
             count(*) FILTER (WHERE a.state = 'completed' AND (a.due_at IS NULL OR a.completed_at <= a.due_at))::int AS on_time
        FROM assignments a
       WHERE a.assignee_staff_id IS NULL AND a.assignee_tenant_id IN (SELECT id FROM sub) AND a.tenant_id <> a.assignee_tenant_id
         AND ${within(sql`a.created_at`)}
       GROUP BY a.assignee_tenant_id),
    adopted AS (
      SELECT p.tenant_id, count(*)::int AS adopted FROM pitches p
       WHERE p.status = 'accepted' AND p.tenant_id IN (SELECT id FROM sub) AND ${within(sql`p.decided_at`)}
       GROUP BY p.tenant_id),
    people AS (
      SELECT a.tenant_id, a.assignee_staff_id AS staff_id, max(a.assignee_name) AS name,
             count(*) FILTER (WHERE a.state NOT IN ('declined', 'cancelled'))::int AS assigned,
             count(*) FILTER (WHERE a.state = 'completed')::int AS completed,
             count(*) FILTER (WHERE a.state = 'completed' AND (a.due_at IS NULL OR a.completed_at <= a.due_at))::int AS on_time
        FROM assignments a
       WHERE a.assignee_staff_id IS NOT NULL AND a.tenant_id IN (SELECT id FROM sub) AND ${within(sql`a.created_at`)}
       GROUP BY a.tenant_id, a.assignee_staff_id)
    SELECT te.id AS tenant_id, te.name AS tenant_name, NULL::uuid AS staff_id, te.name AS name,
           coalesce(d.assigned, 0) AS assigned, coalesce(d.completed, 0) AS completed, coalesce(d.on_time, 0) AS on_time,
           coalesce(ad.adopted, 0) AS adopted
      FROM tenants te LEFT JOIN desk d ON d.tenant_id = te.id LEFT JOIN adopted ad ON ad.tenant_id = te.id
     WHERE te.id IN (SELECT id FROM sub) AND (d.tenant_id IS NOT NULL OR ad.tenant_id IS NOT NULL)
    UNION ALL
    SELECT p.tenant_id, te.name, p.staff_id, p.name, p.assigned, p.completed, p.on_time, 0
      FROM people p JOIN tenants te ON te.id = p.tenant_id
    ORDER BY 3 NULLS FIRST, 2, 4`.execute(ex);
  return r.rows;
}

// ---------------------------------------------------------------- notices (通知)

export interface NewNotice {
  tenant_id: string;
  staff_id: string | null;
  kind: PlanningNoticeKind;
  text: string;
  assignment_tenant_id?: string | null;
  assignment_id?: string | null;
  pitch_id?: string | null;
  event_id: number;
}

/** Writes notices (platform scope, the worker); a repeated delivery of the same event writes nothing twice. */
export async function insertNotices(ex: Executor, rows: NewNotice[]): Promise<void> {
  if (!rows.length) return;
  await sql`
    INSERT INTO planning_notices (tenant_id, staff_id, kind, text, assignment_tenant_id, assignment_id, pitch_id, event_id)
    SELECT * FROM unnest(${rows.map((r) => r.tenant_id)}::uuid[], ${rows.map((r) => r.staff_id)}::uuid[],
                         ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.text)}::text[],
                         ${rows.map((r) => r.assignment_tenant_id ?? null)}::uuid[], ${rows.map((r) => r.assignment_id ?? null)}::uuid[],
                         ${rows.map((r) => r.pitch_id ?? null)}::uuid[], ${rows.map((r) => r.event_id)}::bigint[])
    ON CONFLICT DO NOTHING`.execute(ex);
}

/** The assignment an event names, with its tenants' names (platform scope). */
export async function assignmentForNotice(
  ex: Executor,
  tenantId: string,
  id: string,
): Promise<(AssignmentRow & { tenant_name: string; assignee_tenant_name: string }) | undefined> {
  const r = await sql<AssignmentRow & { tenant_name: string; assignee_tenant_name: string }>`
    SELECT a.*, te.name AS tenant_name, ta.name AS assignee_tenant_name FROM assignments a
      JOIN tenants te ON te.id = a.tenant_id JOIN tenants ta ON ta.id = a.assignee_tenant_id
     WHERE a.tenant_id = ${tenantId} AND a.id = ${id}`.execute(ex);
  return r.rows[0];
}

/** The pitch an event names, with its topic's title and its tenants' names (platform scope). */
export async function pitchForNotice(
  ex: Executor,
  id: string,
): Promise<(PitchRow & { topic_title: string; tenant_name: string; to_tenant_name: string }) | undefined> {
  const r = await sql<PitchRow & { topic_title: string; tenant_name: string; to_tenant_name: string }>`
    SELECT p.*, t.title AS topic_title, te.name AS tenant_name, tt.name AS to_tenant_name FROM pitches p
      JOIN topics t ON t.tenant_id = p.tenant_id AND t.id = p.topic_id
      JOIN tenants te ON te.id = p.tenant_id JOIN tenants tt ON tt.id = p.to_tenant_id
     WHERE p.id = ${id}`.execute(ex);
  return r.rows[0];
}

/** The tenants and all their ancestors. */
export async function withAncestors(ex: Executor, tenantIds: readonly string[]): Promise<string[]> {
  if (!tenantIds.length) return [];
  const r = await sql<{ id: string }>`
    SELECT DISTINCT ancestor_id AS id FROM tenant_tree WHERE descendant_id = ANY(${uuids(tenantIds)})`.execute(ex);
  return r.rows.map((x) => x.id);
}

/** The viewer's notices in the tenant: their own, and the desk's when they are of the desk. */
export async function noticeRows(
  ex: Executor,
  tenantId: string,
  staffId: string | null,
  desk: boolean,
  limit = 50,
): Promise<(PlanningNoticeRow & { unread: number })[]> {
  const r = await sql<PlanningNoticeRow & { unread: number }>`
    SELECT n.*, (count(*) FILTER (WHERE n.read_at IS NULL) OVER ())::int AS unread FROM planning_notices n
     WHERE n.tenant_id = ${tenantId} AND (n.staff_id = ${staffId} OR (${desk} AND n.staff_id IS NULL))
     ORDER BY n.created_at DESC, n.id LIMIT ${limit}`.execute(ex);
  return r.rows;
}

export async function markNoticesRead(
  ex: Executor,
  tenantId: string,
  staffId: string | null,
  desk: boolean,
): Promise<number> {
  const r = await sql`
    UPDATE planning_notices SET read_at = now()
     WHERE tenant_id = ${tenantId} AND read_at IS NULL AND (staff_id = ${staffId} OR (${desk} AND staff_id IS NULL))`.execute(
    ex,
  );
  return Number(r.numAffectedRows ?? 0);
}

// ---------------------------------------------------------------- credit (传播效果)

export interface CreditRow {
  story_tenant_id: string;
  story_id: string;
  title: string;
  published_at: Date | null;
  faces: number;
  face_names: string[];
  views: string;
}

/** Delivered stories of a topic or of a campaign in the viewer's subtree, with their placements and views (a definer function, for the viewer itself). */
export async function creditRows(
  ex: Executor,
  viewerTenantId: string,
  of: { topic: { tenantId: string; id: string } } | { campaign: { tenantId: string; id: string } },
): Promise<CreditRow[]> {
  const topic = 'topic' in of ? of.topic : null;
  const campaign = 'campaign' in of ? of.campaign : null;
  const r = await sql<CreditRow>`
    SELECT * FROM planning_credit(${viewerTenantId}::uuid, ${topic?.tenantId ?? null}::uuid, ${topic?.id ?? null}::uuid,
                                  ${campaign?.tenantId ?? null}::uuid, ${campaign?.id ?? null}::uuid)`.execute(ex);
  return r.rows;
}

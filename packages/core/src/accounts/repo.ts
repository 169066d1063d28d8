import { sql } from 'kysely';
import type { Executor, GovAccountRow, GovAccountsTable, GovAccountStatus, GovPlatform } from '@yiduan/db';
import type { Insertable, Updateable } from 'kysely';
import { GOV_DEFAULT_THRESHOLDS, type GovAccountFilter, type GovHealth, type GovThresholdSetting } from './model.js';

// SQL only: plain functions, executor first, rows in and rows out. Access, audit and events are the service's.

export type NewAccountRow = Insertable<GovAccountsTable>;
export type AccountPatchRow = Updateable<GovAccountsTable>;

/** A row of the registry with what the day of the check makes of it. */
export interface ListedAccountRow extends Omit<GovAccountRow, 'contract_start' | 'contract_end'> {
  contract_start: string | null;
  contract_end: string | null;
  tenant_name: string;
  unit_name: string | null;
  silent_days: number | null;
  warn_days: number;
  fail_days: number;
  zombie_days: number;
  duplicate: boolean;
  health: GovHealth | null;
  total: number;
}

/**
 * Rows per INSERT: a statement carries at most 65,535 bind parameters and a row has about 25
 * columns, so a whole 5,000-row sheet in one statement overflows (found by the import benchmark).
 */
const INSERT_CHUNK = 1000;

export async function insertAccounts(ex: Executor, rows: NewAccountRow[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const out = await ex
      .insertInto('gov_accounts')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .returning('id')
      .execute();
    ids.push(...out.map((r) => r.id));
  }
  return ids;
}

export async function updateAccount(
  ex: Executor,
  tenantId: string,
  id: string,
  patch: AccountPatchRow,
): Promise<boolean> {
  const r = await ex
    .updateTable('gov_accounts')
    .set({ ...patch, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function accountRow(ex: Executor, tenantId: string, id: string): Promise<GovAccountRow | undefined> {
  return ex
    .selectFrom('gov_accounts')
    .selectAll()
    .select([
      sql<string | null>`contract_start::text`.as('contract_start'),
      sql<string | null>`contract_end::text`.as('contract_end'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The accounts of a tenant on these platforms with these keys (the import's "already registered" check). */
export async function accountsByKeys(
  ex: Executor,
  tenantId: string,
  keys: readonly { platform: GovPlatform; key: string }[],
): Promise<{ id: string; platform: GovPlatform; handle_key: string; status: GovAccountStatus }[]> {
  if (keys.length === 0) return [];
  const platforms = keys.map((k) => k.platform);
  const handleKeys = keys.map((k) => k.key);
  const r = await sql<{ id: string; platform: GovPlatform; handle_key: string; status: GovAccountStatus }>`
    SELECT a.id, a.platform, a.handle_key, a.status FROM gov_accounts a
      JOIN unnest(${platforms}::text[], ${handleKeys}::text[]) AS k (platform, handle_key) ON k.platform = a.platform AND k.handle_key = a.handle_key
     WHERE a.tenant_id = ${tenantId}`.execute(ex);
  return r.rows;
}

/** The settings of a tenant and of each of its ancestors, nearest first. */
export async function thresholdChain(ex: Executor, tenantId: string): Promise<GovThresholdSetting[]> {
  const r = await sql<GovThresholdSetting>`
    SELECT t.tenant_id AS "tenantId", t.warn_days AS "warnDays", t.fail_days AS "failDays", t.zombie_days AS "zombieDays"
      FROM tenant_tree tt JOIN gov_account_thresholds t ON t.tenant_id = tt.ancestor_id
     WHERE tt.descendant_id = ${tenantId}
     ORDER BY tt.depth`.execute(ex);
  return r.rows;
}

export async function saveThresholds(
  ex: Executor,
  tenantId: string,
  s: Omit<GovThresholdSetting, 'tenantId'>,
  by: string,
): Promise<void> {
  await ex
    .insertInto('gov_account_thresholds')
    .values({
      tenant_id: tenantId,
      warn_days: s.warnDays,
      fail_days: s.failDays,
      zombie_days: s.zombieDays,
      updated_by: by,
    })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({
        warn_days: s.warnDays,
        fail_days: s.failDays,
        zombie_days: s.zombieDays,
        updated_by: by,
        updated_at: new Date(),
      }),
    )
    .execute();
}

export async function clearThresholds(ex: Executor, tenantId: string): Promise<void> {
  await ex.deleteFrom('gov_account_thresholds').where('tenant_id', '=', tenantId).execute();
}

export interface ListQuery {
  /** the tenant whose subtree is listed (itself included) */
  rootTenantId: string;
  filter: GovAccountFilter;
  /** the day of the check, 'YYYY-MM-DD' (Beijing) */
  today: string;
  limit: number;
  offset: number;
  /** only these accounts */
  ids?: readonly string[];
}

/** The registry of a subtree as the CTE `judged`: every row with its thresholds, silent days, health and duplicate flag. */
export function judgedAccounts(rootTenantId: string, today: string) {
  return sql`
    WITH scope AS (
      SELECT descendant_id AS tenant_id FROM tenant_tree WHERE ancestor_id = ${rootTenantId}
    ), th AS (
      SELECT s.tenant_id,
             coalesce(min(t.warn_days), ${GOV_DEFAULT_THRESHOLDS.warnDays}) AS warn_days,
             coalesce(min(t.fail_days), ${GOV_DEFAULT_THRESHOLDS.failDays}) AS fail_days,
             coalesce(min(t.zombie_days), ${GOV_DEFAULT_THRESHOLDS.zombieDays}) AS zombie_days
        FROM scope s JOIN tenant_tree tt ON tt.descendant_id = s.tenant_id
        LEFT JOIN gov_account_thresholds t ON t.tenant_id = tt.ancestor_id
       GROUP BY s.tenant_id
    ), acc AS (
      SELECT a.tenant_id, a.id, a.unit_id, a.platform, a.name, a.handle, a.handle_key, a.verified_subject, a.sponsor, a.supervisor, a.filing_no,
             a.operation, a.operator_org_id, a.reviewers, a.status, a.last_updated_at, a.followers, a.posts, a.reads, a.figures_at,
             a.activity_source, a.feed_url, a.feed_checked_at, a.feed_error, a.note, a.created_by, a.created_at, a.updated_at,
             a.contract_start::text AS contract_start, a.contract_end::text AS contract_end,
             te.name AS tenant_name, u.name AS unit_name, th.warn_days, th.fail_days, th.zombie_days,
             CASE WHEN a.last_updated_at IS NULL THEN NULL
                  ELSE greatest(0, ${today}::date - (a.last_updated_at AT TIME ZONE 'Asia/Shanghai')::date) END AS silent_days,
             (a.status IN ('active', 'closing') AND count(*) FILTER (WHERE a.status IN ('active', 'closing')) OVER (
                PARTITION BY a.tenant_id, a.platform,
                             coalesce(a.unit_id::text, 's:' || nullif(lower(btrim(a.sponsor)), ''), a.id::text)) > 1) AS duplicate
        FROM gov_accounts a
        JOIN th ON th.tenant_id = a.tenant_id
        JOIN tenants te ON te.id = a.tenant_id
        LEFT JOIN units u ON u.tenant_id = a.tenant_id AND u.id = a.unit_id
    ), judged AS (
      SELECT acc.*,
             CASE WHEN status IN ('closed', 'merged') THEN NULL
                  WHEN silent_days IS NULL THEN 'unknown'
                  WHEN silent_days >= zombie_days THEN 'zombie'
                  WHEN silent_days >= fail_days THEN 'fail'
                  WHEN silent_days >= warn_days THEN 'warn'
                  ELSE 'ok' END AS health
        FROM acc
    )`;
}

/**
 * The registry of a subtree in one statement: each account with its tenant's thresholds (the
 * strictest of its ancestors' settings, else the defaults), its silent days on the day of the
 * check, its health, and whether it duplicates another open account of its unit on its platform.
 * Runs under the viewer's scope: row-level security limits it to what the viewer may see.
 */
export async function listAccountRows(ex: Executor, q: ListQuery): Promise<ListedAccountRow[]> {
  const f = q.filter;
  const conds = [sql`true`];
  if (f.platform) conds.push(sql`platform = ${f.platform}`);
  if (f.status) conds.push(sql`status = ${f.status}`);
  if (f.health) conds.push(sql`health = ${f.health}`);
  if (f.duplicate !== undefined && f.duplicate !== null) conds.push(sql`duplicate = ${f.duplicate}`);
  if (f.tenantId) conds.push(sql`tenant_id = ${f.tenantId}`);
  if (f.unitId) conds.push(sql`unit_id = ${f.unitId}`);
  if (f.search) {
    const like = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(sql`(name ILIKE ${like} OR handle ILIKE ${like} OR sponsor ILIKE ${like})`);
  }
  if (q.ids) conds.push(sql`id = ANY(${[...q.ids]}::uuid[])`);
  const r = await sql<ListedAccountRow>`
    ${judgedAccounts(q.rootTenantId, q.today)}
    SELECT *, (count(*) OVER ())::int AS total FROM judged
     WHERE ${sql.join(conds, sql` AND `)}
     ORDER BY tenant_name, platform, name, id
     LIMIT ${q.limit} OFFSET ${q.offset}`.execute(ex);
  return r.rows;
}

/** Counts of a subtree's accounts by health, duplicates and retired ones (the registry's summary line). */
export async function healthCounts(
  ex: Executor,
  rootTenantId: string,
  today: string,
): Promise<Record<GovHealth | 'duplicate' | 'retired' | 'total', number>> {
  const r = await sql<Record<GovHealth | 'duplicate' | 'retired' | 'total', number>>`
    ${judgedAccounts(rootTenantId, today)}
    SELECT count(*) FILTER (WHERE health = 'ok')::int AS ok, count(*) FILTER (WHERE health = 'warn')::int AS warn,
           count(*) FILTER (WHERE health = 'fail')::int AS fail, count(*) FILTER (WHERE health = 'zombie')::int AS zombie,
           count(*) FILTER (WHERE health = 'unknown')::int AS unknown, count(*) FILTER (WHERE duplicate)::int AS duplicate,
           count(*) FILTER (WHERE health IS NULL)::int AS retired, count(*)::int AS total
      FROM judged`.execute(ex);
  return r.rows[0]!;
}

export interface FeedDue {
  tenant_id: string;
  id: string;
  feed_url: string;
  last_updated_at: Date | null;
}

/** Open accounts with a feed not read since `before`, least recently read first (platform scope). */
export async function feedsDue(ex: Executor, before: Date, limit: number): Promise<FeedDue[]> {
  return ex
    .selectFrom('gov_accounts')
    .select(['tenant_id', 'id', 'feed_url', 'last_updated_at'])
    .where('feed_url', 'is not', null)
    .where('status', 'in', ['active', 'closing'])
    .where((eb) => eb.or([eb('feed_checked_at', 'is', null), eb('feed_checked_at', '<', before)]))
    .orderBy(sql`feed_checked_at NULLS FIRST`)
    .limit(limit)
    .execute() as Promise<FeedDue[]>;
}

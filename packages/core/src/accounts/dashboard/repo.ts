import { sql } from 'kysely';
import type { Executor, GovPlatform } from '@yiduan/db';
import { judgedAccounts } from '../repo.js';

/**
 * SQL of the accounts dashboards. Every statement runs in the viewer's scope and names the subtree
 * it rolls up (`tenant_tree`), so row-level security and the subtree agree: a county sees its own,
 * a city its counties', a province everything, a sibling nothing.
 */

const SUBTREE = (root: string) => sql`(SELECT descendant_id FROM tenant_tree WHERE ancestor_id = ${root}::uuid)`;

export interface PlatformCountRow {
  platform: GovPlatform;
  total: number;
  ok: number;
  warn: number;
  fail: number;
  zombie: number;
  unknown: number;
  closing: number;
  retired: number;
}

/** Accounts by platform and by health or status (the health of closing accounts counts too). */
export async function countsByPlatform(ex: Executor, root: string, today: string): Promise<PlatformCountRow[]> {
  const r = await sql<PlatformCountRow>`
    ${judgedAccounts(root, today)}
    SELECT platform, count(*)::int AS total,
           count(*) FILTER (WHERE health = 'ok')::int AS ok, count(*) FILTER (WHERE health = 'warn')::int AS warn,
           count(*) FILTER (WHERE health = 'fail')::int AS fail, count(*) FILTER (WHERE health = 'zombie')::int AS zombie,
           count(*) FILTER (WHERE health = 'unknown')::int AS unknown,
           count(*) FILTER (WHERE status = 'closing')::int AS closing,
           count(*) FILTER (WHERE health IS NULL)::int AS retired
      FROM judged GROUP BY platform ORDER BY count(*) DESC, platform`.execute(ex);
  return r.rows;
}

export interface RoundRateRow {
  round_id: string;
  round_tenant_id: string;
  round_tenant_name: string;
  title: string;
  check_day: string;
  sampled: number;
  passed: number;
  excellent: number;
  vetoed: number;
}

/** 合格率 of each round over the subtree's samples, oldest first. */
export async function roundRates(ex: Executor, root: string): Promise<RoundRateRow[]> {
  const r = await sql<RoundRateRow>`
    SELECT r.id AS round_id, r.tenant_id AS round_tenant_id, t.name AS round_tenant_name, r.title,
           r.check_day::text AS check_day, count(*)::int AS sampled,
           count(*) FILTER (WHERE s.verdict IN ('pass', 'excellent'))::int AS passed,
           count(*) FILTER (WHERE s.verdict = 'excellent')::int AS excellent,
           count(*) FILTER (WHERE s.verdict = 'veto')::int AS vetoed
      FROM gov_round_samples s
      JOIN gov_rounds r ON r.tenant_id = s.round_tenant_id AND r.id = s.round_id
      JOIN tenants t ON t.id = r.tenant_id
     WHERE s.tenant_id IN ${SUBTREE(root)}
     GROUP BY r.id, r.tenant_id, t.name, r.title, r.check_day, r.created_at
     ORDER BY r.check_day, r.created_at`.execute(ex);
  return r.rows;
}

export interface ClosureMonthRow {
  month: string;
  proposed: number;
  deregistered: number;
}

/** The wave: closures proposed and accounts deregistered (注销) per Beijing month. */
export async function closuresByMonth(ex: Executor, root: string): Promise<ClosureMonthRow[]> {
  const r = await sql<ClosureMonthRow>`
    SELECT month, sum(p)::int AS proposed, sum(d)::int AS deregistered FROM (
      SELECT to_char(proposed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, 1 AS p, 0 AS d
        FROM gov_account_closures WHERE tenant_id IN ${SUBTREE(root)}
      UNION ALL
      SELECT to_char(deregistered_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), 0, 1
        FROM gov_account_closures WHERE tenant_id IN ${SUBTREE(root)} AND deregistered_at IS NOT NULL
    ) e GROUP BY month ORDER BY month`.execute(ex);
  return r.rows;
}

export interface CostRow {
  tenant_id: string;
  tenant_name: string;
  retired: number;
  /** the nearest setting up the tenant's chain, null when none */
  yuan_per_year: number | null;
}

/** Per tenant of the subtree: its closed and merged accounts and the yearly cost of one account there. */
export async function retiredWithCost(ex: Executor, root: string): Promise<CostRow[]> {
  const r = await sql<CostRow>`
    SELECT a.tenant_id, t.name AS tenant_name, count(*)::int AS retired,
           (SELECT c.yuan_per_year FROM tenant_tree tt JOIN gov_account_costs c ON c.tenant_id = tt.ancestor_id
             WHERE tt.descendant_id = a.tenant_id ORDER BY tt.depth LIMIT 1) AS yuan_per_year
      FROM gov_accounts a JOIN tenants t ON t.id = a.tenant_id
     WHERE a.tenant_id IN ${SUBTREE(root)} AND a.status IN ('closed', 'merged')
     GROUP BY a.tenant_id, t.name ORDER BY t.name`.execute(ex);
  return r.rows;
}

/** The settings of a tenant and its ancestors, nearest first. */
export async function costChain(
  ex: Executor,
  tenantId: string,
): Promise<{ tenant_id: string; tenant_name: string; yuan_per_year: number }[]> {
  const r = await sql<{ tenant_id: string; tenant_name: string; yuan_per_year: number }>`
    SELECT c.tenant_id, t.name AS tenant_name, c.yuan_per_year
      FROM tenant_tree tt JOIN gov_account_costs c ON c.tenant_id = tt.ancestor_id JOIN tenants t ON t.id = c.tenant_id
     WHERE tt.descendant_id = ${tenantId}::uuid
     ORDER BY tt.depth`.execute(ex);
  return r.rows;
}

export async function saveCost(ex: Executor, tenantId: string, yuan: number, by: string): Promise<void> {
  await ex
    .insertInto('gov_account_costs')
    .values({ tenant_id: tenantId, yuan_per_year: yuan, updated_by: by })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({ yuan_per_year: yuan, updated_by: by, updated_at: new Date() }),
    )
    .execute();
}

export async function clearCost(ex: Executor, tenantId: string): Promise<void> {
  await ex.deleteFrom('gov_account_costs').where('tenant_id', '=', tenantId).execute();
}

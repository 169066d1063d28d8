import { sql } from 'kysely';
import type {
  Executor,
  GovFixOrderRow,
  GovFindingKind,
  GovPlatform,
  GovRoundFindingsTable,
  GovRoundRow,
  GovRoundVerdict,
} from '@yiduan/db';
import type { Insertable } from 'kysely';

// SQL only: plain functions, executor first, rows in and rows out. Access, audit and events are the service's.

export type RoundRowOut = Omit<GovRoundRow, 'check_day'> & { check_day: string; tenant_name: string };

export async function insertRound(
  ex: Executor,
  row: { tenant_id: string; title: string; seed: string; share: number; check_day: string; opened_by: string | null },
): Promise<string> {
  const r = await ex.insertInto('gov_rounds').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/**
 * Draws the round's sample in one statement: the open accounts (正常, 关停中) of the round tenant's
 * subtree, grouped by owning tenant and platform, each group ordered by md5(seed, account id) and
 * cut at ceil(share × size) — so every group gives at least its share (and at least one account),
 * and the same seed over the same registry draws the same accounts. Each sample keeps the
 * account's silent days on the day of the check. Returns the number drawn.
 */
export async function drawSample(
  ex: Executor,
  r: { roundTenantId: string; roundId: string; seed: string; share: number; checkDay: string },
): Promise<number> {
  // the sort of a whole province's registry stays in memory (for this transaction only)
  await sql`SET LOCAL work_mem = '64MB'`.execute(ex);
  const out = await sql<{ n: number }>`
    WITH drawn AS (
      INSERT INTO gov_round_samples (tenant_id, account_id, round_tenant_id, round_id, platform, account_name, silent_days)
      SELECT tenant_id, id, ${r.roundTenantId}::uuid, ${r.roundId}::uuid, platform, name, silent_days FROM (
        SELECT a.tenant_id, a.id, a.platform, a.name,
               CASE WHEN a.last_updated_at IS NULL THEN NULL
                    ELSE greatest(0, ${r.checkDay}::date - (a.last_updated_at AT TIME ZONE 'Asia/Shanghai')::date) END AS silent_days,
               row_number() OVER (PARTITION BY a.tenant_id, a.platform ORDER BY md5(${r.seed} || ':' || a.id::text) COLLATE "C", a.id) AS rn,
               count(*) OVER (PARTITION BY a.tenant_id, a.platform) AS n
          FROM tenant_tree tt JOIN gov_accounts a ON a.tenant_id = tt.descendant_id
         WHERE tt.ancestor_id = ${r.roundTenantId}::uuid AND a.status IN ('active', 'closing')
      ) s
      WHERE rn <= ceil(n * ${r.share}::numeric)
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM drawn`.execute(ex);
  return out.rows[0]!.n;
}

export async function setSampled(ex: Executor, tenantId: string, id: string, n: number): Promise<void> {
  await ex
    .updateTable('gov_rounds')
    .set({ sampled: n })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Vetoes the samples silent for `days` or more on the day of the check (the two-week rule), as findings. */
export async function vetoSilentSamples(
  ex: Executor,
  roundTenantId: string,
  roundId: string,
  days: number,
  byName: string,
): Promise<number> {
  const r = await sql<{ n: number }>`
    WITH v AS (
      INSERT INTO gov_round_findings (tenant_id, account_id, round_tenant_id, round_id, item, kind, points, note, recorded_by_name)
      SELECT tenant_id, account_id, round_tenant_id, round_id, 'no_update', 'veto', 0,
             '检查日前已 ' || silent_days || ' 天未更新（依据台账更新记录）', ${byName}
        FROM gov_round_samples
       WHERE round_tenant_id = ${roundTenantId}::uuid AND round_id = ${roundId}::uuid AND silent_days >= ${days}
      RETURNING tenant_id, account_id
    ), s AS (
      UPDATE gov_round_samples g SET score = 0, verdict = 'veto', updated_at = now()
        FROM v WHERE g.tenant_id = v.tenant_id AND g.round_id = ${roundId}::uuid AND g.account_id = v.account_id
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM s`.execute(ex);
  return r.rows[0]!.n;
}

export async function roundRows(
  ex: Executor,
  q: { rootTenantId: string; ids?: readonly string[]; limit: number; offset: number },
): Promise<RoundRowOut[]> {
  // the rounds opened in the viewer's subtree and by its ancestors (row-level security decides the rest)
  const ids = q.ids ? sql`AND r.id = ANY(${[...q.ids]}::uuid[])` : sql``;
  const r = await sql<RoundRowOut>`
    SELECT r.tenant_id, r.id, r.title, r.seed, r.share, r.check_day::text AS check_day, r.status, r.sampled, r.opened_by, r.created_at, r.closed_at, t.name AS tenant_name
      FROM gov_rounds r JOIN tenants t ON t.id = r.tenant_id
     WHERE (r.tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = ${q.rootTenantId}::uuid)
            OR r.tenant_id IN (SELECT ancestor_id FROM tenant_tree WHERE descendant_id = ${q.rootTenantId}::uuid)) ${ids}
     ORDER BY r.check_day DESC, r.created_at DESC
     LIMIT ${q.limit} OFFSET ${q.offset}`.execute(ex);
  return r.rows;
}

export interface SampleRowOut {
  round_id: string;
  round_tenant_id: string;
  tenant_id: string;
  tenant_name: string;
  account_id: string;
  platform: GovPlatform;
  account_name: string;
  silent_days: number | null;
  score: number;
  verdict: GovRoundVerdict;
  findings: number;
}

/** The samples of a round visible to the viewer, within a subtree (row-level security hides the rest). */
export async function sampleRows(
  ex: Executor,
  q: { roundId: string; rootTenantId: string; tenantId?: string | null; accountId?: string | null },
): Promise<SampleRowOut[]> {
  const r = await sql<SampleRowOut>`
    SELECT s.round_id, s.round_tenant_id, s.tenant_id, t.name AS tenant_name, s.account_id, s.platform, s.account_name, s.silent_days, s.score, s.verdict,
           (SELECT count(*)::int FROM gov_round_findings f WHERE f.tenant_id = s.tenant_id AND f.round_id = s.round_id AND f.account_id = s.account_id) AS findings
      FROM gov_round_samples s JOIN tenants t ON t.id = s.tenant_id
     WHERE s.round_id = ${q.roundId}::uuid
       AND s.tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = ${q.rootTenantId}::uuid)
       ${q.tenantId ? sql`AND s.tenant_id = ${q.tenantId}::uuid` : sql``}
       ${q.accountId ? sql`AND s.account_id = ${q.accountId}::uuid` : sql``}
     ORDER BY t.name, s.platform, s.account_name, s.account_id`.execute(ex);
  return r.rows;
}

export type NewFindingRow = Insertable<GovRoundFindingsTable>;

export async function insertFinding(ex: Executor, row: NewFindingRow): Promise<string> {
  const r = await ex.insertInto('gov_round_findings').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function deleteFinding(ex: Executor, tenantId: string, id: string): Promise<boolean> {
  const r = await ex
    .deleteFrom('gov_round_findings')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export interface FindingRowOut {
  id: string;
  round_id: string;
  round_tenant_id: string;
  tenant_id: string;
  account_id: string;
  item: string;
  kind: GovFindingKind;
  points: number;
  note: string;
  links: string[];
  asset_ids: string[];
  wording: unknown;
  recorded_by_name: string;
  created_at: Date;
}

export async function findingRows(
  ex: Executor,
  q: { roundId: string; rootTenantId: string; tenantId?: string | null; accountId?: string | null; id?: string | null },
): Promise<FindingRowOut[]> {
  let b = ex
    .selectFrom('gov_round_findings')
    .select([
      'id',
      'round_id',
      'round_tenant_id',
      'tenant_id',
      'account_id',
      'item',
      'kind',
      'points',
      'note',
      'links',
      'asset_ids',
      'wording',
      'recorded_by_name',
      'created_at',
    ])
    .where('round_id', '=', q.roundId)
    .where('tenant_id', 'in', (eb) =>
      eb.selectFrom('tenant_tree').select('descendant_id').where('ancestor_id', '=', q.rootTenantId),
    );
  if (q.tenantId) b = b.where('tenant_id', '=', q.tenantId);
  if (q.accountId) b = b.where('account_id', '=', q.accountId);
  if (q.id) b = b.where('id', '=', q.id);
  return b.orderBy('created_at').orderBy('id').execute();
}

/** The findings of one sample (for its score). */
export async function sampleFindings(
  ex: Executor,
  tenantId: string,
  roundId: string,
  accountId: string,
): Promise<{ kind: GovFindingKind; points: number; item: string }[]> {
  return ex
    .selectFrom('gov_round_findings')
    .select(['kind', 'points', 'item'])
    .where('tenant_id', '=', tenantId)
    .where('round_id', '=', roundId)
    .where('account_id', '=', accountId)
    .execute();
}

export async function setScore(
  ex: Executor,
  tenantId: string,
  roundId: string,
  accountId: string,
  score: number,
  verdict: GovRoundVerdict,
): Promise<void> {
  await ex
    .updateTable('gov_round_samples')
    .set({ score, verdict, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('round_id', '=', roundId)
    .where('account_id', '=', accountId)
    .execute();
}

export async function closeRound(ex: Executor, tenantId: string, id: string): Promise<void> {
  await ex
    .updateTable('gov_rounds')
    .set({ status: 'closed', closed_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** 合格率 by owning tenant: of a round's samples in a subtree, those that passed. */
export async function passRates(
  ex: Executor,
  roundId: string,
  rootTenantId: string,
): Promise<
  { tenant_id: string; tenant_name: string; sampled: number; passed: number; excellent: number; vetoed: number }[]
> {
  const r = await sql<{
    tenant_id: string;
    tenant_name: string;
    sampled: number;
    passed: number;
    excellent: number;
    vetoed: number;
  }>`
    SELECT s.tenant_id, t.name AS tenant_name, count(*)::int AS sampled,
           count(*) FILTER (WHERE s.verdict IN ('pass', 'excellent'))::int AS passed,
           count(*) FILTER (WHERE s.verdict = 'excellent')::int AS excellent,
           count(*) FILTER (WHERE s.verdict = 'veto')::int AS vetoed
      FROM gov_round_samples s JOIN tenants t ON t.id = s.tenant_id
     WHERE s.round_id = ${roundId}::uuid
       AND s.tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = ${rootTenantId}::uuid)
     GROUP BY s.tenant_id, t.name
     ORDER BY t.name`.execute(ex);
  return r.rows;
}

export async function insertFixOrder(
  ex: Executor,
  row: {
    tenant_id: string;
    account_id: string;
    round_tenant_id: string;
    round_id: string;
    items: string[];
    requirement: string;
    issued_on: string;
    due_on: string;
    issued_by: string | null;
  },
): Promise<string> {
  const r = await ex.insertInto('gov_fix_orders').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export type FixOrderRowOut = Omit<GovFixOrderRow, 'issued_on' | 'due_on'> & {
  issued_on: string;
  due_on: string;
  tenant_name: string;
  account_name: string;
  platform: GovPlatform;
  round_title: string;
};

export interface FixOrderQuery {
  rootTenantId: string;
  roundId?: string | null;
  tenantId?: string | null;
  status?: 'open' | 'closed' | null;
  /** only open orders whose due day is before this day */
  overdueBefore?: string | null;
  ids?: readonly string[];
  limit: number;
}

export async function fixOrderRows(ex: Executor, q: FixOrderQuery): Promise<FixOrderRowOut[]> {
  const conds = [
    sql`o.tenant_id IN (SELECT descendant_id FROM tenant_tree WHERE ancestor_id = ${q.rootTenantId}::uuid)`,
  ];
  if (q.roundId) conds.push(sql`o.round_id = ${q.roundId}::uuid`);
  if (q.tenantId) conds.push(sql`o.tenant_id = ${q.tenantId}::uuid`);
  if (q.status) conds.push(sql`o.status = ${q.status}`);
  if (q.overdueBefore) conds.push(sql`o.status = 'open' AND o.due_on < ${q.overdueBefore}::date`);
  if (q.ids) conds.push(sql`o.id = ANY(${[...q.ids]}::uuid[])`);
  const r = await sql<FixOrderRowOut>`
    SELECT o.tenant_id, o.id, o.account_id, o.round_tenant_id, o.round_id, o.items, o.requirement, o.issued_on::text AS issued_on, o.due_on::text AS due_on,
           o.status, o.recheck_note, o.rechecks, o.rechecked_at, o.closed_at, o.issued_by, o.created_at,
           t.name AS tenant_name, s.account_name, s.platform, r.title AS round_title
      FROM gov_fix_orders o
      JOIN tenants t ON t.id = o.tenant_id
      JOIN gov_round_samples s ON s.tenant_id = o.tenant_id AND s.round_id = o.round_id AND s.account_id = o.account_id
      JOIN gov_rounds r ON r.tenant_id = o.round_tenant_id AND r.id = o.round_id
     WHERE ${sql.join(conds, sql` AND `)}
     ORDER BY o.due_on, t.name, s.account_name
     LIMIT ${q.limit}`.execute(ex);
  return r.rows;
}

export async function recheckFixOrder(
  ex: Executor,
  tenantId: string,
  id: string,
  fixed: boolean,
  note: string,
): Promise<boolean> {
  const now = new Date();
  const r = await ex
    .updateTable('gov_fix_orders')
    .set((eb) => ({
      rechecks: eb('rechecks', '+', 1),
      rechecked_at: now,
      recheck_note: note,
      ...(fixed ? { status: 'closed' as const, closed_at: now } : {}),
    }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

import { sql, type Insertable, type Updateable } from 'kysely';
import type {
  Executor,
  GovAccountClosureRow,
  GovAccountClosuresTable,
  GovAccountStatus,
  GovClosureStatus,
  GovPlatform,
} from '@yiduan/db';

// SQL only: executor first, rows in and rows out. Access, audit and events are the service's.

export type NewClosureRow = Insertable<GovAccountClosuresTable>;
export type ClosurePatchRow = Updateable<GovAccountClosuresTable>;

export interface ListedClosureRow extends Omit<GovAccountClosureRow, 'filing_due'> {
  filing_due: string | null;
  tenant_name: string;
  account_name: string;
  account_platform: GovPlatform;
  account_handle: string;
  account_status: GovAccountStatus;
  unit_name: string | null;
  sponsor: string;
  successor_name: string | null;
  successor_platform: GovPlatform | null;
  successor_handle: string | null;
  successor_status: GovAccountStatus | null;
  section_name: string | null;
  decider_tenant_name: string | null;
  imported_items: number;
  published_items: number;
  redirects: number;
}

export async function insertClosure(ex: Executor, row: NewClosureRow): Promise<string> {
  const r = await ex.insertInto('gov_account_closures').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function closureRow(
  ex: Executor,
  tenantId: string,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<(Omit<GovAccountClosureRow, 'filing_due'> & { filing_due: string | null }) | undefined> {
  let q = ex
    .selectFrom('gov_account_closures')
    .selectAll()
    .select(sql<string | null>`filing_due::text`.as('filing_due'))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (opts.lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** A closure by id alone, wherever row-level security lets the caller see it (the parent deciding). */
export async function closureTenantOf(ex: Executor, id: string): Promise<string | undefined> {
  return (await ex.selectFrom('gov_account_closures').select('tenant_id').where('id', '=', id).executeTakeFirst())
    ?.tenant_id;
}

export async function updateClosure(
  ex: Executor,
  tenantId: string,
  id: string,
  patch: ClosurePatchRow,
  from?: readonly GovClosureStatus[],
): Promise<boolean> {
  let q = ex
    .updateTable('gov_account_closures')
    .set({ ...patch, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (from) q = q.where('status', 'in', from);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function openClosureOf(
  ex: Executor,
  tenantId: string,
  accountId: string,
  open: readonly GovClosureStatus[],
): Promise<string | undefined> {
  return (
    await ex
      .selectFrom('gov_account_closures')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .where('status', 'in', open)
      .executeTakeFirst()
  )?.id;
}

export interface ClosureListQuery {
  rootTenantId: string;
  ids?: readonly string[];
  status?: readonly GovClosureStatus[] | null;
  accountId?: string | null;
  limit: number;
  offset: number;
}

/** Closures of a subtree (row-level security limits them further), newest proposal first, with their account and counts. */
export async function listClosureRows(
  ex: Executor,
  q: ClosureListQuery,
): Promise<(ListedClosureRow & { total: number })[]> {
  const r = await sql<ListedClosureRow & { total: number }>`
    SELECT c.*, c.filing_due::text AS filing_due, t.name AS tenant_name,
           a.name AS account_name, a.platform AS account_platform, a.handle AS account_handle, a.status AS account_status, a.sponsor,
           u.name AS unit_name,
           s.name AS successor_name, s.platform AS successor_platform, s.handle AS successor_handle, s.status AS successor_status,
           sec.name AS section_name, dt.name AS decider_tenant_name,
           (SELECT count(*)::int FROM gov_account_closure_items i WHERE i.tenant_id = c.tenant_id AND i.closure_id = c.id) AS imported_items,
           (SELECT count(*)::int FROM gov_account_closure_items i WHERE i.tenant_id = c.tenant_id AND i.closure_id = c.id AND i.published_at IS NOT NULL) AS published_items,
           (SELECT count(*)::int FROM content_redirects r WHERE r.tenant_id = c.tenant_id AND r.closure_id = c.id) AS redirects,
           count(*) OVER ()::int AS total
      FROM gov_account_closures c
      JOIN tenant_tree tt ON tt.descendant_id = c.tenant_id AND tt.ancestor_id = ${q.rootTenantId}
      JOIN tenants t ON t.id = c.tenant_id
      JOIN gov_accounts a ON a.tenant_id = c.tenant_id AND a.id = c.account_id
      LEFT JOIN units u ON u.tenant_id = a.tenant_id AND u.id = a.unit_id
      LEFT JOIN gov_accounts s ON s.tenant_id = c.tenant_id AND s.id = c.successor_account_id
      LEFT JOIN sections sec ON sec.tenant_id = c.tenant_id AND sec.id = c.section_id
      LEFT JOIN tenants dt ON dt.id = c.decider_tenant_id
     WHERE true
       ${q.ids ? sql`AND c.id = ANY(${q.ids}::uuid[])` : sql``}
       ${q.status?.length ? sql`AND c.status = ANY(${q.status}::text[])` : sql``}
       ${q.accountId ? sql`AND c.account_id = ${q.accountId}::uuid` : sql``}
     ORDER BY c.proposed_at DESC, c.id
     LIMIT ${q.limit} OFFSET ${q.offset}`.execute(ex);
  return r.rows;
}

export async function insertItems(
  ex: Executor,
  rows: {
    tenant_id: string;
    closure_id: string;
    story_id: string;
    original_url: string;
    original_at: Date;
    title: string;
  }[],
): Promise<void> {
  if (rows.length) await ex.insertInto('gov_account_closure_items').values(rows).execute();
}

export async function importedUrls(ex: Executor, tenantId: string, closureId: string): Promise<Set<string>> {
  const rows = await ex
    .selectFrom('gov_account_closure_items')
    .select('original_url')
    .where('tenant_id', '=', tenantId)
    .where('closure_id', '=', closureId)
    .execute();
  return new Set(rows.map((r) => r.original_url));
}

export async function unpublishedItems(
  ex: Executor,
  tenantId: string,
  closureId: string,
): Promise<{ id: string; story_id: string; original_at: Date; original_url: string }[]> {
  return ex
    .selectFrom('gov_account_closure_items')
    .select(['id', 'story_id', 'original_at', 'original_url'])
    .where('tenant_id', '=', tenantId)
    .where('closure_id', '=', closureId)
    .where('published_at', 'is', null)
    .orderBy('original_at')
    .execute();
}

export async function markItemPublished(ex: Executor, tenantId: string, id: string): Promise<void> {
  await ex
    .updateTable('gov_account_closure_items')
    .set({ published_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Old paths already taken by a redirect of this tenant (a path redirects to one story only). */
export async function takenPaths(ex: Executor, tenantId: string, paths: readonly string[]): Promise<Set<string>> {
  if (!paths.length) return new Set();
  const rows = await ex
    .selectFrom('content_redirects')
    .select('path')
    .where('tenant_id', '=', tenantId)
    .where('path', 'in', paths)
    .execute();
  return new Set(rows.map((r) => r.path));
}

export async function insertRedirects(
  ex: Executor,
  rows: { tenant_id: string; path: string; story_id: string; closure_id: string }[],
): Promise<void> {
  if (rows.length) await ex.insertInto('content_redirects').values(rows).execute();
}

/** The story an old path of this face now lives at. */
export async function redirectOf(ex: Executor, tenantId: string, path: string): Promise<string | undefined> {
  return (
    await ex
      .selectFrom('content_redirects')
      .select('story_id')
      .where('tenant_id', '=', tenantId)
      .where('path', '=', path)
      .executeTakeFirst()
  )?.story_id;
}

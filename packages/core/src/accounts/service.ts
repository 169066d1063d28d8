import {
  isForeignKeyViolation,
  isUniqueViolation,
  type Executor,
  type GovAccountStatus,
  type Tenant,
} from '@yiduan/db';
import type { Actor } from '../actor.js';
import { toCsv } from '../analytics/index.js';
import { enqueue } from '../events/index.js';
import { appendAudit } from '../governance/index.js';
import type { Access, OrganisationView } from '../identity/index.js';
import { unitsOf } from '../newsroom/index.js';
import { isUuid } from '../tenancy/index.js';
import { parseCsv, type CsvRow } from './csv.js';
import { GovAccountError, isGovAccountError } from './errors.js';
import { ACCOUNT_TOPICS } from './events.js';
import {
  RETIRED,
  beijingDay,
  checkAccountInput,
  checkActivity,
  checkThresholds,
  effectiveThresholds,
  handleKey,
  healthOf,
  type ActivityInput,
  type GovAccountFilter,
  type GovAccountInput,
  type GovAccountView,
  type GovThresholds,
  type GovThresholdSetting,
} from './model.js';
import { OPEN_CLOSURE } from './closures/model.js';
import { openClosureOf } from './closures/repo.js';
import * as repo from './repo.js';
import { writeXlsx } from './xlsx.js';
import { exportHeader, exportRow, headerIndex, readSheetRow, templateRows, type SheetAccount } from './sheet.js';

/**
 * Who may do what with the registry. Kept here, not in identity's CAPABILITY_ROLES, while identity
 * is being reshaped: the integrator moves these three into identity/capabilities.ts.
 */
export const GOV_ACCOUNT_ROLES = {
  /** govAccounts, govAccount, exportGovAccounts: anyone tenant-wide but a reporter */
  read: ['editor', 'reviewer', 'chief_editor', 'tenant_admin'],
  /** createGovAccount, updateGovAccount, retireGovAccount, recordGovAccountActivity, importGovAccounts */
  manage: ['tenant_admin', 'chief_editor'],
  /** setGovAccountThresholds, on a province or a city only */
  editThresholds: ['tenant_admin', 'chief_editor'],
} as const;

export interface GovAccountCapabilities {
  read: boolean;
  manage: boolean;
  editThresholds: boolean;
}

export function govAccountCapabilities(access: Access, tenant: Pick<Tenant, 'level'>): GovAccountCapabilities {
  return {
    read: access.hasAny(GOV_ACCOUNT_ROLES.read),
    manage: access.hasAny(GOV_ACCOUNT_ROLES.manage),
    editThresholds: access.hasAny(GOV_ACCOUNT_ROLES.editThresholds) && tenant.level !== 'county',
  };
}

const today = (): string => beijingDay(Date.now());
const num = (v: string | null): number | null => (v === null ? null : Number(v));

function toView(r: repo.ListedAccountRow): GovAccountView {
  const thresholds: GovThresholds = { warnDays: r.warn_days, failDays: r.fail_days, zombieDays: r.zombie_days };
  return {
    id: r.id,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    platform: r.platform,
    name: r.name,
    handle: r.handle,
    verifiedSubject: r.verified_subject,
    sponsor: r.sponsor,
    supervisor: r.supervisor,
    filingNo: r.filing_no,
    operation: r.operation,
    operatorOrgId: r.operator_org_id,
    contractStart: r.contract_start,
    contractEnd: r.contract_end,
    reviewers: r.reviewers,
    status: r.status,
    note: r.note,
    lastUpdatedAt: r.last_updated_at,
    followers: num(r.followers),
    posts: num(r.posts),
    reads: num(r.reads),
    figuresAt: r.figures_at,
    activitySource: r.activity_source,
    feedUrl: r.feed_url,
    feedCheckedAt: r.feed_checked_at,
    feedError: r.feed_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    silentDays: r.silent_days,
    // the same rule as the SQL that filters by it (repo.judgedAccounts); a test keeps them equal
    health: RETIRED.includes(r.status) ? null : healthOf(r.silent_days, thresholds),
    duplicate: r.duplicate,
    thresholds,
  };
}

export interface GovAccountPage {
  first?: number | null;
  offset?: number | null;
}

/** A subtree's registry (the viewer's scope limits it further), filtered; with the total that matched. */
export async function listGovAccounts(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  filter: GovAccountFilter = {},
  page: GovAccountPage = {},
  day: string = today(),
): Promise<{ total: number; items: GovAccountView[] }> {
  access.require(GOV_ACCOUNT_ROLES.read);
  const rows = await repo.listAccountRows(ex, {
    rootTenantId,
    filter,
    today: day,
    limit: Math.max(1, Math.min(page.first ?? 50, 500)),
    offset: Math.max(0, page.offset ?? 0),
  });
  return { total: rows[0]?.total ?? 0, items: rows.map(toView) };
}

export async function govAccountById(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  id: string,
  day: string = today(),
): Promise<GovAccountView> {
  access.require(GOV_ACCOUNT_ROLES.read);
  if (!isUuid(id)) throw new GovAccountError('GOV_ACCOUNT_NOT_FOUND');
  const [row] = await repo.listAccountRows(ex, {
    rootTenantId,
    filter: {},
    today: day,
    limit: 1,
    offset: 0,
    ids: [id],
  });
  if (!row) throw new GovAccountError('GOV_ACCOUNT_NOT_FOUND');
  return toView(row);
}

export async function govAccountCounts(ex: Executor, access: Access, rootTenantId: string, day: string = today()) {
  access.require(GOV_ACCOUNT_ROLES.read);
  return repo.healthCounts(ex, rootTenantId, day);
}

/** Maps the database's last-line refusals (unique handle, missing operator or unit) to the context's errors. */
function refused(err: unknown): never {
  if (isUniqueViolation(err)) throw new GovAccountError('GOV_ACCOUNT_HANDLE_TAKEN', undefined, 'handle');
  if (isForeignKeyViolation(err)) {
    const c = String((err as { constraint?: string }).constraint ?? '');
    throw c.includes('operator')
      ? new GovAccountError('GOV_ACCOUNT_OPERATOR_NOT_FOUND', undefined, 'operatorOrgId')
      : new GovAccountError('GOV_ACCOUNT_UNIT_NOT_FOUND', undefined, 'unitId');
  }
  throw err;
}

async function checkUnit(ex: Executor, tenantId: string, unitId: string | null | undefined): Promise<void> {
  if (!unitId) return;
  if (!isUuid(unitId) || !(await unitsOf(ex, tenantId)).some((u) => u.id === unitId))
    throw new GovAccountError('GOV_ACCOUNT_UNIT_NOT_FOUND', undefined, 'unitId');
}

function rowOf(
  tenantId: string,
  input: GovAccountInput,
  activity: ActivityInput,
  source: 'manual' | 'import',
  createdBy: string | null,
): repo.NewAccountRow {
  const figures = activity.followers !== undefined || activity.posts !== undefined || activity.reads !== undefined;
  return {
    tenant_id: tenantId,
    unit_id: input.unitId ?? null,
    platform: input.platform,
    name: input.name,
    handle: input.handle,
    handle_key: handleKey(input.handle),
    verified_subject: input.verifiedSubject ?? '',
    sponsor: input.sponsor ?? '',
    supervisor: input.supervisor ?? '',
    filing_no: input.filingNo ?? '',
    operation: input.operation ?? 'self',
    operator_org_id: input.operation === 'operator' ? (input.operatorOrgId ?? null) : null,
    contract_start: input.contractStart ?? null,
    contract_end: input.contractEnd ?? null,
    reviewers: input.reviewers ?? [],
    status: input.status ?? 'active',
    note: input.note ?? '',
    feed_url: input.feedUrl ?? null,
    last_updated_at: activity.lastUpdatedAt ?? null,
    followers: activity.followers ?? null,
    posts: activity.posts ?? null,
    reads: activity.reads ?? null,
    figures_at: figures ? new Date() : null,
    activity_source: activity.lastUpdatedAt !== undefined || figures ? source : null,
    created_by: createdBy,
  };
}

const staffId = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.id : null);

async function changed(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  accountId: string,
  action: 'create' | 'update' | 'retire' | 'activity',
  detail: Record<string, unknown>,
): Promise<void> {
  await appendAudit(ex, actor, {
    tenantId,
    action: `gov_account.${action}`,
    targetKind: 'gov_account',
    targetId: accountId,
    detail,
  });
  await enqueue(ex, { tenantId, topic: ACCOUNT_TOPICS.govAccountChanged, payload: { accountId, action } });
}

/** Registers an account of the tenant (its own scope); the same account id twice on one platform is refused. */
export async function createGovAccount(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  input: GovAccountInput,
  activity: ActivityInput = {},
): Promise<GovAccountView> {
  access.require(GOV_ACCOUNT_ROLES.manage);
  const clean = checkAccountInput(input, true);
  checkActivity(activity);
  await checkUnit(ex, tenantId, clean.unitId);
  if (clean.operation === 'operator' && !isUuid(clean.operatorOrgId ?? ''))
    throw new GovAccountError('GOV_ACCOUNT_OPERATOR_NOT_FOUND', undefined, 'operatorOrgId');
  if ((await repo.accountsByKeys(ex, tenantId, [{ platform: clean.platform, key: handleKey(clean.handle) }])).length)
    throw new GovAccountError('GOV_ACCOUNT_HANDLE_TAKEN', undefined, 'handle');
  const [id] = await repo
    .insertAccounts(ex, [rowOf(tenantId, clean, activity, 'manual', staffId(actor))])
    .catch(refused);
  await changed(ex, actor, tenantId, id!, 'create', {
    platform: clean.platform,
    name: clean.name,
    handle: clean.handle,
  });
  return govAccountById(ex, access, tenantId, id!);
}

/** Changes an open account's registry fields; closed and merged accounts stay as they were. */
export async function updateGovAccount(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  id: string,
  patch: Partial<GovAccountInput>,
): Promise<GovAccountView> {
  access.require(GOV_ACCOUNT_ROLES.manage);
  const current = isUuid(id) ? await repo.accountRow(ex, tenantId, id) : undefined;
  if (!current) throw new GovAccountError('GOV_ACCOUNT_NOT_FOUND');
  if (RETIRED.includes(current.status)) throw new GovAccountError('GOV_ACCOUNT_RETIRED');
  const clean = checkAccountInput(patch, false);
  const operation = clean.operation ?? current.operation;
  const operatorOrgId = clean.operatorOrgId !== undefined ? clean.operatorOrgId : current.operator_org_id;
  if (operation === 'operator' && !isUuid(operatorOrgId ?? ''))
    throw new GovAccountError('GOV_ACCOUNT_INVALID', '代运营须选择代运营机构', 'operatorOrgId');
  const contractStart = clean.contractStart !== undefined ? clean.contractStart : current.contract_start;
  const contractEnd = clean.contractEnd !== undefined ? clean.contractEnd : current.contract_end;
  if (contractStart && contractEnd && contractEnd < contractStart)
    throw new GovAccountError('GOV_ACCOUNT_INVALID', '合同结束日期不能早于开始日期', 'contractEnd');
  if (clean.unitId !== undefined) await checkUnit(ex, tenantId, clean.unitId);
  const platform = clean.platform ?? current.platform;
  const key = handleKey(clean.handle ?? current.handle);
  if (platform !== current.platform || key !== current.handle_key) {
    if ((await repo.accountsByKeys(ex, tenantId, [{ platform, key }])).some((a) => a.id !== id))
      throw new GovAccountError('GOV_ACCOUNT_HANDLE_TAKEN', undefined, 'handle');
  }
  const set: repo.AccountPatchRow = {
    ...(clean.platform !== undefined ? { platform: clean.platform } : {}),
    ...(clean.name !== undefined ? { name: clean.name } : {}),
    ...(clean.handle !== undefined ? { handle: clean.handle, handle_key: key } : {}),
    ...(clean.unitId !== undefined ? { unit_id: clean.unitId } : {}),
    ...(clean.verifiedSubject !== undefined ? { verified_subject: clean.verifiedSubject } : {}),
    ...(clean.sponsor !== undefined ? { sponsor: clean.sponsor } : {}),
    ...(clean.supervisor !== undefined ? { supervisor: clean.supervisor } : {}),
    ...(clean.filingNo !== undefined ? { filing_no: clean.filingNo } : {}),
    ...(clean.reviewers !== undefined ? { reviewers: clean.reviewers } : {}),
    ...(clean.note !== undefined ? { note: clean.note } : {}),
    ...(clean.feedUrl !== undefined ? { feed_url: clean.feedUrl, feed_error: null, feed_checked_at: null } : {}),
    ...(clean.contractStart !== undefined ? { contract_start: clean.contractStart } : {}),
    ...(clean.contractEnd !== undefined ? { contract_end: clean.contractEnd } : {}),
    ...(clean.status !== undefined && !RETIRED.includes(clean.status) ? { status: clean.status } : {}),
    operation,
    operator_org_id: operation === 'operator' ? operatorOrgId : null,
  };
  if (clean.status !== undefined && RETIRED.includes(clean.status))
    throw new GovAccountError('GOV_ACCOUNT_INVALID', '注销或合并请使用“注销/合并”操作', 'status');
  if (clean.status !== undefined && clean.status !== current.status) await refuseUnderClosure(ex, tenantId, id);
  await repo.updateAccount(ex, tenantId, id, set).catch(refused);
  await changed(ex, actor, tenantId, id, 'update', { fields: Object.keys(patch) });
  return govAccountById(ex, access, tenantId, id);
}

/** An account in a closure (关停并转) changes status only through the closure's steps. */
async function refuseUnderClosure(ex: Executor, tenantId: string, id: string): Promise<void> {
  if (await openClosureOf(ex, tenantId, id, OPEN_CLOSURE))
    throw new GovAccountError('GOV_ACCOUNT_INVALID', '该账号有进行中的关停并转申请，请在“关停并转”中办理', 'status');
}

/**
 * Records that an account is closing, closed (注销) or merged into another: the registry keeps it
 * as history, it is no longer checked. (The closure workflow with its notice and approvals is a later step.)
 */
export async function retireGovAccount(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  id: string,
  status: Exclude<GovAccountStatus, 'active'>,
  note?: string,
): Promise<GovAccountView> {
  access.require(GOV_ACCOUNT_ROLES.manage);
  if (!['closing', 'closed', 'merged'].includes(status))
    throw new GovAccountError('GOV_ACCOUNT_INVALID', '状态应为关停中、已注销或已合并', 'status');
  const current = isUuid(id) ? await repo.accountRow(ex, tenantId, id) : undefined;
  if (!current) throw new GovAccountError('GOV_ACCOUNT_NOT_FOUND');
  if (RETIRED.includes(current.status)) throw new GovAccountError('GOV_ACCOUNT_RETIRED');
  await refuseUnderClosure(ex, tenantId, id);
  const reason = (note ?? '').trim();
  if (reason.length > 500) throw new GovAccountError('GOV_ACCOUNT_INVALID', '说明不能超过 500 个字符', 'note');
  await repo.updateAccount(ex, tenantId, id, { status, ...(reason ? { note: reason } : {}) });
  await changed(ex, actor, tenantId, id, 'retire', { from: current.status, to: status, note: reason });
  return govAccountById(ex, access, tenantId, id);
}

/** Enters an account's last update and figures by hand. */
export async function recordGovAccountActivity(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  id: string,
  activity: ActivityInput,
): Promise<GovAccountView> {
  access.require(GOV_ACCOUNT_ROLES.manage);
  checkActivity(activity);
  const current = isUuid(id) ? await repo.accountRow(ex, tenantId, id) : undefined;
  if (!current) throw new GovAccountError('GOV_ACCOUNT_NOT_FOUND');
  const figures = activity.followers !== undefined || activity.posts !== undefined || activity.reads !== undefined;
  await repo.updateAccount(ex, tenantId, id, {
    ...(activity.lastUpdatedAt !== undefined ? { last_updated_at: activity.lastUpdatedAt } : {}),
    ...(activity.followers !== undefined ? { followers: activity.followers } : {}),
    ...(activity.posts !== undefined ? { posts: activity.posts } : {}),
    ...(activity.reads !== undefined ? { reads: activity.reads } : {}),
    ...(figures ? { figures_at: new Date() } : {}),
    activity_source: 'manual',
  });
  await changed(ex, actor, tenantId, id, 'activity', {
    lastUpdatedAt: activity.lastUpdatedAt?.toISOString() ?? null,
    followers: activity.followers,
    posts: activity.posts,
    reads: activity.reads,
  });
  return govAccountById(ex, access, tenantId, id);
}

// ---------------------------------------------------------------- thresholds

export interface GovThresholdsAnswer {
  /** what applies to the tenant's own accounts: the strictest along its chain, else the defaults */
  effective: GovThresholds;
  /** the tenant's own setting, if any */
  own: GovThresholdSetting | null;
  /** its ancestors' settings, nearest first */
  inherited: GovThresholdSetting[];
}

export async function govAccountThresholds(ex: Executor, tenantId: string): Promise<GovThresholdsAnswer> {
  const chain = await repo.thresholdChain(ex, tenantId);
  return {
    effective: effectiveThresholds(chain),
    own: chain.find((s) => s.tenantId === tenantId) ?? null,
    inherited: chain.filter((s) => s.tenantId !== tenantId),
  };
}

/**
 * A province or a city sets the thresholds of its subtree (null clears its setting). Its ancestors'
 * settings still apply, so a city can make them stricter, never looser; the combination must stay
 * ordered (warn < fail < zombie).
 */
export async function setGovAccountThresholds(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenant: Pick<Tenant, 'id' | 'level'>,
  values: Partial<GovThresholds> | null,
): Promise<GovThresholdsAnswer> {
  access.require(GOV_ACCOUNT_ROLES.editThresholds);
  if (tenant.level === 'county') throw new GovAccountError('GOV_THRESHOLDS_LEVEL');
  if (values === null) {
    await repo.clearThresholds(ex, tenant.id);
  } else {
    const own = {
      warnDays: values.warnDays ?? null,
      failDays: values.failDays ?? null,
      zombieDays: values.zombieDays ?? null,
    };
    const given = Object.values(own).filter((v) => v !== null) as number[];
    if (given.length === 0) throw new GovAccountError('GOV_THRESHOLDS_INVALID', '请至少填写一项天数');
    if (given.some((v) => !Number.isInteger(v) || v < 1 || v > 730))
      throw new GovAccountError('GOV_THRESHOLDS_INVALID', '天数应为 1 到 730 的整数');
    const inherited = (await repo.thresholdChain(ex, tenant.id)).filter((s) => s.tenantId !== tenant.id);
    // an ancestor's setting is the floor: a looser value would silently not apply, so it is refused
    const floor = effectiveThresholds(inherited);
    const labels = { warnDays: '预警', failDays: '不合格', zombieDays: '僵尸' } as const;
    for (const k of Object.keys(labels) as (keyof GovThresholds)[]) {
      const v = own[k];
      const set = inherited.some((s) => s[k] !== null);
      if (v !== null && set && v > floor[k])
        throw new GovAccountError('GOV_THRESHOLDS_INVALID', `${labels[k]}天数不能比上级规定的 ${floor[k]} 天更宽松`);
    }
    checkThresholds(effectiveThresholds([...inherited, own]));
    await repo.saveThresholds(ex, tenant.id, own, actor.name);
  }
  await appendAudit(ex, actor, {
    tenantId: tenant.id,
    action: 'gov_account.thresholds',
    targetKind: 'gov_account_thresholds',
    targetId: tenant.id,
    detail: { values },
  });
  await enqueue(ex, {
    tenantId: tenant.id,
    topic: ACCOUNT_TOPICS.govThresholdsChanged,
    payload: { tenantId: tenant.id },
  });
  return govAccountThresholds(ex, tenant.id);
}

// ---------------------------------------------------------------- import and export

export const IMPORT_MAX_ROWS = 5000;

export interface ImportProblem {
  /** the row number a spreadsheet shows (the header is row 1) */
  row: number;
  reason: string;
}

export interface ImportReport {
  /** data rows read (blank rows not counted) */
  rows: number;
  created: number;
  updated: number;
  problems: ImportProblem[];
  dryRun: boolean;
  accountIds: string[];
}

export interface ImportOptions {
  /** the platform's operator organisations (read in platform scope by the caller) */
  organisations: readonly Pick<OrganisationView, 'id' | 'name'>[];
  /** an account already registered is updated from its row instead of reported */
  updateExisting?: boolean;
  /** report only, write nothing */
  dryRun?: boolean;
  now?: number;
}

/**
 * Imports a registry sheet (CSV text, or the rows of a workbook read by `readSheetFile`) into the tenant, in the caller's transaction: every row is
 * read and checked first; bad rows are reported with their row number and reason and skipped; the
 * good ones are written together. A file that is not a registry sheet at all (unreadable CSV, no
 * header, too many rows) writes nothing. One audit record and one event for the import.
 */
export async function importGovAccounts(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  sheet: string | readonly CsvRow[],
  opts: ImportOptions,
): Promise<ImportReport> {
  access.require(GOV_ACCOUNT_ROLES.manage);
  if (typeof sheet === 'string' && sheet.length > 10 * 1024 * 1024)
    throw new GovAccountError('GOV_IMPORT_MALFORMED', '文件过大（不超过 10 MB）');
  const rows = typeof sheet === 'string' ? parseCsv(sheet) : sheet;
  if (rows.length === 0) throw new GovAccountError('GOV_IMPORT_MALFORMED', '文件是空的');
  const at = headerIndex(rows[0]!.fields);
  const data = rows.slice(1);
  if (data.length === 0) throw new GovAccountError('GOV_IMPORT_MALFORMED', '文件只有表头，没有数据行');
  if (data.length > IMPORT_MAX_ROWS)
    throw new GovAccountError('GOV_IMPORT_MALFORMED', `一次最多导入 ${IMPORT_MAX_ROWS} 行，请分批导入`);
  const units = new Map((await unitsOf(ex, tenantId)).map((u) => [u.name, u.id]));
  const organisations = new Map(opts.organisations.map((o) => [o.name, o.id]));
  const look = { units, organisations, now: opts.now ?? Date.now() };
  const example = templateRows().example;

  const problems: ImportProblem[] = [];
  const good: { row: number; sheet: SheetAccount; key: string }[] = [];
  const seen = new Map<string, number>();
  for (const r of data) {
    if (r.fields.length === example.length && r.fields.every((f, i) => f.trim() === example[i])) {
      problems.push({ row: r.row, reason: '这是模板的示例行，未导入' });
      continue;
    }
    try {
      const sheet = readSheetRow(r.fields, at, look);
      const key = `${sheet.input.platform}\u0000${handleKey(sheet.input.handle)}`;
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push({ row: r.row, reason: `与第 ${first} 行是同一平台的同一账号（账号ID或网址重复）` });
        continue;
      }
      seen.set(key, r.row);
      good.push({ row: r.row, sheet, key });
    } catch (err) {
      if (!isGovAccountError(err)) throw err;
      problems.push({ row: r.row, reason: err.message.replace(/^账号信息不符合要求：/, '') });
    }
  }
  const existing = new Map(
    (
      await repo.accountsByKeys(
        ex,
        tenantId,
        good.map((g) => ({ platform: g.sheet.input.platform, key: handleKey(g.sheet.input.handle) })),
      )
    ).map((a) => [`${a.platform}\u0000${a.handle_key}`, a]),
  );
  const creates: typeof good = [];
  const updates: { row: number; sheet: SheetAccount; id: string }[] = [];
  for (const g of good) {
    const found = existing.get(g.key);
    if (!found) creates.push(g);
    else if (!opts.updateExisting)
      problems.push({
        row: g.row,
        reason: '该平台上已登记同一账号（账号ID或网址重复）；如需用本文件更新已登记账号，请勾选“更新已登记的账号”',
      });
    else if (RETIRED.includes(found.status)) problems.push({ row: g.row, reason: '该账号已注销或已合并，不能再更新' });
    else updates.push({ row: g.row, sheet: g.sheet, id: found.id });
  }
  problems.sort((a, b) => a.row - b.row);
  const report: ImportReport = {
    rows: data.length,
    created: creates.length,
    updated: updates.length,
    problems,
    dryRun: opts.dryRun ?? false,
    accountIds: [],
  };
  if (opts.dryRun || (creates.length === 0 && updates.length === 0)) return report;

  const ids = await repo
    .insertAccounts(
      ex,
      creates.map((c) => rowOf(tenantId, c.sheet.input, c.sheet.activity, 'import', staffId(actor))),
    )
    .catch(refused);
  for (const u of updates) {
    const { input, activity, hasActivity } = u.sheet;
    const row = rowOf(tenantId, input, activity, 'import', null);
    const { tenant_id: _t, created_by: _c, ...fields } = row;
    void _t;
    void _c;
    const set: repo.AccountPatchRow = { ...fields };
    if (!hasActivity) {
      // a row without activity leaves the recorded activity as it was
      for (const k of ['last_updated_at', 'followers', 'posts', 'reads', 'figures_at', 'activity_source'] as const)
        delete set[k];
    }
    await repo.updateAccount(ex, tenantId, u.id, set).catch(refused);
  }
  report.accountIds = [...ids, ...updates.map((u) => u.id)];
  await appendAudit(ex, actor, {
    tenantId,
    action: 'gov_account.import',
    targetKind: 'gov_account',
    detail: { rows: report.rows, created: ids, updated: updates.map((u) => u.id), problems: problems.length },
  });
  await enqueue(ex, {
    tenantId,
    topic: ACCOUNT_TOPICS.govAccountChanged,
    payload: { accountIds: report.accountIds, action: 'import' },
  });
  return report;
}

/** The template to fill in: the header row (Chinese) and an example row. */
export function govAccountTemplateCsv(): string {
  const { header, example } = templateRows();
  return toCsv(header, [example]);
}

/** The template as an Excel workbook (.xlsx): the same header and example row. */
export function govAccountTemplateXlsx(): Promise<Buffer> {
  const { header, example } = templateRows();
  return writeXlsx('台账模板', header, [example]);
}

/** The subtree's registry as CSV (the template's columns first, so it can be edited and imported again). */
export async function exportGovAccountsCsv(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  filter: GovAccountFilter,
  organisationName: (id: string) => string | null,
  day: string = today(),
): Promise<string> {
  const rows = await exportRows(ex, access, rootTenantId, filter, organisationName, day);
  return toCsv(exportHeader(), rows);
}

/** The same export as an Excel workbook (.xlsx). */
export async function exportGovAccountsXlsx(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  filter: GovAccountFilter,
  organisationName: (id: string) => string | null,
  day: string = today(),
): Promise<Buffer> {
  const rows = await exportRows(ex, access, rootTenantId, filter, organisationName, day);
  return writeXlsx('政务新媒体台账', exportHeader(), rows);
}

async function exportRows(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  filter: GovAccountFilter,
  organisationName: (id: string) => string | null,
  day: string,
): Promise<unknown[][]> {
  access.require(GOV_ACCOUNT_ROLES.read);
  const rows = await repo.listAccountRows(ex, { rootTenantId, filter, today: day, limit: 100_000, offset: 0 });
  return rows.map(toView).map((a) => exportRow(a, a.operatorOrgId ? organisationName(a.operatorOrgId) : null));
}

// ---------------------------------------------------------------- activity read from feeds

export { feedsDue, type FeedDue } from './repo.js';

/** A feed's item count is not the account's number of posts (feeds carry the latest few), so only the date is used. */
export type FeedReading = { ok: true; latest: Date | null; items: number } | { ok: false; error: string };

/**
 * Records what the worker read from an account's feed (in the account's tenant scope or platform
 * scope): a newer last update moves the account's activity forward (never back: a hand-entered or
 * imported later update stands) and is audited; a failure is kept as the reason, shown in the registry.
 */
export async function recordFeedReading(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  id: string,
  reading: FeedReading,
  now: Date = new Date(),
): Promise<void> {
  const current = await repo.accountRow(ex, tenantId, id);
  if (!current) return;
  if (!reading.ok) {
    await repo.updateAccount(ex, tenantId, id, { feed_checked_at: now, feed_error: reading.error.slice(0, 200) });
    return;
  }
  const newer =
    reading.latest !== null && (current.last_updated_at === null || reading.latest > current.last_updated_at);
  await repo.updateAccount(ex, tenantId, id, {
    feed_checked_at: now,
    feed_error: null,
    ...(newer ? { last_updated_at: reading.latest, activity_source: 'feed' as const } : {}),
  });
  if (newer)
    await changed(ex, actor, tenantId, id, 'activity', {
      source: 'feed',
      lastUpdatedAt: reading.latest!.toISOString(),
    });
}

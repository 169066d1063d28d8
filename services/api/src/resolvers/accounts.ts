import {
  createGovAccount,
  DomainError,
  exportGovAccountsCsv,
  exportGovAccountsXlsx,
  govAccountById,
  govAccountCapabilities,
  govAccountCost,
  govAccountCounts,
  govAccountDashboard,
  govOwnChannels,
  govAccountTemplateCsv,
  govAccountTemplateXlsx,
  govAccountThresholds,
  importGovAccounts,
  isCalendarDay,
  isUuid,
  listGovAccounts,
  listOrganisations,
  readSheetFile,
  recordGovAccountActivity,
  retireGovAccount,
  setGovAccountCost,
  setGovAccountThresholds,
  tenantById,
  updateGovAccount,
  type ActivityInput,
  type CsvRow,
  type GovAccountCostAnswer,
  type Access,
  type Actor,
  type GovAccountFilter,
  type GovAccountInput,
} from '@yiduan/core';
import { withPlatform, type Trx } from '@yiduan/db';
import type { GovAccountFilter as FilterArg, GovActivityInput, Resolvers } from '@yiduan/schema';
import { requireViewer } from '../auth.js';
import type { GraphQLContext } from '../context.js';
import { nearestHeldTenant } from './via.js';

/**
 * The registry of government new-media accounts over GraphQL. Reads go through the tenant asked
 * for or its nearest ancestor where the viewer holds a role (`via`), in that tenant's scope, so
 * row-level security shows exactly its subtree: a county its own accounts, a city its counties',
 * the province everything; a sibling is FORBIDDEN. Writes happen in the owning tenant only. No SQL
 * here: core's accounts context does it.
 */

const lower = <const T extends string>(...names: T[]) =>
  Object.fromEntries(names.map((n) => [n, n.toLowerCase()])) as { [K in T]: Lowercase<K> };

/** The nearest tenant, the target itself or an ancestor, where the viewer holds a role. */
export function viaTenant(ctx: GraphQLContext, target: string): Promise<string> {
  return nearestHeldTenant(ctx, target, '只能查看本单位及下级单位的政务新媒体台账');
}

export function inReadScope<T>(
  ctx: GraphQLContext,
  target: string,
  fn: (trx: Trx, access: Access) => Promise<T>,
): Promise<T> {
  return viaTenant(ctx, target).then((via) => ctx.inTenant(via, (trx, access) => fn(trx, access)));
}

function costView(tenantId: string, c: GovAccountCostAnswer) {
  return {
    tenantId,
    effective: c.effective,
    own: c.own,
    inherited: c.inherited?.yuanPerYear ?? null,
    inheritedFrom: c.inherited?.tenantName ?? null,
  };
}

function filterOf(f: FilterArg | null | undefined): GovAccountFilter {
  if (!f) return {};
  for (const id of [f.tenantId, f.unitId])
    if (id && !isUuid(id)) throw new DomainError('BAD_USER_INPUT', '筛选条件中的编号不正确');
  if ((f.search ?? '').length > 100) throw new DomainError('BAD_USER_INPUT', '搜索词过长');
  return {
    platform: f.platform,
    health: f.health,
    status: f.status,
    duplicate: f.duplicate,
    tenantId: f.tenantId,
    unitId: f.unitId,
    search: f.search?.trim() || null,
  };
}

function dayArg(asOf: string | null | undefined): string | undefined {
  if (asOf === null || asOf === undefined) return undefined;
  if (!isCalendarDay(asOf)) throw new DomainError('BAD_USER_INPUT', '日期格式应为 YYYY-MM-DD');
  return asOf;
}

const count = (v: number | null | undefined): number | null | undefined =>
  v === null || v === undefined ? v : Number.isSafeInteger(v) && v >= 0 ? v : Number.NaN;
const instant = (v: Date | string | null | undefined): Date | null | undefined =>
  v === null || v === undefined ? v : v instanceof Date ? v : new Date(v);

function activityOf(i: GovActivityInput | null | undefined): ActivityInput {
  if (!i) return {};
  const out: ActivityInput = {};
  if (i.lastUpdatedAt !== undefined) out.lastUpdatedAt = instant(i.lastUpdatedAt);
  if (i.followers !== undefined) out.followers = count(i.followers);
  if (i.posts !== undefined) out.posts = count(i.posts);
  if (i.reads !== undefined) out.reads = count(i.reads);
  return out;
}

type AccountArgs = { [K in keyof GovAccountInput]?: GovAccountInput[K] | null } & { operatorId?: string | null };

/** GraphQL's input into core's: absent stays absent (a patch), null clears a nullable field. */
function accountInputOf(i: AccountArgs): Partial<GovAccountInput> {
  const out: Partial<GovAccountInput> = {};
  const put = <K extends keyof GovAccountInput>(k: K, v: GovAccountInput[K] | null | undefined, nullable = false) => {
    if (v === undefined || (v === null && !nullable)) return;
    out[k] = v as GovAccountInput[K];
  };
  put('platform', i.platform);
  put('name', i.name);
  put('handle', i.handle);
  put('unitId', i.unitId, true);
  put('verifiedSubject', i.verifiedSubject);
  put('sponsor', i.sponsor);
  put('supervisor', i.supervisor);
  put('filingNo', i.filingNo);
  put('operation', i.operation);
  put('operatorOrgId', i.operatorId, true);
  put('contractStart', i.contractStart, true);
  put('contractEnd', i.contractEnd, true);
  put('reviewers', i.reviewers);
  put('note', i.note);
  put('feedUrl', i.feedUrl, true);
  put('status', i.status);
  return out;
}

async function organisationNames(ctx: GraphQLContext): Promise<{ id: string; name: string }[]> {
  return withPlatform(ctx.db, (trx) => listOrganisations(trx));
}

/** The sheet to import: CSV text as given, or a file's bytes (an .xlsx workbook, or CSV in UTF-8 or GBK). */
async function sheetOf(args: { csv?: string | null; file?: string | null }): Promise<string | CsvRow[]> {
  if (args.csv && args.file) throw new DomainError('BAD_USER_INPUT', '请只提供文件或文本中的一种');
  if (typeof args.csv === 'string') return args.csv;
  if (typeof args.file === 'string') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(args.file)) throw new DomainError('BAD_USER_INPUT', '导入文件编码不正确');
    const bytes = Buffer.from(args.file, 'base64');
    if (bytes.length > 10 * 1024 * 1024) throw new DomainError('BAD_USER_INPUT', '文件过大（不超过 10 MB）');
    return readSheetFile(bytes);
  }
  throw new DomainError('BAD_USER_INPUT', '请选择要导入的文件');
}

export const accountResolvers: Resolvers<GraphQLContext> = {
  GovPlatform: lower('WECHAT', 'WEIBO', 'DOUYIN', 'KUAISHOU', 'TOUTIAO', 'BILIBILI', 'APP', 'WEBSITE', 'OTHER'),
  GovAccountStatus: lower('ACTIVE', 'CLOSING', 'CLOSED', 'MERGED'),
  GovOperation: lower('SELF', 'OPERATOR'),
  GovHealth: lower('OK', 'WARN', 'FAIL', 'ZOMBIE', 'UNKNOWN'),
  GovActivitySource: lower('MANUAL', 'IMPORT', 'FEED'),
  // GovAccount.tenant, .operator and GovThresholdSetting.tenant: batched (loaders/accounts.ts)
  GovAccountThresholds: {
    tenant: async (p, _a, ctx) => {
      const t = await tenantById(ctx.db, p.tenantId);
      if (!t) throw new DomainError('TENANT_NOT_FOUND');
      return t;
    },
  },
  Query: {
    govAccounts: (_r, { tenantId, filter, first, offset, asOf }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) =>
        listGovAccounts(trx, access, tenantId, filterOf(filter), { first, offset }, dayArg(asOf)),
      ),
    govAccount: (_r, { tenantId, id }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) => govAccountById(trx, access, tenantId, id)),
    govAccountCounts: (_r, { tenantId, asOf }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) => govAccountCounts(trx, access, tenantId, dayArg(asOf))),
    govAccountDashboard: (_r, { tenantId, asOf }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) => govAccountDashboard(trx, access, tenantId, dayArg(asOf))),
    govOwnChannels: (_r, { tenantId, asOf }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) => govOwnChannels(trx, access, tenantId, dayArg(asOf))),
    govAccountCost: (_r, { tenantId }, ctx) =>
      inReadScope(ctx, tenantId, async (trx, access) =>
        costView(tenantId, await govAccountCost(trx, access, tenantId)),
      ),
    govAccountThresholds: (_r, { tenantId }, ctx) =>
      inReadScope(ctx, tenantId, async (trx) => ({ tenantId, ...(await govAccountThresholds(trx, tenantId)) })),
    govAccountCapabilities: async (_r, { tenantId }, ctx) => {
      try {
        return await ctx.inTenant(tenantId, async (trx, access) =>
          govAccountCapabilities(access, (await tenantById(trx, tenantId))!),
        );
      } catch (err) {
        // no role in the tenant is an answer here, not an error
        if (err instanceof DomainError && err.code === 'FORBIDDEN')
          return { read: false, manage: false, editThresholds: false };
        throw err;
      }
    },
    govAccountTemplate: (_r, _a, ctx) => {
      requireViewer(ctx);
      return govAccountTemplateCsv();
    },
    govAccountExport: async (_r, { tenantId, filter }, ctx) => {
      const f = filterOf(filter);
      const names = new Map((await organisationNames(ctx)).map((o) => [o.id, o.name]));
      return inReadScope(ctx, tenantId, (trx, access) =>
        exportGovAccountsCsv(trx, access, tenantId, f, (id) => names.get(id) ?? null),
      );
    },
    govAccountTemplateXlsx: async (_r, _a, ctx) => {
      requireViewer(ctx);
      return (await govAccountTemplateXlsx()).toString('base64');
    },
    govAccountExportXlsx: async (_r, { tenantId, filter }, ctx) => {
      const f = filterOf(filter);
      const names = new Map((await organisationNames(ctx)).map((o) => [o.id, o.name]));
      const bytes = await inReadScope(ctx, tenantId, (trx, access) =>
        exportGovAccountsXlsx(trx, access, tenantId, f, (id) => names.get(id) ?? null),
      );
      return bytes.toString('base64');
    },
    govAccountOperators: async (_r, { tenantId }, ctx) => {
      await ctx.inTenant(tenantId, async (_trx, access) => access.require(['tenant_admin', 'chief_editor']));
      return withPlatform(ctx.db, (trx) => listOrganisations(trx));
    },
  },
  Mutation: {
    createGovAccount: (_r, { tenantId, input }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) =>
        createGovAccount(trx, access, actor, tenantId, accountInputOf(input) as GovAccountInput, activityOf(input)),
      ),
    updateGovAccount: (_r, { tenantId, id, input }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) =>
        updateGovAccount(trx, access, actor, tenantId, id, accountInputOf(input)),
      ),
    retireGovAccount: (_r, { tenantId, id, status, note }, ctx) => {
      if (status === 'active') throw new DomainError('BAD_USER_INPUT', '状态应为关停中、已注销或已合并');
      return ctx.inTenant(tenantId, (trx, access, actor) =>
        retireGovAccount(trx, access, actor, tenantId, id, status, note ?? undefined),
      );
    },
    recordGovAccountActivity: (_r, { tenantId, id, input }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) =>
        recordGovAccountActivity(trx, access, actor, tenantId, id, activityOf(input)),
      ),
    importGovAccounts: async (_r, { tenantId, csv, file, dryRun, updateExisting }, ctx) => {
      requireViewer(ctx);
      const text = await sheetOf({ csv, file });
      const organisations = await organisationNames(ctx);
      return ctx.inTenant(tenantId, (trx, access, actor: Actor) =>
        importGovAccounts(trx, access, actor, tenantId, text, {
          organisations,
          dryRun: dryRun ?? false,
          updateExisting: updateExisting ?? false,
        }),
      );
    },
    setGovAccountCost: (_r, { tenantId, yuanPerYear }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) => {
        const tenant = await tenantById(trx, tenantId);
        if (!tenant) throw new DomainError('TENANT_NOT_FOUND');
        return costView(tenantId, await setGovAccountCost(trx, access, actor, tenant, yuanPerYear ?? null));
      }),
    setGovAccountThresholds: (_r, { tenantId, input }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) => {
        const tenant = await tenantById(trx, tenantId);
        if (!tenant) throw new DomainError('TENANT_NOT_FOUND');
        const values = input
          ? {
              warnDays: input.warnDays ?? undefined,
              failDays: input.failDays ?? undefined,
              zombieDays: input.zombieDays ?? undefined,
            }
          : null;
        return { tenantId, ...(await setGovAccountThresholds(trx, access, actor, tenant, values)) };
      }),
  },
};

import {
  CLOSURE_STATUS_NAMES,
  decideGovAccountClosure,
  decodeSpreadsheetText,
  deregisterGovAccount,
  DomainError,
  draftGovAccountClosureNotice,
  GOV_CLOSURE_ROLES,
  govAccountClosureById,
  importGovAccountClosureContent,
  isCalendarDay,
  isUuid,
  listGovAccountClosures,
  proposeGovAccountClosure,
  publishGovAccountClosureContent,
  publishGovAccountClosureNotice,
  recordGovAccountClosureFiling,
  withdrawGovAccountClosure,
} from '@yiduan/core';
import type { Resolvers } from '@yiduan/schema';
import { requireViewer } from '../auth.js';
import type { GraphQLContext } from '../context.js';
import { inReadScope } from './accounts.js';

/**
 * Closures (关停并转) over GraphQL. Reads go through the tenant asked for or its nearest ancestor
 * where the viewer holds a role, in that tenant's scope (row-level security shows its subtree);
 * the decision runs in the deciding parent's own scope; every other step in the owning tenant's.
 * No SQL here: core's accounts context does it.
 */

const lower = <const T extends string>(...names: T[]) =>
  Object.fromEntries(names.map((n) => [n, n.toLowerCase()])) as { [K in T]: Lowercase<K> };

function fileText(args: { text?: string | null; file?: string | null }): string {
  if (args.text && args.file) throw new DomainError('BAD_USER_INPUT', '请只提供文件或文本中的一种');
  if (typeof args.text === 'string') return args.text;
  if (typeof args.file === 'string') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(args.file)) throw new DomainError('BAD_USER_INPUT', '导入文件编码不正确');
    return decodeSpreadsheetText(Buffer.from(args.file, 'base64'));
  }
  throw new DomainError('BAD_USER_INPUT', '请选择要导入的文件');
}

function dayArg(asOf: string | null | undefined): string | undefined {
  if (asOf === null || asOf === undefined) return undefined;
  if (!isCalendarDay(asOf)) throw new DomainError('BAD_USER_INPUT', '日期格式应为 YYYY-MM-DD');
  return asOf;
}

export const accountClosureResolvers: Resolvers<GraphQLContext> = {
  GovClosureKind: lower('CLOSE', 'MERGE'),
  GovClosureStatus: lower('PROPOSED', 'APPROVED', 'DECLINED', 'WITHDRAWN', 'NOTICED', 'DEREGISTERED', 'FILED'),
  GovAccountClosure: {
    statusName: (c) => CLOSURE_STATUS_NAMES[c.status],
  },
  Query: {
    govAccountClosures: (_r, { tenantId, status, accountId, first, offset, asOf }, ctx) => {
      if (accountId && !isUuid(accountId)) throw new DomainError('BAD_USER_INPUT', '筛选条件中的编号不正确');
      const day = dayArg(asOf);
      return inReadScope(ctx, tenantId, (trx, access) =>
        listGovAccountClosures(trx, access, tenantId, { status, accountId }, { first, offset }, day),
      );
    },
    govAccountClosure: (_r, { tenantId, id }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) => govAccountClosureById(trx, access, tenantId, id)),
    govAccountClosureCapabilities: async (_r, { tenantId }, ctx) => {
      try {
        return await ctx.inTenant(tenantId, async (_trx, access) => ({
          read: access.hasAny(GOV_CLOSURE_ROLES.read),
          manage: access.hasAny(GOV_CLOSURE_ROLES.manage),
          decide: access.hasAny(GOV_CLOSURE_ROLES.decide),
          publish: access.hasAny(GOV_CLOSURE_ROLES.publish),
        }));
      } catch (err) {
        // no role in the tenant is an answer here, not an error
        if (err instanceof DomainError && err.code === 'FORBIDDEN')
          return { read: false, manage: false, decide: false, publish: false };
        throw err;
      }
    },
  },
  Mutation: {
    proposeGovAccountClosure: (_r, { tenantId, input }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) =>
        proposeGovAccountClosure(trx, access, actor, tenantId, {
          accountId: input.accountId,
          kind: input.kind,
          successorAccountId: input.successorAccountId ?? null,
          sectionId: input.sectionId ?? null,
          reason: input.reason,
        }),
      ),
    decideGovAccountClosure: (_r, { tenantId, id, approve, note }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) =>
        decideGovAccountClosure(trx, access, actor, tenantId, id, approve, note ?? ''),
      ),
    withdrawGovAccountClosure: (_r, { tenantId, id }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) => withdrawGovAccountClosure(trx, access, actor, tenantId, id)),
    draftGovAccountClosureNotice: (_r, { tenantId, id }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) => draftGovAccountClosureNotice(trx, access, actor, tenantId, id)),
    publishGovAccountClosureNotice: (_r, { tenantId, id }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) => publishGovAccountClosureNotice(trx, access, actor, tenantId, id)),
    importGovAccountClosureContent: (_r, { tenantId, id, text, file }, ctx) => {
      requireViewer(ctx);
      const body = fileText({ text, file });
      return ctx.inTenant(tenantId, (trx, access, actor) =>
        importGovAccountClosureContent(trx, access, actor, tenantId, id, body),
      );
    },
    publishGovAccountClosureContent: (_r, { tenantId, id }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) => publishGovAccountClosureContent(trx, access, actor, tenantId, id)),
    deregisterGovAccount: (_r, { tenantId, id, at }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) =>
        deregisterGovAccount(
          trx,
          access,
          actor,
          tenantId,
          id,
          at ? (at instanceof Date ? at : new Date(at)) : undefined,
        ),
      ),
    recordGovAccountClosureFiling: (_r, { tenantId, id, reference }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) =>
        recordGovAccountClosureFiling(trx, access, actor, tenantId, id, reference),
      ),
  },
};

import {
  checkGovWording,
  closeGovRound,
  DomainError,
  GOV_CHECKLIST,
  govRoundById,
  govRoundCapabilities,
  govRoundFindings,
  govRoundPassRates,
  govRoundReport,
  govRoundSamples,
  isUuid,
  issueGovFixOrder,
  listGovFixOrders,
  listGovRounds,
  openGovRound,
  overdueGovFixOrders,
  recheckGovFixOrder,
  recordGovRoundFinding,
  removeGovRoundFinding,
  tenantById,
} from '@yiduan/core';
import type { Resolvers } from '@yiduan/schema';
import { requireViewer } from '../auth.js';
import type { GraphQLContext } from '../context.js';
import { inReadScope } from './accounts.js';

/**
 * The inspection rounds over GraphQL. Reads go through the tenant asked for or its nearest ancestor
 * where the viewer holds a role (as the registry's), so row-level security shows exactly the
 * subtree's samples, findings and fix orders; writes happen in the round's own tenant. No SQL here.
 */

const lower = <const T extends string>(...names: T[]) =>
  Object.fromEntries(names.map((n) => [n, n.toLowerCase()])) as { [K in T]: Lowercase<K> };

const optionalId = (v: string | null | undefined, what: string): string | null => {
  if (v === null || v === undefined || v === '') return null;
  if (!isUuid(v)) throw new DomainError('BAD_USER_INPUT', `${what}编号不正确`);
  return v;
};

export const accountRoundResolvers: Resolvers<GraphQLContext> = {
  GovRoundStatus: lower('OPEN', 'CLOSED'),
  GovRoundVerdict: lower('EXCELLENT', 'PASS', 'FAIL', 'VETO'),
  GovFindingKind: lower('VETO', 'DEDUCTION'),
  GovFixOrderStatus: lower('OPEN', 'CLOSED'),
  Query: {
    govRoundChecklist: (_r, _a, ctx) => {
      requireViewer(ctx);
      return [...GOV_CHECKLIST];
    },
    govRoundCapabilities: async (_r, { tenantId }, ctx) => {
      try {
        return await ctx.inTenant(tenantId, async (trx, access) =>
          govRoundCapabilities(access, (await tenantById(trx, tenantId))!),
        );
      } catch (err) {
        // no role in the tenant is an answer here, not an error
        if (err instanceof DomainError && err.code === 'FORBIDDEN') return { read: false, inspect: false };
        throw err;
      }
    },
    govRounds: (_r, { tenantId, first, offset }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) => listGovRounds(trx, access, tenantId, { first, offset })),
    govRound: (_r, { tenantId, id }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) => govRoundById(trx, access, tenantId, id)),
    govRoundSamples: (_r, { tenantId, roundId, forTenant }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) =>
        govRoundSamples(trx, access, tenantId, roundId, { tenantId: optionalId(forTenant, '单位') }),
      ),
    govRoundFindings: (_r, { tenantId, roundId, forTenant, accountId }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) =>
        govRoundFindings(trx, access, tenantId, roundId, {
          tenantId: optionalId(forTenant, '单位'),
          accountId: optionalId(accountId, '账号'),
        }),
      ),
    govRoundPassRates: (_r, { tenantId, roundId }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) => govRoundPassRates(trx, access, tenantId, roundId)),
    govRoundReport: (_r, { tenantId, roundId, forTenant }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) => govRoundReport(trx, access, tenantId, roundId, forTenant)),
    govFixOrders: (_r, { tenantId, roundId, forTenant, status, overdueOnly }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) =>
        listGovFixOrders(trx, access, tenantId, {
          roundId: optionalId(roundId, '检查轮次'),
          tenantId: optionalId(forTenant, '单位'),
          status: status ?? null,
          overdueOnly: overdueOnly ?? false,
        }),
      ),
    govOverdueFixOrders: (_r, { tenantId }, ctx) =>
      inReadScope(ctx, tenantId, (trx, access) => overdueGovFixOrders(trx, access, tenantId)),
    govCheckWording: (_r, { tenantId, text }, ctx) => {
      if (text.length > 20_000) throw new DomainError('BAD_USER_INPUT', '粘贴的文字不超过 20000 个字符');
      return inReadScope(ctx, tenantId, (trx) => checkGovWording(trx, tenantId, text));
    },
  },
  Mutation: {
    openGovRound: (_r, { tenantId, input }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) => {
        const tenant = await tenantById(trx, tenantId);
        if (!tenant) throw new DomainError('TENANT_NOT_FOUND');
        return openGovRound(trx, access, actor, tenant, input);
      }),
    closeGovRound: (_r, { tenantId, id }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) => closeGovRound(trx, access, actor, tenantId, id)),
    recordGovRoundFinding: (_r, { tenantId, roundId, input }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) =>
        recordGovRoundFinding(trx, access, actor, tenantId, roundId, input),
      ),
    removeGovRoundFinding: (_r, { tenantId, roundId, findingId }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) =>
        removeGovRoundFinding(trx, access, actor, tenantId, roundId, findingId),
      ),
    issueGovFixOrder: (_r, { tenantId, roundId, input }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) => issueGovFixOrder(trx, access, actor, tenantId, roundId, input)),
    recheckGovFixOrder: (_r, { tenantId, id, fixed, note }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) =>
        recheckGovFixOrder(trx, access, actor, tenantId, id, fixed, note ?? ''),
      ),
  },
};

import {
  checkPeriod,
  checkWeights,
  childTenants,
  dayOf,
  dormancyWarnings,
  dormantAccounts,
  isDay,
  mergeWeights,
  rankingForViewer,
  rankingWeightsFor,
  saveAnalyticsSettings,
  tenantById,
  tenantMap,
  tenantSeries,
  tenantTotals,
  thresholdsFor,
  topStories,
  unitTotals,
  DomainError,
  type Period,
} from '@yiduan/core';
import { withPlatform, type Trx } from '@yiduan/db';
import type { Access, Actor } from '@yiduan/core';
import type { Resolvers } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';
import { nearestHeldTenant } from './via.js';

/**
 * The data layer over GraphQL. A viewer reads a tenant's figures through that tenant or its
 * nearest ancestor where they hold a role (`via`); the transaction runs in the via tenant's
 * scope, so row-level security shows exactly that tenant and its descendants. Siblings and
 * unrelated tenants: FORBIDDEN. Rankings compare peers across the province and show peers'
 * index and rank only.
 */
export type AnalyticsCtx = Pick<GraphQLContext, 'viewer' | 'db' | 'inTenant'>;

export function analyticsVia(ctx: AnalyticsCtx, target: string): Promise<string> {
  return nearestHeldTenant(ctx, target, '只能查看本单位及下级单位的统计数据');
}

/** Runs fn in the via tenant's scope for a target tenant; unit-limited members see nothing tenant-wide. */
export async function inAnalyticsScope<T>(
  ctx: AnalyticsCtx,
  target: string,
  fn: (trx: Trx, via: string, access: Access, actor: Actor) => Promise<T>,
): Promise<T> {
  const via = await analyticsVia(ctx, target);
  return ctx.inTenant(via, (trx, access, actor) => {
    if (access.unitScope !== null) throw new DomainError('FORBIDDEN', '政务号成员不能查看全单位统计数据');
    return fn(trx, via, access, actor);
  });
}

export function period(from: string, to: string): Period {
  return checkPeriod({ from, to });
}

const today = (): string => dayOf(Date.now());

export const analyticsResolvers: Resolvers<GraphQLContext> = {
  AnalyticsScope: { OWN: 'own', TREE: 'tree' },
  DormancyState: { SLEEPING: 'sleeping', DORMANT: 'dormant' },
  Query: {
    tenantAnalytics: (_r, { tenantId, from, to, scope }, ctx) => {
      const p = period(from, to);
      const s = scope ?? 'own';
      return inAnalyticsScope(ctx, tenantId, async (trx) => {
        const [daily, totals, tenant] = [
          await tenantSeries(trx, tenantId, s, p),
          await tenantTotals(trx, [tenantId], s, p),
          await tenantById(trx, tenantId),
        ];
        return {
          tenant: tenant!,
          scope: s,
          from,
          to,
          totals: totals.get(tenantId)!,
          daily: daily.map(({ day, ...figures }) => ({ day, figures })),
        };
      });
    },
    childAnalytics: (_r, { tenantId, from, to }, ctx) => {
      const p = period(from, to);
      return inAnalyticsScope(ctx, tenantId, async (trx) => {
        const children = await childTenants(trx, tenantId);
        const totals = await tenantTotals(
          trx,
          children.map((c) => c.id),
          'tree',
          p,
        );
        return children.map((c) => ({
          tenant: c,
          scope: 'tree' as const,
          from,
          to,
          totals: totals.get(c.id)!,
          daily: [],
        }));
      });
    },
    unitAnalytics: (_r, { tenantId, from, to }, ctx) => {
      const p = period(from, to);
      return inAnalyticsScope(ctx, tenantId, async (trx) =>
        (await unitTotals(trx, tenantId, p)).map(({ unitId, name, ...figures }) => ({ unitId, name, figures })),
      );
    },
    storyAnalytics: (_r, { tenantId, from, to, limit }, ctx) => {
      const p = period(from, to);
      return inAnalyticsScope(ctx, tenantId, async (trx) => {
        const stories = await topStories(trx, tenantId, p, limit ?? 20);
        const faces = await tenantMap(
          trx,
          stories.flatMap((s) => s.faces.map((f) => f.faceTenantId)),
        );
        return stories.map((s) => ({ ...s, faces: s.faces.map((f) => ({ ...f, face: faces.get(f.faceTenantId)! })) }));
      });
    },
    ranking: (_r, { tenantId, level, from, to }, ctx) => {
      const p = period(from, to);
      if (level === 'province') throw new DomainError('BAD_USER_INPUT', '省级只有一个租户，无需排行');
      return inAnalyticsScope(ctx, tenantId, async (_trx, via) =>
        // peers' figures are needed for the normalisation: computed in platform scope, then masked
        withPlatform(ctx.db, (ptrx) => rankingForViewer(ptrx, via, { kind: 'level', level }, p)),
      );
    },
    unitRanking: (_r, { tenantId, from, to }, ctx) => {
      const p = period(from, to);
      return inAnalyticsScope(ctx, tenantId, async (_trx, via) =>
        withPlatform(ctx.db, (ptrx) => rankingForViewer(ptrx, via, { kind: 'units', tenantId }, p)),
      );
    },
    dormantAccounts: (_r, { tenantId, asOf, all }, ctx) => {
      const day = asOf ?? today();
      if (!isDay(day)) throw new DomainError('BAD_USER_INPUT', '日期格式应为 YYYY-MM-DD');
      return inAnalyticsScope(ctx, tenantId, async (trx) => {
        const list = await dormantAccounts(trx, tenantId, day, { all: all ?? false });
        const tenants = await tenantMap(
          trx,
          list.map((a) => a.tenantId),
        );
        return list.map((a) => ({ ...a, tenant: tenants.get(a.tenantId)! }));
      });
    },
    dormancyWarnings: (_r, { tenantId, openOnly, first }, ctx) =>
      inAnalyticsScope(ctx, tenantId, async (trx) => {
        const warnings = await dormancyWarnings(trx, tenantId, { openOnly: openOnly ?? false, first: first ?? 50 });
        const tenants = await tenantMap(
          trx,
          warnings.map((w) => w.tenantId),
        );
        return warnings.map(({ tenantId: owner, ...w }) => ({ ...w, tenant: tenants.get(owner)! }));
      }),
    analyticsSettings: (_r, { tenantId }, ctx) =>
      inAnalyticsScope(ctx, tenantId, async (trx) => {
        const { rootId, weights } = await rankingWeightsFor(trx, tenantId);
        const t = await thresholdsFor(trx, rootId);
        return {
          tenant: (await tenantById(trx, rootId))!,
          sleepingDays: t.sleepingDays,
          dormantDays: t.dormantDays,
          weights,
        };
      }),
  },
  Mutation: {
    updateAnalyticsSettings: (_r, { tenantId, input }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) => {
        access.require(['tenant_admin', 'chief_editor']);
        const w = input.weights
          ? checkWeights(
              Object.fromEntries(
                Object.entries(input.weights).filter(([, v]) => v !== null && v !== undefined),
              ) as Record<string, number>,
            )
          : undefined;
        const current = await rankingWeightsFor(trx, tenantId);
        await saveAnalyticsSettings(
          trx,
          tenantId,
          {
            sleepingDays: input.sleepingDays ?? undefined,
            dormantDays: input.dormantDays ?? undefined,
            rankingWeights: w ? { ...current.weights, ...w } : undefined,
          },
          actor.name,
        );
        const t = await thresholdsFor(trx, tenantId);
        const weights = (await rankingWeightsFor(trx, tenantId)).weights;
        return {
          tenant: (await tenantById(trx, tenantId))!,
          sleepingDays: t.sleepingDays,
          dormantDays: t.dormantDays,
          weights: mergeWeights(weights),
        };
      }),
  },
};

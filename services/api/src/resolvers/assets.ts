import { assetsByIds, listAssets, setAssetShared, DomainError } from '@yiduan/core';
import type { Resolvers } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';

/** Images are served by the API at /assets/<id>; faces get their own sized copies later. */
export const assetUrl = (id: string): string => `/assets/${id}`;

export const assetResolvers: Resolvers<GraphQLContext> = {
  Asset: {
    url: (a) => assetUrl(a.id),
    createdAt: (a) => a.created_at,
  },
  Query: {
    assets: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access) => {
        access.requireMember();
        return listAssets(trx, {
          tenantId: args.tenantId,
          includeShared: args.includeShared ?? true,
          limit: Math.min(args.first ?? 50, 200),
          ...(args.after ? { before: args.after } : {}),
        });
      }),
  },
  Mutation: {
    setAssetShared: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => {
        access.require(['editor', 'chief_editor', 'tenant_admin']);
        const [own] = (await assetsByIds(trx, [args.id])).filter((a) => a.tenant_id === args.tenantId);
        if (!own) throw new DomainError('ASSET_NOT_FOUND');
        return setAssetShared(trx, actor, args.id, args.shared);
      }),
  },
};

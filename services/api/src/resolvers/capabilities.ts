import { capabilitiesOf, DomainError, noCapabilities, tenantById } from '@yiduan/core';
import type { Resolvers } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';

export const capabilityResolvers: Resolvers<GraphQLContext> = {
  Query: {
    capabilities: async (_r, args, ctx) => {
      try {
        return await ctx.inTenant(args.tenantId, async (trx, access) => {
          const tenant = await tenantById(trx, args.tenantId);
          if (!tenant) throw new DomainError('TENANT_NOT_FOUND');
          return { tenantId: args.tenantId, ...capabilitiesOf(access, tenant) };
        });
      } catch (err) {
        // no role in the tenant is an answer here, not an error: every capability is false
        if (err instanceof DomainError && err.code === 'FORBIDDEN')
          return { tenantId: args.tenantId, ...noCapabilities(args.tenantId) };
        throw err;
      }
    },
  },
};

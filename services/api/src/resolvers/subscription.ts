import type { MercuriusContext } from 'mercurius';
import type { Resolvers } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';
import { reviewTopic } from '../subscriptions.js';

export const subscriptionResolvers: Resolvers<GraphQLContext> = {
  Subscription: {
    reviewQueueChanged: {
      // only members of the tenant may listen to its review queue
      subscribe: async (_root, args, ctx) => {
        await ctx.inTenant(args.tenantId, async (_trx, access) => access.requireMember());
        // the subscription context is mercurius' own, which carries pubsub
        return (ctx as GraphQLContext & Pick<MercuriusContext, 'pubsub'>).pubsub.subscribe(reviewTopic(args.tenantId));
      },
    },
  },
};

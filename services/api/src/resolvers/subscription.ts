import type { MercuriusContext } from 'mercurius';
import { isUuid, storyUnitId } from '@yiduan/core';
import { withTenant, type DB } from '@yiduan/db';
import type { Resolvers, ReviewQueueEvent } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';
import { reviewTopic } from '../subscriptions.js';

interface ReviewQueuePayload {
  reviewQueueChanged: ReviewQueueEvent;
}

/**
 * A unit member hears of their own units' stories only, as `reviewQueue` and `stories` show
 * them: another unit's (or the centre's) draft entering review is none of theirs, not even
 * its id and status.
 */
async function* ofUnits(
  db: DB,
  tenantId: string,
  units: readonly string[],
  events: AsyncIterable<ReviewQueuePayload>,
): AsyncGenerator<ReviewQueuePayload> {
  for await (const e of events) {
    const storyId = e.reviewQueueChanged.storyId;
    if (!isUuid(storyId)) continue;
    const unitId = await withTenant(db, tenantId, (trx) => storyUnitId(trx, tenantId, storyId));
    if (unitId && units.includes(unitId)) yield e;
  }
}

export const subscriptionResolvers: Resolvers<GraphQLContext> = {
  Subscription: {
    reviewQueueChanged: {
      // only members of the tenant may listen to its review queue
      subscribe: async (_root, args, ctx) => {
        const scope = await ctx.inTenant(args.tenantId, async (_trx, access) => {
          access.requireMember();
          return access.unitScope;
        });
        // the subscription context is mercurius' own, which carries pubsub
        const events = (await (ctx as GraphQLContext & Pick<MercuriusContext, 'pubsub'>).pubsub.subscribe(
          reviewTopic(args.tenantId),
        )) as AsyncIterable<ReviewQueuePayload>;
        return scope === null ? events : ofUnits(ctx.db, args.tenantId, scope, events);
      },
    },
  },
};

import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { loadSdl } from '@yiduan/schema';
import { accountRoundResolvers } from './resolvers/account-rounds.js';
import { accountClosureResolvers } from './resolvers/account-closures.js';
import { accountResolvers } from './resolvers/accounts.js';
import { analyticsResolvers } from './resolvers/analytics.js';
import { assetResolvers } from './resolvers/assets.js';
import { audienceResolvers } from './resolvers/audience.js';
import { capabilityResolvers } from './resolvers/capabilities.js';
import { enumResolvers } from './resolvers/enums.js';
import { identityResolvers } from './resolvers/identity.js';
import { newsroomAdminResolvers } from './resolvers/newsroom-admin.js';
import { planningResolvers } from './resolvers/planning.js';
import { DateScalar, DateTime, JSONScalar } from './resolvers/scalars.js';
import { storyResolvers } from './resolvers/stories.js';
import { subscriptionResolvers } from './resolvers/subscription.js';
import { syndicationResolvers } from './resolvers/syndication.js';
import { tenancyResolvers } from './resolvers/tenancy.js';
import { videoResolvers } from './resolvers/videos.js';
import { videoAnalyticsResolvers } from './resolvers/video-analytics.js';

export function buildGraphQLSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadSdl(),
    resolvers: [
      { DateTime, Date: DateScalar, JSON: JSONScalar },
      enumResolvers,
      tenancyResolvers,
      identityResolvers,
      newsroomAdminResolvers,
      storyResolvers,
      assetResolvers,
      subscriptionResolvers,
      syndicationResolvers,
      audienceResolvers,
      analyticsResolvers,
      capabilityResolvers,
      accountResolvers,
      accountRoundResolvers,
      accountClosureResolvers,
      planningResolvers,
      videoResolvers,
      videoAnalyticsResolvers,
    ],
  });
}

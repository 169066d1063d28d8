import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { loadSdl } from '@yiduan/schema';
import { DateTime, JSONScalar } from './resolvers/scalars.js';
import { tenancyResolvers } from './resolvers/tenancy.js';

export function buildGraphQLSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadSdl(),
    resolvers: [{ DateTime, JSON: JSONScalar }, tenancyResolvers],
  });
}

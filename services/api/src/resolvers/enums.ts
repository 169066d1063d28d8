import type { Resolvers } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';

/** GraphQL enum names are upper case; the database and domain use lower case. */
const lower = <const T extends string>(...names: T[]) =>
  Object.fromEntries(names.map((n) => [n, n.toLowerCase()])) as { [K in T]: Lowercase<K> };

export const enumResolvers: Resolvers<GraphQLContext> = {
  TenantLevel: lower('PROVINCE', 'CITY', 'COUNTY'),
  TenantStatus: lower('ACTIVE', 'SUSPENDED', 'CLOSED'),
  NavItemKind: lower('HOME', 'SECTION', 'LINK'),
  HomeModuleKind: lower('HEADLINES', 'LATEST', 'SECTION', 'PINNED', 'UNITS', 'MESSAGES', 'FOLLOW'),
  StaffRole: lower('REPORTER', 'EDITOR', 'REVIEWER', 'CHIEF_EDITOR', 'TENANT_ADMIN'),
  ReviewRole: lower('EDITOR', 'REVIEWER', 'CHIEF_EDITOR'),
  UnitKind: lower('BUREAU', 'TOWNSHIP', 'INSTITUTION', 'ENTERPRISE', 'OTHER'),
  UnitStatus: lower('ACTIVE', 'SUSPENDED', 'CLOSED'),
  StoryKind: lower('ARTICLE', 'VIDEO', 'GALLERY', 'LINK'),
  StoryStatus: lower('DRAFT', 'IN_REVIEW', 'APPROVED', 'SCHEDULED', 'PUBLISHED', 'UNPUBLISHED', 'RETRACTED'),
  RuleKind: lower('LITERAL', 'REGEX'),
  RuleSeverity: lower('BLOCK', 'WARN'),
  SharePolicy: lower('NONE', 'UP', 'DOWN', 'TREE'),
  PlacementMode: lower('OWN', 'PULLED', 'PUSHED', 'OFFERED', 'RULE'),
  PlacementStatus: lower('ACTIVE', 'PENDING', 'DECLINED', 'REMOVED', 'DETACHED', 'RETRACTED', 'UNPUBLISHED'),
  PushScope: lower('ALL', 'LEVEL', 'LIST'),
};

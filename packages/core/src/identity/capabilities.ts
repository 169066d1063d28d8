import type { StaffRole, TenantLevel } from '@yiduan/db';
import { maySign, PUBLISHERS } from './roles.js';
import { Access } from './model.js';

/**
 * What a viewer may do in one tenant, by screen and action family: the console asks once per
 * tenant and shows only that. Each entry names the roles the enforcing code requires (the
 * `access.require(...)` of the use case or resolver named beside it). A role limited to a unit
 * counts only where the rule itself takes the unit's role (UNIT_CAPABILITY_ROLES: drafting for the
 * unit, answering the unit's messages).
 * services/api/test/capabilities.test.ts calls every enforcing mutation or query with each demo
 * role and fails when an entry here and the rule there disagree.
 */
export const CAPABILITY_ROLES = {
  /** createStory, saveStory (newsroom/stories.ts WRITERS); a unit's reporter drafts for the unit */
  writeStories: ['reporter', 'editor', 'chief_editor'],
  /** publishStory, unpublishStory, correctStory (newsroom/review.ts) */
  publish: PUBLISHERS,
  /** retractStory (newsroom/review.ts) */
  retract: ['chief_editor'],
  /** pullStory, pushStory, acceptOffer, declineOffer, updatePlacement, removePlacement, pool (syndication EDITORS) */
  syndicate: ['editor', 'chief_editor'],
  /** detachPlacement (syndication/placements.ts) */
  detachPlacements: ['chief_editor'],
  /** createSyndicationRule, setSyndicationRuleEnabled (syndication/rules.ts) */
  editSyndicationRules: ['chief_editor', 'tenant_admin'],
  /** createSection (resolvers/newsroom-admin.ts) */
  manageSections: ['tenant_admin'],
  /** createUnit (resolvers/newsroom-admin.ts) */
  manageUnits: ['tenant_admin'],
  /** grants, grantRole, revokeGrant (resolvers/identity.ts) */
  manageStaff: ['tenant_admin'],
  /** setReviewChain (resolvers/newsroom-admin.ts) */
  editReviewChain: ['tenant_admin'],
  /** createTerminologyRule, setTerminologyRuleEnabled, deleteTerminologyRule (resolvers/newsroom-admin.ts) */
  editTerminology: ['tenant_admin'],
  /** updateFace (resolvers/tenancy.ts) */
  editFace: ['tenant_admin'],
  /** auditLog (resolvers/newsroom-admin.ts) */
  readAuditLog: ['tenant_admin', 'chief_editor'],
  /** commentQueue, moderateComment (audience/comments.ts MODERATOR_ROLES) */
  moderateAudience: ['editor', 'chief_editor', 'tenant_admin'],
  /** members (audience/memberships.ts) */
  readMembers: ['editor', 'chief_editor', 'tenant_admin'],
  /** messages, replyToMessage (audience/messages.ts: requireHandler, listMessages) */
  answerMessages: ['editor', 'chief_editor', 'tenant_admin'],
  /** setAudienceSettings (audience/settings.ts) */
  editAudienceSettings: ['tenant_admin', 'chief_editor'],
  /** updateAnalyticsSettings (resolvers/analytics.ts), on the province only (analytics/dormancy.ts) */
  editDataSettings: ['tenant_admin', 'chief_editor'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type RoleCapability = keyof typeof CAPABILITY_ROLES;

/** Roles held for a unit that count (createStory: WRITERS for the story's unit; requireHandler: a unit's reporter). */
export const UNIT_CAPABILITY_ROLES: Partial<Record<RoleCapability, readonly StaffRole[]>> = {
  writeStories: ['reporter', 'editor', 'chief_editor'],
  answerMessages: ['reporter'],
};

export type Capabilities = Record<RoleCapability, boolean> & {
  /** sign a step of some review chain: the first step's role or above (newsroom/review.ts maySign) */
  reviewStories: boolean;
  /** any role in the tenant: the story list, the review records */
  member: boolean;
  /** the whole tenant, not one unit: settings read-only, the data screens (analytics refuses unit-limited members) */
  readTenant: boolean;
  /** platform operators only (addDomain, createOrganisation, updateOrganisation: requireOperator) */
  manageDomains: boolean;
  manageOrganisations: boolean;
};

/** The review chain's step roles, lowest first: whoever may sign the lowest may review. */
const CHAIN_STEP_ROLES = ['editor', 'reviewer', 'chief_editor'] as const;

export function capabilitiesOf(access: Access, tenant: { level: TenantLevel }): Capabilities {
  const unitRoles = new Set<StaffRole>([...access.byUnit.values()].flatMap((s) => [...s]));
  const out = {} as Record<RoleCapability, boolean>;
  for (const [name, roles] of Object.entries(CAPABILITY_ROLES) as [RoleCapability, readonly StaffRole[]][]) {
    out[name] = access.hasAny(roles) || (UNIT_CAPABILITY_ROLES[name] ?? []).some((r) => unitRoles.has(r));
  }
  return {
    ...out,
    reviewStories: CHAIN_STEP_ROLES.some((role) => maySign(access, role, null)),
    editDataSettings: out.editDataSettings && tenant.level === 'province',
    member: access.member,
    readTenant: access.member && access.unitScope === null,
    manageDomains: access.isOperator,
    manageOrganisations: access.isOperator,
  };
}

/** A viewer with no role in the tenant: everything false. */
export function noCapabilities(tenantId: string): Capabilities {
  return capabilitiesOf(new Access(tenantId, { id: '', display_name: '', is_operator: false }, new Set(), new Map()), {
    level: 'county',
  });
}

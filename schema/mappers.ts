// Shapes the resolvers return for types that have no single row behind them.
import type { AuditEntry, Story, StaffRole, Tenant, TerminologyRuleRow, Unit } from '@yiduan/db';
import type { GovThresholdsAnswer, Page } from '@yiduan/core';

export interface MembershipModel {
  tenant: Tenant;
  roles: StaffRole[];
  units: Unit[];
  viaOrganisation: boolean;
}

export interface ViewerModel {
  kind: string;
  id: string;
  name: string;
  roles: string[];
  login?: string | null;
}

export type StoryConnectionModel = Page<Story>;
export type AuditConnectionModel = Page<AuditEntry & { cursor?: string }>;

/** A rule as seen from one tenant: `inherited` compares its owner with that tenant. */
export type RuleModel = TerminologyRuleRow & { viewedFrom: string };

/** A story as seen from another tenant: the row and its public title. */
export interface SyndicatedStoryModel {
  id: string;
  originTenantId: string;
  title: string;
  summary: string;
  publishedAt: Date | null;
  retracted: boolean;
}

// ---- audience
import type { AudienceCounts, MemberRow } from '@yiduan/core';
import type { CitizenMessage, CommentRow } from '@yiduan/db';

/** An offset-paged list (audience): the rows of one page, the total, and where the page starts. */
export interface OffsetPageModel<T> {
  rows: T[];
  total: number;
  offset: number;
}
export type MemberConnectionModel = OffsetPageModel<MemberRow>;
/** A comment, with its report count and story title when the query that found it had them. */
export type CommentModel = CommentRow & { reports?: number; storyTitle?: string | null };
export type CommentConnectionModel = OffsetPageModel<CommentModel>;
export type CitizenMessageConnectionModel = OffsetPageModel<CitizenMessage>;
/** Figures of one tenant's audience, with the tenant they describe. */
export type AudienceCountsModel = AudienceCounts & { tenantId: string };

/** A registry row as core computes it; tenant and operator are resolved by field (batched). */
export type { GovAccountView as GovAccountModel, GovThresholdSetting as GovThresholdSettingModel } from '@yiduan/core';
export type GovAccountThresholdsModel = GovThresholdsAnswer & { tenantId: string };

// ---- planning
import type { AssignmentActions, AssignmentView, PitchActions, PitchView, TopicActions, TopicView } from '@yiduan/core';

/** A topic as read from one tenant (`viewedFrom`: its assignments and pitches are read in that scope), with what the viewer may do. */
export type TopicModel = TopicView & { viewedFrom: string; viewerCan: TopicActions };
export type TopicPageModel = { total: number; items: TopicModel[] };
export type AssignmentModel = AssignmentView & { viewedFrom: string; viewerCan: AssignmentActions };
export type PitchModel = PitchView & { viewerCan: PitchActions };
export type { CampaignView as CampaignModel, AssignablePerson as PlanningPersonModel } from '@yiduan/core';

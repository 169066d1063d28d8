// Internal values of the GraphQL enums: the lower-case strings the database stores.
export type { TenantLevel, TenantStatus, StaffRole, ReviewRole, StoryKind } from '@yiduan/db';
export type { StoryState as StoryStatus } from '@yiduan/db';
export type NavItemKind = 'home' | 'section' | 'link';
export type HomeModuleKind = 'headlines' | 'latest' | 'section' | 'pinned' | 'units' | 'messages' | 'follow';
export type UnitKind = 'bureau' | 'township' | 'institution' | 'enterprise' | 'other';
export type UnitStatus = 'active' | 'suspended' | 'closed';
export type RuleKind = 'literal' | 'regex';
export type RuleSeverity = 'block' | 'warn';
export type { SharePolicy, PlacementMode } from '@yiduan/db';
export type { PlacementState as PlacementStatus } from '@yiduan/core';
export type PushScope = 'all' | 'level' | 'list';
export type { ConsentPurpose, CommentStatus, MessageCategory, MessageStatus, AgreementKind } from '@yiduan/db';
export type CommentQueueFilter = 'pending' | 'approved' | 'rejected' | 'hidden' | 'reported';
export type ModerationDecision = 'approve' | 'reject' | 'hide';
export type { AnalyticsScope, DormancyState } from '@yiduan/db';
export type { GovPlatform, GovAccountStatus, GovOperation, GovActivitySource } from '@yiduan/db';
export type { GovHealth } from '@yiduan/core';
export type { GovRoundStatus, GovRoundVerdict, GovFindingKind, GovFixOrderStatus } from '@yiduan/db';
export type { GovClosureKind, GovClosureStatus } from '@yiduan/db';
export type {
  CampaignReach,
  CampaignStatus,
  TopicStatus,
  TopicOrigin,
  AssignmentTask,
  AssignmentStatus,
  PitchStatus,
  CoverageState,
} from '@yiduan/db';
export type { AssignmentProgress } from '@yiduan/core';
export type TopicOutcome = 'done' | 'dropped';
export type { VideoStatus } from '@yiduan/db';

// Wire shapes of the GraphQL API, derived from the generated schema types (schema/generated.ts).
// The generated types are the server's view: enums carry their internal lower-case values and
// DateTime may be a Date. Over the wire enums are upper-case names and instants are ISO strings;
// `Wire` maps one onto the other, `Sel` picks the fields a query selects.
import type * as S from '@yiduan/schema';
import type { StoryTextName } from './story-fields.js';

export type Wire<T> = T extends Date
  ? string
  : T extends string
    ? string extends T
      ? T
      : Uppercase<T>
    : T extends readonly (infer U)[]
      ? Wire<U>[]
      : T extends object
        ? { [K in keyof T as K extends '__typename' ? never : K]: Wire<T[K]> }
        : T;

export type Sel<T, K extends keyof T> = Wire<Pick<T, K>>;

export type StoryStatus = Wire<S.Story['status']>;
export type StaffRole = Wire<S.Membership['roles'][number]>;
export type ReviewRole = Wire<S.ReviewState['steps'][number]>;
export type TenantLevel = Wire<S.Tenant['level']>;
export type StoryKind = Wire<S.Story['kind']>;
export type RuleSeverity = Wire<S.TerminologyRule['severity']>;
export type RuleKind = Wire<S.TerminologyRule['kind']>;
export type UnitKind = Wire<S.Unit['kind']>;
export type PlacementMode = Wire<S.Placement['mode']>;
export type PlacementStatus = Wire<S.Placement['status']>;
export type SharePolicy = Wire<S.Story['sharePolicy']>;

export type Capabilities = Wire<Omit<S.Capabilities, '__typename'>>;
export type StoryActions = Wire<Omit<S.StoryActions, '__typename'>>;

export type TenantRef = Sel<S.Tenant, 'id' | 'name' | 'slug' | 'level' | 'host'>;
export type UnitRef = Sel<S.Unit, 'id' | 'name' | 'slug' | 'kind' | 'status'>;
export type SectionRef = Sel<S.Section, 'id' | 'name' | 'slug' | 'position' | 'reviewSteps'>;
export type Membership = Sel<S.Membership, 'roles' | 'viaOrganisation'> & { tenant: TenantRef; units: UnitRef[] };
export type ViewerData = Sel<S.Viewer, 'id' | 'kind' | 'name' | 'roles' | 'login'> & { memberships: Membership[] };
export type Finding = Sel<
  S.Finding,
  'ruleId' | 'severity' | 'match' | 'replacement' | 'note' | 'field' | 'blockIndex' | 'start' | 'end'
>;
export type Revision = Sel<S.Revision, 'number' | StoryTextName | 'tags' | 'body' | 'createdAt'> & {
  createdBy: Sel<S.Staff, 'name'> | null;
  cover: Sel<S.Asset, 'id' | 'url'> | null;
};
export type ReviewEvent = Sel<S.ReviewEvent, 'id' | 'action' | 'revision' | 'step' | 'actorName' | 'comment' | 'at'>;
export type Placement = Sel<
  S.Placement,
  'id' | 'mode' | 'mandatory' | 'status' | 'pinned' | 'localTitle' | 'declineReason' | 'placedAt'
> & {
  tenant: TenantRef;
  section: Sel<S.Section, 'id' | 'name'> | null;
  story: Sel<S.SyndicatedStory, 'id' | 'title' | 'summary' | 'publishedAt' | 'retracted'> & { origin: TenantRef };
};
export type StoryListItem = Sel<S.Story, 'id' | 'status' | 'kind' | 'updatedAt' | 'publishedAt' | 'scheduledAt'> & {
  currentRevision: Sel<S.Revision, 'number' | 'title'>;
  section: Sel<S.Section, 'id' | 'name'> | null;
  unit: Sel<S.Unit, 'id' | 'name'> | null;
  review: Sel<S.ReviewState, 'step' | 'steps' | 'revision'> | null;
  createdBy: Sel<S.Staff, 'name'> | null;
};
export type StoryFull = StoryListItem &
  Sel<S.Story, 'sharePolicy' | 'firstPublishedAt' | 'retractedAt' | 'retractionReason'> & {
    viewerCan: StoryActions;
    tenant: TenantRef;
    unit: UnitRef | null;
    currentRevision: Revision;
    publishedRevision: Sel<S.Revision, 'number'> | null;
    revisions: Sel<S.Revision, 'number' | 'title' | 'createdAt'>[];
    events: ReviewEvent[];
    findings: Finding[];
    corrections: Sel<S.Correction, 'id' | 'note' | 'revision' | 'createdAt'>[];
  };
export type FieldDiff = Sel<S.FieldDiff, 'field' | 'changed'> & { parts: { op: string; text: string }[] };
export type Face = Sel<S.Face, 'siteName' | 'tagline' | 'logoUrl' | 'version'> & {
  theme: Sel<S.Theme, 'primary' | 'accent' | 'background' | 'text' | 'headerText'>;
  navigation: Sel<S.NavItem, 'kind' | 'label' | 'section' | 'url'>[];
  footer: Sel<S.Footer, 'icp' | 'publicSecurity' | 'contact' | 'address'>;
};
export type TerminologyRule = Sel<
  S.TerminologyRule,
  'id' | 'pattern' | 'kind' | 'replacement' | 'severity' | 'note' | 'enabled' | 'inherited'
> & { tenant: Sel<S.Tenant, 'id' | 'name'> };
export type Grant = Sel<S.Grant, 'id' | 'role' | 'createdAt'> & {
  staff: Sel<S.Staff, 'id' | 'login' | 'name'> | null;
  organisation: Sel<S.Organisation, 'id' | 'name'> | null;
  unit: Sel<S.Unit, 'id' | 'name'> | null;
};
export type Organisation = Sel<S.Organisation, 'id' | 'name' | 'licenceNo' | 'validUntil' | 'valid'>;
export type AuditEntry = Sel<
  S.AuditEntry,
  'id' | 'at' | 'actorKind' | 'actorName' | 'action' | 'targetKind' | 'targetId' | 'revision' | 'detail'
>;
export type PoolStory = Sel<
  S.PoolStory,
  'storyId' | 'kind' | 'title' | 'summary' | 'sectionName' | 'publishedAt' | 'placed'
> & { tenant: TenantRef };
export type SyndicationJob = Sel<S.SyndicationJob, 'id' | 'kind' | 'mandatory' | 'total' | 'done' | 'status'>;
export type SyndicationRule = Sel<
  S.SyndicationRule,
  'id' | 'kind' | 'tag' | 'targetSectionSlug' | 'targetLevel' | 'enabled' | 'createdAt'
> & {
  sourceSection: Sel<S.Section, 'id' | 'name'> | null;
};

/** Story body blocks (see packages/core/src/newsroom/blocks.ts). */
export type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; text: string; level: 2 | 3 }
  | { type: 'image'; assetId: string; caption?: string; alt?: string }
  | { type: 'quote'; text: string; cite?: string }
  | { type: 'video'; url?: string; videoId?: string; caption?: string; posterAssetId?: string }
  | { type: 'embed'; url: string; caption?: string }
  | { type: 'list'; ordered: boolean; items: string[] };

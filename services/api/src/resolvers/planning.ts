import {
  answerAssignment,
  assignablePeople,
  assignmentActions,
  assignTopic,
  campaignById,
  cancelAssignment,
  campaignBoard,
  closeTopic,
  createCampaign,
  createTopic,
  decidePitch,
  decideTopic,
  DomainError,
  draftAssignmentStory,
  fileAssignment,
  incomingAssignments,
  incomingPitches,
  listCampaigns,
  listTopics,
  myAssignments,
  overdueCoverages,
  pitchActions,
  pitchTopic,
  planningCapabilities,
  planningCounts,
  planningNotices,
  planningWorkload,
  planningCredit,
  coveragesOfStory,
  linkableCoverages,
  linkStoryToCoverage,
  reassignCoverage,
  markPlanningNoticesRead,
  PLANNING_ROLES,
  proposeTopic,
  topicActions,
  topicById,
  updateCampaign,
  updateTopic,
  withdrawPitch,
  type Access,
  type AssignmentView,
  type Assignee,
  type CampaignReachLevel,
  type PitchView,
  type TopicInput,
  type TopicView,
} from '@yiduan/core';
import type { AssignInput as AssignArg, Resolvers, TopicFilter as FilterArg } from '@yiduan/schema';
import type { AssignmentModel, PitchModel, TopicModel } from '@yiduan/schema';
import type { TenantLevel } from '@yiduan/db';
import type { MercuriusContext } from 'mercurius';
import type { GraphQLContext } from '../context.js';
import { planningTopic } from '../subscriptions.js';

/**
 * The planning desk over GraphQL. Everything runs in the tenant named, with the viewer's access
 * there (a role in that tenant); row-level security adds what that tenant may read beyond its own
 * rows: its descendants' plans, the desk assignments given to it, the pitches sent to it. Each
 * topic, assignment and pitch carries `viewerCan`, what the viewer may do with it from there.
 * No SQL here: core's planning context does it.
 */

const lower = <const T extends string>(...names: T[]) =>
  Object.fromEntries(names.map((n) => [n, n.toLowerCase()])) as { [K in T]: Lowercase<K> };

const instant = (v: Date | string | null | undefined): Date | null | undefined =>
  v === null || v === undefined ? v : v instanceof Date ? v : new Date(v);

export const withTopicActions = (access: Access, t: TopicView): TopicModel => ({
  ...t,
  viewedFrom: access.tenantId,
  viewerCan: topicActions(access, t),
});
export const withAssignmentActions = (access: Access, a: AssignmentView): AssignmentModel => ({
  ...a,
  viewedFrom: access.tenantId,
  viewerCan: assignmentActions(access, a),
});
export const withPitchActions = (access: Access, p: PitchView): PitchModel => ({
  ...p,
  viewerCan: pitchActions(access, p),
});

/** GraphQL's topic input into core's: absent stays absent (a patch), null clears the due time and the campaign. */
function topicInputOf(i: {
  title?: string | null;
  brief?: string | null;
  dueAt?: Date | string | null;
  campaignId?: string | null;
}): Partial<TopicInput> {
  const out: Partial<TopicInput> = {};
  if (i.title !== undefined && i.title !== null) out.title = i.title;
  if (i.brief !== undefined && i.brief !== null) out.brief = i.brief;
  if (i.dueAt !== undefined) out.dueAt = instant(i.dueAt);
  if (i.campaignId !== undefined) out.campaignId = i.campaignId;
  return out;
}

function filterOf(f: FilterArg | null | undefined) {
  if (!f) return {};
  return {
    status: f.status,
    campaignId: f.campaignId,
    subtree: f.subtree,
    tenantId: f.tenantId,
    mine: f.mine,
    search: f.search,
  };
}

function assignInputOf(i: AssignArg) {
  const assignees: Assignee[] = (i.assignees ?? []).map((a) => {
    if (a.staffId && !a.tenantId) return { staffId: a.staffId };
    if (a.tenantId && !a.staffId) return { tenantId: a.tenantId };
    throw new DomainError('BAD_USER_INPUT', '每个派单对象应为一名人员或一个下级单位', [
      { path: 'assignees', message: '请只填写人员或单位中的一个' },
    ]);
  });
  return {
    assignees,
    ...(i.under ? { under: { tenantId: i.under.tenantId, level: i.under.level } } : {}),
    task: i.task,
    instructions: i.instructions ?? undefined,
    ...(i.dueAt !== undefined ? { dueAt: instant(i.dueAt) } : {}),
  };
}

/** A campaign's share in core's terms: a province level is passed on for core to refuse. */
function shareOf(i: { reachLevel?: TenantLevel | null; shareTenantIds?: readonly string[] | null }): {
  reachLevel?: CampaignReachLevel | null;
  shareTenantIds?: string[];
} {
  return {
    ...(i.reachLevel !== undefined ? { reachLevel: i.reachLevel as CampaignReachLevel | null } : {}),
    ...(i.shareTenantIds !== undefined && i.shareTenantIds !== null ? { shareTenantIds: [...i.shareTenantIds] } : {}),
  };
}

const NO_CAPABILITIES = { read: false, propose: false, plan: false, campaigns: false };

export const planningResolvers: Resolvers<GraphQLContext> = {
  CampaignStatus: lower('OPEN', 'CLOSED'),
  CampaignReach: lower('OWN', 'SUBTREE', 'LEVEL', 'LIST'),
  TopicStatus: lower('PROPOSED', 'PLANNED', 'DECLINED', 'DONE', 'DROPPED'),
  TopicOrigin: lower('DESK', 'PROPOSAL', 'ASSIGNMENT'),
  TopicOutcome: lower('DONE', 'DROPPED'),
  AssignmentTask: lower('WRITE', 'PHOTO', 'VIDEO', 'LIVE', 'DESIGN', 'OTHER'),
  AssignmentStatus: lower('ASSIGNED', 'ACCEPTED', 'DECLINED', 'CANCELLED'),
  AssignmentProgress: lower('PENDING', 'ACCEPTED', 'FILED', 'PUBLISHED', 'RETRACTED', 'DECLINED', 'CANCELLED'),
  PitchStatus: lower('PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN'),
  CoverageState: lower('ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'SUBMITTED', 'COMPLETED', 'DECLINED', 'CANCELLED'),
  // Campaign.tenant, Topic.tenant / upstreamTenant / assignments / pitches, Assignment.tenant /
  // assigneeTenant, Pitch.tenant / toTenant: batched (loaders/planning.ts)
  Query: {
    planningCapabilities: async (_r, { tenantId }, ctx) => {
      try {
        return await ctx.inTenant(tenantId, async (_trx, access) => planningCapabilities(access));
      } catch (err) {
        // no role in the tenant is an answer here, not an error
        if (err instanceof DomainError && err.code === 'FORBIDDEN') return NO_CAPABILITIES;
        throw err;
      }
    },
    planningCounts: (_r, { tenantId }, ctx) => ctx.inTenant(tenantId, (trx, access) => planningCounts(trx, access)),
    campaigns: (_r, { tenantId, status }, ctx) =>
      ctx.inTenant(tenantId, (trx, access) => listCampaigns(trx, access, { status })),
    campaign: (_r, { tenantId, id }, ctx) => ctx.inTenant(tenantId, (trx, access) => campaignById(trx, access, id)),
    topics: (_r, { tenantId, filter, first, offset }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access) => {
        const page = await listTopics(trx, access, filterOf(filter), { first, offset });
        return { total: page.total, items: page.items.map((t) => withTopicActions(access, t)) };
      }),
    topic: (_r, { tenantId, id }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access) => withTopicActions(access, await topicById(trx, access, id))),
    myAssignments: (_r, { tenantId, open }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access) =>
        (await myAssignments(trx, access, { open })).map((a) => withAssignmentActions(access, a)),
      ),
    incomingAssignments: (_r, { tenantId, open }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access) =>
        (await incomingAssignments(trx, access, { open })).map((a) => withAssignmentActions(access, a)),
      ),
    incomingPitches: (_r, { tenantId, status }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access) =>
        (await incomingPitches(trx, access, { status })).map((p) => withPitchActions(access, p)),
      ),
    storyCoverages: (_r, { tenantId, storyId }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access) =>
        (await coveragesOfStory(trx, access, storyId)).map((a) => withAssignmentActions(access, a)),
      ),
    linkableCoverages: (_r, { tenantId }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access) =>
        (await linkableCoverages(trx, access)).map((a) => withAssignmentActions(access, a)),
      ),
    planningPeople: (_r, { tenantId }, ctx) => ctx.inTenant(tenantId, (trx, access) => assignablePeople(trx, access)),
    overdueCoverages: (_r, { tenantId }, ctx) => ctx.inTenant(tenantId, (trx, access) => overdueCoverages(trx, access)),
    campaignBoard: (_r, { tenantId, campaignId, perState }, ctx) =>
      ctx.inTenant(tenantId, (trx, access) => campaignBoard(trx, access, campaignId, perState ?? undefined)),
    planningWorkload: (_r, { tenantId, from, to }, ctx) =>
      ctx.inTenant(tenantId, (trx, access) => planningWorkload(trx, access, { from, to })),
    planningCredit: (_r, { tenantId, topicId, campaignId }, ctx) =>
      ctx.inTenant(tenantId, (trx, access) => planningCredit(trx, access, { topicId, campaignId })),
    planningNotices: (_r, { tenantId }, ctx) => ctx.inTenant(tenantId, (trx, access) => planningNotices(trx, access)),
  },
  Mutation: {
    linkStoryToCoverage: (_r, { tenantId, storyId, assignmentId }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withAssignmentActions(access, await linkStoryToCoverage(trx, access, actor, storyId, assignmentId)),
      ),
    createCampaign: (_r, { tenantId, input }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) =>
        createCampaign(trx, access, actor, {
          title: input.title,
          brief: input.brief ?? undefined,
          startsOn: input.startsOn ?? null,
          endsOn: input.endsOn ?? null,
          reach: input.reach ?? undefined,
          ...shareOf(input),
        }),
      ),
    updateCampaign: (_r, { tenantId, id, input }, ctx) =>
      ctx.inTenant(tenantId, (trx, access, actor) =>
        updateCampaign(trx, access, actor, id, {
          ...(input.title !== undefined && input.title !== null ? { title: input.title } : {}),
          ...(input.brief !== undefined && input.brief !== null ? { brief: input.brief } : {}),
          ...(input.startsOn !== undefined ? { startsOn: input.startsOn } : {}),
          ...(input.endsOn !== undefined ? { endsOn: input.endsOn } : {}),
          ...(input.reach ? { reach: input.reach } : {}),
          ...shareOf(input),
          ...(input.status ? { status: input.status } : {}),
        }),
      ),
    proposeTopic: (_r, { tenantId, input }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withTopicActions(access, await proposeTopic(trx, access, actor, topicInputOf(input) as TopicInput)),
      ),
    createTopic: (_r, { tenantId, input }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withTopicActions(access, await createTopic(trx, access, actor, topicInputOf(input) as TopicInput)),
      ),
    updateTopic: (_r, { tenantId, id, input }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withTopicActions(access, await updateTopic(trx, access, actor, id, topicInputOf(input))),
      ),
    decideTopic: (_r, { tenantId, id, approve, note }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withTopicActions(access, await decideTopic(trx, access, actor, id, approve, note)),
      ),
    closeTopic: (_r, { tenantId, id, outcome, note }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withTopicActions(access, await closeTopic(trx, access, actor, id, outcome, note)),
      ),
    assignTopic: (_r, { tenantId, topicId, input }, ctx) => {
      const assign = assignInputOf(input);
      return ctx.inTenant(tenantId, async (trx, access, actor) =>
        (await assignTopic(trx, access, actor, topicId, assign)).map((a) => withAssignmentActions(access, a)),
      );
    },
    reassignCoverage: (_r, { tenantId, id, assignee, reason }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withAssignmentActions(
          access,
          await reassignCoverage(
            trx,
            access,
            actor,
            id,
            { staffId: assignee.staffId, tenantId: assignee.tenantId },
            reason,
          ),
        ),
      ),
    cancelAssignment: (_r, { tenantId, id, reason }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withAssignmentActions(access, await cancelAssignment(trx, access, actor, id, reason)),
      ),
    answerAssignment: (_r, { tenantId, id, accept, reason }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withAssignmentActions(access, await answerAssignment(trx, access, actor, id, accept, reason)),
      ),
    fileAssignment: (_r, { tenantId, id, storyId }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withAssignmentActions(access, await fileAssignment(trx, access, actor, id, storyId)),
      ),
    draftAssignmentStory: (_r, { tenantId, id }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withAssignmentActions(access, (await draftAssignmentStory(trx, access, actor, id)).assignment),
      ),
    pitchTopic: (_r, { tenantId, input }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withPitchActions(
          access,
          await pitchTopic(trx, access, actor, {
            topicId: input.topicId,
            toTenantId: input.toTenantId,
            ...(input.campaignId !== undefined ? { campaignId: input.campaignId } : {}),
            note: input.note ?? undefined,
          }),
        ),
      ),
    withdrawPitch: (_r, { tenantId, id }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withPitchActions(access, await withdrawPitch(trx, access, actor, id)),
      ),
    decidePitch: (_r, { tenantId, id, accept, note }, ctx) =>
      ctx.inTenant(tenantId, async (trx, access, actor) =>
        withPitchActions(access, await decidePitch(trx, access, actor, id, accept, note)),
      ),
    markPlanningNoticesRead: (_r, { tenantId }, ctx) =>
      ctx.inTenant(tenantId, (trx, access) => markPlanningNoticesRead(trx, access)),
  },
  Subscription: {
    planningChanged: {
      subscribe: async (_root, args, ctx) => {
        await ctx.inTenant(args.tenantId, async (_trx, access) => access.require(PLANNING_ROLES.read));
        return (ctx as GraphQLContext & Pick<MercuriusContext, 'pubsub'>).pubsub.subscribe(
          planningTopic(args.tenantId),
        );
      },
    },
  },
};

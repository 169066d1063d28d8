import {
  acceptOffer,
  createSyndicationRule,
  declineOffer,
  descendantPool,
  detachPlacement,
  facePlacements,
  inbox,
  jobById,
  pullStory,
  pushStory,
  removePlacement,
  setSharePolicy,
  setSyndicationRuleEnabled,
  syndicationRulesOf,
  tenantById,
  updatePlacement,
  whereIsMyStory,
  withdrawPush,
  DomainError,
  type PushTargets,
} from '@yiduan/core';
import type { MercuriusContext } from 'mercurius';
import type { Resolvers } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';
import { inboxTopic } from '../subscriptions.js';
import { prefetchPlacementCards } from '../loaders/syndication.js';

const EDITORS = ['editor', 'chief_editor'] as const;

export const syndicationResolvers: Resolvers<GraphQLContext> = {
  Placement: {
    mandatory: (p) => p.mandatory,
    localTitle: (p) => p.local_title,
    declineReason: (p) => p.decline_reason,
    detachedStoryId: (p) => p.detached_story_id,
    placedAt: (p) => p.placed_at,
  },
  PoolStory: {
    tenant: async (p, _a, ctx) => (await tenantById(ctx.db, p.tenantId))!,
  },
  SyndicationJob: {
    createdAt: (j) => j.created_at,
    finishedAt: (j) => j.finished_at,
  },
  SyndicationRule: {
    targetSectionSlug: (r) => r.target_section_slug,
    targetLevel: (r) => r.target_level,
    createdAt: (r) => r.created_at,
  },
  Story: {
    sharePolicy: (s) => s.share_policy,
    placements: (s, _a, ctx) => ctx.inTenant(s.tenant_id, (trx, access) => whereIsMyStory(trx, access, s.id)),
  },
  Query: {
    pool: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access) => {
        const f = args.filter ?? {};
        return descendantPool(trx, access, {
          tenantId: f.tenantId ?? null,
          sectionId: f.sectionId ?? null,
          from: f.from ? new Date(f.from) : null,
          to: f.to ? new Date(f.to) : null,
          query: f.query ?? null,
          placed: f.placed ?? null,
          limit: args.first ?? 20,
          offset: args.offset ?? 0,
        });
      }),
    inbox: (_r, args, ctx) => ctx.inTenant(args.tenantId, (trx, access) => inbox(trx, access)),
    facePlacements: (_r, args, ctx, info) =>
      ctx.inTenant(args.tenantId, async (trx, access) => {
        const page = await facePlacements(trx, access, { limit: args.first ?? 50, offset: args.offset ?? 0 });
        // stories, origins and sections in the same transaction (one statement more)
        await prefetchPlacementCards(trx, page, info);
        return page;
      }),
    syndicationJob: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access) => {
        access.requireMember();
        return (await jobById(trx, args.tenantId, args.id)) ?? null;
      }),
    syndicationRules: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access) => {
        access.requireMember();
        return syndicationRulesOf(trx, args.tenantId);
      }),
  },
  Mutation: {
    setSharePolicy: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => ({
        story: await setSharePolicy(trx, access, actor, args.storyId, args.policy),
      })),
    pullStory: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) =>
        pullStory(trx, access, actor, {
          storyId: args.storyId,
          sectionId: args.sectionId ?? null,
          pinned: args.pinned ?? false,
          localTitle: args.localTitle ?? null,
        }),
      ),
    pushStory: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) => {
        const i = args.input;
        let targets: PushTargets;
        if (i.scope === 'all') targets = { kind: 'all' };
        else if (i.scope === 'level') {
          if (i.level !== 'city' && i.level !== 'county') throw new DomainError('BAD_USER_INPUT', '请选择市级或县级');
          targets = { kind: 'level', level: i.level };
        } else targets = { kind: 'list', tenantIds: i.tenantIds ?? [] };
        return pushStory(trx, access, actor, {
          storyId: args.storyId,
          targets,
          mandatory: i.mandatory,
          sectionSlug: i.sectionSlug ?? null,
        });
      }),
    withdrawPush: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) =>
        withdrawPush(trx, access, actor, args.storyId, args.tenantIds ?? undefined),
      ),
    acceptOffer: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) =>
        acceptOffer(trx, access, actor, args.placementId, args.sectionId ?? null),
      ),
    declineOffer: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) =>
        declineOffer(trx, access, actor, args.placementId, args.reason),
      ),
    removePlacement: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) => removePlacement(trx, access, actor, args.placementId)),
    updatePlacement: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) =>
        updatePlacement(trx, access, actor, args.placementId, {
          ...(args.input.sectionId !== undefined ? { sectionId: args.input.sectionId } : {}),
          ...(args.input.pinned != null ? { pinned: args.input.pinned } : {}),
          ...(args.input.localTitle !== undefined ? { localTitle: args.input.localTitle } : {}),
        }),
      ),
    detachPlacement: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => ({
        story: await detachPlacement(trx, access, actor, args.placementId),
      })),
    createSyndicationRule: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) => {
        const i = args.input;
        if (i.kind !== 'offer_down' && i.kind !== 'push_down' && i.kind !== 'take_up')
          throw new DomainError('BAD_USER_INPUT', '规则类型不正确');
        const level = i.targetLevel === 'city' || i.targetLevel === 'county' ? i.targetLevel : null;
        return createSyndicationRule(trx, access, actor, {
          kind: i.kind,
          sourceSectionId: i.sourceSectionId ?? null,
          tag: i.tag ?? null,
          targetSectionSlug: i.targetSectionSlug ?? null,
          targetLevel: level,
        });
      }),
    setSyndicationRuleEnabled: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) =>
        setSyndicationRuleEnabled(trx, access, actor, args.id, args.enabled),
      ),
  },
  Subscription: {
    inboxChanged: {
      subscribe: async (_root, args, ctx) => {
        await ctx.inTenant(args.tenantId, async (_trx, access) => access.require(EDITORS));
        return (ctx as GraphQLContext & Pick<MercuriusContext, 'pubsub'>).pubsub.subscribe(inboxTopic(args.tenantId));
      },
    },
  },
};

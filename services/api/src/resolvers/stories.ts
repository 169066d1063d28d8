import {
  approveStep,
  checkerFor,
  compareRevisions,
  correctStory,
  createStory,
  DomainError,
  listStories,
  publishStory,
  rejectStep,
  retractStory,
  revisionFindings,
  revisionOf,
  STORY_TEXT_FIELDS,
  revisionsOf,
  reviewQueue,
  saveRevision,
  storyFor,
  submitForReview,
  unpublishStory,
  withdrawFromReview,
  type StoryContent,
} from '@yiduan/core';
import { withTenant, type Story } from '@yiduan/db';
import type { Resolvers, StoryContentInput } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';
import { prefetchCards } from '../loaders/newsroom.js';

function content(input: StoryContentInput): StoryContent {
  // the declared texts keep their GraphQL names; a missing one is left out (saved as empty)
  const texts = Object.fromEntries(
    STORY_TEXT_FIELDS.flatMap((f) => (input[f.name] != null ? [[f.name, input[f.name]]] : [])),
  );
  return {
    ...texts,
    title: input.title,
    coverAssetId: input.coverAssetId ?? null,
    ...(input.tags != null ? { tags: input.tags } : {}),
    linkUrl: input.linkUrl ?? null,
    body: input.body,
  };
}

/** Child fields read within the story's own tenant: its parent was authorised already. */
const inStoryTenant = <T>(ctx: GraphQLContext, story: Story, fn: Parameters<typeof withTenant<T>>[2]): Promise<T> =>
  withTenant(ctx.db, story.tenant_id, fn);

export const storyResolvers: Resolvers<GraphQLContext> = {
  Story: {
    // the derived state: retracted and unpublished stories have their own
    status: (s) => s.state,
    review: (s) =>
      s.status === 'in_review' && s.review_step && s.review_steps && s.review_revision
        ? { step: s.review_step, steps: s.review_steps, revision: s.review_revision }
        : null,
    revision: (s, args, ctx) =>
      inStoryTenant(ctx, s, async (trx) => (await revisionOf(trx, s.tenant_id, s.id, args.number)) ?? null),
    revisions: (s, _args, ctx) => inStoryTenant(ctx, s, (trx) => revisionsOf(trx, s.tenant_id, s.id)),
    findings: (s, _args, ctx) =>
      inStoryTenant(ctx, s, async (trx) => {
        const rev = await revisionOf(trx, s.tenant_id, s.id, s.current_revision);
        return rev ? revisionFindings(await checkerFor(trx, s.tenant_id), rev) : [];
      }),
    compare: (s, args, ctx) =>
      inStoryTenant(ctx, s, async (trx) => {
        const [a, b] = await Promise.all([
          revisionOf(trx, s.tenant_id, s.id, args.from),
          revisionOf(trx, s.tenant_id, s.id, args.to),
        ]);
        if (!a || !b) throw new DomainError('NOT_FOUND', '找不到要比较的版本');
        return compareRevisions(a, b);
      }),
    scheduledAt: (s) => s.scheduled_at,
    publishedAt: (s) => s.published_at,
    firstPublishedAt: (s) => s.first_published_at,
    retractedAt: (s) => s.retracted_at,
    retractionReason: (s) => s.retraction_reason,
    createdAt: (s) => s.created_at,
    updatedAt: (s) => s.updated_at,
  },
  Revision: {
    authorLine: (r) => r.author_line,
    linkUrl: (r) => r.link_url,
    createdAt: (r) => r.created_at,
  },
  ReviewEvent: {
    actorName: (e) => e.actor_name,
  },
  Correction: {
    createdAt: (c) => c.created_at,
  },
  Finding: {
    ruleId: (f) => f.ruleId,
    blockIndex: (f) => f.blockIndex,
  },
  StoryConnection: {
    edges: (page) => page.edges,
    pageInfo: (page) => ({
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      startCursor: page.startCursor,
      endCursor: page.endCursor,
    }),
  },
  Query: {
    stories: (_r, args, ctx, info) =>
      ctx.inTenant(args.tenantId, async (trx, access) => {
        const page = await listStories(trx, access, {
          status: args.status ?? null,
          sectionId: args.sectionId ?? null,
          unitId: args.unitId ?? null,
          query: args.query ?? null,
          first: args.first ?? 20,
          after: args.after ?? null,
        });
        // the cards' revisions, covers and sections in the same transaction (one statement more)
        await prefetchCards(
          trx,
          page.edges.map((e) => e.node),
          info,
        );
        return page;
      }),
    story: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access) => {
        try {
          return await storyFor(trx, access, args.id);
        } catch (err) {
          if (err instanceof DomainError && err.code === 'STORY_NOT_FOUND') return null;
          throw err;
        }
      }),
    reviewQueue: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) => reviewQueue(trx, access, actor)),
  },
  Mutation: {
    createStory: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => {
        const i = args.input;
        const { story } = await createStory(trx, access, actor, {
          kind: i.kind,
          sectionId: i.sectionId ?? null,
          unitId: i.unitId ?? null,
          ...content(i.content),
        });
        return { story };
      }),
    saveStory: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => {
        const i = args.input;
        const { story } = await saveRevision(trx, access, actor, args.id, content(i.content), {
          ...(i.baseRevision != null ? { baseRevision: i.baseRevision } : {}),
          ...(i.sectionId !== undefined ? { sectionId: i.sectionId } : {}),
          ...(i.unitId !== undefined ? { unitId: i.unitId } : {}),
        });
        return { story };
      }),
    submitStory: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => ({
        story: await submitForReview(trx, access, actor, args.id),
      })),
    withdrawStory: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => ({
        story: await withdrawFromReview(trx, access, actor, args.id),
      })),
    approveStory: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => ({
        story: await approveStep(trx, access, actor, args.id, args.comment ?? ''),
      })),
    rejectStory: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => ({
        story: await rejectStep(trx, access, actor, args.id, args.reason),
      })),
    publishStory: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => ({
        story: await publishStory(trx, access, actor, args.id, args.at ? new Date(args.at) : null),
      })),
    unpublishStory: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => ({
        story: await unpublishStory(trx, access, actor, args.id, args.reason ?? ''),
      })),
    correctStory: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => ({
        story: await correctStory(trx, access, actor, args.id, args.note),
      })),
    retractStory: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => ({
        story: await retractStory(trx, access, actor, args.id, args.reason),
      })),
  },
};

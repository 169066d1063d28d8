import {
  createRule,
  createSection,
  createUnit,
  deleteRule,
  listAudit,
  rulesFor,
  checkerFor,
  checkedText,
  setRuleEnabled,
  setTenantChain,
  tenantChain,
  decodeCursor,
  encodeCursor,
  pageSize,
  toPage,
  tenantById,
  DomainError,
  type StoryContent,
} from '@yiduan/core';
import type { Resolvers } from '@yiduan/schema';
import type { GraphQLContext } from '../context.js';

export const newsroomAdminResolvers: Resolvers<GraphQLContext> = {
  Section: {
    reviewSteps: (s) => s.review_steps,
  },
  TerminologyRule: {
    inherited: (r) => r.tenant_id !== r.viewedFrom,
    // rules are platform-readable reference data of the tenant tree; the owner is public
    tenant: async (r, _a, ctx) => {
      const tenant = await tenantById(ctx.db, r.tenant_id);
      if (!tenant) throw new DomainError('TENANT_NOT_FOUND');
      return tenant;
    },
  },
  AuditEntry: {
    actorKind: (a) => a.actor_kind,
    actorName: (a) => a.actor_name,
    targetKind: (a) => a.target_kind,
    targetId: (a) => a.target_id,
  },
  AuditConnection: {
    edges: (page) => page.nodes.map((node) => ({ node, cursor: encodeCursor(node.id, node.id) })),
    pageInfo: (page) => ({
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      startCursor: page.startCursor,
      endCursor: page.endCursor,
    }),
  },
  Query: {
    reviewChain: (_r, args, ctx) => ctx.inTenant(args.tenantId, (trx) => tenantChain(trx, args.tenantId)),
    terminologyRules: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access) => {
        access.requireMember();
        return (await rulesFor(trx, args.tenantId, { includeDisabled: true })).map((r) => ({
          ...r,
          viewedFrom: args.tenantId,
        }));
      }),
    checkTerminology: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access) => {
        access.requireMember();
        const c: StoryContent = args.input as StoryContent;
        const blocks = Array.isArray(c.body) ? (c.body as unknown[]) : [];
        return (await checkerFor(trx, args.tenantId)).checkStory({ ...checkedText(c), blocks });
      }),
    auditLog: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access) => {
        access.require(['tenant_admin', 'chief_editor']);
        const limit = pageSize({ first: args.first ?? 50 });
        const after = decodeCursor(args.after);
        const rows = await listAudit(trx, {
          tenantId: args.tenantId,
          ...(args.storyId ? { targetKind: 'story', targetId: args.storyId } : {}),
          ...(args.actorId ? { actorId: args.actorId } : {}),
          ...(after ? { before: Number(after[1]) } : {}),
          limit: limit + 1,
        });
        return toPage(rows, limit, (a) => encodeCursor(a.id, a.id));
      }),
  },
  Mutation: {
    createUnit: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) => {
        access.require('tenant_admin');
        return createUnit(trx, actor, args.tenantId, args.input);
      }),
    createSection: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) => {
        access.require('tenant_admin');
        const i = args.input;
        return createSection(trx, actor, args.tenantId, {
          slug: i.slug,
          name: i.name,
          ...(i.position != null ? { position: i.position } : {}),
          reviewSteps: i.reviewSteps ?? null,
        });
      }),
    setReviewChain: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) => {
        access.require('tenant_admin');
        return setTenantChain(trx, actor, args.tenantId, args.steps);
      }),
    createTerminologyRule: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => {
        access.require('tenant_admin');
        const i = args.input;
        const rule = await createRule(trx, actor, args.tenantId, {
          pattern: i.pattern,
          kind: i.kind,
          severity: i.severity,
          replacement: i.replacement ?? null,
          note: i.note ?? '',
        });
        return { ...rule, viewedFrom: args.tenantId };
      }),
    setTerminologyRuleEnabled: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => {
        access.require('tenant_admin');
        return {
          ...(await setRuleEnabled(trx, actor, args.tenantId, args.id, args.enabled)),
          viewedFrom: args.tenantId,
        };
      }),
    deleteTerminologyRule: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => {
        access.require('tenant_admin');
        await deleteRule(trx, actor, args.tenantId, args.id);
        return true;
      }),
  },
};

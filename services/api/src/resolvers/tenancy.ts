import {
  addDomain,
  createTenant,
  DomainError,
  listTenants,
  removeDomain,
  resolveHost,
  setPrimaryDomain,
  tenantById,
  tenantBySlug,
  updateFace,
  updateTenant,
  descendants,
  ancestors,
  type FacePatch,
} from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import type { FaceInput, Resolvers } from '@yiduan/schema';
import { isOperator, requireOperator } from '../auth.js';
import type { GraphQLContext } from '../context.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function settingsArg(v: unknown): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v))
    throw new DomainError('BAD_USER_INPUT', '设置必须是 JSON 对象', [{ path: 'settings', message: '必须是对象' }]);
  return v;
}

/** GraphQL gives absent optional fields as null; the face schema wants them absent. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

function facePatch(input: FaceInput): FacePatch {
  const patch: FacePatch = {};
  if (input.siteName != null) patch.siteName = input.siteName;
  if (input.tagline != null) patch.tagline = input.tagline;
  if (input.logoUrl !== undefined) patch.logoUrl = input.logoUrl || null;
  if (input.faviconUrl !== undefined) patch.faviconUrl = input.faviconUrl || null;
  if (input.theme != null) patch.theme = input.theme;
  if (input.navigation != null) patch.navigation = input.navigation.map(compact) as FacePatch['navigation'];
  if (input.homeLayout != null) patch.homeLayout = input.homeLayout.map(compact) as FacePatch['homeLayout'];
  if (input.footer != null) patch.footer = compact(input.footer) as FacePatch['footer'];
  return patch;
}

export const tenancyResolvers: Resolvers<GraphQLContext> = {
  Query: {
    viewer: (_root, _args, ctx) => ctx.viewer,
    tenants: async (_root, args, ctx) => {
      const all = await listTenants(ctx.db);
      return args.level ? all.filter((t) => t.level === args.level) : all;
    },
    tenantTree: async (_root, _args, ctx) => (await listTenants(ctx.db)).filter((t) => t.parent_id === null),
    tenant: async (_root, args, ctx) => {
      if (args.id) return (await tenantById(ctx.db, args.id)) ?? null;
      if (args.slug) return (await tenantBySlug(ctx.db, args.slug)) ?? null;
      throw new DomainError('BAD_USER_INPUT', '请提供 id 或 slug');
    },
    tenantByHost: async (_root, args, ctx) => resolveHost(ctx.db, args.host, ctx.config.publicBaseDomain),
  },
  Tenant: {
    createdAt: (t) => t.created_at,
    updatedAt: (t) => t.updated_at,
    settings: (t, _args, ctx) => (isOperator(ctx.viewer) ? t.settings : null),
    ancestors: (t, _args, ctx) => ancestors(ctx.db, t.id),
    descendants: (t, args, ctx) => descendants(ctx.db, t.id, args.maxDepth != null ? { maxDepth: args.maxDepth } : {}),
  },
  Domain: {
    primary: (d) => d.is_primary,
  },
  Mutation: {
    createTenant: async (_root, { input }, ctx) => {
      const actor = requireOperator(ctx);
      const settings = settingsArg(input.settings);
      const tenant = await withPlatform(ctx.db, (trx) =>
        createTenant(trx, actor, {
          slug: input.slug,
          name: input.name,
          level: input.level,
          parentId: input.parentId ?? null,
          ...(settings ? { settings } : {}),
        }),
      );
      return { tenant };
    },
    updateTenant: async (_root, { input }, ctx) => {
      const actor = requireOperator(ctx);
      const settings = settingsArg(input.settings);
      const tenant = await withPlatform(ctx.db, (trx) =>
        updateTenant(trx, actor, input.id, {
          ...(input.name != null ? { name: input.name } : {}),
          ...(input.status != null ? { status: input.status } : {}),
          ...(input.parentId !== undefined ? { parentId: input.parentId } : {}),
          ...(settings ? { settings } : {}),
        }),
      );
      return { tenant };
    },
    addDomain: async (_root, args, ctx) => {
      const actor = requireOperator(ctx);
      const domain = await withPlatform(ctx.db, (trx) =>
        addDomain(trx, actor, args.tenantId, args.host, args.primary ?? false),
      );
      return { domain };
    },
    removeDomain: async (_root, args, ctx) => {
      const actor = requireOperator(ctx);
      return { domain: await withPlatform(ctx.db, (trx) => removeDomain(trx, actor, args.host)) };
    },
    setPrimaryDomain: async (_root, args, ctx) => {
      const actor = requireOperator(ctx);
      return { domain: await withPlatform(ctx.db, (trx) => setPrimaryDomain(trx, actor, args.host)) };
    },
    // a tenant's administrators own its face; operators may edit any
    updateFace: async (_root, args, ctx) => {
      if (ctx.viewer && isOperator(ctx.viewer)) {
        const actor = requireOperator(ctx);
        return withPlatform(ctx.db, async (trx) => {
          const face = await updateFace(trx, actor, args.tenantId, facePatch(args.input));
          const tenant = await tenantById(trx, args.tenantId);
          if (!tenant) throw new DomainError('TENANT_NOT_FOUND');
          return { tenant, face };
        });
      }
      return ctx.inTenant(args.tenantId, async (trx, access, actor) => {
        access.require('tenant_admin');
        const face = await updateFace(trx, actor, args.tenantId, facePatch(args.input));
        const tenant = await tenantById(trx, args.tenantId);
        if (!tenant) throw new DomainError('TENANT_NOT_FOUND');
        return { tenant, face };
      });
    },
  },
};

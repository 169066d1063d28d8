import {
  addUnitMember,
  checkGrantParty,
  createOrganisation,
  createStaff,
  DomainError,
  grantRole,
  grantsOfTenant,
  attemptLogin,
  listOrganisations,
  revokeAllSessions,
  revokeGrant,
  revokeSession,
  staffByIdsByLogin,
  tenantsByIds,
  tenantsOfStaff,
  tenantsWithOwnGrants,
  unitsByIds,
  updateQualification,
  type Actor,
} from '@yiduan/core';
import { withPlatform, type StaffRole } from '@yiduan/db';
import type { MembershipModel, Resolvers } from '@yiduan/schema';
import { isOperator, requireOperator, requireViewer } from '../auth.js';
import type { GraphQLContext } from '../context.js';

export const identityResolvers: Resolvers<GraphQLContext> = {
  Viewer: {
    login: (v) => v.login ?? null,
    memberships: async (v, _args, ctx) => {
      if (!ctx.viewer?.staff || v.id !== ctx.viewer.id) return [];
      const staff = ctx.viewer.staff;
      const rows = await withPlatform(ctx.db, (trx) => tenantsOfStaff(trx, staff));
      const tenants = new Map(
        (await tenantsByIds(ctx.db, [...new Set(rows.map((r) => r.tenant_id))])).map((t) => [t.id, t]),
      );
      const units = new Map(
        (
          await withPlatform(ctx.db, (trx) =>
            unitsByIds(
              trx,
              rows.map((r) => r.unit_id).filter((u): u is string => !!u),
            ),
          )
        ).map((u) => [u.id, u]),
      );
      const byTenant = new Map<string, MembershipModel>();
      for (const r of rows) {
        const tenant = tenants.get(r.tenant_id);
        if (!tenant) continue;
        const m = byTenant.get(r.tenant_id) ?? { tenant, roles: [] as StaffRole[], units: [], viaOrganisation: false };
        if (!m.roles.includes(r.role)) m.roles.push(r.role);
        const unit = r.unit_id ? units.get(r.unit_id) : undefined;
        if (unit && !m.units.some((u) => u.id === unit.id)) m.units.push(unit);
        byTenant.set(r.tenant_id, m);
      }
      if (staff.org_id) {
        const own = new Set(await withPlatform(ctx.db, (trx) => tenantsWithOwnGrants(trx, staff.id)));
        for (const m of byTenant.values()) m.viaOrganisation = !own.has(m.tenant.id);
      }
      return [...byTenant.values()];
    },
  },
  Staff: {
    name: (s) => s.display_name,
    isOperator: (s) => s.is_operator,
    // organisation: batched (loaders/identity.ts)
  },
  Organisation: {
    licenceNo: (o) => o.licence_no,
    // the stored day as text and validity computed by PostgreSQL in Beijing time (core/identity/repo.ts)
    validUntil: (o) => o.valid_until,
  },
  Grant: {
    createdAt: (g) => g.created_at,
    // staff, organisation, unit: batched (loaders/identity.ts)
  },
  Query: {
    grants: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access) => {
        access.require('tenant_admin');
        return grantsOfTenant(trx, args.tenantId);
      }),
    organisations: async (_r, _a, ctx) => {
      requireOperator(ctx);
      return withPlatform(ctx.db, (trx) => listOrganisations(trx));
    },
    staffMembers: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access) => {
        access.requireMember();
        const ids = (await grantsOfTenant(trx, args.tenantId)).map((g) => g.staff_id).filter((v): v is string => !!v);
        return ids.length ? withPlatform(ctx.db, (p) => staffByIdsByLogin(p, ids)) : [];
      }),
  },
  Mutation: {
    login: async (_r, args, ctx) => {
      const ip = ctx.requestIp ?? 'unknown';
      // the attempt commits (with its audit row) before a failure is thrown
      const result = await withPlatform(ctx.db, (trx) =>
        attemptLogin(trx, ctx.cache, {
          login: args.login,
          password: args.password,
          ip,
          ...(ctx.userAgent ? { userAgent: ctx.userAgent } : {}),
        }),
      );
      if (!result.ok) throw result.error;
      ctx.setSessionCookie?.(result.token, result.expiresAt);
      return { token: result.token, expiresAt: result.expiresAt, staff: result.staff };
    },
    logout: async (_r, _a, ctx) => {
      if (ctx.viewer?.sessionId) {
        const id = ctx.viewer.sessionId;
        await withPlatform(ctx.db, (trx) => revokeSession(trx, id));
        await ctx.sessions?.end({ sessionId: id });
      }
      ctx.setSessionCookie?.(null);
      return true;
    },
    revokeSessions: async (_r, args, ctx) => {
      const viewer = requireViewer(ctx);
      if (!isOperator(viewer) && viewer.id !== args.staffId) throw new DomainError('FORBIDDEN');
      const n = await withPlatform(ctx.db, (trx) => revokeAllSessions(trx, viewer, args.staffId));
      await ctx.sessions?.end({ staffId: args.staffId });
      return n;
    },
    createStaff: async (_r, { input }, ctx) => {
      const actor = requireOperator(ctx);
      return withPlatform(ctx.db, (trx) =>
        createStaff(trx, actor, {
          login: input.login,
          displayName: input.name,
          password: input.password,
          isOperator: input.isOperator ?? false,
          orgId: input.organisationId ?? null,
        }),
      );
    },
    grantRole: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor: Actor) => {
        access.require('tenant_admin');
        const i = args.input;
        // staff rows are platform records: look them up there, then grant here
        if (i.staffId || i.organisationId)
          await withPlatform(ctx.db, (p) =>
            checkGrantParty(p, { staffId: i.staffId ?? null, orgId: i.organisationId ?? null }),
          );
        return grantRole(trx, actor, {
          tenantId: args.tenantId,
          role: i.role,
          staffId: i.staffId ?? null,
          orgId: i.organisationId ?? null,
          unitId: i.unitId ?? null,
          skipPartyCheck: true,
        });
      }),
    // createStaff stays the operators': a tenant admin creates only unit members of their own tenant
    addUnitMember: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (_trx, access, actor) => {
        access.require('tenant_admin');
        const i = args.input;
        // the account is a platform row: account and grant are written in one platform transaction
        const { grant } = await withPlatform(ctx.db, (p) =>
          addUnitMember(p, actor, {
            tenantId: args.tenantId,
            unitId: args.unitId,
            login: i.login,
            displayName: i.name,
            password: i.password,
          }),
        );
        return grant;
      }),
    revokeGrant: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => {
        access.require('tenant_admin');
        return revokeGrant(trx, actor, args.tenantId, args.grantId);
      }),
    createOrganisation: async (_r, { input }, ctx) => {
      const actor = requireOperator(ctx);
      return withPlatform(ctx.db, (trx) => createOrganisation(trx, actor, input));
    },
    updateOrganisation: async (_r, args, ctx) => {
      const actor = requireOperator(ctx);
      const i = args.input;
      return withPlatform(ctx.db, (trx) =>
        updateQualification(trx, actor, args.id, {
          ...(i.name != null ? { name: i.name } : {}),
          ...(i.licenceNo != null ? { licenceNo: i.licenceNo } : {}),
          ...(i.validUntil != null ? { validUntil: i.validUntil } : {}),
          ...(i.suspended != null ? { status: i.suspended ? 'suspended' : 'active' } : {}),
        }),
      );
    },
  },
};

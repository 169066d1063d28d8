/** @jsxImportSource react */
// Who is signed in, where they work now (the tenant switcher) and with which roles.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { errorText, gql, setUnauthenticatedHandler, tokenStore } from './api.js';
import { ROLE } from './labels.js';
import type { Capabilities, Membership, StaffRole, TenantRef, UnitRef, ViewerData } from './types.js';

const TENANT_KEY = 'yd_tenant';

const VIEWER = `query Viewer {
  viewer { id kind name roles login
    memberships { roles viaOrganisation tenant { id name slug level host } units { id name slug kind status } } }
}`;
const ALL_TENANTS = `query AllTenants { tenants { id name slug level host } }`;
export const CAPABILITY_FIELDS = `tenantId member readTenant writeStories reviewStories publish retract syndicate detachPlacements editSyndicationRules
  manageSections manageUnits manageStaff editReviewChain editTerminology editFace readAuditLog moderateAudience readMembers answerMessages
  editAudienceSettings editDataSettings manageDomains manageOrganisations`;
const CAPABILITIES = `query Capabilities($tenantId: ID!) { capabilities(tenantId: $tenantId) { ${CAPABILITY_FIELDS} } }`;

export interface Workplace {
  tenant: TenantRef;
  roles: StaffRole[];
  units: UnitRef[];
  viaOrganisation: boolean;
}

export interface Session {
  viewer: ViewerData;
  operator: boolean;
  workplaces: Workplace[];
  current: Workplace;
  /** e.g. "编辑 · 审核" or "记者（汝阳县教育局）" */
  roleText: string;
  has: (...roles: StaffRole[]) => boolean;
  /** What the API says this viewer may do in the current tenant (one query per tenant): menus and buttons follow it. */
  can: Capabilities;
  switchTenant: (tenantId: string) => void;
  logout: () => Promise<void>;
}

interface State {
  status: 'loading' | 'anonymous' | 'ready';
  viewer: ViewerData | null;
  workplaces: Workplace[];
  tenantId: string | null;
}

const Ctx = createContext<Session | null>(null);
const AuthCtx = createContext<{
  status: State['status'];
  signedIn: (token: string) => Promise<void>;
  noTenant: boolean;
  capabilityError: string | null;
}>({
  status: 'loading',
  signedIn: async () => {},
  noTenant: false,
  capabilityError: null,
});

export function useSession(): Session {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside a signed-in console');
  return s;
}
export const useAuth = () => useContext(AuthCtx);
/** The session once the current tenant's capabilities are known; null before. */
export const useMaybeSession = (): Session | null => useContext(Ctx);

const ALL_ROLES: StaffRole[] = ['REPORTER', 'EDITOR', 'REVIEWER', 'CHIEF_EDITOR', 'TENANT_ADMIN'];

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({
    status: tokenStore.get() ? 'loading' : 'anonymous',
    viewer: null,
    workplaces: [],
    tenantId: sessionStorage.getItem(TENANT_KEY),
  });

  const load = useCallback(async () => {
    if (!tokenStore.get()) return setState((s) => ({ ...s, status: 'anonymous', viewer: null }));
    try {
      const { viewer } = await gql<{ viewer: ViewerData | null }>(VIEWER);
      if (!viewer) {
        tokenStore.clear();
        return setState((s) => ({ ...s, status: 'anonymous', viewer: null }));
      }
      const operator = viewer.roles.includes('platform_operator');
      let workplaces: Workplace[] = viewer.memberships.map((m: Membership) => ({
        tenant: m.tenant,
        roles: m.roles,
        units: m.units,
        viaOrganisation: m.viaOrganisation,
      }));
      if (operator) {
        const { tenants } = await gql<{ tenants: TenantRef[] }>(ALL_TENANTS);
        workplaces = tenants.map((t) => ({ tenant: t, roles: ALL_ROLES, units: [], viaOrganisation: false }));
      }
      setState((s) => {
        const tenantId = workplaces.some((w) => w.tenant.id === s.tenantId)
          ? s.tenantId
          : (workplaces[0]?.tenant.id ?? null);
        if (tenantId) sessionStorage.setItem(TENANT_KEY, tenantId);
        return { status: 'ready', viewer, workplaces, tenantId };
      });
    } catch {
      tokenStore.clear();
      setState((s) => ({ ...s, status: 'anonymous', viewer: null }));
    }
  }, []);

  // capabilities of the current tenant, asked once per tenant (switching back reuses the answer)
  const [caps, setCaps] = useState<Record<string, Capabilities>>({});
  const [capabilityError, setCapabilityError] = useState<string | null>(null);
  useEffect(() => {
    const tenantId = state.tenantId;
    if (state.status !== 'ready' || !tenantId || caps[tenantId]) return;
    let live = true;
    setCapabilityError(null);
    gql<{ capabilities: Capabilities }>(CAPABILITIES, { tenantId }).then(
      (r) => live && setCaps((c) => ({ ...c, [tenantId]: r.capabilities })),
      (err: unknown) => live && setCapabilityError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [state.status, state.tenantId, caps]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      tokenStore.clear();
      setState((s) => ({ ...s, status: 'anonymous', viewer: null }));
    });
    void load();
  }, [load]);

  const signedIn = useCallback(
    async (token: string) => {
      tokenStore.set(token);
      sessionStorage.removeItem(TENANT_KEY);
      setCaps({});
      setState((s) => ({ ...s, status: 'loading', tenantId: null }));
      await load();
    },
    [load],
  );

  const session = useMemo<Session | null>(() => {
    if (state.status !== 'ready' || !state.viewer) return null;
    const current = state.workplaces.find((w) => w.tenant.id === state.tenantId);
    const can = state.tenantId ? caps[state.tenantId] : undefined;
    if (!current || !can) return null;
    const operator = state.viewer.roles.includes('platform_operator');
    const names = operator ? [ROLE.PLATFORM_OPERATOR] : current.roles.map((r) => ROLE[r]);
    const unitNote = current.units.length ? `（${current.units.map((u) => u.name).join('、')}）` : '';
    return {
      viewer: state.viewer,
      operator,
      workplaces: state.workplaces,
      current,
      roleText: `${names.join(' · ')}${unitNote}${current.viaOrganisation ? ' · 代运营' : ''}`,
      has: (...roles) => operator || roles.some((r) => current.roles.includes(r)),
      can,
      switchTenant: (tenantId) => {
        sessionStorage.setItem(TENANT_KEY, tenantId);
        setState((s) => ({ ...s, tenantId }));
      },
      logout: async () => {
        await gql('mutation Logout { logout }').catch(() => undefined);
        tokenStore.clear();
        sessionStorage.removeItem(TENANT_KEY);
        setState({ status: 'anonymous', viewer: null, workplaces: [], tenantId: null });
        setCaps({});
      },
    };
  }, [state, caps]);

  const noTenant = state.status === 'ready' && !state.workplaces.some((w) => w.tenant.id === state.tenantId);
  return (
    <AuthCtx.Provider value={{ status: state.status, signedIn, noTenant, capabilityError }}>
      <Ctx.Provider value={session}>{children}</Ctx.Provider>
    </AuthCtx.Provider>
  );
}

import type { Executor, Tenant } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { appendAudit } from '../../governance/index.js';
import type { Access } from '../../identity/index.js';
import { GovAccountError } from '../errors.js';
import { dormantAccounts } from '../../analytics/index.js';
import {
  beijingDay,
  effectiveThresholds,
  healthOf,
  type GovAccountView,
  type GovHealth,
  type GovThresholds,
} from '../model.js';
import { thresholdChain } from '../repo.js';
import { GOV_ACCOUNT_ROLES, listGovAccounts } from '../service.js';
import * as repo from './repo.js';

/**
 * The accounts dashboards through the tree (issue #19, Build 5): accounts by platform and health,
 * 合格率 across rounds, the zombie and failing lists, the closures wave by month, and the yearly
 * cost avoided by the accounts closed or merged. Reads run in the viewer's scope over the subtree
 * of the tenant asked for; the cost per account is set by a province or a city for its subtree
 * (the nearest setting up a tenant's chain applies, default 60,000 yuan a year).
 */

/** A dedicated maintainer's yearly cost for one account, when no province or city set one. */
export const DEFAULT_COST_PER_ACCOUNT = 60_000;
const LIST_SIZE = 50;

/** Accounts of one platform by health, or by status for those closing or retired (the repo's row as it is). */
export type GovPlatformCounts = repo.PlatformCountRow;

export interface GovRoundRate {
  roundId: string;
  roundTenantId: string;
  roundTenantName: string;
  title: string;
  checkDay: string;
  sampled: number;
  passed: number;
  excellent: number;
  vetoed: number;
  /** passed / sampled, 0 to 1 */
  rate: number;
}

export interface GovClosureMonth {
  month: string;
  proposed: number;
  deregistered: number;
}

export interface GovCostAvoided {
  /** closed and merged accounts of the subtree */
  retired: number;
  /** yuan a year, each account at its own tenant's cost */
  yuanPerYear: number;
  /** the cost of one account in the tenant asked for */
  costPerAccount: number;
  byTenant: { tenantId: string; tenantName: string; retired: number; costPerAccount: number; yuanPerYear: number }[];
}

export interface GovAccountDashboard {
  day: string;
  byPlatform: GovPlatformCounts[];
  rounds: GovRoundRate[];
  zombies: { total: number; items: GovAccountView[] };
  failing: { total: number; items: GovAccountView[] };
  closuresByMonth: GovClosureMonth[];
  cost: GovCostAvoided;
}

export async function govAccountDashboard(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  day: string = beijingDay(Date.now()),
): Promise<GovAccountDashboard> {
  access.require(GOV_ACCOUNT_ROLES.read);
  const byPlatform = await repo.countsByPlatform(ex, rootTenantId, day);
  const rounds = (await repo.roundRates(ex, rootTenantId)).map((r) => ({
    roundId: r.round_id,
    roundTenantId: r.round_tenant_id,
    roundTenantName: r.round_tenant_name,
    title: r.title,
    checkDay: r.check_day,
    sampled: r.sampled,
    passed: r.passed,
    excellent: r.excellent,
    vetoed: r.vetoed,
    rate: r.sampled ? r.passed / r.sampled : 0,
  }));
  const zombies = await listGovAccounts(ex, access, rootTenantId, { health: 'zombie' }, { first: LIST_SIZE }, day);
  const failing = await listGovAccounts(ex, access, rootTenantId, { health: 'fail' }, { first: LIST_SIZE }, day);
  const closuresByMonth = await repo.closuresByMonth(ex, rootTenantId);
  const own = (await repo.costChain(ex, rootTenantId))[0]?.yuan_per_year ?? DEFAULT_COST_PER_ACCOUNT;
  const byTenant = (await repo.retiredWithCost(ex, rootTenantId)).map((r) => {
    const cost = r.yuan_per_year ?? DEFAULT_COST_PER_ACCOUNT;
    return {
      tenantId: r.tenant_id,
      tenantName: r.tenant_name,
      retired: r.retired,
      costPerAccount: cost,
      yuanPerYear: r.retired * cost,
    };
  });
  return {
    day,
    byPlatform,
    rounds,
    zombies,
    failing,
    closuresByMonth,
    cost: {
      retired: byTenant.reduce((n, t) => n + t.retired, 0),
      yuanPerYear: byTenant.reduce((n, t) => n + t.yuanPerYear, 0),
      costPerAccount: own,
      byTenant,
    },
  };
}

export interface GovAccountCostAnswer {
  /** what applies in the tenant */
  effective: number;
  /** the tenant's own setting, null when it set none */
  own: number | null;
  /** the nearest ancestor's setting, null when none */
  inherited: { tenantId: string; tenantName: string; yuanPerYear: number } | null;
}

export async function govAccountCost(ex: Executor, access: Access, tenantId: string): Promise<GovAccountCostAnswer> {
  access.require(GOV_ACCOUNT_ROLES.read);
  const chain = await repo.costChain(ex, tenantId);
  const own = chain.find((c) => c.tenant_id === tenantId) ?? null;
  const up = chain.find((c) => c.tenant_id !== tenantId) ?? null;
  return {
    effective: chain[0]?.yuan_per_year ?? DEFAULT_COST_PER_ACCOUNT,
    own: own?.yuan_per_year ?? null,
    inherited: up ? { tenantId: up.tenant_id, tenantName: up.tenant_name, yuanPerYear: up.yuan_per_year } : null,
  };
}

/** A province or a city sets the yearly cost of one account for its subtree (null clears its own setting). */
export async function setGovAccountCost(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenant: Pick<Tenant, 'id' | 'level'>,
  yuanPerYear: number | null,
): Promise<GovAccountCostAnswer> {
  access.require(GOV_ACCOUNT_ROLES.editThresholds);
  if (tenant.level === 'county') throw new GovAccountError('GOV_COST_LEVEL');
  if (yuanPerYear === null) await repo.clearCost(ex, tenant.id);
  else {
    if (!Number.isInteger(yuanPerYear) || yuanPerYear < 0 || yuanPerYear > 10_000_000)
      throw new GovAccountError('GOV_COST_INVALID');
    await repo.saveCost(ex, tenant.id, yuanPerYear, actor.name);
  }
  await appendAudit(ex, actor, {
    tenantId: tenant.id,
    action: 'gov_account.cost',
    targetKind: 'gov_account_costs',
    targetId: tenant.id,
    detail: { yuanPerYear },
  });
  return govAccountCost(ex, access, tenant.id);
}

/** One of the platform's own channels: a tenant's face or one of its units (政务号). */
export interface GovOwnChannel {
  tenantId: string;
  tenantName: string;
  /** null: the tenant's own face */
  unitId: string | null;
  name: string;
  lastPublishedAt: Date | null;
  silentDays: number;
  health: GovHealth;
  thresholds: GovThresholds;
}

/**
 * The platform's own faces and units judged by the same rules as the registry (issue #19, Build
 * 2): their silence from their own publications (analytics' dormancy list: a channel that never
 * published is silent since it was created) against the account thresholds along their tenant's
 * chain (the strictest setting wins; 7 / 14 / 90 by default). The longest silent first.
 */
export async function govOwnChannels(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  day: string = beijingDay(Date.now()),
): Promise<GovOwnChannel[]> {
  access.require(GOV_ACCOUNT_ROLES.read);
  const list = await dormantAccounts(ex, rootTenantId, day, { all: true, weeks: 1 });
  const names = new Map<string, string>();
  const thresholds = new Map<string, GovThresholds>();
  for (const id of new Set(list.map((c) => c.tenantId))) {
    thresholds.set(id, effectiveThresholds(await thresholdChain(ex, id)));
    names.set(id, list.find((c) => c.tenantId === id && c.unitId === null)?.name ?? '');
  }
  return list.map((c) => {
    const th = thresholds.get(c.tenantId)!;
    return {
      tenantId: c.tenantId,
      tenantName: names.get(c.tenantId) || c.name,
      unitId: c.unitId,
      name: c.name,
      lastPublishedAt: c.lastPublishedAt,
      silentDays: c.daysSilent,
      health: healthOf(c.daysSilent, th),
      thresholds: th,
    };
  });
}

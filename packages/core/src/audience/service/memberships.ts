import type { ConsentPurpose, Executor, Membership } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { DomainError } from '../../errors.js';
import { appendAudit } from '../../governance/index.js';
import type { Access } from '../../identity/index.js';
import { tenantById } from '../../tenancy/index.js';
import { AUDIENCE_AUDIT } from '../events.js';
import {
  CONSENT_PURPOSES,
  type AudienceCounts,
  type Consents,
  type ConsentState,
  type MemberQuery,
  type MemberRow,
  type MembershipView,
} from '../model.js';
import { membershipsRepo as repo } from '../repo/index.js';

/** Current consents of memberships: the newest record per purpose. */
async function currentConsents(
  ex: Executor,
  ids: readonly { tenant_id: string; id: string }[],
): Promise<Map<string, ConsentState[]>> {
  const out = new Map<string, ConsentState[]>();
  if (ids.length === 0) return out;
  const rows = await repo.newestConsents(
    ex,
    ids.map((m) => m.id),
  );
  for (const r of rows) {
    const list = out.get(r.membership_id) ?? [];
    list.push({ purpose: r.purpose, granted: r.granted, at: r.at });
    out.set(r.membership_id, list);
  }
  return out;
}

async function recordConsents(
  ex: Executor,
  m: { tenant_id: string; id: string },
  consents: Partial<Consents>,
): Promise<void> {
  const rows = CONSENT_PURPOSES.filter((p) => consents[p] !== undefined).map((p) => ({
    tenant_id: m.tenant_id,
    membership_id: m.id,
    purpose: p,
    granted: consents[p]!,
  }));
  if (rows.length) await repo.insertConsents(ex, rows);
}

/**
 * Follows a tenant (or one of its units) in citizen scope: the membership
 * belongs to that tenant. Following again only updates the consents.
 */
export async function follow(
  ex: Executor,
  citizenId: string,
  tenantId: string,
  unitId: string | null,
  consents: Consents,
): Promise<Membership> {
  if (unitId && !(await repo.activeUnitExists(ex, tenantId, unitId))) throw new DomainError('UNIT_NOT_FOUND');
  const existing = await activeMembership(ex, citizenId, tenantId, unitId);
  const m =
    existing ?? (await repo.insertMembership(ex, { tenant_id: tenantId, citizen_id: citizenId, unit_id: unitId }));
  const before = existing ? await currentConsents(ex, [m]) : new Map<string, ConsentState[]>();
  const now = Object.fromEntries((before.get(m.id) ?? []).map((c) => [c.purpose, c.granted])) as Partial<Consents>;
  const changed = Object.fromEntries(
    CONSENT_PURPOSES.filter((p) => now[p] !== consents[p]).map((p) => [p, consents[p]]),
  ) as Partial<Consents>;
  await recordConsents(ex, m, changed);
  return m;
}

export async function activeMembership(
  ex: Executor,
  citizenId: string,
  tenantId: string,
  unitId: string | null,
): Promise<Membership | undefined> {
  return repo.activeMembership(ex, citizenId, tenantId, unitId);
}

async function ownMembership(ex: Executor, citizenId: string, membershipId: string): Promise<Membership> {
  const m = await repo.membershipOfCitizen(ex, citizenId, membershipId);
  if (!m) throw new DomainError('MEMBERSHIP_NOT_FOUND');
  return m;
}

/** Unfollows: the membership ends and every consent is withdrawn with it. */
export async function unfollow(ex: Executor, citizenId: string, membershipId: string): Promise<void> {
  const m = await ownMembership(ex, citizenId, membershipId);
  if (m.ended_at) return;
  await repo.endMembership(ex, m.tenant_id, m.id, new Date());
  await recordConsents(ex, m, { news: false, contact: false, share_parent: false });
}

export async function setConsent(
  ex: Executor,
  citizenId: string,
  membershipId: string,
  purpose: ConsentPurpose,
  granted: boolean,
): Promise<void> {
  if (!CONSENT_PURPOSES.includes(purpose)) throw new DomainError('BAD_USER_INPUT');
  const m = await ownMembership(ex, citizenId, membershipId);
  if (m.ended_at && granted) throw new DomainError('MEMBERSHIP_NOT_FOUND', '已取消关注，不能再授权');
  await recordConsents(ex, m, { [purpose]: granted });
}

/** Every membership of a citizen, on every tenant, with its consents (citizen scope). */
export async function myMemberships(ex: Executor, citizenId: string): Promise<MembershipView[]> {
  const rows = await repo.membershipsOfCitizen(ex, citizenId);
  const consents = await currentConsents(ex, rows);
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    createdAt: r.created_at,
    endedAt: r.ended_at,
    consents: consents.get(r.id) ?? [],
  }));
}

/**
 * A tenant's own members (tenant scope; row-level security keeps every other
 * tenant's out). Contact details appear only with a standing "contact" consent.
 */
export async function listMembers(
  ex: Executor,
  access: Access,
  q: MemberQuery = {},
): Promise<{ rows: MemberRow[]; total: number }> {
  access.require(['editor', 'chief_editor', 'tenant_admin']);
  const page = await repo.memberPage(ex, access.tenantId, q);
  const consents = await currentConsents(ex, page.rows);
  return {
    total: page.total,
    rows: page.rows.map((r) => {
      const cs = consents.get(r.id) ?? [];
      const contact = cs.some((c) => c.purpose === 'contact' && c.granted) && !r.ended_at ? (r.phone ?? r.email) : null;
      return {
        id: r.id,
        citizenId: r.citizen_id,
        displayName: r.display_name,
        unitId: r.unit_id,
        createdAt: r.created_at,
        endedAt: r.ended_at,
        consents: cs,
        contact,
      };
    }),
  };
}

const csvCell = (v: string): string => {
  // spreadsheet formula injection: a cell starting with = + - @ is data, not a formula
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The tenant's current members as CSV (UTF-8 with BOM, for Excel), honouring consents at this moment. */
export async function exportMembersCsv(ex: Executor, access: Access): Promise<string> {
  const { rows } = await listMembers(ex, access, { limit: 5000 });
  const lines = [['昵称', '关注时间', '政务号', '接收推送', '允许联系', '共享上级', '联系方式'].join(',')];
  const units = await repo.unitNames(ex, access.tenantId);
  for (const r of rows) {
    const g = (p: ConsentPurpose): string => (r.consents.some((c) => c.purpose === p && c.granted) ? '是' : '否');
    lines.push(
      [
        r.displayName,
        r.createdAt.toISOString(),
        r.unitId ? (units.get(r.unitId) ?? '') : '',
        g('news'),
        g('contact'),
        g('share_parent'),
        r.contact ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * The members export as a download: the CSV, the tenant's slug for the file name, and an entry
 * in the audit log with the number of rows (every export is recorded).
 */
export async function exportMembers(
  ex: Executor,
  access: Access,
  actor: Actor,
): Promise<{ csv: string; slug: string }> {
  const csv = await exportMembersCsv(ex, access);
  const rows = csv.split('\r\n').length - 2; // less the header and the empty piece after the last line break
  await appendAudit(ex, actor, {
    tenantId: access.tenantId,
    action: AUDIENCE_AUDIT.membersExported,
    targetKind: 'tenant',
    targetId: access.tenantId,
    detail: { rows },
  });
  const tenant = await tenantById(ex, access.tenantId);
  if (!tenant) throw new DomainError('TENANT_NOT_FOUND');
  return { csv, slug: tenant.slug };
}

/**
 * Figures of one tenant's audience for itself or an ancestor: counts only, never
 * lists (a definer function that checks the caller's tenant is an ancestor).
 */
export async function audienceCounts(ex: Executor, tenantId: string, since: Date): Promise<AudienceCounts | null> {
  return repo.audienceCounts(ex, tenantId, since);
}

/** The audience counts of a tenant and every descendant (tenant scope of that tenant; members only). */
export async function audienceCountsOfDescendants(
  ex: Executor,
  access: Access,
  since: Date,
): Promise<(AudienceCounts & { tenantId: string })[]> {
  access.requireMember();
  return (await repo.audienceCountsOfSubtree(ex, access.tenantId, since)).map(({ tenant_id, ...c }) => ({
    ...c,
    tenantId: tenant_id,
  }));
}

import { sql } from 'kysely';
import type { ConsentPurpose, Executor, Membership } from '@yiduan/db';
import type { Access } from '../identity/index.js';
import { DomainError } from '../errors.js';

export const CONSENT_PURPOSES: readonly ConsentPurpose[] = ['news', 'contact', 'share_parent'];
export const CONSENT_LABELS: Record<ConsentPurpose, string> = {
  news: '接收新闻推送',
  contact: '允许本单位联系我',
  share_parent: '允许与上级平台共享',
};

export type Consents = Record<ConsentPurpose, boolean>;
export interface ConsentState {
  purpose: ConsentPurpose;
  granted: boolean;
  at: Date;
}

export interface MembershipView {
  id: string;
  tenantId: string;
  tenantName: string;
  unitId: string | null;
  unitName: string | null;
  createdAt: Date;
  endedAt: Date | null;
  consents: ConsentState[];
}

/** Current consents of memberships: the newest record per purpose. */
async function currentConsents(ex: Executor, ids: readonly { tenant_id: string; id: string }[]): Promise<Map<string, ConsentState[]>> {
  const out = new Map<string, ConsentState[]>();
  if (ids.length === 0) return out;
  const rows = await ex
    .selectFrom('membership_consents')
    .select(['membership_id', 'purpose', 'granted', 'at'])
    .distinctOn(['membership_id', 'purpose'])
    .where('membership_id', 'in', ids.map((m) => m.id))
    .orderBy('membership_id')
    .orderBy('purpose')
    .orderBy('id', 'desc')
    .execute();
  for (const r of rows) {
    const list = out.get(r.membership_id) ?? [];
    list.push({ purpose: r.purpose, granted: r.granted, at: r.at });
    out.set(r.membership_id, list);
  }
  return out;
}

async function recordConsents(ex: Executor, m: { tenant_id: string; id: string }, consents: Partial<Consents>): Promise<void> {
  const rows = CONSENT_PURPOSES.filter((p) => consents[p] !== undefined).map((p) => ({ tenant_id: m.tenant_id, membership_id: m.id, purpose: p, granted: consents[p]! }));
  if (rows.length) await ex.insertInto('membership_consents').values(rows).execute();
}

/**
 * Follows a tenant (or one of its units) in citizen scope: the membership
 * belongs to that tenant. Following again only updates the consents.
 */
export async function follow(ex: Executor, citizenId: string, tenantId: string, unitId: string | null, consents: Consents): Promise<Membership> {
  if (unitId) {
    const unit = await ex.selectFrom('units').select('id').where('tenant_id', '=', tenantId).where('id', '=', unitId).where('status', '=', 'active').executeTakeFirst();
    if (!unit) throw new DomainError('UNIT_NOT_FOUND');
  }
  const existing = await activeMembership(ex, citizenId, tenantId, unitId);
  const m =
    existing ??
    (await ex
      .insertInto('memberships')
      .values({ tenant_id: tenantId, citizen_id: citizenId, unit_id: unitId })
      .returningAll()
      .executeTakeFirstOrThrow());
  const before = existing ? await currentConsents(ex, [m]) : new Map<string, ConsentState[]>();
  const now = Object.fromEntries((before.get(m.id) ?? []).map((c) => [c.purpose, c.granted])) as Partial<Consents>;
  const changed = Object.fromEntries(CONSENT_PURPOSES.filter((p) => now[p] !== consents[p]).map((p) => [p, consents[p]])) as Partial<Consents>;
  await recordConsents(ex, m, changed);
  return m;
}

export async function activeMembership(ex: Executor, citizenId: string, tenantId: string, unitId: string | null): Promise<Membership | undefined> {
  let q = ex.selectFrom('memberships').selectAll().where('tenant_id', '=', tenantId).where('citizen_id', '=', citizenId).where('ended_at', 'is', null);
  q = unitId ? q.where('unit_id', '=', unitId) : q.where('unit_id', 'is', null);
  return q.executeTakeFirst();
}

async function ownMembership(ex: Executor, citizenId: string, membershipId: string): Promise<Membership> {
  const m = await ex.selectFrom('memberships').selectAll().where('id', '=', membershipId).where('citizen_id', '=', citizenId).executeTakeFirst();
  if (!m) throw new DomainError('MEMBERSHIP_NOT_FOUND');
  return m;
}

/** Unfollows: the membership ends and every consent is withdrawn with it. */
export async function unfollow(ex: Executor, citizenId: string, membershipId: string): Promise<void> {
  const m = await ownMembership(ex, citizenId, membershipId);
  if (m.ended_at) return;
  await ex.updateTable('memberships').set({ ended_at: new Date() }).where('tenant_id', '=', m.tenant_id).where('id', '=', m.id).execute();
  await recordConsents(ex, m, { news: false, contact: false, share_parent: false });
}

export async function setConsent(ex: Executor, citizenId: string, membershipId: string, purpose: ConsentPurpose, granted: boolean): Promise<void> {
  if (!CONSENT_PURPOSES.includes(purpose)) throw new DomainError('BAD_USER_INPUT');
  const m = await ownMembership(ex, citizenId, membershipId);
  if (m.ended_at && granted) throw new DomainError('MEMBERSHIP_NOT_FOUND', '已取消关注，不能再授权');
  await recordConsents(ex, m, { [purpose]: granted });
}

/** Every membership of a citizen, on every tenant, with its consents (citizen scope). */
export async function myMemberships(ex: Executor, citizenId: string): Promise<MembershipView[]> {
  const rows = await ex
    .selectFrom('memberships as m')
    .innerJoin('tenants as t', 't.id', 'm.tenant_id')
    .leftJoin('units as u', (j) => j.onRef('u.tenant_id', '=', 'm.tenant_id').onRef('u.id', '=', 'm.unit_id'))
    .select(['m.id', 'm.tenant_id', 't.name as tenant_name', 'm.unit_id', 'u.name as unit_name', 'm.created_at', 'm.ended_at'])
    .where('m.citizen_id', '=', citizenId)
    .orderBy('m.ended_at', (o) => o.desc().nullsFirst())
    .orderBy('m.created_at', 'desc')
    .execute();
  const consents = await currentConsents(ex, rows);
  return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, tenantName: r.tenant_name, unitId: r.unit_id, unitName: r.unit_name, createdAt: r.created_at, endedAt: r.ended_at, consents: consents.get(r.id) ?? [] }));
}

export interface MemberRow {
  id: string;
  citizenId: string;
  displayName: string;
  unitId: string | null;
  createdAt: Date;
  endedAt: Date | null;
  consents: ConsentState[];
  /** phone or e-mail, only while the member's "contact" consent stands */
  contact: string | null;
}

export interface MemberQuery {
  unitId?: string | null;
  includeEnded?: boolean;
  limit?: number;
  offset?: number;
}

/**
 * A tenant's own members (tenant scope; row-level security keeps every other
 * tenant's out). Contact details appear only with a standing "contact" consent.
 */
export async function listMembers(ex: Executor, access: Access, q: MemberQuery = {}): Promise<{ rows: MemberRow[]; total: number }> {
  access.require(['editor', 'chief_editor', 'tenant_admin']);
  const tenantId = access.tenantId;
  let base = ex.selectFrom('memberships as m').innerJoin('citizens as c', 'c.id', 'm.citizen_id').where('m.tenant_id', '=', tenantId);
  if (!q.includeEnded) base = base.where('m.ended_at', 'is', null);
  if (q.unitId) base = base.where('m.unit_id', '=', q.unitId);
  const total = await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select(['m.id', 'm.tenant_id', 'm.citizen_id', 'c.display_name', 'c.phone', 'c.email', 'm.unit_id', 'm.created_at', 'm.ended_at'])
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id')
    .limit(Math.min(q.limit ?? 50, 5000))
    .offset(q.offset ?? 0)
    .execute();
  const consents = await currentConsents(ex, rows);
  return {
    total: total.n,
    rows: rows.map((r) => {
      const cs = consents.get(r.id) ?? [];
      const contact = cs.some((c) => c.purpose === 'contact' && c.granted) && !r.ended_at ? (r.phone ?? r.email) : null;
      return { id: r.id, citizenId: r.citizen_id, displayName: r.display_name, unitId: r.unit_id, createdAt: r.created_at, endedAt: r.ended_at, consents: cs, contact };
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
  const units = new Map((await ex.selectFrom('units').select(['id', 'name']).where('tenant_id', '=', access.tenantId).execute()).map((u) => [u.id, u.name]));
  for (const r of rows) {
    const g = (p: ConsentPurpose): string => (r.consents.some((c) => c.purpose === p && c.granted) ? '是' : '否');
    lines.push([r.displayName, r.createdAt.toISOString(), r.unitId ? (units.get(r.unitId) ?? '') : '', g('news'), g('contact'), g('share_parent'), r.contact ?? ''].map(csvCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export interface AudienceCounts {
  members: number;
  gained: number;
  lost: number;
  comments: number;
  messages: number;
  overdue: number;
}

/**
 * Figures of one tenant's audience for itself or an ancestor: counts only, never
 * lists (a definer function that checks the caller's tenant is an ancestor).
 */
export async function audienceCounts(ex: Executor, tenantId: string, since: Date): Promise<AudienceCounts | null> {
  const r = await sql<{ members: number; gained: number; lost: number; comments: number; messages: number; overdue: number }>`
    SELECT members::int, gained::int, lost::int, comments::int, messages::int, overdue::int FROM audience_counts(${tenantId}::uuid, ${since})`.execute(ex);
  return r.rows[0] ?? null;
}

import { sql } from 'kysely';
import type { ConsentPurpose, Executor, Membership } from '@yiduan/db';
import type { AudienceCounts, MemberQuery } from '../model.js';

/** Whether a unit of the tenant exists and is active (a membership or message may name it). */
export async function activeUnitExists(ex: Executor, tenantId: string, unitId: string): Promise<boolean> {
  const unit = await ex
    .selectFrom('units')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', unitId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return unit !== undefined;
}

/** The names of a tenant's units, by id. */
export async function unitNames(ex: Executor, tenantId: string): Promise<Map<string, string>> {
  return new Map(
    (await ex.selectFrom('units').select(['id', 'name']).where('tenant_id', '=', tenantId).execute()).map((u) => [
      u.id,
      u.name,
    ]),
  );
}

/** One unit's name, or null when the tenant has no such unit (in any status). */
export async function unitName(ex: Executor, tenantId: string, unitId: string): Promise<string | null> {
  const unit = await ex
    .selectFrom('units')
    .select('name')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', unitId)
    .executeTakeFirst();
  return unit?.name ?? null;
}

/** The newest consent record per membership and purpose. */
export async function newestConsents(ex: Executor, membershipIds: string[]) {
  return ex
    .selectFrom('membership_consents')
    .select(['membership_id', 'purpose', 'granted', 'at'])
    .distinctOn(['membership_id', 'purpose'])
    .where('membership_id', 'in', membershipIds)
    .orderBy('membership_id')
    .orderBy('purpose')
    .orderBy('id', 'desc')
    .execute();
}

export async function insertConsents(
  ex: Executor,
  rows: { tenant_id: string; membership_id: string; purpose: ConsentPurpose; granted: boolean }[],
): Promise<void> {
  await ex.insertInto('membership_consents').values(rows).execute();
}

export async function insertMembership(
  ex: Executor,
  values: { tenant_id: string; citizen_id: string; unit_id: string | null },
): Promise<Membership> {
  return ex.insertInto('memberships').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function activeMembership(
  ex: Executor,
  citizenId: string,
  tenantId: string,
  unitId: string | null,
): Promise<Membership | undefined> {
  let q = ex
    .selectFrom('memberships')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('citizen_id', '=', citizenId)
    .where('ended_at', 'is', null);
  q = unitId ? q.where('unit_id', '=', unitId) : q.where('unit_id', 'is', null);
  return q.executeTakeFirst();
}

export async function membershipOfCitizen(
  ex: Executor,
  citizenId: string,
  membershipId: string,
): Promise<Membership | undefined> {
  return ex
    .selectFrom('memberships')
    .selectAll()
    .where('id', '=', membershipId)
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
}

export async function endMembership(ex: Executor, tenantId: string, membershipId: string, at: Date): Promise<void> {
  await ex
    .updateTable('memberships')
    .set({ ended_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', membershipId)
    .execute();
}

/** Ends every open membership of a citizen; returns the ones ended. */
export async function endMembershipsOf(
  ex: Executor,
  citizenId: string,
  at: Date,
): Promise<{ tenant_id: string; id: string }[]> {
  return ex
    .updateTable('memberships')
    .set({ ended_at: at })
    .where('citizen_id', '=', citizenId)
    .where('ended_at', 'is', null)
    .returning(['tenant_id', 'id'])
    .execute();
}

/** Every membership of a citizen with its tenant's and unit's names, open ones first. */
export async function membershipsOfCitizen(ex: Executor, citizenId: string) {
  return ex
    .selectFrom('memberships as m')
    .innerJoin('tenants as t', 't.id', 'm.tenant_id')
    .leftJoin('units as u', (j) => j.onRef('u.tenant_id', '=', 'm.tenant_id').onRef('u.id', '=', 'm.unit_id'))
    .select([
      'm.id',
      'm.tenant_id',
      't.name as tenant_name',
      'm.unit_id',
      'u.name as unit_name',
      'm.created_at',
      'm.ended_at',
    ])
    .where('m.citizen_id', '=', citizenId)
    .orderBy('m.ended_at', (o) => o.desc().nullsFirst())
    .orderBy('m.created_at', 'desc')
    .execute();
}

/** Every consent record of a citizen's memberships, oldest first (the data export). */
export async function consentHistoryOf(ex: Executor, citizenId: string) {
  return ex
    .selectFrom('membership_consents as c')
    .innerJoin('memberships as m', (j) =>
      j.onRef('m.tenant_id', '=', 'c.tenant_id').onRef('m.id', '=', 'c.membership_id'),
    )
    .select(['c.membership_id', 'c.purpose', 'c.granted', 'c.at'])
    .where('m.citizen_id', '=', citizenId)
    .orderBy('c.id')
    .execute();
}

/** A page of a tenant's members with their identifiers, and the total. */
export async function memberPage(ex: Executor, tenantId: string, q: MemberQuery) {
  let base = ex
    .selectFrom('memberships as m')
    .innerJoin('citizens as c', 'c.id', 'm.citizen_id')
    .where('m.tenant_id', '=', tenantId);
  if (!q.includeEnded) base = base.where('m.ended_at', 'is', null);
  if (q.unitId) base = base.where('m.unit_id', '=', q.unitId);
  const total = await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select([
      'm.id',
      'm.tenant_id',
      'm.citizen_id',
      'c.display_name',
      'c.phone',
      'c.email',
      'm.unit_id',
      'm.created_at',
      'm.ended_at',
    ])
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id')
    .limit(Math.min(q.limit ?? 50, 5000))
    .offset(q.offset ?? 0)
    .execute();
  return { rows, total: total.n };
}

/**
 * Figures of one tenant's audience for itself or an ancestor: counts only, never
 * lists (a definer function that checks the caller's tenant is an ancestor).
 */
export async function audienceCounts(ex: Executor, tenantId: string, since: Date): Promise<AudienceCounts | null> {
  const r = await sql<AudienceCounts>`
    SELECT members::int, gained::int, lost::int, comments::int, messages::int, overdue::int FROM audience_counts(${tenantId}::uuid, ${since})`.execute(
    ex,
  );
  return r.rows[0] ?? null;
}

/** The audience counts of a tenant and every descendant, nearest first, by slug (one statement). */
export async function audienceCountsOfSubtree(
  ex: Executor,
  tenantId: string,
  since: Date,
): Promise<(AudienceCounts & { tenant_id: string })[]> {
  const r = await sql<AudienceCounts & { tenant_id: string }>`
    SELECT t.descendant_id AS tenant_id, c.members::int, c.gained::int, c.lost::int, c.comments::int, c.messages::int, c.overdue::int
      FROM tenant_tree t
      JOIN tenants x ON x.id = t.descendant_id
      CROSS JOIN LATERAL audience_counts(t.descendant_id, ${since}) c
     WHERE t.ancestor_id = ${tenantId}::uuid
     ORDER BY t.depth, x.slug`.execute(ex);
  return r.rows;
}

import { sql } from 'kysely';
import type { Executor, Organisation } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';
import { isUuid } from '../tenancy/index.js';

/**
 * An operator organisation (代运营) as it is shown: the qualification's last valid day as stored
 * (`YYYY-MM-DD`, read as text: the `pg` driver turns a `date` column into a JS Date at local
 * midnight, which prints as "Mon Jan 01 2024 …" and shifts a day in zones east of UTC), and
 * whether its grants count today.
 */
export interface OrganisationView extends Omit<Organisation, 'valid_until'> {
  /** the last day the qualification is valid, inclusive (a Beijing calendar day) */
  valid_until: string;
  /** active and not past `valid_until` in Beijing today: the rule access.ts applies to its grants */
  valid: boolean;
}

export interface OrganisationInput {
  name: string;
  licenceNo: string;
  /** 'YYYY-MM-DD' */
  validUntil: string;
}

/** A real calendar day written 'YYYY-MM-DD' (Date.parse alone takes 2024-02-30 as 1 March). */
function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function checkOrg(input: Partial<OrganisationInput>): void {
  if (input.name !== undefined && (input.name.trim().length < 1 || input.name.length > 100)) throw new DomainError('BAD_USER_INPUT', '机构名称长度应为 1 到 100 个字符');
  if (input.licenceNo !== undefined && (input.licenceNo.trim().length < 1 || input.licenceNo.length > 64)) throw new DomainError('BAD_USER_INPUT', '资质证号不能为空');
  if (input.validUntil !== undefined && !isCalendarDay(input.validUntil)) {
    throw new DomainError('BAD_USER_INPUT', '有效期格式应为 YYYY-MM-DD', [{ path: 'validUntil', message: '请填写有效的日期，如 2027-06-30' }]);
  }
}

/** Organisations as shown, optionally only some; one query. */
function organisationViews(ex: Executor) {
  return ex
    .selectFrom('organisations')
    .select(['id', 'name', 'licence_no', 'status', 'created_at', 'updated_at'])
    .select(sql<string>`valid_until::text`.as('valid_until'))
    // the same comparison as access.ts makes on every request: Beijing's date, inclusive
    .select(sql<boolean>`(status = 'active' AND valid_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date)`.as('valid'));
}

export async function listOrganisations(ex: Executor): Promise<OrganisationView[]> {
  return organisationViews(ex).orderBy('name').execute();
}

/** Organisations by id as shown, in any order; one query (the batched Grant/Staff.organisation). */
export async function organisationsByIds(ex: Executor, ids: readonly string[]): Promise<OrganisationView[]> {
  const valid = [...new Set(ids.filter(isUuid))];
  return valid.length ? organisationViews(ex).where('id', 'in', valid).execute() : [];
}

export async function organisationById(ex: Executor, id: string): Promise<OrganisationView | null> {
  if (!isUuid(id)) return null;
  return (await organisationViews(ex).where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Re-reads what was written, so every answer shows the stored day and the validity it gives. */
async function reread(ex: Executor, id: string): Promise<OrganisationView> {
  const org = await organisationById(ex, id);
  if (!org) throw new DomainError('ORGANISATION_NOT_FOUND');
  return org;
}

/** Operator organisations (代运营) are platform records with a qualification on file. */
export async function createOrganisation(ex: Executor, actor: Actor, input: OrganisationInput): Promise<OrganisationView> {
  checkOrg(input);
  const org = await ex
    .insertInto('organisations')
    .values({ name: input.name.trim(), licence_no: input.licenceNo.trim(), valid_until: input.validUntil })
    .returning(['id', 'licence_no'])
    .executeTakeFirstOrThrow();
  await appendAudit(ex, actor, { tenantId: null, action: 'organisation.create', targetKind: 'organisation', targetId: org.id, detail: { licenceNo: org.licence_no, validUntil: input.validUntil } });
  return reread(ex, org.id);
}

export async function updateQualification(ex: Executor, actor: Actor, orgId: string, input: Partial<OrganisationInput> & { status?: 'active' | 'suspended' }): Promise<OrganisationView> {
  checkOrg(input);
  if (!isUuid(orgId)) throw new DomainError('ORGANISATION_NOT_FOUND');
  const org = await ex
    .updateTable('organisations')
    .set({
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.licenceNo !== undefined ? { licence_no: input.licenceNo.trim() } : {}),
      ...(input.validUntil !== undefined ? { valid_until: input.validUntil } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', orgId)
    .returning('id')
    .executeTakeFirst();
  if (!org) throw new DomainError('ORGANISATION_NOT_FOUND');
  await appendAudit(ex, actor, { tenantId: null, action: 'organisation.update', targetKind: 'organisation', targetId: orgId, detail: { ...input } });
  return reread(ex, orgId);
}

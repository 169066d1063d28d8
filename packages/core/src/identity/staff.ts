import { isUniqueViolation, type Executor, type Staff } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';
import { isUuid } from '../tenancy/index.js';
import { hashPassword, passwordProblem } from './passwords.js';

const LOGIN = /^[a-z0-9][a-z0-9._-]{2,39}$/;

export const staffActor = (s: Pick<Staff, 'id' | 'display_name'>): Actor => ({ kind: 'staff', id: s.id, name: s.display_name });

export interface NewStaff {
  login: string;
  displayName: string;
  password: string;
  isOperator?: boolean;
  orgId?: string | null;
}

/** Creates a staff account (platform scope). Roles come separately, as grants. */
export async function createStaff(ex: Executor, actor: Actor, input: NewStaff): Promise<Staff> {
  const login = input.login.trim().toLowerCase();
  if (!LOGIN.test(login)) throw new DomainError('BAD_USER_INPUT', '登录名只能使用字母、数字、点、下划线和连字符，3 到 40 个字符', [{ path: 'login', message: '格式不正确' }]);
  const name = input.displayName.trim();
  if (name.length < 1 || name.length > 40) throw new DomainError('BAD_USER_INPUT', '姓名长度应为 1 到 40 个字符', [{ path: 'displayName', message: '长度不正确' }]);
  const weak = passwordProblem(input.password);
  if (weak) throw new DomainError('BAD_USER_INPUT', weak, [{ path: 'password', message: weak }]);
  if (input.orgId && !(await ex.selectFrom('organisations').select('id').where('id', '=', input.orgId).executeTakeFirst())) {
    throw new DomainError('ORGANISATION_NOT_FOUND');
  }
  let staff: Staff;
  try {
    staff = await ex
      .insertInto('staff')
      .values({ login, display_name: name, password_hash: await hashPassword(input.password), is_operator: input.isOperator ?? false, org_id: input.orgId ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('LOGIN_TAKEN');
    throw err;
  }
  await appendAudit(ex, actor, { tenantId: null, action: 'staff.create', targetKind: 'staff', targetId: staff.id, detail: { login } });
  return staff;
}

export async function staffById(ex: Executor, id: string): Promise<Staff | undefined> {
  if (!isUuid(id)) return undefined;
  return ex.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function staffByIds(ex: Executor, ids: readonly string[]): Promise<Staff[]> {
  const valid = ids.filter(isUuid);
  return valid.length ? ex.selectFrom('staff').selectAll().where('id', 'in', valid).execute() : [];
}

export async function staffByLogin(ex: Executor, login: string): Promise<Staff | undefined> {
  return ex.selectFrom('staff').selectAll().where('login', '=', login.trim().toLowerCase()).executeTakeFirst();
}

export async function setStaffStatus(ex: Executor, actor: Actor, id: string, status: 'active' | 'disabled'): Promise<Staff> {
  const row = await ex.updateTable('staff').set({ status }).where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) throw new DomainError('STAFF_NOT_FOUND');
  if (status === 'disabled') await ex.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('staff_id', '=', id).where('revoked_at', 'is', null).execute();
  await appendAudit(ex, actor, { tenantId: null, action: `staff.${status === 'active' ? 'enable' : 'disable'}`, targetKind: 'staff', targetId: id });
  return row;
}

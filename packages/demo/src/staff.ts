import { appendAudit, grantRole, hashPassword, createOrganisation, type Actor } from '@yiduan/core';
import type { Organisation, Staff, StaffRole, Trx, Unit } from '@yiduan/db';
import { DEMO_TREE } from './tree.js';
import { PLACES, type DeskRole } from './places.js';

/** The one password of every demo account (≥ 10 characters, letters and digits). */
export const DEMO_PASSWORD = 'Demo2026!yiduan';

export const OPERATOR_ORG = {
  name: '中原数字传媒服务有限公司',
  licenceNo: '豫新媒代运营〔2026〕第0317号',
} as const;

export interface DemoAccount {
  login: string;
  name: string;
  /** tenant slugs where the account holds its role; empty for the platform operator */
  tenants: readonly string[];
  role: StaffRole | 'operator';
  /** the unit a unit member is limited to */
  unit?: string;
  /** the operator organisation (代运营) the role comes through */
  organisation?: string;
}

const DESK: Record<DeskRole, StaffRole> = {
  reporter: 'reporter',
  editor: 'editor',
  editor2: 'editor',
  reviewer: 'reviewer',
  chief: 'chief_editor',
  admin: 'tenant_admin',
};

function accounts(): DemoAccount[] {
  const list: DemoAccount[] = [
    { login: 'operator', name: '郑立群', tenants: [], role: 'operator' },
    {
      login: 'zhongyuan-ops',
      name: '贺文杰',
      tenants: ['zhecheng', 'yichuan'],
      role: 'editor',
      organisation: OPERATOR_ORG.name,
    },
  ];
  for (const t of DEMO_TREE) {
    const place = PLACES[t.slug]!;
    for (const desk of Object.keys(DESK) as DeskRole[]) {
      list.push({ login: `${t.slug}-${desk}`, name: place.people[desk], tenants: [t.slug], role: DESK[desk] });
    }
    for (const u of place.units) {
      if (u.member)
        list.push({ login: `${t.slug}-${u.slug}`, name: u.member, tenants: [t.slug], role: 'reporter', unit: u.name });
    }
  }
  return list;
}

/** Every demo login, for the README and the console's sign-in hint. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = accounts();

const ROLE_LABEL: Record<DemoAccount['role'], string> = {
  operator: '平台运营',
  reporter: '记者',
  editor: '编辑',
  reviewer: '审核员',
  chief_editor: '总编辑',
  tenant_admin: '管理员',
};

/** DEMO_ACCOUNTS as a Markdown table (login, name, tenants, role). */
export function demoAccountsMarkdown(): string {
  const rows = DEMO_ACCOUNTS.map((a) => {
    const where = a.tenants.length ? a.tenants.join(', ') : '（全平台）';
    const role = `${ROLE_LABEL[a.role]}${a.unit ? `（限 ${a.unit}）` : ''}${a.organisation ? `（经 ${a.organisation}）` : ''}`;
    return `| \`${a.login}\` | ${a.name} | ${where} | ${role} |`;
  });
  return ['| 登录名 | 姓名 | 租户 | 角色 |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

// One argon2 hash per process: every demo account shares the password, and
// hashing ~55 times (createStaff hashes each) would cost about a second per seed.
let demoHash: Promise<string> | undefined;
const hashOnce = (): Promise<string> => (demoHash ??= hashPassword(DEMO_PASSWORD));

/** Next year's last day: the operator organisation's qualification stays valid for the demo. */
const validUntil = (): string => `${new Date().getUTCFullYear() + 1}-12-31`;

/**
 * Platform scope. Staff rows are inserted directly with the shared hash
 * (createStaff would hash each one) and audited like createStaff does.
 */
export async function insertDemoStaff(
  trx: Trx,
  actor: Actor,
): Promise<{ staff: Record<string, Staff>; org: Organisation }> {
  const org = await createOrganisation(trx, actor, {
    name: OPERATOR_ORG.name,
    licenceNo: OPERATOR_ORG.licenceNo,
    validUntil: validUntil(),
  });
  const hash = await hashOnce();
  const rows = await trx
    .insertInto('staff')
    .values(
      DEMO_ACCOUNTS.map((a) => ({
        login: a.login,
        display_name: a.name,
        password_hash: hash,
        is_operator: a.role === 'operator',
        org_id: a.organisation ? org.id : null,
      })),
    )
    .returningAll()
    .execute();
  const staff: Record<string, Staff> = {};
  for (const s of rows) {
    staff[s.login] = s;
    await appendAudit(trx, actor, {
      tenantId: null,
      action: 'staff.create',
      targetKind: 'staff',
      targetId: s.id,
      detail: { login: s.login },
    });
  }
  return { staff, org };
}

/** Platform scope: every account's role through grantRole; the 代运营's through its organisation. */
export async function grantDemoRoles(
  trx: Trx,
  actor: Actor,
  tenants: Record<string, { id: string }>,
  units: Record<string, Record<string, Unit>>,
  staff: Record<string, Staff>,
  org: Organisation,
): Promise<void> {
  for (const a of DEMO_ACCOUNTS) {
    if (a.role === 'operator') continue;
    if (a.organisation) {
      // its staff act while the organisation's qualification is valid
      for (const slug of a.tenants)
        await grantRole(trx, actor, { tenantId: tenants[slug]!.id, role: a.role, orgId: org.id });
      continue;
    }
    const slug = a.tenants[0]!;
    const unit = a.unit ? Object.values(units[slug] ?? {}).find((u) => u.name === a.unit) : undefined;
    await grantRole(trx, actor, {
      tenantId: tenants[slug]!.id,
      role: a.role,
      staffId: staff[a.login]!.id,
      unitId: unit?.id ?? null,
    });
  }
}

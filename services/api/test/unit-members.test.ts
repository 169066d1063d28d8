/**
 * A county's tenant admin adds a unit member (政务号通讯员) with addUnitMember: a new account
 * and its REPORTER grant on one unit of their own tenant, in one transaction, audited. Nobody
 * else may, and not in another tenant; createStaff stays the platform operators'.
 */
import t from 'tap';
import { createUnit, SYSTEM_ACTOR } from '@yiduan/core';
import { withTenant } from '@yiduan/db';
import { createDemoDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { PASSWORD, staffWith } from './staff.js';

const ADD = `mutation($t: ID!, $u: ID!, $i: UnitMemberInput!) { addUnitMember(tenantId: $t, unitId: $u, input: $i) { id role unit { id name } staff { id login name isOperator organisation { id } } } }`;
const LOGIN = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`;
const DRAFT = `mutation($t: ID!, $u: ID) { createStory(tenantId: $t, input: { kind: ARTICLE, unitId: $u, content: { title: "通讯员来稿", body: [{ type: "paragraph", text: "正文。" }] } }) { story { id } } }`;
const MEMBER_PASSWORD = 'Tongxunyuan-2026';

type Added = {
  addUnitMember: {
    id: string;
    role: string;
    unit: { id: string; name: string };
    staff: { id: string; login: string; name: string; isOperator: boolean; organisation: { id: string } | null };
  };
};

t.test('addUnitMember: the tenant admin adds a member to a unit of their own tenant, and only there', async (t) => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const [ruyang, yichuan] = [tenants.ruyang!.id, tenants.yichuan!.id];
  const unit = (tenantId: string, slug: string, name: string) =>
    withTenant(deps.db, tenantId, (trx) => createUnit(trx, SYSTEM_ACTOR, tenantId, { slug, name, kind: 'township' }));
  const [town, other, yichuanTown] = [
    await unit(ruyang, 'um-town', '城关镇'),
    await unit(ruyang, 'um-other', '柏树乡'),
    await unit(yichuan, 'um-yc-town', '伊川城关镇'),
  ];
  await staffWith(deps.db, 'um-admin', ruyang, ['tenant_admin']);
  await staffWith(deps.db, 'um-reporter', ruyang, ['reporter']);
  await staffWith(deps.db, 'um-editor', ruyang, ['editor', 'chief_editor']);
  const app = await build(deps);
  t.teardown(() => app.close());
  const as = async (login: string, password = PASSWORD) =>
    graphqlClient(app, {
      token: (await graphqlClient(app)<{ login: { token: string } }>(LOGIN, { l: login, p: password })).data!.login
        .token,
    });
  const admin = await as('um-admin');
  const accounts = async (login: string) =>
    Number(
      (
        await deps.tdb.owner
          .selectFrom('staff')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('login', '=', login)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const grantsTotal = async () =>
    Number(
      (
        await deps.tdb.owner
          .selectFrom('grants')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  t.test('added: a reporter of that unit only, of no organisation, never an operator; audited', async (t) => {
    const r = await admin<Added>(ADD, {
      t: ruyang,
      u: town.id,
      i: { login: 'cg-tongxunyuan', name: '李通讯', password: MEMBER_PASSWORD },
    });
    t.equal(r.errors, undefined);
    const g = r.data!.addUnitMember;
    t.match(g, {
      role: 'REPORTER',
      unit: { id: town.id },
      staff: { login: 'cg-tongxunyuan', name: '李通讯', isOperator: false, organisation: null },
    });
    const audit = await deps.tdb.owner
      .selectFrom('audit_log')
      .select(['action', 'tenant_id', 'actor_name'])
      .where('target_id', '=', g.staff.id)
      .orderBy('id')
      .execute();
    t.same(
      audit.map((a) => [a.action, a.tenant_id, a.actor_name]),
      [
        ['staff.create', null, 'um-admin'],
        ['grant.add', ruyang, 'um-admin'],
      ],
      'the account and the grant, by the admin',
    );

    const member = await as('cg-tongxunyuan', MEMBER_PASSWORD);
    t.equal(errorCode(await member(DRAFT, { t: ruyang, u: town.id })), undefined, 'the member drafts in the unit');
    t.equal(errorCode(await member(DRAFT, { t: ruyang, u: other.id })), 'FORBIDDEN', 'not in another unit');
    const unnamed = await member<{ createStory: { story: { unit: { id: string } | null } } }>(
      DRAFT.replace('story { id }', 'story { id unit { id } }'),
      { t: ruyang, u: null },
    );
    t.equal(
      unnamed.data?.createStory.story.unit?.id,
      town.id,
      'a draft naming no unit is filed under the member’s unit, not the county’s',
    );
    t.equal(errorCode(await member(DRAFT, { t: yichuan, u: yichuanTown.id })), 'FORBIDDEN', 'nor in another tenant');
    t.equal(
      errorCode(
        await member(ADD, { t: ruyang, u: town.id, i: { login: 'cg-second', name: '二', password: MEMBER_PASSWORD } }),
      ),
      'FORBIDDEN',
      'a member adds nobody',
    );
  });

  t.test('isolation: 汝阳’s admin adds nobody to a 伊川 unit', async (t) => {
    const before = await grantsTotal();
    // the intruder's account, asked for in 汝阳 or 伊川 on a unit of 伊川's (or on no unit at all)
    const intrude = async (tenant: string, unit: string) =>
      errorCode(
        await admin(ADD, { t: tenant, u: unit, i: { login: 'yc-intruder', name: '越权', password: MEMBER_PASSWORD } }),
      );
    t.equal(await intrude(ruyang, yichuanTown.id), 'UNIT_NOT_FOUND', 'a 伊川 unit is not one of 汝阳’s');
    t.equal(await intrude(yichuan, yichuanTown.id), 'FORBIDDEN', 'nor in 伊川 itself');
    t.equal(await intrude(ruyang, 'not-a-uuid'), 'UNIT_NOT_FOUND');
    t.equal(await accounts('yc-intruder'), 0, 'no account written');
    t.equal(await grantsTotal(), before, 'no grant written');
  });

  t.test('a reporter or an editor adds nobody; createStaff stays the operators’', async (t) => {
    for (const login of ['um-reporter', 'um-editor']) {
      const gql = await as(login);
      t.equal(
        errorCode(
          await gql(ADD, {
            t: ruyang,
            u: town.id,
            i: { login: `by-${login}`, name: '某人', password: MEMBER_PASSWORD },
          }),
        ),
        'FORBIDDEN',
        login,
      );
      t.equal(await accounts(`by-${login}`), 0);
    }
    const created = await admin(
      `mutation { createStaff(input: { login: "um-operator", name: "运营", password: "${MEMBER_PASSWORD}", isOperator: true }) { id } }`,
    );
    t.equal(errorCode(created), 'FORBIDDEN', 'a tenant admin creates no operator through createStaff');
    t.equal(await accounts('um-operator'), 0);
  });

  t.test('a taken login: a Chinese error and nothing written', async (t) => {
    const before = await grantsTotal();
    const r = await admin(ADD, {
      t: ruyang,
      u: other.id,
      i: { login: 'um-editor', name: '重名', password: MEMBER_PASSWORD },
    });
    t.equal(errorCode(r), 'LOGIN_TAKEN');
    t.match(r.errors?.[0]?.message, /登录名已被使用/);
    t.equal(await grantsTotal(), before, 'no grant to the existing account');
    const weak = await admin(ADD, { t: ruyang, u: other.id, i: { login: 'um-weak', name: '弱', password: '123' } });
    t.equal(errorCode(weak), 'BAD_USER_INPUT', 'a weak password is refused');
    t.match(weak.errors?.[0]?.message, /[\u4e00-\u9fff]/);
    t.equal(await accounts('um-weak'), 0);
  });
});

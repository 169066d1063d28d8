/**
 * Shared setup for the audience API tests: the demo tenant tree, a cast of staff
 * on several levels, published stories, and citizens who follow, comment and
 * write messages through the core functions in citizen scope (as the faces do).
 *
 * County A is ruyang, its sibling B is yichuan (both under the city luoyang);
 * far is zhecheng (under another city, shangqiu); the province is henan.
 */
import type { Test } from 'tap';
import {
  accessFor,
  approveStep,
  checkerFor,
  createStaff,
  createStory,
  createUnit,
  follow,
  grantRole,
  LogCodeSender,
  parseIdentifier,
  postComment,
  publishStory,
  sendCode,
  sendMessage,
  setTenantChain,
  signInWithCode,
  staffActor,
  submitForReview,
  SYSTEM_ACTOR,
  type Access,
  type Consents,
} from '@yiduan/core';
import {
  withCitizen,
  withPlatform,
  withTenant,
  type Citizen,
  type CitizenMessage,
  type CommentRow,
  type MessageCategory,
  type Staff,
  type StaffRole,
  type Tenant,
  type Trx,
  type Unit,
} from '@yiduan/db';
import { createDemoDeps, graphqlClient, type TestDeps } from '@yiduan/testkit';
import { build } from '../src/app.js';

export const PASSWORD = 'Passw0rd-audience';

type Gql = ReturnType<typeof graphqlClient>;

interface Cast {
  /** tenant admin and editor of A */
  aAdmin: Staff;
  /** editor of A */
  aEditor: Staff;
  /** chief editor and reporter of A: writes and publishes the test stories */
  aChief: Staff;
  /** reporter of A limited to unit X */
  aUnitX: Staff;
  /** reporter of A limited to unit Y */
  aUnitY: Staff;
  /** tenant-wide reporter of A (no audience rights) */
  aReporter: Staff;
  bAdmin: Staff;
  bChief: Staff;
  cityAdmin: Staff;
  provinceAdmin: Staff;
  farAdmin: Staff;
  operator: Staff;
}

export interface AudienceWorld {
  deps: TestDeps;
  app: Awaited<ReturnType<typeof build>>;
  A: Tenant;
  B: Tenant;
  city: Tenant;
  province: Tenant;
  far: Tenant;
  unitX: Unit;
  unitY: Unit;
  unitB: Unit;
  staff: Cast;
  /** a published story on A's face and one on B's */
  storyA: string;
  storyB: string;
  /** a GraphQL client signed in as this staff member */
  as(who: Staff): Promise<Gql>;
  /** a session token of this staff member */
  token(who: Staff): Promise<string>;
  anonymous: Gql;
  sender: LogCodeSender;
  citizen(phone: string, name: string): Promise<Citizen>;
  follow(c: Citizen, tenant: Tenant, unit?: Unit | null, consents?: Partial<Consents>): Promise<string>;
  comment(c: Citizen, tenant: Tenant, storyId: string, body: string): Promise<CommentRow>;
  message(
    c: Citizen,
    tenant: Tenant,
    opts?: {
      unit?: Unit | null;
      category?: MessageCategory;
      title?: string;
      allowPublic?: boolean;
      contactPhone?: string;
      photos?: string[];
    },
  ): Promise<CitizenMessage>;
}

const ALL: Consents = { news: true, contact: true, share_parent: true };

async function newStaff(deps: TestDeps, login: string, opts: { isOperator?: boolean } = {}): Promise<Staff> {
  return withPlatform(deps.db, (trx) =>
    createStaff(trx, SYSTEM_ACTOR, { login, displayName: login, password: PASSWORD, ...opts }),
  );
}

async function grant(
  deps: TestDeps,
  who: Staff,
  tenant: Tenant,
  roles: StaffRole[],
  unit: Unit | null = null,
): Promise<void> {
  await withPlatform(deps.db, async (trx) => {
    for (const role of roles)
      await grantRole(trx, SYSTEM_ACTOR, {
        tenantId: tenant.id,
        role,
        staffId: who.id,
        unitId: unit?.id ?? null,
        skipPartyCheck: true,
      });
  });
}

/** A story written by `writer`, signed by `editor` (one-step chain) and published by `writer`. */
async function publishedStory(
  deps: TestDeps,
  tenant: Tenant,
  writer: Staff,
  editor: Staff,
  title: string,
  unit: Unit | null = null,
): Promise<string> {
  const inA = <T>(who: Staff, fn: (trx: Trx, access: Access) => Promise<T>): Promise<T> =>
    withTenant(deps.db, tenant.id, async (trx) => fn(trx, await accessFor(trx, who, tenant.id)));
  const { story } = await inA(writer, (trx, access) =>
    createStory(trx, access, staffActor(writer), {
      kind: 'article',
      title,
      summary: title,
      unitId: unit?.id ?? null,
      body: [{ type: 'paragraph', text: `${title}。正文。` }],
    }),
  );
  await inA(writer, (trx, access) => submitForReview(trx, access, staffActor(writer), story.id));
  await inA(editor, (trx, access) => approveStep(trx, access, staffActor(editor), story.id));
  await inA(writer, (trx, access) => publishStory(trx, access, staffActor(writer), story.id));
  return story.id;
}

export async function audienceWorld(t: Test): Promise<AudienceWorld> {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const app = await build(deps);
  t.teardown(() => app.close());
  const [A, B, city, province, far] = [
    tenants.ruyang!,
    tenants.yichuan!,
    tenants.luoyang!,
    tenants.henan!,
    tenants.zhecheng!,
  ];

  const { unitX, unitY } = await withTenant(deps.db, A.id, async (trx) => ({
    unitX: await createUnit(trx, SYSTEM_ACTOR, A.id, { slug: 'aud-jiaoyu', name: '汝阳县教育局', kind: 'bureau' }),
    unitY: await createUnit(trx, SYSTEM_ACTOR, A.id, { slug: 'aud-chengguan', name: '汝阳县城关镇', kind: 'township' }),
  }));
  const unitB = await withTenant(deps.db, B.id, (trx) =>
    createUnit(trx, SYSTEM_ACTOR, B.id, { slug: 'aud-nongye', name: '伊川县农业农村局', kind: 'bureau' }),
  );
  for (const tenant of [A, B])
    await withTenant(deps.db, tenant.id, (trx) => setTenantChain(trx, SYSTEM_ACTOR, tenant.id, ['editor']));

  // who holds which roles where; argon2 hashing dominates setup: hash the cast concurrently
  const cast: [keyof Cast, string, Tenant, StaffRole[], Unit?][] = [
    ['aAdmin', 'aud-a-admin', A, ['tenant_admin', 'editor']],
    ['aEditor', 'aud-a-editor', A, ['editor']],
    ['aChief', 'aud-a-chief', A, ['chief_editor', 'reporter']],
    ['aUnitX', 'aud-a-unitx', A, ['reporter'], unitX],
    ['aUnitY', 'aud-a-unity', A, ['reporter'], unitY],
    ['aReporter', 'aud-a-reporter', A, ['reporter']],
    ['bAdmin', 'aud-b-admin', B, ['tenant_admin', 'editor']],
    ['bChief', 'aud-b-chief', B, ['chief_editor', 'reporter']],
    ['cityAdmin', 'aud-city-admin', city, ['tenant_admin', 'editor']],
    ['provinceAdmin', 'aud-prov-admin', province, ['tenant_admin', 'editor']],
    ['farAdmin', 'aud-far-admin', far, ['tenant_admin', 'editor']],
  ];
  const [made, operator] = await Promise.all([
    Promise.all(cast.map(([, login]) => newStaff(deps, login))),
    newStaff(deps, 'aud-operator', { isOperator: true }),
  ]);
  for (const [i, [, , tenant, roles, unit]] of cast.entries()) await grant(deps, made[i]!, tenant, roles, unit ?? null);
  const staff = { ...Object.fromEntries(cast.map(([name], i) => [name, made[i]!])), operator } as Cast;
  const { aChief, aEditor, bChief, bAdmin } = staff;

  const storyA = await publishedStory(deps, A, aChief, aEditor, '汝阳县举办杜康文化节');
  const storyB = await publishedStory(deps, B, bChief, bAdmin, '伊川县秋粮丰收');

  const anonymous = graphqlClient(app);
  const tokens = new Map<string, string>();
  const token = async (who: Staff): Promise<string> => {
    const known = tokens.get(who.id);
    if (known) return known;
    const r = await anonymous<{ login: { token: string } }>(
      `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
      { l: who.login, p: PASSWORD },
    );
    if (!r.data) throw new Error(`login ${who.login} failed: ${JSON.stringify(r.errors)}`);
    tokens.set(who.id, r.data.login.token);
    return r.data.login.token;
  };
  const as = async (who: Staff): Promise<Gql> => graphqlClient(app, { token: await token(who) });

  const sender = new LogCodeSender({ info: () => undefined });
  let ip = 0;
  const citizen = async (phone: string, name: string): Promise<Citizen> => {
    const id = parseIdentifier(phone);
    const from = `198.51.100.${++ip}`;
    await withPlatform(deps.db, (trx) => sendCode(trx, deps.cache, sender, id, from));
    const r = await withPlatform(deps.db, (trx) =>
      signInWithCode(trx, deps.cache, {
        identifier: id,
        code: sender.last(id.value)!,
        displayName: name,
        ip: from,
        agreements: { tenantId: null, terms: 0, privacy: 0 },
      }),
    );
    if (!r.ok) throw r.error;
    return r.citizen;
  };
  const followAs = async (
    c: Citizen,
    tenant: Tenant,
    unit: Unit | null = null,
    consents: Partial<Consents> = {},
  ): Promise<string> =>
    (await withCitizen(deps.db, c.id, (trx) => follow(trx, c.id, tenant.id, unit?.id ?? null, { ...ALL, ...consents })))
      .id;
  const comment = async (c: Citizen, tenant: Tenant, storyId: string, body: string): Promise<CommentRow> => {
    const checker = await withTenant(deps.db, tenant.id, (trx) => checkerFor(trx, tenant.id));
    return withCitizen(deps.db, c.id, (trx) =>
      postComment(trx, deps.cache, { faceTenantId: tenant.id, storyId, citizen: c, body, checker }),
    );
  };
  const message: AudienceWorld['message'] = (c, tenant, opts = {}) =>
    withCitizen(deps.db, c.id, (trx) =>
      sendMessage(trx, deps.cache, {
        tenantId: tenant.id,
        unitId: opts.unit?.id ?? null,
        citizenId: c.id,
        category: opts.category ?? 'complaint',
        title: opts.title ?? '路灯不亮',
        body: '小区门口的路灯坏了一周，晚上出行不便。',
        contactName: '王先生',
        photos: opts.photos ?? [],
        contactPhone: opts.contactPhone ?? '13800000001',
        allowPublic: opts.allowPublic ?? true,
        ip: '203.0.113.9',
      }),
    );

  return {
    deps,
    app,
    A,
    B,
    city,
    province,
    far,
    unitX,
    unitY,
    unitB,
    staff,
    storyA,
    storyB,
    as,
    token,
    anonymous,
    sender,
    citizen,
    follow: followAs,
    comment,
    message,
  };
}

// What the console may offer: capabilities(tenantId) per demo role, all false in a tenant where the
// viewer holds nothing, and each capability agreeing with the rule that enforces it (every probe
// below calls the enforcing operation with input that fails validation after the access check, so
// nothing is written: the answer is FORBIDDEN when refused and the probe's own code when allowed).
import t from 'tap';
import { Access, capabilitiesOf, type Capabilities } from '@yiduan/core';
import { createDemoDeps, errorCode, graphqlClient } from '@yiduan/testkit';
const DEMO_PASSWORD = 'Demo2026!yiduan'; // packages/demo's, which the API's tests do not depend on
import { build } from '../src/app.js';

type Cap = keyof Capabilities;
const FIELDS: Cap[] = [
  'member',
  'readTenant',
  'writeStories',
  'reviewStories',
  'publish',
  'retract',
  'syndicate',
  'detachPlacements',
  'editSyndicationRules',
  'manageSections',
  'manageUnits',
  'manageStaff',
  'editReviewChain',
  'editTerminology',
  'editFace',
  'readAuditLog',
  'moderateAudience',
  'readMembers',
  'answerMessages',
  'editAudienceSettings',
  'editDataSettings',
  'manageDomains',
  'manageOrganisations',
];
const CAPS = `query Caps($t: ID!) { capabilities(tenantId: $t) { tenantId ${FIELDS.join(' ')} } }`;
const RANDOM = '00000000-0000-4000-8000-000000000001';

// what each demo role may do in its own tenant, written out by hand (not derived from the table under test)
const EXPECTED: Record<string, Cap[]> = {
  reporter: ['member', 'readTenant', 'writeStories'],
  editor: [
    'member',
    'readTenant',
    'writeStories',
    'reviewStories',
    'publish',
    'syndicate',
    'moderateAudience',
    'readMembers',
    'answerMessages',
  ],
  reviewer: ['member', 'readTenant', 'reviewStories'],
  chief: [
    'member',
    'readTenant',
    'writeStories',
    'reviewStories',
    'publish',
    'retract',
    'syndicate',
    'detachPlacements',
    'editSyndicationRules',
    'readAuditLog',
    'moderateAudience',
    'readMembers',
    'answerMessages',
    'editAudienceSettings',
  ],
  admin: [
    'member',
    'readTenant',
    'editSyndicationRules',
    'manageSections',
    'manageUnits',
    'manageStaff',
    'editReviewChain',
    'editTerminology',
    'editFace',
    'readAuditLog',
    'moderateAudience',
    'readMembers',
    'answerMessages',
    'editAudienceSettings',
  ],
  unit: ['member', 'writeStories', 'answerMessages'],
};

t.test('capabilities per role, per tenant, and in agreement with the rules that enforce them', async (t) => {
  const deps = await createDemoDeps(t, 'newsroom');
  const { tenants } = deps;
  const app = await build(deps);
  t.teardown(() => app.close());
  const ruyang = tenants.ruyang!.id;
  const yichuan = tenants.yichuan!.id;
  const signIn = async (login: string) => {
    const r = await graphqlClient(app)<{ login: { token: string } }>(
      `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
      { l: login, p: DEMO_PASSWORD },
    );
    t.ok(r.data?.login.token, `${login} signs in`);
    return graphqlClient(app, { token: r.data!.login.token });
  };
  const capsOf = async (gql: Awaited<ReturnType<typeof signIn>>, tenantId: string) => {
    const r = await gql<{ capabilities: Capabilities & { tenantId: string } }>(CAPS, { t: tenantId });
    t.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!.capabilities;
  };

  const editor = await signIn('ruyang-editor');
  const published = await editor<{ stories: { edges: { node: { id: string } }[] } }>(
    `query($t: ID!) { stories(tenantId: $t, status: PUBLISHED, first: 1) { edges { node { id } } } }`,
    { t: ruyang },
  );
  const storyId = published.data!.stories.edges[0]!.node.id;
  const today = new Date().toISOString().slice(0, 10);

  // cap → [operation, variables, the code an allowed caller gets (null: success)]
  const PROBES: [Cap, string, Record<string, unknown>, string | null][] = [
    ['member', `query($t: ID!) { stories(tenantId: $t, first: 1) { __typename } }`, {}, null],
    [
      'readTenant',
      `query($t: ID!, $d: Date!) { tenantAnalytics(tenantId: $t, from: $d, to: $d) { __typename } }`,
      { d: today },
      null,
    ],
    [
      'writeStories',
      `mutation($t: ID!) { createStory(tenantId: $t, input: { kind: ARTICLE, content: { title: "", body: [] } }) { __typename } }`,
      {},
      'BAD_USER_INPUT',
    ],
    [
      'publish',
      `mutation($t: ID!, $id: ID!) { correctStory(tenantId: $t, id: $id, note: " ") { __typename } }`,
      { id: storyId },
      'REASON_REQUIRED',
    ],
    [
      'retract',
      `mutation($t: ID!, $id: ID!) { retractStory(tenantId: $t, id: $id, reason: " ") { __typename } }`,
      { id: storyId },
      'REASON_REQUIRED',
    ],
    ['syndicate', `query($t: ID!) { pool(tenantId: $t, first: 1) { __typename } }`, {}, null],
    [
      'detachPlacements',
      `mutation($t: ID!, $id: ID!) { detachPlacement(tenantId: $t, placementId: $id) { __typename } }`,
      { id: RANDOM },
      'PLACEMENT_NOT_FOUND',
    ],
    [
      'editSyndicationRules',
      `mutation($t: ID!, $id: ID!) { setSyndicationRuleEnabled(tenantId: $t, id: $id, enabled: true) { __typename } }`,
      { id: RANDOM },
      'NOT_FOUND',
    ],
    [
      'manageSections',
      `mutation($t: ID!) { createSection(tenantId: $t, input: { slug: "!", name: "" }) { __typename } }`,
      {},
      'BAD_USER_INPUT',
    ],
    [
      'manageUnits',
      `mutation($t: ID!) { createUnit(tenantId: $t, input: { slug: "!", name: "", kind: BUREAU }) { __typename } }`,
      {},
      'BAD_USER_INPUT',
    ],
    ['manageStaff', `query($t: ID!) { grants(tenantId: $t) { __typename } }`, {}, null],
    ['editReviewChain', `mutation($t: ID!) { setReviewChain(tenantId: $t, steps: []) }`, {}, 'BAD_USER_INPUT'],
    [
      'editTerminology',
      `mutation($t: ID!, $id: ID!) { deleteTerminologyRule(tenantId: $t, id: $id) }`,
      { id: RANDOM },
      'RULE_NOT_FOUND',
    ],
    [
      'editFace',
      `mutation($t: ID!) { updateFace(tenantId: $t, input: { siteName: "" }) { __typename } }`,
      {},
      'FACE_INVALID',
    ],
    ['readAuditLog', `query($t: ID!) { auditLog(tenantId: $t, first: 1) { __typename } }`, {}, null],
    ['moderateAudience', `query($t: ID!) { commentQueue(tenantId: $t, first: 1) { __typename } }`, {}, null],
    ['readMembers', `query($t: ID!) { members(tenantId: $t, first: 1) { __typename } }`, {}, null],
    ['answerMessages', `query($t: ID!) { messages(tenantId: $t, first: 1) { __typename } }`, {}, null],
    [
      'editAudienceSettings',
      `mutation($t: ID!) { setAudienceSettings(tenantId: $t, input: { messageDueDays: 999 }) { __typename } }`,
      {},
      'BAD_USER_INPUT',
    ],
    [
      'editDataSettings',
      `mutation($t: ID!) { updateAnalyticsSettings(tenantId: $t, input: { sleepingDays: -1 }) { __typename } }`,
      {},
      'BAD_USER_INPUT',
    ],
    ['manageDomains', `mutation($t: ID!) { addDomain(tenantId: $t, host: "!") { __typename } }`, {}, 'BAD_USER_INPUT'],
    [
      'manageOrganisations',
      `mutation { createOrganisation(input: { name: "", licenceNo: "", validUntil: "2027-06-30" }) { __typename } }`,
      {},
      'BAD_USER_INPUT',
    ],
  ];

  const viewers: [string, string, Cap[]][] = [
    ['ruyang-reporter', 'reporter', EXPECTED.reporter!],
    ['ruyang-editor', 'editor', EXPECTED.editor!],
    ['ruyang-reviewer', 'reviewer', EXPECTED.reviewer!],
    ['ruyang-chief', 'chief editor', EXPECTED.chief!],
    ['ruyang-admin', 'administrator', EXPECTED.admin!],
    ['ruyang-jiaoyu', 'unit member', EXPECTED.unit!],
    ['operator', 'platform operator', FIELDS.filter((f) => f !== 'editDataSettings')],
  ];
  for (const [login, who, allowed] of viewers) {
    const gql = await signIn(login);
    const caps = await capsOf(gql, ruyang);
    t.equal(caps.tenantId, ruyang);
    t.same(
      FIELDS.filter((f) => caps[f]),
      allowed,
      `${who}: exactly the expected capabilities`,
    );
    for (const [cap, op, vars, okCode] of PROBES) {
      const code = errorCode(await gql(op, { t: ruyang, ...vars })) ?? null;
      t.equal(code === okCode, caps[cap], `${who}: ${cap} is ${caps[cap]} and the rule answers ${code ?? 'ok'}`);
    }
  }

  // thresholds and ranking weights are the province's
  const dataProbe = PROBES.find(([cap]) => cap === 'editDataSettings')!;
  for (const login of ['henan-chief', 'henan-editor']) {
    const gql = await signIn(login);
    const caps = await capsOf(gql, tenants.henan!.id);
    t.equal(caps.editDataSettings, login === 'henan-chief', `${login}: editDataSettings on the province`);
    t.equal(
      errorCode(await gql(dataProbe[1], { t: tenants.henan!.id })) === dataProbe[3],
      caps.editDataSettings,
      'and the rule agrees',
    );
  }

  // an operator organisation's editor: an editor where the organisation holds the grant
  const ops = await signIn('zhongyuan-ops');
  const opsCaps = await capsOf(ops, yichuan);
  t.same(
    FIELDS.filter((f) => opsCaps[f]),
    EXPECTED.editor,
    "the operator organisation's editor in 伊川县",
  );

  // isolation: in a tenant where the viewer holds nothing, everything is false, and the rules agree
  for (const [login, gql, tenantId] of [
    ['zhongyuan-ops', ops, ruyang],
    ['ruyang-editor', editor, yichuan],
    ['ruyang-admin', await signIn('ruyang-admin'), yichuan],
  ] as const) {
    const caps = await capsOf(gql, tenantId);
    t.same(
      FIELDS.filter((f) => caps[f]),
      [],
      `${login} may do nothing in a tenant without a grant`,
    );
    const probe = PROBES.find(([cap]) => cap === 'writeStories')!;
    t.equal(errorCode(await gql(probe[1], { t: tenantId })), 'FORBIDDEN', `${login} cannot draft there either`);
  }
  t.equal(
    errorCode(await graphqlClient(app)(CAPS, { t: ruyang })),
    'UNAUTHENTICATED',
    'not signed in: no answer at all',
  );
  t.equal(errorCode(await editor(CAPS, { t: 'not-a-tenant' })), 'TENANT_NOT_FOUND');
});

t.test('capabilitiesOf: a unit role counts only where the rule takes the unit', async (t) => {
  const unitOnly = new Access(
    't',
    { id: 's', display_name: 's', is_operator: false },
    new Set(),
    new Map([['u', new Set(['reporter' as const])]]),
  );
  const caps = capabilitiesOf(unitOnly, { level: 'county' });
  t.ok(caps.writeStories && caps.answerMessages && caps.member);
  t.notOk(caps.readTenant || caps.publish || caps.readMembers, 'nothing tenant-wide');
  const none = capabilitiesOf(
    new Access('t', { id: 's', display_name: 's', is_operator: false }, new Set(), new Map()),
    { level: 'province' },
  );
  t.same(Object.values(none).filter(Boolean), [], 'no grant: all false');
});

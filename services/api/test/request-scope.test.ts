/**
 * The feed path's request scope: the remembered session viewer (auth.ts SessionCache), the
 * access checked once per request and tenant, batched child fields (loaders/batch.ts) and
 * covers joined to their revision. What must not change: an ended session or a revoked
 * grant is refused from the next request on, and row-level security still decides what
 * each read sees.
 */
import t, { type Test } from 'tap';
import { Kysely } from 'kysely';
import {
  accessFor,
  approveStep,
  createSection,
  createStaff,
  createStory,
  grantRole,
  publishStory,
  setStaffStatus,
  setTenantChain,
  staffActor,
  submitForReview,
  SYSTEM_ACTOR,
  type Access,
} from '@yiduan/core';
import {
  createPool,
  ScopedPostgresDialect,
  withPlatform,
  withTenant,
  type Database,
  type Staff,
  type StaffRole,
  type Tenant,
  type Trx,
} from '@yiduan/db';
import { createDemoDeps, errorCode, graphqlClient, type TestDeps } from '@yiduan/testkit';
import { build } from '../src/app.js';

const PASSWORD = 'Passw0rd-scope';

const FEED = `query($t: ID!) { stories(tenantId: $t, status: PUBLISHED, first: 20) {
  edges { node { id publishedAt tenant { id name } section { id name } publishedRevision { title summary cover { id url width height } } } } } }`;
const VIEWER = `{ viewer { id name } }`;
const LOGIN = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`;

type Feed = {
  stories: {
    edges: {
      node: {
        id: string;
        tenant: { id: string; name: string };
        section: { id: string; name: string } | null;
        publishedRevision: { title: string; cover: { id: string; url: string; width: number } | null };
      };
    }[];
  };
};

async function newStaff(deps: TestDeps, login: string, tenant: Tenant, roles: StaffRole[]): Promise<Staff> {
  const staff = await withPlatform(deps.db, (trx) =>
    createStaff(trx, SYSTEM_ACTOR, { login, displayName: login, password: PASSWORD }),
  );
  await withPlatform(deps.db, async (trx) => {
    for (const role of roles)
      await grantRole(trx, SYSTEM_ACTOR, { tenantId: tenant.id, role, staffId: staff.id, skipPartyCheck: true });
  });
  return staff;
}

async function asset(deps: TestDeps, tenant: Tenant, shared: boolean, width: number): Promise<string> {
  const row = await deps.tdb.owner
    .insertInto('assets')
    .values({
      tenant_id: tenant.id,
      kind: 'image',
      mime: 'image/png',
      bytes: 100,
      width,
      height: 10,
      storage_key: `test/${tenant.id}/${width}.png`,
      shared,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function world(t: Test) {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const [A, B] = [tenants.ruyang!, tenants.yichuan!];
  await withTenant(deps.db, A.id, (trx) => setTenantChain(trx, SYSTEM_ACTOR, A.id, ['editor']));
  const [writer, editor, reader, other] = await Promise.all([
    newStaff(deps, 'scope-writer', A, ['reporter', 'chief_editor']),
    newStaff(deps, 'scope-editor', A, ['editor']),
    newStaff(deps, 'scope-reader', A, ['reporter']),
    newStaff(deps, 'scope-other', B, ['editor']),
  ]);
  const section = await withTenant(deps.db, A.id, (trx) =>
    createSection(trx, SYSTEM_ACTOR, A.id, { slug: 'scope-bendi', name: '本地' }),
  );
  const own = await asset(deps, A, false, 11);
  const sharedOfB = await asset(deps, B, true, 22);
  const inA = <T>(who: Staff, fn: (trx: Trx, access: Access) => Promise<T>): Promise<T> =>
    withTenant(deps.db, A.id, async (trx) => fn(trx, await accessFor(trx, who, A.id)));
  const publish = async (title: string, coverAssetId: string | null): Promise<string> => {
    const { story } = await inA(writer, (trx, access) =>
      createStory(trx, access, staffActor(writer), {
        kind: 'article',
        title,
        summary: title,
        sectionId: section.id,
        coverAssetId,
        body: [{ type: 'paragraph', text: `${title}。` }],
      }),
    );
    await inA(writer, (trx, access) => submitForReview(trx, access, staffActor(writer), story.id));
    await inA(editor, (trx, access) => approveStep(trx, access, staffActor(editor), story.id));
    await inA(writer, (trx, access) => publishStory(trx, access, staffActor(writer), story.id));
    return story.id;
  };
  const stories = {
    own: await publish('有本县封面', own),
    shared: await publish('有共享封面', sharedOfB),
    none: await publish('无封面', null),
    hidden: await publish('封面已收回', sharedOfB),
  };
  // as if B had taken its picture back after the story used it: A's scope does not see it
  const unshared = await asset(deps, B, false, 33);
  await deps.tdb.owner
    .updateTable('story_revisions')
    .set({ cover_asset_id: unshared })
    .where('story_id', '=', stories.hidden)
    .execute();

  // round trips as the database sees them: a logging Kysely over the application role, with the
  // dialect of createDb (each logged query is one client.query call: one round trip; BEGIN and
  // the scope settings travel as one)
  const statements: string[] = [];
  const logged = new Kysely<Database>({
    dialect: new ScopedPostgresDialect({ pool: createPool(deps.tdb.appUrl, { max: 5 }) }),
    log: (e) => void statements.push(e.query.sql),
  });
  t.teardown(() => logged.destroy());
  const app = await build({ ...deps, db: logged, readDb: logged });
  t.teardown(() => app.close());
  const signIn = async (login: string, on = app) =>
    (await graphqlClient(on)<{ login: { token: string } }>(LOGIN, { l: login, p: PASSWORD })).data!.login.token;
  return { deps, A, B, app, signIn, statements, stories, own, sharedOfB, section, writer, editor, reader, other };
}

t.test('the own feed: same answer, covers under row-level security, a bounded number of statements', async (t) => {
  const w = await world(t);
  const gql = graphqlClient(w.app, { token: await w.signIn('scope-reader') });
  const first = await gql<Feed>(FEED, { t: w.A.id });
  t.notOk(first.errors, 'answered');
  const byId = new Map(first.data!.stories.edges.map((e) => [e.node.id, e.node]));
  t.equal(byId.size, 4, 'four published stories');
  t.equal(byId.get(w.stories.own)!.publishedRevision.cover?.id, w.own, 'own cover');
  t.equal(byId.get(w.stories.own)!.publishedRevision.cover?.url, `/assets/${w.own}`, 'its url');
  t.equal(byId.get(w.stories.shared)!.publishedRevision.cover?.id, w.sharedOfB, "another tenant's shared cover");
  t.equal(byId.get(w.stories.none)!.publishedRevision.cover, null, 'no cover');
  t.equal(
    byId.get(w.stories.hidden)!.publishedRevision.cover,
    null,
    'a cover the tenant may no longer see stays hidden',
  );
  for (const n of byId.values()) {
    t.same(n.tenant, { id: w.A.id, name: w.A.name }, 'origin tenant');
    t.same(n.section, { id: w.section.id, name: '本地' }, 'section');
  }

  // the same fields through a fragment, and without covers: the revision query alone
  const viaFragment = await gql<Feed>(
    `query($t: ID!) { stories(tenantId: $t, status: PUBLISHED) { edges { node { id publishedRevision { ...Card } } } } } fragment Card on Revision { title cover { id } }`,
    { t: w.A.id },
  );
  t.same(
    viaFragment.data!.stories.edges.map((e) => e.node.publishedRevision.cover?.id ?? null).sort(),
    first.data!.stories.edges.map((e) => e.node.publishedRevision.cover?.id ?? null).sort(),
    'covers through a fragment',
  );

  w.statements.length = 0;
  const again = await gql<Feed>(FEED, { t: w.A.id });
  t.same(again.data, first.data, 'the same answer with the session remembered');
  const sql = w.statements.map((s) => s.trim().toLowerCase());
  const opened = sql.filter((s) => s.startsWith('begin')).length;
  t.comment(`own feed: ${sql.length} round trips, ${opened} transactions`);
  // session remembered (0); entering the tenant: BEGIN with the session's access check, which
  // also sets the scope (1); the list (1); the cards — revisions without bodies, covers, sections — (1); commit (1)
  t.ok(
    sql.length <= 4,
    `at most 4 round trips (21 before the request scope, 11 before one-round-trip scopes, 9 before the check rode with BEGIN): ${sql.length}`,
  );
  t.equal(opened, 1, 'one transaction');
  t.equal(sql.filter((s) => s === 'begin').length, 0, 'every transaction opened with its scope in the same round trip');
  t.match(
    sql[0],
    /^begin; select t\.\*, o\.\* from app_open_staff_scope\('[0-9a-f]{64}', /,
    'the access check travels with BEGIN',
  );
  t.equal(sql.filter((s) => s.startsWith('select set_config')).length, 0, 'no scope statement of its own');
  t.equal(sql.filter((s) => s.includes('from "assets"')).length, 0, 'no separate cover query');
  t.equal(sql.filter((s) => s.includes('from "sections"')).length, 0, 'no separate section query');
  t.equal(sql.filter((s) => s.includes('from "tenants"')).length, 0, 'the tenant came with the access check');
  t.equal(
    sql.filter((s) => s.includes('staff_sessions')).length,
    0,
    'the session is read by the definer function only',
  );
  t.equal(sql.filter((s) => /\bbody\b/.test(s)).length, 0, 'no revision bodies read for cards that do not show them');

  // asking for the body reads it, in the same number of round trips
  w.statements.length = 0;
  const bodies = await gql<{
    stories: { edges: { node: { id: string; publishedRevision: { body: { text: string }[] } } }[] };
  }>(
    `query($t: ID!) { stories(tenantId: $t, status: PUBLISHED) { edges { node { id publishedRevision { title body } } } } }`,
    { t: w.A.id },
  );
  t.same(
    bodies.data!.stories.edges.map((e) => e.node.publishedRevision.body[0]!.text).sort(),
    ['封面已收回。', '无封面。', '有共享封面。', '有本县封面。'],
    'bodies when asked for',
  );
  t.ok(w.statements.length <= 4, `bodies: at most 4 round trips: ${w.statements.length}`);

  // one story through the loaders (no prefetch): the same cards
  const one = await gql<{ story: Feed['stories']['edges'][number]['node'] }>(
    `query($t: ID!, $id: ID!) { story(tenantId: $t, id: $id) { id tenant { id name } section { id name } publishedRevision { title cover { id url width } } } }`,
    { t: w.A.id, id: w.stories.shared },
  );
  t.same(
    one.data!.story.publishedRevision,
    {
      title: byId.get(w.stories.shared)!.publishedRevision.title,
      cover: { id: w.sharedOfB, url: `/assets/${w.sharedOfB}`, width: 22 },
    },
    'one story: the same revision and cover',
  );
  t.same(one.data!.story.section, { id: w.section.id, name: '本地' }, 'and section');

  // two root fields in one tenant: the access is checked once, each still in its own scope
  w.statements.length = 0;
  const two = await gql<{ a: unknown; b: unknown }>(
    `query($t: ID!) { a: stories(tenantId: $t, first: 1) { edges { node { id } } } b: stories(tenantId: $t, first: 2) { edges { node { id } } } }`,
    { t: w.A.id },
  );
  t.notOk(two.errors);
  t.equal(w.statements.filter((s) => s.includes('app_open_staff_scope')).length, 1, 'one access check for two fields');
  t.equal(
    w.statements.filter((s) => s.includes(`set_config('app.tenant_id', '${w.A.id}', true)`)).length,
    1,
    'the other field opens a plain tenant scope',
  );
});

t.test('a revoked grant is refused on the next request', async (t) => {
  const w = await world(t);
  const gql = graphqlClient(w.app, { token: await w.signIn('scope-reader') });
  t.notOk((await gql(FEED, { t: w.A.id })).errors, 'a member reads the feed');
  const grant = await w.deps.tdb.owner
    .selectFrom('grants')
    .select('id')
    .where('staff_id', '=', w.reader.id)
    .executeTakeFirstOrThrow();
  await w.deps.tdb.owner.updateTable('grants').set({ revoked_at: new Date() }).where('id', '=', grant.id).execute();
  t.equal(errorCode(await gql(FEED, { t: w.A.id })), 'FORBIDDEN', 'refused at once, though the session is remembered');
  t.equal(errorCode(await gql(FEED, { t: w.B.id })), 'FORBIDDEN', 'and no other tenant either');
  t.equal(
    errorCode(await gql(FEED, { t: '00000000-0000-4000-8000-000000000000' })),
    'TENANT_NOT_FOUND',
    'an unknown tenant is still named so',
  );
});

t.test('an ended session is refused on the next request', async (t) => {
  const w = await world(t);

  // logout in this process: forgotten at once, for tenant data and for the viewer
  const token = await w.signIn('scope-reader');
  const gql = graphqlClient(w.app, { token });
  t.equal((await gql<{ viewer: { id: string } }>(VIEWER)).data!.viewer.id, w.reader.id, 'signed in');
  t.notOk((await gql(FEED, { t: w.A.id })).errors);
  t.equal((await gql<{ logout: boolean }>('mutation { logout }')).data!.logout, true);
  t.equal((await gql<{ viewer: unknown }>(VIEWER)).data!.viewer, null, 'the viewer is gone at once');
  t.equal(errorCode(await gql(FEED, { t: w.A.id })), 'UNAUTHENTICATED', 'tenant data refused at once');

  // another API process (sharing the cache's publish/subscribe) hears of the logout
  const other = await build(w.deps);
  t.teardown(() => other.close());
  const token2 = await w.signIn('scope-reader');
  const here = graphqlClient(w.app, { token: token2 });
  const there = graphqlClient(other, { token: token2 });
  t.equal(
    (await there<{ viewer: { id: string } }>(VIEWER)).data!.viewer.id,
    w.reader.id,
    'remembered in the other process',
  );
  await here('mutation { logout }');
  t.equal((await there<{ viewer: unknown }>(VIEWER)).data!.viewer, null, 'forgotten there too');

  // ended behind the API's back (directly in the database): tenant data at once, the viewer within the cache's lifetime
  const short = await build(w.deps, { sessionCacheMs: 400 });
  t.teardown(() => short.close());
  const token3 = await w.signIn('scope-reader', short);
  const s3 = graphqlClient(short, { token: token3 });
  t.notOk((await s3(FEED, { t: w.A.id })).errors);
  t.equal((await s3<{ viewer: { id: string } }>(VIEWER)).data!.viewer.id, w.reader.id);
  await w.deps.tdb.owner
    .updateTable('staff_sessions')
    .set({ revoked_at: new Date() })
    .where('staff_id', '=', w.reader.id)
    .execute();
  t.equal(errorCode(await s3(FEED, { t: w.A.id })), 'UNAUTHENTICATED', 'tenant data refused at once');
  await new Promise((r) => setTimeout(r, 450));
  t.equal(
    (await s3<{ viewer: unknown }>(VIEWER)).data!.viewer,
    null,
    'the viewer too, once the remembered entry expired',
  );

  // a disabled staff member: their sessions end with them
  const token4 = await w.signIn('scope-editor');
  const s4 = graphqlClient(w.app, { token: token4 });
  t.notOk((await s4(FEED, { t: w.A.id })).errors);
  await withPlatform(w.deps.db, (trx) => setStaffStatus(trx, SYSTEM_ACTOR, w.editor.id, 'disabled'));
  t.equal(errorCode(await s4(FEED, { t: w.A.id })), 'UNAUTHENTICATED', 'refused at once');

  // an expired session
  const token5 = await w.signIn('scope-other');
  const s5 = graphqlClient(w.app, { token: token5 });
  t.notOk((await s5(FEED, { t: w.B.id })).errors);
  await w.deps.tdb.owner
    .updateTable('staff_sessions')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('staff_id', '=', w.other.id)
    .execute();
  t.equal(errorCode(await s5(FEED, { t: w.B.id })), 'UNAUTHENTICATED', 'an expired session is refused at once');
});

t.test('operators are not remembered', async (t) => {
  const w = await world(t);
  const op = await withPlatform(w.deps.db, (trx) =>
    createStaff(trx, SYSTEM_ACTOR, {
      login: 'scope-operator',
      displayName: '运营',
      password: PASSWORD,
      isOperator: true,
    }),
  );
  const gql = graphqlClient(w.app, { token: await w.signIn('scope-operator') });
  t.equal((await gql<{ viewer: { id: string } }>(VIEWER)).data!.viewer.id, op.id);
  await w.deps.tdb.owner
    .updateTable('staff_sessions')
    .set({ revoked_at: new Date() })
    .where('staff_id', '=', op.id)
    .execute();
  t.equal(
    (await gql<{ viewer: unknown }>(VIEWER)).data!.viewer,
    null,
    'an operator session ended in the database is refused at once',
  );
  t.equal(errorCode(await gql(`{ organisations { id } }`)), 'UNAUTHENTICATED', 'platform data too');
});

t.test('the face feed: origins, sections and stories in the page’s own transaction', async (t) => {
  const w = await world(t);
  const H = w.deps.tenants.henan!;
  await newStaff(w.deps, 'scope-henan', H, ['editor']);
  const gql = graphqlClient(w.app, { token: await w.signIn('scope-henan') });
  for (const id of [w.stories.own, w.stories.shared, w.stories.none]) {
    const pulled = await gql(`mutation($t: ID!, $s: ID!) { pullStory(tenantId: $t, storyId: $s) { id } }`, {
      t: H.id,
      s: id,
    });
    t.notOk(pulled.errors, JSON.stringify(pulled.errors));
  }
  // one of them retracted by its origin: the face shows what the public sees
  await w.deps.tdb.owner
    .updateTable('stories')
    .set({ retracted_at: new Date(), retraction_reason: '测试' })
    .where('id', '=', w.stories.none)
    .execute();
  const FACE = `query($t: ID!) { facePlacements(tenantId: $t, first: 20) { id mode placedAt tenant { id } section { id name } story { id title summary publishedAt retracted origin { id name } } } }`;
  type Face = {
    facePlacements: {
      tenant: { id: string };
      section: { id: string; name: string } | null;
      story: { id: string; title: string; retracted: boolean; origin: { id: string; name: string } };
    }[];
  };
  await gql(FACE, { t: H.id });
  w.statements.length = 0;
  const face = await gql<Face>(FACE, { t: H.id });
  t.notOk(face.errors, JSON.stringify(face.errors));
  const sql = w.statements.map((s) => s.trim().toLowerCase());
  t.comment(`face feed: ${sql.length} round trips`);
  t.ok(
    sql.length <= 4,
    `at most 4 round trips (8 before the check rode with BEGIN and the cards joined): ${sql.length}`,
  );
  const byStory = new Map(face.data!.facePlacements.map((p) => [p.story.id, p]));
  t.equal(byStory.size, 3, 'three placements');
  for (const p of byStory.values()) {
    t.same(p.story.origin, { id: w.A.id, name: w.A.name }, 'origin');
    t.equal(p.tenant.id, H.id, 'the face');
  }
  t.equal(byStory.get(w.stories.own)!.story.title, '有本县封面', 'a live story’s title');
  t.equal(byStory.get(w.stories.own)!.story.retracted, false);
  t.equal(byStory.get(w.stories.none)!.story.retracted, true, 'a retracted story reads as retracted');
  t.equal(byStory.get(w.stories.none)!.story.title, '无封面', 'with its last headline');
});

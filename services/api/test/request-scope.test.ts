/**
 * The feed path's request scope: the remembered session viewer (auth.ts SessionCache), the
 * access checked once per request and tenant, batched child fields (loaders/batch.ts) and
 * covers joined to their revision. What must not change: an ended session or a revoked
 * grant is refused from the next request on, and row-level security still decides what
 * each read sees.
 */
import t, { type Test } from 'tap';
import { Kysely } from 'kysely';
import { accessFor, approveStep, createSection, createStaff, createStory, grantRole, publishStory, setStaffStatus, setTenantChain, staffActor, submitForReview, SYSTEM_ACTOR, type Access } from '@yiduan/core';
import { createPool, ScopedPostgresDialect, withPlatform, withTenant, type Database, type Staff, type StaffRole, type Tenant, type Trx } from '@yiduan/db';
import { createTestDeps, errorCode, graphqlClient, seedDemo, type TestDeps } from '@yiduan/testkit';
import { build } from '../src/app.js';

const PASSWORD = 'Passw0rd-scope';

const FEED = `query($t: ID!) { stories(tenantId: $t, status: PUBLISHED, first: 20) {
  edges { node { id publishedAt tenant { id name } section { id name } publishedRevision { title summary cover { id url width height } } } } } }`;
const VIEWER = `{ viewer { id name } }`;
const LOGIN = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`;

type Feed = { stories: { edges: { node: { id: string; tenant: { id: string; name: string }; section: { id: string; name: string } | null; publishedRevision: { title: string; cover: { id: string; url: string; width: number } | null } } }[] } };

async function newStaff(deps: TestDeps, login: string, tenant: Tenant, roles: StaffRole[]): Promise<Staff> {
  const staff = await withPlatform(deps.db, (trx) => createStaff(trx, SYSTEM_ACTOR, { login, displayName: login, password: PASSWORD }));
  await withPlatform(deps.db, async (trx) => {
    for (const role of roles) await grantRole(trx, SYSTEM_ACTOR, { tenantId: tenant.id, role, staffId: staff.id, skipPartyCheck: true });
  });
  return staff;
}

async function asset(deps: TestDeps, tenant: Tenant, shared: boolean, width: number): Promise<string> {
  const row = await deps.tdb.owner
    .insertInto('assets')
    .values({ tenant_id: tenant.id, kind: 'image', mime: 'image/png', bytes: 100, width, height: 10, storage_key: `test/${tenant.id}/${width}.png`, shared })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function world(t: Test) {
  const deps = await createTestDeps(t);
  const { tenants } = await seedDemo(deps.db, { withContent: false });
  const [A, B] = [tenants.ruyang!, tenants.yichuan!];
  await withTenant(deps.db, A.id, (trx) => setTenantChain(trx, SYSTEM_ACTOR, A.id, ['editor']));
  const [writer, editor, reader, other] = await Promise.all([
    newStaff(deps, 'scope-writer', A, ['reporter', 'chief_editor']),
    newStaff(deps, 'scope-editor', A, ['editor']),
    newStaff(deps, 'scope-reader', A, ['reporter']),
    newStaff(deps, 'scope-other', B, ['editor']),
  ]);
  const section = await withTenant(deps.db, A.id, (trx) => createSection(trx, SYSTEM_ACTOR, A.id, { slug: 'scope-bendi', name: '本地' }));
  const own = await asset(deps, A, false, 11);
  const sharedOfB = await asset(deps, B, true, 22);
  const inA = <T>(who: Staff, fn: (trx: Trx, access: Access) => Promise<T>): Promise<T> => withTenant(deps.db, A.id, async (trx) => fn(trx, await accessFor(trx, who, A.id)));
  const publish = async (title: string, coverAssetId: string | null): Promise<string> => {
    const { story } = await inA(writer, (trx, access) => createStory(trx, access, staffActor(writer), { kind: 'article', title, summary: title, sectionId: section.id, coverAssetId, body: [{ type: 'paragraph', text: `${title}。` }] }));
    await inA(writer, (trx, access) => submitForReview(trx, access, staffActor(writer), story.id));
    await inA(editor, (trx, access) => approveStep(trx, access, staffActor(editor), story.id));
    await inA(writer, (trx, access) => publishStory(trx, access, staffActor(writer), story.id));
    return story.id;
  };
  const stories = { own: await publish('有本县封面', own), shared: await publish('有共享封面', sharedOfB), none: await publish('无封面', null), hidden: await publish('封面已收回', sharedOfB) };
  // as if B had taken its picture back after the story used it: A's scope does not see it
  const unshared = await asset(deps, B, false, 33);
  await deps.tdb.owner.updateTable('story_revisions').set({ cover_asset_id: unshared }).where('story_id', '=', stories.hidden).execute();

  // round trips as the database sees them: a logging Kysely over the application role, with the
  // dialect of createDb (each logged query is one client.query call: one round trip; BEGIN and
  // the scope settings travel as one)
  const statements: string[] = [];
  const logged = new Kysely<Database>({ dialect: new ScopedPostgresDialect({ pool: createPool(deps.tdb.appUrl, { max: 5 }) }), log: (e) => void statements.push(e.query.sql) });
  t.teardown(() => logged.destroy());
  const app = await build({ ...deps, db: logged, readDb: logged });
  t.teardown(() => app.close());
  const signIn = async (login: string, on = app) => (await graphqlClient(on)<{ login: { token: string } }>(LOGIN, { l: login, p: PASSWORD })).data!.login.token;
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
  t.equal(byId.get(w.stories.hidden)!.publishedRevision.cover, null, 'a cover the tenant may no longer see stays hidden');
  for (const n of byId.values()) {
    t.same(n.tenant, { id: w.A.id, name: w.A.name }, 'origin tenant');
    t.same(n.section, { id: w.section.id, name: '本地' }, 'section');
  }

  // the same fields through a fragment, and without covers: the revision query alone
  const viaFragment = await gql<Feed>(`query($t: ID!) { stories(tenantId: $t, status: PUBLISHED) { edges { node { id publishedRevision { ...Card } } } } } fragment Card on Revision { title cover { id } }`, { t: w.A.id });
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
  // session remembered (0); entering the tenant: begin with platform scope, access, narrow to the
  // tenant, list, commit (5); sections (1); revisions with covers: begin with the tenant's scope, select, commit (3)
  t.ok(sql.length <= 9, `at most 9 round trips (21 before the request scope, 11 before one-round-trip scopes): ${sql.length}`);
  t.equal(sql.filter((s) => s === 'begin').length, 0, 'every transaction opened with its scope in the same round trip');
  t.equal(sql.filter((s) => s.startsWith('select set_config')).length, 1, 'the only scope statement of its own: narrowing after the platform-scoped access check');
  t.equal(sql.filter((s) => s.includes('from "assets"')).length, 0, 'no separate cover query');
  t.equal(sql.filter((s) => s.includes('from "tenants"')).length, 0, 'the tenant came with the access check');
  t.equal(sql.filter((s) => s.includes('staff_sessions')).length, 1, 'the session is checked in the access query');

  // two root fields in one tenant: the access is checked once, each still in its own scope
  w.statements.length = 0;
  const two = await gql<{ a: unknown; b: unknown }>(`query($t: ID!) { a: stories(tenantId: $t, first: 1) { edges { node { id } } } b: stories(tenantId: $t, first: 2) { edges { node { id } } } }`, { t: w.A.id });
  t.notOk(two.errors);
  t.equal(w.statements.filter((s) => s.includes('staff_sessions')).length, 1, 'one access check for two fields');
  t.equal(w.statements.filter((s) => s.includes(`set_config('app.tenant_id', '${w.A.id}', true)`)).length, 2, 'two tenant scopes');
});

t.test('a revoked grant is refused on the next request', async (t) => {
  const w = await world(t);
  const gql = graphqlClient(w.app, { token: await w.signIn('scope-reader') });
  t.notOk((await gql(FEED, { t: w.A.id })).errors, 'a member reads the feed');
  const grant = await w.deps.tdb.owner.selectFrom('grants').select('id').where('staff_id', '=', w.reader.id).executeTakeFirstOrThrow();
  await w.deps.tdb.owner.updateTable('grants').set({ revoked_at: new Date() }).where('id', '=', grant.id).execute();
  t.equal(errorCode(await gql(FEED, { t: w.A.id })), 'FORBIDDEN', 'refused at once, though the session is remembered');
  t.equal(errorCode(await gql(FEED, { t: w.B.id })), 'FORBIDDEN', 'and no other tenant either');
  t.equal(errorCode(await gql(FEED, { t: '00000000-0000-4000-8000-000000000000' })), 'TENANT_NOT_FOUND', 'an unknown tenant is still named so');
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
  t.equal((await there<{ viewer: { id: string } }>(VIEWER)).data!.viewer.id, w.reader.id, 'remembered in the other process');
  await here('mutation { logout }');
  t.equal((await there<{ viewer: unknown }>(VIEWER)).data!.viewer, null, 'forgotten there too');

  // ended behind the API's back (directly in the database): tenant data at once, the viewer within the cache's lifetime
  const short = await build(w.deps, { sessionCacheMs: 400 });
  t.teardown(() => short.close());
  const token3 = await w.signIn('scope-reader', short);
  const s3 = graphqlClient(short, { token: token3 });
  t.notOk((await s3(FEED, { t: w.A.id })).errors);
  t.equal((await s3<{ viewer: { id: string } }>(VIEWER)).data!.viewer.id, w.reader.id);
  await w.deps.tdb.owner.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('staff_id', '=', w.reader.id).execute();
  t.equal(errorCode(await s3(FEED, { t: w.A.id })), 'UNAUTHENTICATED', 'tenant data refused at once');
  await new Promise((r) => setTimeout(r, 450));
  t.equal((await s3<{ viewer: unknown }>(VIEWER)).data!.viewer, null, 'the viewer too, once the remembered entry expired');

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
  await w.deps.tdb.owner.updateTable('staff_sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('staff_id', '=', w.other.id).execute();
  t.equal(errorCode(await s5(FEED, { t: w.B.id })), 'UNAUTHENTICATED', 'an expired session is refused at once');
});

t.test('operators are not remembered', async (t) => {
  const w = await world(t);
  const op = await withPlatform(w.deps.db, (trx) => createStaff(trx, SYSTEM_ACTOR, { login: 'scope-operator', displayName: '运营', password: PASSWORD, isOperator: true }));
  const gql = graphqlClient(w.app, { token: await w.signIn('scope-operator') });
  t.equal((await gql<{ viewer: { id: string } }>(VIEWER)).data!.viewer.id, op.id);
  await w.deps.tdb.owner.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('staff_id', '=', op.id).execute();
  t.equal((await gql<{ viewer: unknown }>(VIEWER)).data!.viewer, null, 'an operator session ended in the database is refused at once');
  t.equal(errorCode(await gql(`{ organisations { id } }`)), 'UNAUTHENTICATED', 'platform data too');
});

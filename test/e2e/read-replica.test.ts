// The read-replica option: with DATABASE_REPLICA_URL set, createDeps (what every service's
// server and `pnpm start` use) gives the portal a second pool and the faces read through it,
// while writes (the API, citizen sign-in) stay on the primary; without it, reads fall back to
// the primary. A real streaming replica cannot be told apart from its primary by content, so
// the "replica" here is a second database with different content: whatever a face shows
// proves which connection it read.
import t from 'tap';
import { build as buildApi } from '@yiduan/api';
import { loadConfig } from '@yiduan/config';
import { createDeps } from '@yiduan/http';
import { build as buildPortal } from '@yiduan/portal';
import { createDemoDatabase, graphqlClient } from '@yiduan/testkit';
import { PASSWORD, staffWith } from './helpers.js';
import { deskOf } from './faults-kit.js';

t.test('DATABASE_REPLICA_URL: faces read the replica, writes go to the primary; unset: the primary', async (t) => {
  const primary = await createDemoDatabase(t);
  const replica = await createDemoDatabase(t);
  await (await deskOf(primary.db, primary.tenants.ruyang!.id, 'ry')).publish('只在主库的稿件');
  await (await deskOf(replica.db, replica.tenants.ruyang!.id, 'ry')).publish('只在副本的稿件');
  await staffWith(primary.db, 'ry-api', primary.tenants.ruyang!.id, ['reporter']);

  const home = async (deps: ReturnType<typeof createDeps>): Promise<string> => {
    const portal = await buildPortal(deps);
    try {
      const res = await portal.inject({ url: '/', headers: { host: 'ruyang.localhost' } });
      t.equal(res.statusCode, 200);
      return res.body;
    } finally {
      await portal.close();
    }
  };

  // configured: a second pool, and the faces read through it
  const withReplica = createDeps(
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_APP_URL: primary.appUrl,
      DATABASE_REPLICA_URL: replica.appUrl,
    }),
  );
  const api = await buildApi(withReplica);
  let replicaOpen = true;
  const closeReplica = async (): Promise<void> => {
    if (!replicaOpen) return;
    replicaOpen = false;
    await api.close();
    await withReplica.close();
  };
  t.teardown(closeReplica);
  t.not(withReplica.readDb, withReplica.db, 'a separate read pool');
  const fromReplica = await home(withReplica);
  t.match(fromReplica, '只在副本的稿件', 'the face reads the replica');
  t.notMatch(fromReplica, '只在主库的稿件');

  // writes through the API land on the primary even with a replica configured
  const login = await graphqlClient(api)<{ login: { token: string } }>(
    `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
    { l: 'ry-api', p: PASSWORD },
  );
  t.equal(login.errors, undefined, 'sign-in reads the primary (the account exists only there)');
  const created = await graphqlClient(api, { token: login.data!.login.token })<{
    createStory: { story: { id: string } };
  }>(`mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`, {
    t: primary.tenants.ruyang!.id,
    i: { kind: 'ARTICLE', content: { title: '写入主库的草稿', body: [] } },
  });
  t.equal(created.errors, undefined, JSON.stringify(created.errors));
  const id = created.data!.createStory.story.id;
  t.ok(
    await primary.owner.selectFrom('stories').select('id').where('id', '=', id).executeTakeFirst(),
    'the draft is on the primary',
  );
  t.notOk(
    await replica.owner.selectFrom('stories').select('id').where('id', '=', id).executeTakeFirst(),
    'not on the replica',
  );

  // (the in-memory cache is shared by prefix within a process, as under `pnpm start`: release it first)
  await closeReplica();

  // not configured: the read pool is the primary's
  const without = createDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_APP_URL: primary.appUrl }));
  t.teardown(() => without.close());
  t.equal(without.readDb, without.db, 'no replica: reads use the primary pool');
  const fromPrimary = await home(without);
  t.match(fromPrimary, '只在主库的稿件', 'the face reads the primary');
  t.notMatch(fromPrimary, '只在副本的稿件');
});

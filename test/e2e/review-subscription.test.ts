// Reviewers hear queue changes live, across processes: two API instances share Redis;
// a change made through one reaches a subscriber connected to the other via the worker.
import t from 'tap';
import WebSocket from 'ws';
import { createRedisCache } from '@yiduan/cache';
import { createDemoDeps, graphqlClient } from '@yiduan/testkit';
import { defaultRegistry, OutboxConsumer } from '@yiduan/worker';
import { build } from '@yiduan/api';
import { staffWith, PASSWORD } from './helpers.js';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function nextMessage(ws: WebSocket, type: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (raw: WebSocket.RawData) => {
      const msg = JSON.parse(String(raw)) as Record<string, unknown>;
      if (msg.type !== type) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(msg);
    };
    ws.on('message', onMessage);
  });
}

t.test('review queue changes reach a subscriber on another API process', async (t) => {
  const base = await createDemoDeps(t);
  const prefix = `${base.tdb.name}:`;
  const cacheA = createRedisCache({ url: REDIS, prefix });
  const cacheB = createRedisCache({ url: REDIS, prefix });
  const cacheW = createRedisCache({ url: REDIS, prefix });
  t.teardown(async () => {
    await Promise.all([cacheA.close(), cacheB.close(), cacheW.close()]);
  });
  const { tenants } = base;
  const ruyang = tenants.ruyang!.id;
  await staffWith(base.db, 'sub-reporter', ruyang, ['reporter']);
  await staffWith(base.db, 'sub-editor', ruyang, ['editor']);
  await staffWith(base.db, 'sub-outsider', tenants.yichuan!.id, ['editor']);

  const appA = await build({ ...base, cache: cacheA });
  const appB = await build({ ...base, cache: cacheB });
  t.teardown(async () => {
    await appA.close();
    await appB.close();
  });
  await appB.listen({ port: 0, host: '127.0.0.1' });
  const port = (appB.server.address() as { port: number }).port;
  const signIn = async (login: string) =>
    (
      await graphqlClient(appA)<{ login: { token: string } }>(
        `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
        { l: login, p: PASSWORD },
      )
    ).data!.login.token;
  const editorToken = await signIn('sub-editor');
  const reporter = graphqlClient(appA, { token: await signIn('sub-reporter') });

  const connect = async (token: string) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    await nextMessage(ws, 'connection_ack');
    return ws;
  };
  const ws = await connect(editorToken);
  t.teardown(() => ws.close());
  ws.send(
    JSON.stringify({
      id: '1',
      type: 'subscribe',
      payload: {
        query: `subscription($t: ID!) { reviewQueueChanged(tenantId: $t) { tenantId storyId status } }`,
        variables: { t: ruyang },
      },
    }),
  );

  const outsider = await connect(await signIn('sub-outsider'));
  t.teardown(() => outsider.close());
  const refused = nextMessage(outsider, 'error');
  outsider.send(
    JSON.stringify({
      id: '9',
      type: 'subscribe',
      payload: {
        query: `subscription($t: ID!) { reviewQueueChanged(tenantId: $t) { storyId } }`,
        variables: { t: ruyang },
      },
    }),
  );
  const err = await refused;
  t.match(JSON.stringify(err.payload), /FORBIDDEN|没有任何角色/, "another tenant's editor cannot listen to this queue");

  await new Promise((r) => setTimeout(r, 200)); // let the subscription register
  const created = await reporter<{ createStory: { story: { id: string } } }>(
    `mutation($t: ID!) { createStory(tenantId: $t, input: { kind: ARTICLE, content: { title: "乡村学校开学", body: [{ type: "paragraph", text: "新学期开始了。" }] } }) { story { id } } }`,
    { t: ruyang },
  );
  const storyId = created.data!.createStory.story.id;
  const heard = nextMessage(ws, 'next');
  await reporter(`mutation($t: ID!, $s: ID!) { submitStory(tenantId: $t, id: $s) { story { status } } }`, {
    t: ruyang,
    s: storyId,
  });
  const consumer = new OutboxConsumer({ db: base.db, cache: cacheW, registry: defaultRegistry() });
  await consumer.runOnce();
  const msg = await heard;
  t.same(
    (msg.payload as { data: unknown }).data,
    { reviewQueueChanged: { tenantId: ruyang, storyId, status: 'IN_REVIEW' } },
    'the subscriber on the other process hears it',
  );
});

// Subscriptions over WebSocket are held to the API's request limits (services/api/src/limits.ts
// limitSubscriptions): mercurius validates them with the specified rules only.
import t from 'tap';
import WebSocket from 'ws';
import { build } from '@yiduan/api';
import { createStaff, grantRole, SYSTEM_ACTOR } from '@yiduan/core';
import { withPlatform, withTenant } from '@yiduan/db';
import { createDemoDeps, graphqlClient } from '@yiduan/testkit';

const PASSWORD = 'Passw0rd-subscription';

t.test('subscriptions over WebSocket are held to the same limits as queries', async (t) => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const ruyang = tenants.ruyang!.id;
  const staff = await withPlatform(deps.db, (trx) =>
    createStaff(trx, SYSTEM_ACTOR, { login: 'sub-editor', displayName: 'sub-editor', password: PASSWORD }),
  );
  await withTenant(deps.db, ruyang, (trx) =>
    grantRole(trx, SYSTEM_ACTOR, { tenantId: ruyang, role: 'editor', staffId: staff.id, skipPartyCheck: true }),
  );
  const app = await build(deps);
  t.teardown(() => app.close());
  const token = (
    await graphqlClient(app)<{ login: { token: string } }>(
      `mutation { login(login: "sub-editor", password: "${PASSWORD}") { token } }`,
    )
  ).data!.login.token;
  await app.listen({ port: 0, host: '127.0.0.1' });

  const ws = new WebSocket(
    `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/graphql`,
    'graphql-transport-ws',
  );
  t.teardown(() => ws.close());
  const frames: { id?: string; type: string; payload?: unknown }[] = [];
  ws.on('message', (raw: WebSocket.RawData) => void frames.push(JSON.parse(String(raw)) as (typeof frames)[number]));
  /** the first frame of `id` of one of `types`, waiting up to five seconds (undefined: none came) */
  const frame = async (id: string | undefined, types: string[]) => {
    for (let i = 0; i < 100; i++) {
      const f = frames.find((x) => x.id === id && types.includes(x.type));
      if (f) return f;
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  };
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  t.ok(await frame(undefined, ['connection_ack']), 'connected');

  const aliases = Array.from({ length: 51 }, (_, i) => `a${i}: storyId`).join(' ');
  ws.send(
    JSON.stringify({
      id: 'bomb',
      type: 'subscribe',
      payload: { query: `subscription { reviewQueueChanged(tenantId: "${ruyang}") { ${aliases} } }` },
    }),
  );
  const refused = await frame('bomb', ['error', 'next', 'complete']);
  t.equal(refused?.type, 'error', 'an alias bomb is refused');
  t.match(JSON.stringify(refused?.payload), /最多使用 50 个别名/, 'with the limit’s Chinese message');
  ws.send(
    JSON.stringify({
      id: 'fine',
      type: 'subscribe',
      payload: { query: `subscription { reviewQueueChanged(tenantId: "${ruyang}") { storyId } }` },
    }),
  );
  t.notOk(await frame('fine', ['error']), 'an ordinary subscription is accepted');
});

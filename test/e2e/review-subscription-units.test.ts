// A unit member listening to the review queue hears of their own unit's stories only: another
// unit's or the centre's draft entering review is none of theirs, not even its id and status
// (found by the isolation fuzzer: the events of every story reached every member).
import t from 'tap';
import { createSession } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { createDemoDeps, graphqlClient } from '@yiduan/testkit';
import { defaultRegistry, OutboxConsumer } from '@yiduan/worker';
import { build } from '@yiduan/api';
import { staffWith, unitIn } from './helpers.js';
import { subscribe, type SubscriptionProbe } from './fuzz/ws.js';

t.test("a unit member's review-queue subscription carries their own unit's stories only", async (t) => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const ruyang = tenants.ruyang!.id;
  const own = await unitIn(deps.db, ruyang, 'fz-own', '本单位');
  const other = await unitIn(deps.db, ruyang, 'fz-other', '其他单位');
  const session = async (id: string): Promise<string> =>
    (await withPlatform(deps.db, (trx) => createSession(trx, id, { ip: '127.0.0.1' }))).token;
  const editor = await session((await staffWith(deps.db, 'sub-unit-editor', ruyang, ['editor', 'reporter'])).id);
  const member = await session((await staffWith(deps.db, 'sub-unit-member', ruyang, ['reporter'], own.id)).id);

  const app = await build(deps);
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/graphql`;
  const query = `subscription($t: ID!) { reviewQueueChanged(tenantId: $t) { storyId status } }`;
  const probes: SubscriptionProbe[] = [
    await subscribe(url, member, query, { t: ruyang }),
    await subscribe(url, editor, query, { t: ruyang }),
  ];
  t.teardown(() => probes.forEach((p) => p.close()));
  const [memberHears, editorHears] = probes as [SubscriptionProbe, SubscriptionProbe];
  await new Promise((r) => setTimeout(r, 500)); // let the subscriptions register

  const gql = graphqlClient(app);
  const submit = async (token: string, unitId: string | null): Promise<string> => {
    const c = await gql<{ createStory: { story: { id: string } } }>(
      `mutation($t: ID!, $u: ID) { createStory(tenantId: $t, input: { kind: ARTICLE, unitId: $u, content: { title: "审校提醒", body: [{ type: "paragraph", text: "正文。" }] } }) { story { id } } }`,
      { t: ruyang, u: unitId },
      { token },
    );
    const id = c.data!.createStory.story.id;
    await gql(
      `mutation($t: ID!, $s: ID!) { submitStory(tenantId: $t, id: $s) { story { id } } }`,
      { t: ruyang, s: id },
      { token },
    );
    return id;
  };
  const otherUnit = await submit(editor, other.id);
  const centre = await submit(editor, null);
  const ownUnit = await submit(member, own.id);
  const consumer = new OutboxConsumer({ db: deps.db, cache: deps.cache, registry: defaultRegistry() });
  for (let i = 0; i < 20; i++) if ((await consumer.runOnce()).processed === 0) break;

  const heard = (p: SubscriptionProbe): string[] =>
    p.messages
      .filter((m) => m.type === 'next')
      .map((m) => (m.payload as { data: { reviewQueueChanged: { storyId: string } } }).data.reviewQueueChanged.storyId);
  for (let i = 0; i < 50 && (heard(editorHears).length < 3 || heard(memberHears).length < 1); i++)
    await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 200)); // anything else on its way
  t.same(heard(editorHears).sort(), [otherUnit, centre, ownUnit].sort(), 'a tenant-wide editor hears every story');
  t.same(
    heard(memberHears),
    [ownUnit],
    'the unit member hears their own unit’s story, not the other unit’s nor the centre’s',
  );
});

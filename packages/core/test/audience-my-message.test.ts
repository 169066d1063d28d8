// A citizen's own message as their account page reads it (myMessageDetail): only on the face it
// was sent to, only for the citizen who sent it. And the outbox topic names the worker and the
// audience migration's outbox policy rely on.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { createMemoryCache } from '@yiduan/cache';
import { withCitizen } from '@yiduan/db';
import { createTestDatabase, seedDemo } from '@yiduan/testkit';
import { AUDIENCE_TOPICS, myMessageDetail, sendMessage } from '../src/index.js';

t.test('outbox topics of the audience context keep their wire names', async (t) => {
  // the citizen-scope outbox policy (migration 2026_11_27_1800_audience) names two of them
  t.same(AUDIENCE_TOPICS, {
    commentsChanged: 'comments.changed',
    publicRepliesChanged: 'messages.public_changed',
    messageReceived: 'message.received',
    messageReplied: 'message.replied',
  });
});

t.test('a citizen reads their own message on its face, nobody else and no other face does', async (t) => {
  const tdb = await createTestDatabase(t);
  const { tenants } = await seedDemo(tdb.db, { withContent: false });
  const ruyang = tenants.ruyang!.id;
  const yichuan = tenants.yichuan!.id;
  const unitId = randomUUID();
  await tdb.owner
    .insertInto('units')
    .values({ tenant_id: ruyang, id: unitId, slug: 'jiaoyu', name: '汝阳县教育局', kind: 'bureau' })
    .execute();
  const citizen = async (phone: string) =>
    (
      await tdb.owner
        .insertInto('citizens')
        .values({ phone, display_name: `用户${phone.slice(-4)}` })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const author = await citizen('13800000001');
  const other = await citizen('13800000002');
  const cache = createMemoryCache();
  const sent = await withCitizen(tdb.db, author, (trx) =>
    sendMessage(trx, cache, {
      tenantId: ruyang,
      unitId,
      citizenId: author,
      category: 'consultation',
      title: '入学咨询',
      body: '请问何时报名？',
      allowPublic: false,
      ip: '192.0.2.1',
    }),
  );

  const own = await withCitizen(tdb.db, author, (trx) => myMessageDetail(trx, author, ruyang, sent.id));
  t.equal(own?.m.id, sent.id, 'the author on the face it was sent to');
  t.equal(own?.unitName, '汝阳县教育局', "with its unit's name");
  t.same(
    own?.events.map((e) => e.to_status),
    ['received'],
    'and its events',
  );

  t.equal(
    await withCitizen(tdb.db, author, (trx) => myMessageDetail(trx, author, yichuan, sent.id)),
    null,
    'not on another face',
  );
  t.equal(
    await withCitizen(tdb.db, other, (trx) => myMessageDetail(trx, other, ruyang, sent.id)),
    null,
    'not for another citizen',
  );
  t.equal(
    await withCitizen(tdb.db, other, (trx) => myMessageDetail(trx, author, ruyang, sent.id)),
    null,
    "not in another citizen's scope, even naming the author",
  );
});

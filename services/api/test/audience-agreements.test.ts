// 用户协议 and 隐私政策: each tenant's versioned texts, edited by its admins only; drafts stay the
// tenant's own, published versions are public and never change; the platform's default stands in
// for a tenant that has written none.
import t from 'tap';
import { currentAgreement, saveAgreement, acceptAgreements, DomainError } from '@yiduan/core';
import { withCitizen, withPublic, withTenant } from '@yiduan/db';
import { errorCode } from '@yiduan/testkit';
import { audienceWorld } from './audience-fixture.js';

interface AgreementOut {
  kind: string;
  version: number;
  title: string;
  body: string;
  isDefault: boolean;
  publishedAt: string | null;
  draft: { title: string; body: string } | null;
  history: { version: number; title: string }[];
}
const READ = `query($t: ID!) { agreements(tenantId: $t) { kind version title body isDefault publishedAt draft { title body } history { version title } } }`;
const SAVE = `mutation($t: ID!, $i: AgreementInput!) { saveAgreement(tenantId: $t, input: $i) { kind version title body isDefault publishedAt draft { title body } history { version title } } }`;

t.test('agreements: versions per tenant, admin only, drafts private, published public', async (t) => {
  const w = await audienceWorld(t);
  const { A, B, city } = w;
  const admin = await w.as(w.staff.aAdmin);
  const editor = await w.as(w.staff.aEditor);
  const bAdmin = await w.as(w.staff.bAdmin);
  const cityAdmin = await w.as(w.staff.cityAdmin);

  // the platform default until the tenant writes its own
  const first = (await admin<{ agreements: AgreementOut[] }>(READ, { t: A.id })).data!.agreements;
  t.same(
    first.map((a) => [a.kind, a.version, a.isDefault]),
    [
      ['TERMS', 0, true],
      ['PRIVACY', 0, true],
    ],
  );
  t.match(first[1]!.body, '个人信息保护法', 'a Chinese default privacy policy');

  // a draft: the admin sees it, citizens still read the default
  let r = await admin<{ saveAgreement: AgreementOut }>(SAVE, {
    t: A.id,
    i: { kind: 'TERMS', title: '汝阳融媒用户协议', body: '第一条 草稿。', publish: false },
  });
  t.match(r.data!.saveAgreement, {
    version: 0,
    isDefault: true,
    draft: { title: '汝阳融媒用户协议', body: '第一条 草稿。' },
  });
  t.equal(
    (await withPublic(w.deps.db, (trx) => currentAgreement(trx, A.id, 'terms'))).version,
    0,
    'a draft is not what citizens read',
  );
  const draftsSeenByB = await withTenant(w.deps.db, B.id, (trx) =>
    trx.selectFrom('agreements').selectAll().where('tenant_id', '=', A.id).execute(),
  );
  t.same(draftsSeenByB, [], "another tenant cannot read A's draft");
  const publicDrafts = await withPublic(w.deps.db, (trx) =>
    trx.selectFrom('agreements').selectAll().where('tenant_id', '=', A.id).execute(),
  );
  t.same(publicDrafts, [], 'nor can the public');

  // publishing: version 1, public; the next edit is version 2 and version 1 stays as it was
  r = await admin<{ saveAgreement: AgreementOut }>(SAVE, {
    t: A.id,
    i: { kind: 'TERMS', title: '汝阳融媒用户协议', body: '第一条 正式文本。', publish: true },
  });
  t.match(r.data!.saveAgreement, { version: 1, isDefault: false, body: '第一条 正式文本。', draft: null });
  const pub = await withPublic(w.deps.db, (trx) => currentAgreement(trx, A.id, 'terms'));
  t.match(pub, { version: 1, body: '第一条 正式文本。', isDefault: false }, 'citizens read version 1');
  r = await admin<{ saveAgreement: AgreementOut }>(SAVE, {
    t: A.id,
    i: { kind: 'TERMS', title: '汝阳融媒用户协议（修订）', body: '第一条 修订文本。', publish: true },
  });
  t.same(
    r.data!.saveAgreement.history.map((h) => h.version),
    [2, 1],
    'each publication is a new version',
  );
  const v1 = await w.deps.tdb.owner
    .selectFrom('agreements')
    .select('body')
    .where('tenant_id', '=', A.id)
    .where('kind', '=', 'terms')
    .where('version', '=', 1)
    .executeTakeFirstOrThrow();
  t.equal(v1.body, '第一条 正式文本。', 'version 1 is kept as published');
  const rewritten = await withTenant(w.deps.db, A.id, (trx) =>
    trx
      .updateTable('agreements')
      .set({ body: '偷偷改掉' })
      .where('tenant_id', '=', A.id)
      .where('version', '=', 1)
      .executeTakeFirst(),
  );
  t.equal(Number(rewritten.numUpdatedRows), 0, 'even A itself cannot rewrite a published version');

  // B: not its admin, not its data
  t.equal(
    errorCode(await bAdmin(SAVE, { t: A.id, i: { kind: 'TERMS', title: 'x', body: 'y', publish: true } })),
    'FORBIDDEN',
    "B's admin cannot edit A's agreements",
  );
  t.equal(errorCode(await bAdmin(READ, { t: A.id })), 'FORBIDDEN', "nor read A's drafts");
  t.equal(
    errorCode(await cityAdmin(SAVE, { t: A.id, i: { kind: 'PRIVACY', title: 'x', body: 'y', publish: true } })),
    'FORBIDDEN',
    'nor can the city above A',
  );
  t.equal(
    errorCode(await editor(SAVE, { t: A.id, i: { kind: 'TERMS', title: 'x', body: 'y', publish: true } })),
    'FORBIDDEN',
    'an editor of A is not its admin',
  );
  t.equal(
    (await bAdmin<{ agreements: AgreementOut[] }>(READ, { t: B.id })).data!.agreements[0]!.version,
    0,
    "B's own agreements are untouched",
  );
  await t.rejects(
    withTenant(w.deps.db, B.id, (trx) =>
      trx
        .insertInto('agreements')
        .values({
          tenant_id: A.id,
          kind: 'privacy',
          version: 9,
          title: 'x',
          body: 'y',
          status: 'published',
          published_at: new Date(),
          updated_at: new Date(),
        })
        .execute(),
    ),
    'RLS: B cannot write a version into A',
  );
  t.equal(city.id !== A.id, true);

  // bad input: a clear error, nothing written
  t.equal(
    errorCode(await admin(SAVE, { t: A.id, i: { kind: 'TERMS', title: '', body: 'y', publish: true } })),
    'BAD_USER_INPUT',
  );
  t.equal(
    errorCode(await admin(SAVE, { t: A.id, i: { kind: 'TERMS', title: 't', body: 'x'.repeat(30001), publish: true } })),
    'BAD_USER_INPUT',
  );
  t.equal((await withPublic(w.deps.db, (trx) => currentAgreement(trx, A.id, 'terms'))).version, 2);

  // acceptance records the version, and an outdated one is refused
  const c = await w.citizen('13700000099', '读协议的人');
  await withCitizen(w.deps.db, c.id, (trx) => acceptAgreements(trx, c.id, { tenantId: A.id, terms: 2, privacy: 0 }));
  const err = await withCitizen(w.deps.db, c.id, (trx) =>
    acceptAgreements(trx, c.id, { tenantId: A.id, terms: 1, privacy: 0 }),
  ).catch((e: unknown) => e);
  t.ok(err instanceof DomainError && err.code === 'AGREEMENTS_CHANGED', 'a version no longer current is refused');
  const mine = await withCitizen(w.deps.db, c.id, (trx) =>
    trx
      .selectFrom('agreement_acceptances')
      .select(['kind', 'version', 'tenant_id'])
      .where('citizen_id', '=', c.id)
      .where('tenant_id', '=', A.id)
      .orderBy('kind')
      .execute(),
  );
  t.same(mine, [
    { kind: 'privacy', version: 0, tenant_id: A.id },
    { kind: 'terms', version: 2, tenant_id: A.id },
  ]);
  const seenByB = await withTenant(w.deps.db, B.id, (trx) =>
    trx.selectFrom('agreement_acceptances').selectAll().where('citizen_id', '=', c.id).execute(),
  );
  t.same(seenByB, [], "another tenant does not see who accepted A's agreements");

  // concurrent publications get distinct versions
  await Promise.all(
    [1, 2, 3].map((i) =>
      withTenant(w.deps.db, A.id, async (trx) => {
        const { accessFor, staffActor } = await import('@yiduan/core');
        return saveAgreement(trx, await accessFor(trx, w.staff.aAdmin, A.id), staffActor(w.staff.aAdmin), {
          kind: 'privacy',
          title: `隐私政策 ${i}`,
          body: `正文 ${i}`,
          publish: true,
        });
      }),
    ),
  );
  const versions = await w.deps.tdb.owner
    .selectFrom('agreements')
    .select('version')
    .where('tenant_id', '=', A.id)
    .where('kind', '=', 'privacy')
    .orderBy('version')
    .execute();
  t.same(
    versions.map((v) => v.version),
    [1, 2, 3],
  );
});

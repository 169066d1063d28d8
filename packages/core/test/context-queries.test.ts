// The core functions services call instead of writing SQL (identity, tenancy, assets): what they
// answer, and that another tenant's scope cannot reach what is not its own.
import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withPlatform, withPublic, withTenant } from '@yiduan/db';
import { createTestDatabase, seedDemo } from '@yiduan/testkit';
import { LocalDiskStorage } from '@yiduan/storage';
import {
  assetForServing,
  checkGrantParty,
  childrenOfTenants,
  createAsset,
  createStaff,
  grantRole,
  imageSizes,
  mediaRowById,
  samplePng,
  setAssetShared,
  shownOnFace,
  staffByIdsByLogin,
  SYSTEM_ACTOR,
  tenantsWithOwnGrants,
} from '../src/index.js';

const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'none',
    (e: unknown) => (e as { code?: string }).code ?? 'none',
  );

t.test('identity and tenancy reads behind the API', async (t) => {
  const tdb = await createTestDatabase(t);
  const { tenants } = await seedDemo(tdb.db, { withContent: false });
  const [a, b, luoyang, henan] = [tenants.ruyang!, tenants.yichuan!, tenants.luoyang!, tenants.henan!];
  const [zed, amy] = await withPlatform(tdb.db, async (p) => [
    await createStaff(p, SYSTEM_ACTOR, { login: 'cq-zed', displayName: '甲', password: 'password-123' }),
    await createStaff(p, SYSTEM_ACTOR, { login: 'cq-amy', displayName: '乙', password: 'password-123' }),
  ]);
  await withTenant(tdb.db, a.id, (trx) =>
    grantRole(trx, SYSTEM_ACTOR, { tenantId: a.id, role: 'editor', staffId: zed!.id, skipPartyCheck: true }),
  );
  await withTenant(tdb.db, b.id, (trx) =>
    grantRole(trx, SYSTEM_ACTOR, { tenantId: b.id, role: 'editor', staffId: amy!.id, skipPartyCheck: true }),
  );

  t.same(
    await withPlatform(tdb.db, (p) => tenantsWithOwnGrants(p, zed!.id)),
    [a.id],
    'only the tenant zed was granted in',
  );
  t.same(
    (await withPlatform(tdb.db, (p) => staffByIdsByLogin(p, [zed!.id, amy!.id, 'not-a-uuid']))).map((s) => s.login),
    ['cq-amy', 'cq-zed'],
    'by login; bad ids dropped',
  );
  t.equal(await codeOf(withPlatform(tdb.db, (p) => checkGrantParty(p, { staffId: zed!.id }))), 'none');
  t.equal(await codeOf(withPlatform(tdb.db, (p) => checkGrantParty(p, { staffId: 'not-a-uuid' }))), 'STAFF_NOT_FOUND');
  t.equal(
    await codeOf(withPlatform(tdb.db, (p) => checkGrantParty(p, { orgId: amy!.id }))),
    'ORGANISATION_NOT_FOUND',
    'a person is no organisation',
  );

  const children = await childrenOfTenants(tdb.db, [luoyang.id, a.id]);
  t.same(children.map((c) => c.slug).sort(), ['ruyang', 'yichuan'], "Luoyang's counties; a county has none");
  t.ok(children.every((c) => c.parent_id === luoyang.id));
  t.same(await childrenOfTenants(tdb.db, ['x']), [], 'nothing asked, no query');
  t.ok((await childrenOfTenants(tdb.db, [henan.id])).every((c) => c.parent_id === henan.id));
});

t.test(
  'asset reads behind GET /assets/:id and the portal: shared or shown, never another tenant’s private image',
  async (t) => {
    const tdb = await createTestDatabase(t);
    const { tenants } = await seedDemo(tdb.db, { withContent: false });
    const [a, b] = [tenants.ruyang!, tenants.yichuan!];
    const root = await mkdtemp(join(tmpdir(), 'yd-ctx-queries-'));
    t.teardown(() => rm(root, { recursive: true, force: true }));
    const storage = new LocalDiskStorage(root);
    const asset = await withTenant(tdb.db, a.id, (trx) =>
      createAsset(trx, storage, SYSTEM_ACTOR, { tenantId: a.id, data: samplePng(4, 2), filename: 'a.png', alt: '图' }),
    );

    t.match(
      await withPlatform(tdb.db, (p) => assetForServing(p, asset.id)),
      { asset: { id: asset.id }, public: false },
      'unshared, in no story',
    );
    t.equal(await withPlatform(tdb.db, (p) => assetForServing(p, '00000000-0000-4000-8000-000000000000')), null);

    t.same(await withPlatform(tdb.db, (p) => imageSizes(p, [asset.id, null, 'x'])), [
      { id: asset.id, width: 4, height: 2, alt: '图', mime: 'image/png' },
    ]);
    t.same(
      await withTenant(tdb.db, b.id, (trx) => imageSizes(trx, [asset.id])),
      [],
      'another tenant does not see an unshared image',
    );
    t.equal(await withTenant(tdb.db, b.id, (trx) => mediaRowById(trx, asset.id)), undefined, 'nor its row');
    t.equal(
      await withPublic(tdb.db, (trx) => shownOnFace(trx, a.id, asset.id)),
      false,
      'no live story shows it on its own face',
    );
    t.equal(await withPublic(tdb.db, (trx) => shownOnFace(trx, b.id, asset.id)), false, 'nor on another face');

    await withTenant(tdb.db, a.id, (trx) => setAssetShared(trx, SYSTEM_ACTOR, asset.id, true));
    t.match(await withPlatform(tdb.db, (p) => assetForServing(p, asset.id)), { public: true }, 'shared: public');
    t.match(
      await withTenant(tdb.db, b.id, (trx) => mediaRowById(trx, asset.id)),
      { id: asset.id, shared: true },
      'a shared image is visible to every tenant',
    );
  },
);

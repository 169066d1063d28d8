import t, { type Test } from 'tap';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withPlatform, withPublic, withTenant, type DB } from '@yiduan/db';
import { createDemoDatabase, failure } from '@yiduan/testkit';
import { DomainError, SYSTEM_ACTOR, type Actor } from '../src/index.js';
import {
  AssetRejectedError,
  assetById,
  assetsByIds,
  createAsset,
  deleteAsset,
  listAssets,
  sampleJpeg,
  samplePng,
  setAssetShared,
  type NewAssetInput,
} from '../src/assets/index.js';
import { LocalDiskStorage, type AssetStorage } from '@yiduan/storage';

const editor: Actor = { kind: 'staff', id: 'editor-1', name: '编辑甲' };

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function setup(
  t: Test,
): Promise<{ db: DB; owner: DB; root: string; storage: LocalDiskStorage; a: string; b: string }> {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const root = await mkdtemp(join(tmpdir(), 'yd-assets-db-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  return {
    db: tdb.db,
    owner: tdb.owner,
    root,
    storage: new LocalDiskStorage(root),
    a: tenants.ruyang!.id,
    b: tenants.yichuan!.id,
  };
}

const upload = (db: DB, storage: AssetStorage, tenantId: string, input: Partial<NewAssetInput> = {}) =>
  withTenant(db, tenantId, (trx) =>
    createAsset(trx, storage, editor, { tenantId, data: samplePng(5, 3), filename: 'a.png', ...input }),
  );

t.test('an upload writes the file and a matching row, audited', async (t) => {
  const { db, owner, root, storage, a } = await setup(t);
  const data = samplePng(5, 3);
  const asset = await upload(db, storage, a, { data, filename: 'C:\\fakepath\\县城夜景.png', alt: ' 县城夜景 ' });
  t.match(asset, {
    tenant_id: a,
    kind: 'image',
    mime: 'image/png',
    bytes: data.length,
    width: 5,
    height: 3,
    original_name: '县城夜景.png',
    alt: '县城夜景',
    shared: false,
  });
  t.match(asset.storage_key, new RegExp(`^${a}/\\d{4}/\\d{2}/${asset.id}\\.png$`));
  t.same(await storage.get(asset.storage_key), data, 'the stored bytes are the upload');
  t.same(await files(root), [storage.pathOf(asset.storage_key)]);
  const audit = await owner.selectFrom('audit_log').selectAll().where('target_id', '=', asset.id).execute();
  t.match(audit, [{ tenant_id: a, action: 'asset.upload', actor_id: 'editor-1', target_kind: 'asset' }]);
});

t.test('the content decides the type, not the filename', async (t) => {
  const { db, storage, a } = await setup(t);
  const asset = await upload(db, storage, a, { data: sampleJpeg(16, 8), filename: 'picture.gif' });
  t.match(asset, { mime: 'image/jpeg', width: 16, height: 8, original_name: 'picture.gif' });
  t.match(asset.storage_key, /\.jpg$/);
});

t.test('a refused upload leaves neither a row nor a file', async (t) => {
  const { db, owner, root, storage, a } = await setup(t);
  const bomb = Buffer.from(samplePng(1, 1));
  bomb.writeUInt32BE(50_000, 16);
  bomb.writeUInt32BE(50_000, 20);
  const cases: Array<[string, Partial<NewAssetInput>, string]> = [
    ['text named .png', { data: Buffer.from('not an image, honestly'), filename: 'photo.png' }, 'ASSET_TYPE_INVALID'],
    [
      'svg',
      {
        data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        filename: 'logo.svg',
      },
      'ASSET_TYPE_INVALID',
    ],
    ['over the size limit', { data: samplePng(40, 40), limits: { maxBytes: 64 } }, 'ASSET_TOO_LARGE'],
    ['truncated', { data: samplePng(40, 40).subarray(0, 60) }, 'ASSET_CORRUPT'],
    ['50000 × 50000 declared', { data: bomb }, 'ASSET_DIMENSIONS_TOO_LARGE'],
  ];
  for (const [name, input, reason] of cases) {
    const err = await failure(upload(db, storage, a, input));
    t.equal(err instanceof AssetRejectedError ? err.reason : err, reason, name);
  }
  const alt = await failure(upload(db, storage, a, { alt: '长'.repeat(301) }));
  t.match(alt, { code: 'BAD_USER_INPUT', problems: [{ path: 'alt' }] }, 'alt text is bounded');
  t.equal((await owner.selectFrom('assets').select('id').execute()).length, 0, 'no row');
  t.same(await files(root), [], 'no file');
});

t.test('a failed insert removes the file it had written', async (t) => {
  const { db, owner, root, storage, a, b } = await setup(t);
  const unknownTenant = randomUUID();
  const fk = await failure(
    withPlatform(db, (trx) =>
      createAsset(trx, storage, SYSTEM_ACTOR, { tenantId: unknownTenant, data: samplePng(2, 2), filename: 'x.png' }),
    ),
  );
  t.match(fk, { code: 'TENANT_NOT_FOUND' }, 'foreign key violation, mapped');
  const rls = await failure(
    withTenant(db, b, (trx) =>
      createAsset(trx, storage, editor, { tenantId: a, data: samplePng(2, 2), filename: 'x.png' }),
    ),
  );
  t.match(rls, { code: 'FORBIDDEN' }, 'another tenant cannot upload into A');
  const staff = await failure(upload(db, storage, a, { createdBy: randomUUID() }));
  t.match(staff, { code: 'STAFF_NOT_FOUND' }, 'unknown uploader');
  t.equal((await owner.selectFrom('assets').select('id').execute()).length, 0);
  t.same(await files(root), [], 'no orphan file');
});

t.test('a storage failure writes no row', async (t) => {
  const { db, owner, a } = await setup(t);
  const broken: AssetStorage = {
    put: () => Promise.reject(new Error('disk full')),
    get: () => Promise.resolve(null),
    delete: () => Promise.resolve(),
    exists: () => Promise.resolve(false),
  };
  t.match(await failure(upload(db, broken, a)), { message: 'disk full' });
  t.equal((await owner.selectFrom('assets').select('id').execute()).length, 0);
});

t.test('tenant isolation: private assets stay with their tenant, shared ones are read by all', async (t) => {
  const { db, owner, storage, a, b } = await setup(t);
  const priv = await upload(db, storage, a, { filename: 'private.png' });
  const pub = await upload(db, storage, a, { filename: 'shared.png', shared: true });
  const asB = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(db, b, fn);

  t.ok(await withTenant(db, a, (trx) => assetById(trx, priv.id)), 'A sees its own');
  t.equal(await asB((trx) => assetById(trx, priv.id)), undefined, 'B does not see A private asset');
  t.equal((await asB((trx) => assetById(trx, pub.id)))?.id, pub.id, 'B reads A shared asset');
  t.same(
    (await asB((trx) => assetsByIds(trx, [priv.id, pub.id, 'not-a-uuid']))).map((x) => x.id),
    [pub.id],
  );
  t.same(
    (await asB((trx) => listAssets(trx, { tenantId: b, includeShared: true }))).map((x) => x.id),
    [pub.id],
    'B library: shared only',
  );
  t.same(await asB((trx) => listAssets(trx, { tenantId: b })), [], 'B own: none');
  t.same(
    (await asB((trx) => listAssets(trx, { tenantId: a }))).map((x) => x.id),
    [pub.id],
    'asking for A under B scope: RLS hides the private one',
  );
  t.equal((await withTenant(db, a, (trx) => listAssets(trx, { tenantId: a }))).length, 2);
  t.equal(await withPublic(db, (trx) => assetById(trx, priv.id)), undefined, 'no scope: private invisible');
  t.ok(await withPublic(db, (trx) => assetById(trx, pub.id)), 'no scope: shared visible');

  const raw = await asB((trx) =>
    trx
      .updateTable('assets')
      .set({ alt: 'hijacked', shared: true })
      .where('id', 'in', [priv.id, pub.id])
      .executeTakeFirst(),
  );
  t.equal(raw.numUpdatedRows, 0n, 'B updates 0 rows of A, even the shared one');
  t.match(await failure(asB((trx) => setAssetShared(trx, editor, priv.id, true))), { code: 'ASSET_NOT_FOUND' });
  t.match(await failure(asB((trx) => setAssetShared(trx, editor, pub.id, false))), { code: 'ASSET_NOT_FOUND' });
  t.match(await failure(asB((trx) => deleteAsset(trx, storage, editor, pub.id))), { code: 'ASSET_NOT_FOUND' });
  t.ok(await storage.exists(pub.storage_key), 'the file is untouched');
  const rows = await owner.selectFrom('assets').select(['id', 'alt', 'shared']).orderBy('shared').execute();
  t.same(
    rows,
    [
      { id: priv.id, alt: '', shared: false },
      { id: pub.id, alt: '', shared: true },
    ],
    'nothing changed',
  );

  const shared = await withTenant(db, a, (trx) => setAssetShared(trx, editor, priv.id, true));
  t.equal(shared.shared, true, 'A may share its own');
  t.ok(await asB((trx) => assetById(trx, priv.id)), 'now B reads it');
  const audit = await owner
    .selectFrom('audit_log')
    .select('action')
    .where('target_id', '=', priv.id)
    .orderBy('id')
    .execute();
  t.same(
    audit.map((r) => r.action),
    ['asset.upload', 'asset.share'],
  );
});

t.test('listing pages newest first without gaps, also within one transaction', async (t) => {
  const { db, storage, a } = await setup(t);
  const made = await withTenant(db, a, async (trx) => {
    const out = [];
    for (let i = 0; i < 5; i++)
      out.push(
        await createAsset(trx, storage, editor, { tenantId: a, data: samplePng(i + 1, 1), filename: `${i}.png` }),
      );
    return out;
  });
  const seen: string[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await withTenant(db, a, (trx) => listAssets(trx, { tenantId: a, limit: 2, before }));
    if (page.length === 0) break;
    t.ok(page.length <= 2);
    seen.push(...page.map((x) => x.id));
    before = page.at(-1)!.id;
  }
  t.same([...seen].sort(), made.map((x) => x.id).sort(), 'every asset once');
  t.same(seen, [...seen].sort().reverse(), 'same timestamp: ordered by id, descending');
});

t.test('deleting removes the row, then the file', async (t) => {
  const { db, owner, storage, a } = await setup(t);
  const asset = await upload(db, storage, a);
  const gone = await withTenant(db, a, (trx) => deleteAsset(trx, storage, editor, asset.id));
  t.equal(gone.id, asset.id);
  t.equal(await owner.selectFrom('assets').select('id').where('id', '=', asset.id).executeTakeFirst(), undefined);
  t.equal(await storage.exists(asset.storage_key), false);
  const audit = await owner
    .selectFrom('audit_log')
    .select(['action', 'detail'])
    .where('target_id', '=', asset.id)
    .orderBy('id')
    .execute();
  t.match(audit, [{ action: 'asset.upload' }, { action: 'asset.delete', detail: { storageKey: asset.storage_key } }]);
  t.match(await failure(withTenant(db, a, (trx) => deleteAsset(trx, storage, editor, asset.id))), {
    code: 'ASSET_NOT_FOUND',
  });
  t.ok((await failure(withTenant(db, a, (trx) => deleteAsset(trx, storage, editor, 'nope')))) instanceof DomainError);
});

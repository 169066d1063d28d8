import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samplePng } from '@yiduan/core';
import { LocalDiskStorage } from '@yiduan/storage';
import { createDemoDeps, graphqlClient } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { staffWith, PASSWORD } from './staff.js';

function multipart(fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }) {
  const boundary = '----yiduan' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

t.test('image upload: checked, stored, served only to whom may see it', async (t) => {
  const deps = await createDemoDeps(t, 'tree', { ASSET_MAX_BYTES: '20000' });
  const { tenants } = deps;
  const storage = new LocalDiskStorage(mkdtempSync(join(tmpdir(), 'yiduan-assets-')));
  const app = await build(deps, { storage });
  t.teardown(() => app.close());
  await staffWith(deps.db, 'ry-rep', tenants.ruyang!.id, ['reporter']);
  await staffWith(deps.db, 'yc-rep', tenants.yichuan!.id, ['reporter']);
  const token = async (login: string) =>
    (
      await graphqlClient(app)<{ login: { token: string } }>(
        `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
        { l: login, p: PASSWORD },
      )
    ).data!.login.token;
  const ry = await token('ry-rep');
  const yc = await token('yc-rep');
  const upload = (
    tok: string | null,
    tenantId: string,
    file?: { name: string; type: string; data: Buffer },
    fields: Record<string, string> = {},
  ) => {
    const m = multipart(fields, file);
    return app.inject({
      method: 'POST',
      url: `/assets?tenantId=${tenantId}`,
      payload: m.payload,
      headers: { ...m.headers, ...(tok ? { authorization: `Bearer ${tok}` } : {}) },
    });
  };
  const png = samplePng(64, 48);

  const ok = await upload(
    ry,
    tenants.ruyang!.id,
    { name: 'photo.png', type: 'image/png', data: png },
    { alt: '学校新貌' },
  );
  t.equal(ok.statusCode, 201);
  const asset = ok.json() as { id: string; width: number; height: number; mime: string };
  t.match(asset, { width: 64, height: 48, mime: 'image/png' });

  t.equal(
    (await upload(null, tenants.ruyang!.id, { name: 'a.png', type: 'image/png', data: png })).statusCode,
    401,
    'anonymous upload refused',
  );
  t.equal(
    (await upload(yc, tenants.ruyang!.id, { name: 'a.png', type: 'image/png', data: png })).statusCode,
    403,
    'another tenant’s staff cannot upload here',
  );
  const text = await upload(ry, tenants.ruyang!.id, {
    name: 'fake.png',
    type: 'image/png',
    data: Buffer.from('not an image at all'),
  });
  t.equal(text.statusCode, 400, 'a non-image is refused');
  t.match(text.json(), { code: 'BAD_USER_INPUT', message: /JPEG|PNG/ });
  const big = await upload(ry, tenants.ruyang!.id, {
    name: 'big.png',
    type: 'image/png',
    data: Buffer.concat([png, Buffer.alloc(30000)]),
  });
  t.equal(big.statusCode, 413, 'an oversized upload is refused');
  t.equal((await upload(ry, tenants.ruyang!.id)).statusCode, 400, 'no file');

  const count = await deps.tdb.owner
    .selectFrom('assets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  t.equal(Number(count.n), 1, 'refused uploads wrote nothing');

  const get = (tok: string | null) =>
    app.inject({ method: 'GET', url: `/assets/${asset.id}`, headers: tok ? { authorization: `Bearer ${tok}` } : {} });
  const mine = await get(ry);
  t.equal(mine.statusCode, 200);
  t.equal(mine.headers['content-type'], 'image/png');
  t.same(mine.rawPayload, png, 'the stored bytes come back');
  t.equal((await get(yc)).statusCode, 404, 'another tenant does not see an unpublished image');
  t.equal((await get(null)).statusCode, 404, 'the public does not see an unpublished image');

  const share = await graphqlClient(app, { token: ry })(
    `mutation($t: ID!, $a: ID!) { setAssetShared(tenantId: $t, id: $a, shared: true) { shared } }`,
    { t: tenants.ruyang!.id, a: asset.id },
  );
  t.equal(share.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'a reporter cannot share');
});

// What a tenant's own people may do without an operator: its administrators edit its face,
// its unit members upload pictures; never for another tenant.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUnit, samplePng, SYSTEM_ACTOR } from '@yiduan/core';
import { LocalDiskStorage } from '@yiduan/storage';
import { withTenant } from '@yiduan/db';
import { createDemoDeps, errorCode, graphqlClient } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { PASSWORD, staffWith } from './staff.js';

t.test("a tenant's administrators edit its face; nobody else's, and no other role", async (t) => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const storage = new LocalDiskStorage(mkdtempSync(join(tmpdir(), 'yiduan-assets-')));
  const app = await build(deps, { storage });
  t.teardown(() => app.close());
  const ruyang = tenants.ruyang!.id;
  const unit = await withTenant(deps.db, ruyang, (trx) =>
    createUnit(trx, SYSTEM_ACTOR, ruyang, { slug: 'jiaoyu', name: '汝阳县教育局', kind: 'bureau' }),
  );
  await staffWith(deps.db, 'ry-admin', ruyang, ['tenant_admin']);
  await staffWith(deps.db, 'ry-editor', ruyang, ['editor']);
  await staffWith(deps.db, 'yc-admin', tenants.yichuan!.id, ['tenant_admin']);
  await staffWith(deps.db, 'ry-unit', ruyang, ['reporter'], unit.id);
  const client = async (login: string) => {
    const r = await graphqlClient(app)<{ login: { token: string } }>(
      `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
      { l: login, p: PASSWORD },
    );
    return { gql: graphqlClient(app, { token: r.data!.login.token }), token: r.data!.login.token };
  };
  const edit = `mutation($id: ID!, $name: String!) { updateFace(tenantId: $id, input: { siteName: $name }) { face { siteName version } } }`;

  const admin = await client('ry-admin');
  const ok = await admin.gql<{ updateFace: { face: { siteName: string; version: number } } }>(edit, {
    id: ruyang,
    name: '汝阳融媒',
  });
  t.equal(ok.errors, undefined);
  t.equal(ok.data?.updateFace.face.siteName, '汝阳融媒', "the administrator renames the tenant's own face");
  const audit = await deps.tdb.owner
    .selectFrom('audit_log')
    .select(['actor_kind', 'action'])
    .where('tenant_id', '=', ruyang)
    .where('action', 'like', 'face%')
    .execute();
  t.ok(
    audit.some((a) => a.actor_kind === 'staff'),
    'audited under the administrator',
  );
  const events = await deps.tdb.owner
    .selectFrom('outbox')
    .select('topic')
    .where('tenant_id', '=', ruyang)
    .where('topic', '=', 'face.changed')
    .execute();
  t.ok(events.length >= 1, 'and the faces are told (cache invalidation)');

  t.equal(
    errorCode(await admin.gql(edit, { id: tenants.yichuan!.id, name: '篡改' })),
    'FORBIDDEN',
    "not another tenant's face",
  );
  t.equal(
    errorCode(await (await client('yc-admin')).gql(edit, { id: ruyang, name: '篡改' })),
    'FORBIDDEN',
    "another tenant's administrator cannot either",
  );
  t.equal(
    errorCode(await (await client('ry-editor')).gql(edit, { id: ruyang, name: '篡改' })),
    'FORBIDDEN',
    'an editor is not an administrator',
  );
  const face = await deps.tdb.owner
    .selectFrom('faces')
    .select('site_name')
    .where('tenant_id', '=', tenants.yichuan!.id)
    .executeTakeFirstOrThrow();
  t.not(face.site_name, '篡改');

  // a unit member uploads a picture for the unit's stories, in its own tenant only
  const member = await client('ry-unit');
  const png = samplePng(64, 48);
  const boundary = '----yiduan-test';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    png,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const upload = (tenantId: string) =>
    app.inject({
      method: 'POST',
      url: `/assets?tenantId=${tenantId}`,
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${member.token}` },
    });
  t.equal((await upload(ruyang)).statusCode, 201, 'the unit member uploads');
  t.equal((await upload(tenants.yichuan!.id)).statusCode, 403, 'but not into another tenant');
});

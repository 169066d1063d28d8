// The registry as an Excel workbook over GraphQL: the template, an import of a workbook with bad
// rows (reported, not written), a malformed workbook (a clear error, nothing written), the export
// with the same isolation as the CSV one.
import t from 'tap';
import { readXlsxRows, writeXlsx } from '@yiduan/core';
import { errorCode } from '@yiduan/testkit';
import { demoApi } from './demo-api.js';

const IMPORT =
  'mutation($t: ID!, $file: String) { importGovAccounts(tenantId: $t, file: $file) { rows created problems { row reason } } }';
const EXPORT = 'query($t: ID!) { govAccountExportXlsx(tenantId: $t) }';

t.test('xlsx over GraphQL: template, import with bad rows, malformed file, export and isolation', async (t) => {
  const { deps, id, as, anonymous } = await demoApi(t);
  const ryAdmin = await as('ry-admin', 'ruyang', ['tenant_admin']);
  const lyEditor = await as('ly-editor', 'luoyang', ['editor']);
  const ycAdmin = await as('yc-admin', 'yichuan', ['tenant_admin']);
  const count = async () =>
    Number(
      (
        await deps.tdb.owner
          .selectFrom('gov_accounts')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('tenant_id', '=', id('ruyang'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const template = await ryAdmin<{ govAccountTemplateXlsx: string }>('{ govAccountTemplateXlsx }');
  t.equal(template.errors, undefined);
  const head = await readXlsxRows(Buffer.from(template.data!.govAccountTemplateXlsx, 'base64'));
  t.same(head[0]!.fields.slice(0, 3), ['平台', '账号名称', '账号ID或网址'], 'the template workbook');
  t.equal(errorCode(await anonymous('{ govAccountTemplateXlsx }')), 'UNAUTHENTICATED');

  const before = await count();
  const book = await writeXlsx(
    '台账',
    ['平台', '账号名称', '账号ID或网址', '主办单位'],
    [
      ['快手', '汝阳医保', 'ry_yibao_ks', '汝阳县医疗保障局'],
      ['脸书', '汝阳海外', 'ry_overseas', '汝阳县人民政府'],
      ['快手', '汝阳医保二', 'RY_YIBAO_KS', '汝阳县医疗保障局'],
    ],
  );
  const imported = await ryAdmin<{
    importGovAccounts: { rows: number; created: number; problems: { row: number; reason: string }[] };
  }>(IMPORT, { t: id('ruyang'), file: book.toString('base64') });
  t.equal(imported.errors, undefined);
  t.match(imported.data!.importGovAccounts, {
    rows: 3,
    created: 1,
    problems: [
      { row: 3, reason: /平台/ },
      { row: 4, reason: /与第 2 行是同一平台的同一账号/ },
    ],
  });
  t.equal(await count(), before + 1, 'only the good row is written');

  const broken = await ryAdmin(IMPORT, {
    t: id('ruyang'),
    file: Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 1)]).toString('base64'),
  });
  t.equal(errorCode(broken), 'BAD_USER_INPUT');
  t.match(broken.errors?.[0]?.message, /文件已损坏或不是 \.xlsx 格式/);
  const xls = await ryAdmin(IMPORT, {
    t: id('ruyang'),
    file: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]).toString('base64'),
  });
  t.match(xls.errors?.[0]?.message, /另存为 \.xlsx/);
  t.equal(await count(), before + 1, 'nothing written by a malformed file');
  t.equal(
    errorCode(await ycAdmin(IMPORT, { t: id('ruyang'), file: book.toString('base64') })),
    'FORBIDDEN',
    'a sibling cannot import into the county',
  );

  const exported = async (gql: typeof ryAdmin, slug: string) => {
    const r = await gql<{ govAccountExportXlsx: string }>(EXPORT, { t: id(slug) });
    if (r.errors) return errorCode(r);
    const rows = await readXlsxRows(Buffer.from(r.data!.govAccountExportXlsx, 'base64'));
    return rows.slice(1).map((x) => x.fields[1]);
  };
  t.ok(((await exported(ryAdmin, 'ruyang')) as string[]).includes('汝阳医保'), "the county's export");
  t.ok(((await exported(lyEditor, 'luoyang')) as string[]).includes('汝阳医保'), "the city's, rolled up");
  t.notOk(((await exported(ycAdmin, 'yichuan')) as string[]).includes('汝阳医保'), "never a sibling's");
  t.equal(await exported(ycAdmin, 'ruyang'), 'FORBIDDEN', "a sibling cannot ask for the county's");
  t.equal(errorCode(await anonymous(EXPORT, { t: id('ruyang') })), 'UNAUTHENTICATED');
});

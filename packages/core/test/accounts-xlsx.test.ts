// The registry as an Excel workbook (.xlsx): the template and the export written as workbooks, an
// uploaded workbook read through the same import path as CSV (bad rows reported, good rows kept),
// and files that are not a workbook refused with a clear message, writing nothing.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import writeXlsxFile from 'write-excel-file/node';
import { withTenant, type DB, type StaffRole } from '@yiduan/db';
import { createTestDatabase, seedDemo } from '@yiduan/testkit';
import {
  Access,
  SYSTEM_ACTOR,
  exportGovAccountsXlsx,
  govAccountTemplateXlsx,
  IMPORT_MAX_ROWS,
  importGovAccounts,
  isGovAccountError,
  isXlsx,
  readSheetFile,
  readXlsxRows,
  SHEET_COLUMNS,
} from '../src/index.js';

const access = (tenantId: string, roles: StaffRole[]) =>
  new Access(tenantId, { id: randomUUID(), display_name: 'tester', is_operator: false }, new Set(roles), new Map());
const DATES = { dateFormat: 'yyyy-mm-dd hh:mm' };
const reasonOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (isGovAccountError(e) ? { reason: e.reason, message: e.message } : e),
  );

t.test('xlsx, pure: the template as a workbook; cells read as the sheet text; not a workbook refused', async (t) => {
  const template = await govAccountTemplateXlsx();
  t.ok(isXlsx(template), 'a zip');
  const rows = await readXlsxRows(template);
  t.same(
    rows[0]!.fields,
    SHEET_COLUMNS.map((c) => c.header),
    'the Chinese headers',
  );
  t.equal(rows[1]!.fields[1], '示例县教育发布', 'and the example row');

  const book = await writeXlsxFile(
    [
      ['平台', '账号名称', '账号ID或网址', '最近更新时间', '粉丝数'],
      ['抖音', '示例', 12345678901, new Date(Date.UTC(2026, 11, 1, 9, 30)), 12000],
      [null, null, null, null, null],
      ['微博', '示例二', 'abc', new Date(Date.UTC(2026, 11, 2)), 1.5],
    ],
    DATES,
  ).toBuffer();
  t.same(
    (await readSheetFile(book)).map((r) => [r.row, r.fields]),
    [
      [1, ['平台', '账号名称', '账号ID或网址', '最近更新时间', '粉丝数']],
      [2, ['抖音', '示例', '12345678901', '2026-12-01 09:30', '12000']],
      [4, ['微博', '示例二', 'abc', '2026-12-02', '1.5']],
    ],
    "numbers and dates as the sheet shows them; a blank row skipped but counted in the rows' numbers",
  );
  t.same(
    (await readSheetFile(new TextEncoder().encode('平台,账号名称\n抖音,x\n'))).map((r) => r.fields),
    [
      ['平台', '账号名称'],
      ['抖音', 'x'],
    ],
    'a CSV file still reads as CSV',
  );
  t.match(
    await reasonOf(readSheetFile(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]))),
    { reason: 'GOV_IMPORT_MALFORMED', message: /文件已损坏或不是 \.xlsx 格式/ },
    'a broken workbook',
  );
  t.match(
    await reasonOf(readSheetFile(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]))),
    { reason: 'GOV_IMPORT_MALFORMED', message: /旧版 Excel（\.xls）/ },
    'an old .xls workbook: save it as .xlsx',
  );
});

t.test('xlsx import and export through the registry', async (t) => {
  const tdb = await createTestDatabase(t);
  const db: DB = tdb.db;
  const { tenants } = await seedDemo(db, { withContent: false });
  const yc = tenants.yichuan!.id;
  const admin = access(yc, ['tenant_admin']);
  const count = () =>
    tdb.owner
      .selectFrom('gov_accounts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenant_id', '=', yc)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const run = async (bytes: Uint8Array, opts: { updateExisting?: boolean; dryRun?: boolean } = {}) =>
    withTenant(db, yc, async (trx) =>
      importGovAccounts(trx, admin, SYSTEM_ACTOR, yc, await readSheetFile(bytes), { organisations: [], ...opts }),
    );
  const before = await count();

  const book = await writeXlsxFile(
    [
      ['平台', '账号名称', '账号ID或网址', '主办单位', '最近更新时间', '粉丝数'],
      ['快手', '伊川医保', 'yc_yibao_ks', '伊川县医疗保障局', new Date(Date.UTC(2026, 11, 1, 9, 30)), 3500],
      ['脸书', '伊川海外', 'yc_overseas', '伊川县人民政府', null, null],
      ['哔哩哔哩', '伊川融媒', 'yc_rongmei', '伊川县融媒体中心', '2026-11-20', '1.2万'],
      ['快手', '伊川医保二', 'YC_YIBAO_KS', '伊川县医疗保障局', null, null],
    ],
    DATES,
  ).toBuffer();
  const report = await run(book);
  t.match(report, { rows: 4, created: 2, updated: 0 });
  t.same(
    report.problems.map((p) => p.row),
    [3, 5],
  );
  t.match(report.problems[0]!.reason, /平台/, 'an unknown platform');
  t.match(report.problems[1]!.reason, /与第 2 行是同一平台的同一账号/, 'an account id twice');
  t.equal(await count(), before + 2, 'the good rows are written, the bad ones not');
  const made = await tdb.owner
    .selectFrom('gov_accounts')
    .select(['name', 'last_updated_at', 'followers'])
    .where('tenant_id', '=', yc)
    .where('handle_key', 'in', ['yc_yibao_ks', 'yc_rongmei'])
    .orderBy('name')
    .execute();
  t.same(
    made.map((m) => [m.name, m.last_updated_at?.toISOString(), Number(m.followers)]),
    [
      ['伊川医保', '2026-12-01T01:30:00.000Z', 3500],
      ['伊川融媒', '2026-11-19T16:00:00.000Z', 12000],
    ],
    'a date cell is a Beijing time; a text date and 1.2万 as in CSV',
  );

  // malformed workbooks write nothing
  const headerOnly = await writeXlsxFile([['平台', '账号名称', '账号ID或网址']]).toBuffer();
  t.match(await reasonOf(run(headerOnly)), { reason: 'GOV_IMPORT_MALFORMED', message: /只有表头/ });
  const noHeader = await writeXlsxFile([
    ['名称', '网址'],
    ['伊川', 'x'],
  ]).toBuffer();
  t.match(await reasonOf(run(noHeader)), { reason: 'GOV_IMPORT_MALFORMED', message: /缺少列/ });
  t.equal(await count(), before + 2, 'nothing written by a malformed file');

  // the export as a workbook imports again (updating what is registered)
  const exported = await withTenant(db, yc, (trx) => exportGovAccountsXlsx(trx, admin, yc, {}, () => null));
  const rows = await readXlsxRows(exported);
  t.equal(rows[0]!.fields[0], '平台');
  t.equal(rows.length - 1, before + 2, 'every account of the registry');
  const again = await run(exported, { updateExisting: true, dryRun: true });
  t.equal(again.created, 0, 'nothing new');
  t.equal(again.updated + again.problems.length, before + 2, 'each row an update or a reason (retired accounts)');
  t.ok(
    again.problems.every((p) => /已注销或已合并/.test(p.reason)),
    'only retired accounts are refused',
  );
  t.equal(
    await reasonOf(
      withTenant(db, yc, (trx) => exportGovAccountsXlsx(trx, access(yc, ['reporter']), yc, {}, () => null)),
    ).then((e) => (e instanceof Error ? e.constructor.name : e)),
    'DomainError',
    'a reporter cannot export',
  );

  // a full sheet (IMPORT_MAX_ROWS rows) in one import: more bind parameters than one INSERT may carry
  const full =
    '平台,账号名称,账号ID或网址\n' +
    Array.from({ length: IMPORT_MAX_ROWS }, (_, i) => `网站,伊川整表${i},https://full.example/${i}`).join('\n');
  const whole = await withTenant(db, yc, (trx) =>
    importGovAccounts(trx, admin, SYSTEM_ACTOR, yc, full, { organisations: [] }),
  );
  t.match(whole, { created: IMPORT_MAX_ROWS, problems: [] }, 'a whole 5,000-row sheet imports');
});

// The console's 政务新媒体台账 in Chromium against an API that answers only this console build's
// operations (as in production), over the demo province: 汝阳县's administrator sees the county's
// registry with health badges, the duplicate flag and an expired operator's qualification, filters
// the duplicates, downloads the template and imports a file with one bad row (the report names the
// row and the reason; the good rows appear); 洛阳's chief editor sees both counties' accounts
// rolled up (read-only for the counties' rows) and sets a stricter threshold for them. Screenshots:
// test/browser/screenshots/console-accounts-*.png.
import t from 'tap';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { readXlsxRows, writeXlsx } from '@yiduan/core';
import { CHROMIUM, consoleSession, demoConsole, launchChromium, nav, SHOTS } from './console-kit.js';

t.setTimeout(480_000);
t.test(
  'the registry of government new-media accounts in the console',
  { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM}` },
  async (t) => {
    const { base } = await demoConsole(t);
    const browser = await launchChromium(t);
    const { open, fail, problems } = consoleSession(browser, base, { shots: SHOTS, prefix: 'console-accounts' });

    // the county's administrator: the registry, its badges and flags
    const admin = await open('ruyang-admin');
    await nav(admin, '/accounts');
    const table = admin.locator('.ant-table-tbody');
    await table.locator('tr', { hasText: '汝阳教育服务' }).waitFor().catch(fail(admin, 'registry'));
    t.match(await admin.locator('[data-testid=gov-counts]').innerText(), /在册账号/);
    const zombieRow = table.locator('tr', { hasText: '城关镇发布' });
    t.equal(await zombieRow.locator('[data-testid=health]').innerText(), '僵尸', 'silent 120 days: a zombie badge');
    t.equal(
      await table.locator('tr', { hasText: '汝阳教育服务' }).locator('[data-testid=health]').innerText(),
      '不合格',
      'silent 15 days: fails the two-week rule',
    );
    t.equal(
      await table.locator('tr', { hasText: '汝阳教育服务' }).locator('[data-testid=duplicate]').count(),
      1,
      'two WeChat accounts of one bureau: flagged',
    );
    await admin.screenshot({ path: `${SHOTS}console-accounts-registry.png`, fullPage: true });

    await admin.locator('[data-testid=gov-filter-duplicate]').click();
    await admin.waitForFunction(() => document.querySelectorAll('.ant-table-tbody tr.ant-table-row').length === 2);
    t.pass('only the duplicates: two rows');
    await admin.locator('[data-testid=gov-filter-duplicate]').click();

    // import: the template, then a file with one bad row
    await admin.locator('[data-testid=gov-import]').click();
    const dialog = admin.locator('[data-testid=gov-import-dialog]');
    await dialog.waitFor();
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.locator('[data-testid=gov-template]').click(),
    ]);
    t.equal(download.suggestedFilename(), '政务新媒体台账导入模板.csv', 'the template downloads');
    const [workbook] = await Promise.all([
      admin.waitForEvent('download'),
      admin.locator('[data-testid=gov-template-xlsx]').click(),
    ]);
    t.equal(workbook.suggestedFilename(), '政务新媒体台账导入模板.xlsx', 'and as an Excel workbook');
    const templateRows = await readXlsxRows(await readFile((await workbook.path())!));
    t.same(templateRows[0]!.fields.slice(0, 3), ['平台', '账号名称', '账号ID或网址'], 'with the Chinese headers');
    // an Excel workbook with an unknown platform and the same account twice
    const xlsx = await writeXlsx(
      '台账',
      ['平台', '账号名称', '账号ID或网址', '主办单位', '所属政务号', '最近更新时间', '粉丝数'],
      [
        ['抖音', '汝阳城关镇', 'ry_cgz_dy', '汝阳县城关镇人民政府', '汝阳县城关镇人民政府', '2026-12-01', 1200],
        ['脸书', '汝阳外宣', 'ry_facebook', '中共汝阳县委宣传部', '', '', ''],
        [
          '快手',
          '汝阳文旅快手',
          'ry_wenlv_ks',
          '汝阳县文化广电和旅游局',
          '汝阳县文化广电和旅游局',
          '2026-11-30 20:15',
          8600,
        ],
        ['抖音', '汝阳城关镇（重复）', 'RY_CGZ_DY', '汝阳县城关镇人民政府', '', '', ''],
      ],
    );
    await admin.locator('input[type=file]').setInputFiles({
      name: '汝阳台账.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: xlsx,
    });
    await admin.locator('[data-testid=gov-import-run]').click();
    const report = admin.locator('[data-testid=gov-import-report]');
    await report.waitFor().catch(fail(admin, 'import'));
    const reportText = await report.innerText();
    t.match(reportText, /数据行\s*4/);
    t.match(reportText, /新增\s*2/);
    t.match(reportText, /未知平台“脸书”/, 'the bad row: its reason');
    t.match(reportText, /与第 2 行是同一平台的同一账号/, 'the same account twice');
    t.same(
      await report.locator('.ant-table-tbody tr.ant-table-row td:first-child').allInnerTexts(),
      ['3', '5'],
      'and their spreadsheet row numbers',
    );
    await admin.screenshot({ path: `${SHOTS}console-accounts-import.png` });
    await admin.locator('.ant-modal', { hasText: '批量导入台账' }).locator('.ant-modal-footer button').click();
    await table.locator('tr', { hasText: '汝阳文旅快手' }).waitFor();
    t.pass('the good rows are in the registry');
    const [exported] = await Promise.all([
      admin.waitForEvent('download'),
      admin.locator('[data-testid=gov-export-xlsx]').click(),
    ]);
    t.equal(exported.suggestedFilename(), '政务新媒体台账.xlsx', 'the registry exports as a workbook');
    const exportedRows = await readXlsxRows(await readFile((await exported.path())!));
    t.ok(
      exportedRows.some((r) => r.fields[1] === '汝阳文旅快手'),
      'holding the imported account',
    );

    // the account form
    await admin.locator('[data-testid=gov-new]').click();
    const form = admin.locator('.ant-modal', { hasText: '登记政务新媒体账号' });
    await form.locator('input#name').fill('汝阳发布');
    await form.locator('input#handle').fill('RuYangFaBu');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    t.match(
      await form.locator('[data-testid=error]').innerText(),
      /已登记同一账号/,
      'the same account id twice: a Chinese message in the form',
    );
    await admin.screenshot({ path: `${SHOTS}console-accounts-form.png` });
    await form.getByRole('button', { name: /取\s*消/ }).click();

    // the city: both counties rolled up, read-only; its chief editor tightens the thresholds
    const city = await open('luoyang-chief');
    await nav(city, '/accounts');
    const cityTable = city.locator('.ant-table-tbody');
    await cityTable.locator('tr', { hasText: '伊川农业' }).waitFor().catch(fail(city, 'city'));
    t.ok(await cityTable.locator('tr', { hasText: '汝阳发布' }).count(), "the city sees 汝阳's accounts");
    t.match(
      await cityTable.locator('tr', { hasText: '伊川农业' }).innerText(),
      /资质已过期/,
      "and 伊川's operator whose qualification lapsed",
    );
    t.equal(
      await cityTable.locator('tr', { hasText: '伊川农业' }).getByRole('button', { name: '编辑' }).count(),
      0,
      "a county's accounts are the county's to change",
    );
    t.equal(
      await cityTable.locator('tr', { hasText: '洛阳文旅' }).first().getByRole('button', { name: '编辑' }).count(),
      1,
      "the city's own are the city's",
    );
    await city.screenshot({ path: `${SHOTS}console-accounts-city.png`, fullPage: true });
    await city.getByRole('tab', { name: '更新时限' }).click();
    await city.locator('[data-testid=gov-thresholds]').waitFor();
    await city.locator('input[data-testid=th-fail], [data-testid=th-fail] input').first().fill('10');
    await city.locator('[data-testid=th-save]').click();
    await city
      .locator('[data-testid=gov-thresholds]', { hasText: '10 天未更新' })
      .waitFor()
      .catch(fail(city, 'thresholds'));
    t.pass('洛阳 requires an update every 10 days of its counties');
    await city.screenshot({ path: `${SHOTS}console-accounts-thresholds.png`, fullPage: true });

    // a reporter has no registry
    const reporter = await open('ruyang-reporter');
    await reporter.goto(`${base}/accounts`);
    await reporter.locator('[data-testid=forbidden]').waitFor();
    t.pass('a reporter sees a 403 result');
    t.same(problems, [], 'no browser error');
  },
);

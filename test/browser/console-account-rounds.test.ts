// The console's 政务新媒体抽查 in Chromium against an API that answers only this console build's
// operations, over the demo province with its inspection round: the province's administrator sees
// the round, the 合格率 per county and the samples with their scores, records a finding, reads and
// exports 汝阳县's 通报, and sees the overdue fix order of its subtree; 汝阳县's administrator sees
// only its own samples, read-only. Screenshots: test/browser/screenshots/console-rounds-*.png.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { DEMO_ROUND } from '../../packages/demo/src/account-rounds.js';
import { CHROMIUM, consoleSession, demoConsole, launchChromium, nav, SHOTS } from './console-kit.js';

t.setTimeout(480_000);
t.test('inspection rounds in the console', { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM}` }, async (t) => {
  const { base } = await demoConsole(t);
  const browser = await launchChromium(t);
  const { open, fail, problems } = consoleSession(browser, base, { shots: SHOTS, prefix: 'console-rounds' });

  // the province: the round, 合格率 per county, the samples
  const hn = await open('henan-admin');
  await nav(hn, '/accounts/rounds');
  await hn.locator('[data-testid=round-list] tr', { hasText: DEMO_ROUND.title }).waitFor().catch(fail(hn, 'list'));
  const rates = hn.locator('[data-testid=round-rates] .ant-table-tbody');
  await rates.locator('tr', { hasText: '汝阳县' }).waitFor().catch(fail(hn, 'rates'));
  t.match(await rates.innerText(), /%/, 'pass rates shown');
  const samples = hn.locator('[data-testid=round-samples] .ant-table-tbody');
  await samples.locator('tr', { hasText: '单项否决' }).first().waitFor().catch(fail(hn, 'samples'));
  await hn.screenshot({ path: `${SHOTS}console-rounds-round.png`, fullPage: true });

  // an inspector records a finding (a deduction of 5) on a sample
  const row = samples.locator('tr.ant-table-row', { hasText: '优秀' }).first();
  const name = (await row.locator('td').nth(3).innerText()).trim();
  const before = Number((await row.locator('td').nth(5).innerText()).trim());
  await row.getByRole('button', { name: '记录问题' }).click();
  const modal = hn.locator('.ant-modal', { hasText: '记录问题' });
  await modal.getByText('未转发权威信息').click();
  await modal.getByRole('button', { name: /记\s*录/ }).click();
  await hn
    .locator('.ant-message', { hasText: `当前得分 ${before - 5}` })
    .waitFor()
    .catch(fail(hn, 'finding'));
  t.pass(`a finding on ${name}: ${before} − 5`);

  // 汝阳县's report
  await rates.locator('tr', { hasText: '汝阳县' }).getByRole('button', { name: '查看通报' }).click();
  const report = hn.locator('[data-testid=report-text]');
  await report.waitFor().catch(fail(hn, 'report'));
  const text = await report.innerText();
  t.match(text, /关于汝阳县政务新媒体抽查情况的通报/);
  t.match(text, /安全泄密：转发的通知附件含未公开的内部会议纪要/);
  t.match(text, /整改要求/);
  // the dialog zooms in: shoot it once its CSS animations have finished, not half-faded
  await hn
    .locator('.ant-modal')
    .evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
  await hn.screenshot({ path: `${SHOTS}console-rounds-report.png` });
  const [download] = await Promise.all([
    hn.waitForEvent('download'),
    hn.locator('[data-testid=report-export-html]').click(),
  ]);
  const html = readFileSync((await download.path())!, 'utf8');
  t.match(html, /<h1>关于汝阳县政务新媒体抽查情况的通报<\/h1>/, 'exported as HTML');
  await hn
    .locator('.ant-modal')
    .getByRole('button', { name: /关\s*闭/ })
    .click();

  // fix orders: the overdue one of 汝阳县 shows on the province's list
  await hn.getByRole('tab', { name: '整改通知' }).click();
  const orders = hn.locator('[data-testid=orders] .ant-table-tbody');
  await orders.locator('tr', { hasText: '逾期' }).waitFor().catch(fail(hn, 'orders'));
  t.match(
    await orders.locator('tr', { hasText: '逾期' }).innerText(),
    /汝阳县/,
    "the county's overdue order on the province's list",
  );
  await hn.screenshot({ path: `${SHOTS}console-rounds-orders.png`, fullPage: true });

  // the county: its own samples only, read-only
  const ry = await open('ruyang-admin');
  await nav(ry, '/accounts/rounds');
  await ry.locator('[data-testid=read-only]').waitFor().catch(fail(ry, 'county'));
  const ryRates = ry.locator('[data-testid=round-rates] .ant-table-tbody tr.ant-table-row');
  await ryRates.first().waitFor();
  t.equal(await ryRates.count(), 1, 'one row: the county itself');
  t.equal(await ry.getByRole('button', { name: '记录问题' }).count(), 0, 'no inspection from a county');
  await ry.screenshot({ path: `${SHOTS}console-rounds-county.png`, fullPage: true });
  t.same(problems, [], 'no browser error');
});

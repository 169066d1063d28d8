// 政务新媒体看板 in the console (Chromium, persisted operations only) over the demo province: 河南's
// administrator sees the province rolled up (accounts by platform, the demo round's 合格率, the
// zombie and failing lists, the closures wave, the cost avoided) and sets the cost per account;
// 汝阳县's administrator sees only the county's, with the province's cost inherited, and beside the
// registry the county's own face and units judged by the same thresholds.
// Screenshots: test/browser/screenshots/console-account-dashboard-*.png.
import t from 'tap';
import { existsSync } from 'node:fs';
import { CHROMIUM, consoleSession, demoConsole, launchChromium, nav, SHOTS } from './console-kit.js';

t.setTimeout(480_000);
t.test(
  'the accounts dashboard in the console',
  { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM}` },
  async (t) => {
    const { base } = await demoConsole(t);
    const browser = await launchChromium(t);
    const { open, fail, problems } = consoleSession(browser, base, {
      shots: SHOTS,
      prefix: 'console-account-dashboard',
      height: 1100,
    });

    // the province: everything rolled up; it sets the cost per account
    const hn = await open('henan-admin');
    await nav(hn, '/accounts/dashboard');
    const board = hn.locator('[data-testid=gov-dashboard]');
    await board.waitFor().catch(fail(hn, 'province'));
    await hn.locator('[data-testid=chart-platforms] canvas').waitFor();
    await hn.locator('[data-testid=chart-pass-rate] canvas').waitFor();
    await hn.locator('[data-testid=chart-closures] canvas').waitFor();
    const zombies = await hn.locator('[data-testid=gov-zombies]').innerText();
    t.match(zombies, /城关镇发布/, "a county's zombie on the province's list");
    t.match(await board.innerText(), /每年节约运维成本/);
    await hn.locator('[data-testid=gov-cost-edit]').click();
    const input = hn.locator('.ant-modal input.ant-input-number-input');
    await input.fill('80000');
    await hn
      .locator('.ant-modal')
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await hn.locator('.ant-modal').waitFor({ state: 'hidden' });
    await hn.getByText('80,000 元').first().waitFor().catch(fail(hn, 'cost'));
    t.pass('the province set 80,000 yuan a year');
    await hn.waitForTimeout(600); // the charts' entry animation
    await hn.screenshot({ path: `${SHOTS}console-account-dashboard-province.png`, fullPage: true });

    // the county: its own only, the province's cost inherited, no edit
    const ry = await open('ruyang-admin');
    await nav(ry, '/accounts/dashboard');
    await ry.locator('[data-testid=gov-dashboard]').waitFor().catch(fail(ry, 'county'));
    const ryZombies = await ry.locator('[data-testid=gov-zombies]').innerText();
    t.match(ryZombies, /城关镇发布/);
    t.notMatch(ryZombies, /管城|柘城|伊川/, "no other county's accounts");
    t.match(await ry.locator('[data-testid=gov-dashboard]').innerText(), /沿用河南的设置/);
    t.equal(await ry.locator('[data-testid=gov-cost-edit]').count(), 0, 'a county does not set the cost');
    await ry.waitForTimeout(600);
    await ry.screenshot({ path: `${SHOTS}console-account-dashboard-county.png`, fullPage: true });

    // beside the registry: the platform's own face and units judged by the same thresholds
    await nav(ry, '/accounts');
    await ry.getByRole('tab', { name: '本平台门户与政务号' }).click();
    const own = ry.locator('[data-testid=gov-own-channels]');
    await own.locator('.ant-table-tbody tr.ant-table-row').first().waitFor().catch(fail(ry, 'own'));
    const ownText = await own.innerText();
    t.match(ownText, /门户/, "the county's face");
    t.match(ownText, /政务号/, 'and its units');
    t.match(ownText, /7 \/ 14 \/ 90 天/, 'under the same thresholds');
    t.notMatch(ownText, /伊川|管城/, "no other county's");
    await ry.screenshot({ path: `${SHOTS}console-accounts-own-channels.png`, fullPage: true });
    t.same(problems, [], 'no page errors');
  },
);

// The console's 政务号与成员 → 添加成员 as a county's tenant admin, in Chromium against an API that
// answers only this console build's operations (as in production): the new member appears under
// the unit, can sign in and sees their unit as their role; a taken login is a Chinese message in
// the dialog. Screenshot: test/browser/screenshots/console-unit-member.png.
import t from 'tap';
import { existsSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { build as buildApi } from '@yiduan/api';
import { createDemoDeps } from '@yiduan/testkit';
import { ensureBuilt, OPERATIONS_MANIFEST } from '../../services/console/src/index.js';
import { CHROMIUM, launchChromium, serveConsole } from './console-kit.js';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const PASSWORD = 'Demo2026!yiduan';

t.setTimeout(300_000);
t.test(
  'a tenant admin adds a unit member in the console',
  { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM}` },
  async (t) => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureBuilt({ log: (m) => t.comment(m) });
    // with content: the demo staff and units (no storage: no pictures)
    const deps = await createDemoDeps(t, 'newsroom', {
      GRAPHQL_PERSISTED_ONLY: 'true',
      GRAPHQL_OPERATIONS: OPERATIONS_MANIFEST,
    });
    const base = await serveConsole(t, deps, await buildApi(deps));
    const browser = await launchChromium(t);
    const open = async (login: string, password: string, path: string): Promise<Page> => {
      const page = await (
        await browser.newContext({
          viewport: { width: 1366, height: 900 },
          locale: 'zh-CN',
          timezoneId: 'Asia/Shanghai',
        })
      ).newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${base}${path}`);
      await page.locator('#login').fill(login);
      await page.locator('#password').fill(password);
      await page.locator('button[type=submit]').click();
      await page
        .locator('[data-testid=current-role]')
        .waitFor()
        .catch(async (err: unknown) => {
          await page.screenshot({ path: `${SHOTS}console-unit-member-failed.tmp.png` });
          throw err;
        });
      return page;
    };

    const admin = await open('ruyang-admin', PASSWORD, '/admin/units');
    await admin.goto(`${base}/admin/units`);
    const row = admin.locator('tr', { hasText: '汝阳县教育局' });
    const add = async (login: string) => {
      await row.getByRole('button', { name: /添加成员/ }).click();
      const dialog = admin.locator('.ant-modal', { hasText: '汝阳县教育局' });
      await dialog.locator('input#name').fill('王通讯');
      await dialog.locator('input#login').fill(login);
      await dialog.locator('input#password').fill('Tongxunyuan-2026');
      await dialog.getByRole('button', { name: /添\s*加/ }).click();
      return dialog;
    };
    const dialog = await add('jy-wang').catch(async (err: unknown) => {
      await admin.screenshot({ path: `${SHOTS}console-unit-member-failed.tmp.png` });
      throw err;
    });
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('王通讯（记者）').waitFor();
    t.pass('the member appears under the unit');
    await admin.screenshot({ path: `${SHOTS}console-unit-member.png` });

    const again = await add('jy-wang');
    t.match(
      await again.locator('[data-testid=error]').innerText(),
      /该登录名已被使用/,
      'a taken login: a Chinese message in the dialog',
    );
    await again.getByRole('button', { name: /取\s*消/ }).click();

    const member = await open('jy-wang', 'Tongxunyuan-2026', '/stories');
    t.match(
      await member.locator('[data-testid=current-role]').innerText(),
      /记者（汝阳县教育局）/,
      'the member signs in as a reporter of that unit',
    );
  },
);

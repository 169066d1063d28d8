// The console's 指挥调度 (the planning board) and the pitch inbox in Chromium against an API that
// answers only this console build's operations, over the demo province: the province's editor opens
// the board of its winter campaign (coverages by state, the counties' answers, the overdue list of
// the whole province, the workload), opens a coverage's recorded history in the topic drawer, and
// reads its pitch inbox (下级报题) with 汝阳's pitch waiting; 汝阳's editor sees the notice badge.
// Screenshots: test/browser/screenshots/console-planning-board-*.png.
import t from 'tap';
import { existsSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { build as buildApi } from '@yiduan/api';
import { createTestDeps, seedDemo } from '@yiduan/testkit';
import { ensureBuilt, OPERATIONS_MANIFEST } from '../../services/console/src/index.js';
import { CHROMIUM, launchChromium, nav, serveConsole, signIn } from './console-kit.js';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

t.setTimeout(480_000);
t.test(
  'the planning board and the pitch inbox',
  { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM}` },
  async (t) => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureBuilt({ log: (m) => t.comment(m) });
    const deps = await createTestDeps(t, { GRAPHQL_PERSISTED_ONLY: 'true', GRAPHQL_OPERATIONS: OPERATIONS_MANIFEST });
    await seedDemo(deps.db);
    const base = await serveConsole(t, deps, await buildApi(deps));
    const browser = await launchChromium(t);
    const problems: string[] = [];
    const open = async (login: string): Promise<Page> => {
      const context = await browser.newContext({
        viewport: { width: 1600, height: 1000 },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (e) => problems.push(`${login}: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && !/WebSocket/.test(m.text())) problems.push(`${login}: ${m.text()}`);
      });
      await page.goto(`${base}/stories`);
      await signIn(page, login);
      return page;
    };
    const fail = (page: Page, name: string) => async (err: unknown) => {
      await page.screenshot({ path: `${SHOTS}console-planning-board-${name}-failed.tmp.png` });
      throw err;
    };

    const province = await open('henan-editor');
    await nav(province, '/planning/board');
    await province.locator('[data-testid=kanban]').waitFor().catch(fail(province, 'kanban'));
    const column = (state: string) => province.locator(`[data-testid=column-${state}]`);
    await column('DECLINED').locator('[data-testid=board-card]', { hasText: '伊川县' }).first().waitFor();
    t.ok(
      (await column('COMPLETED').locator('[data-testid=board-card]', { hasText: '冬季清洁取暖保供一线' }).count()) > 0,
      '汝阳’s delivered coverage is on the board as completed',
    );
    t.ok(
      (await column('SUBMITTED').locator('[data-testid=board-card]', { hasText: '暖气进万家' }).count()) > 0,
      'the short video 汝阳 filed under review is submitted',
    );
    t.ok(
      (await column('ASSIGNED').locator('[data-testid=board-card]', { hasText: '商丘' }).count()) > 0,
      '商丘 has not answered',
    );
    await province.screenshot({ path: `${SHOTS}console-planning-board-kanban.png`, fullPage: true });

    await province.getByRole('tab', { name: /逾期任务/ }).click();
    await province
      .locator('[data-testid=overdue-list] .ant-table-tbody tr', { hasText: '北下街老旧小区加装电梯进展' })
      .waitFor()
      .catch(fail(province, 'overdue'));
    t.pass('管城’s overdue coverage is on the province’s overdue list');
    await province.screenshot({ path: `${SHOTS}console-planning-board-overdue.png`, fullPage: true });
    await province.getByRole('tab', { name: '工作量' }).click();
    await province.locator('[data-testid=workload-desk] .ant-table-tbody tr', { hasText: '汝阳县' }).waitFor();
    await province.screenshot({ path: `${SHOTS}console-planning-board-workload.png`, fullPage: true });

    // the recorded history of a coverage, in the topic drawer
    await nav(province, '/planning');
    await province.locator('.ant-table-tbody tr', { hasText: '暖气进万家' }).first().click();
    const drawer = province.locator('.ant-drawer', { hasText: '暖气进万家' });
    const row = drawer.locator('.ant-table-tbody tr.ant-table-row', { hasText: '伊川县' });
    await row.locator('.ant-table-row-expand-icon').click();
    await drawer.locator('[data-testid=coverage-history]', { hasText: '本周摄像力量全部投入防汛应急演练' }).waitFor();
    t.pass('the decline and its reason are in the coverage’s history');
    await province.waitForTimeout(400);
    await province.screenshot({ path: `${SHOTS}console-planning-board-history.png` });
    await drawer.locator('.ant-drawer-close').click();

    // the pitch inbox (下级报题)
    await nav(province, '/planning/inbox');
    await province
      .locator('.ant-table-tbody tr', { hasText: '城关镇冬季供暖入户走访' })
      .waitFor()
      .catch(fail(province, 'inbox'));
    await province.screenshot({ path: `${SHOTS}console-planning-board-pitch-inbox.png`, fullPage: true });

    // the workload on the data dashboard
    await nav(province, '/data/dashboard');
    await province
      .locator('[data-testid=dashboard-planning-workload] .ant-table-tbody tr', { hasText: '汝阳县' })
      .first()
      .waitFor()
      .catch(fail(province, 'dashboard'));
    await province.locator('[data-testid=dashboard-planning-workload]').scrollIntoViewIfNeeded();
    await province.waitForTimeout(300);
    await province.screenshot({ path: `${SHOTS}console-planning-board-dashboard.png` });

    // the county's notice badge (the demo's events have not been through a worker: nothing yet)
    const county = await open('ruyang-editor');
    await nav(county, '/planning/board');
    await county.locator('[data-testid=notice-bell]').waitFor();
    t.pass('the notice badge is on the board');
    t.same(problems, [], 'no browser error');
  },
);

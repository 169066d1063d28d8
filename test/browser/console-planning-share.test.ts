// The console's campaign sharing, credit and the story editor's 关联任务 in Chromium against an API
// that answers only this console build's operations, over the demo province: the province's chief
// editor reads each campaign's share (the demo's list campaign names 洛阳, 汝阳 and 伊川), expands
// the winter campaign's 传播效果, sets up a campaign shared with every county; 汝阳's reporter opens
// the story filed on the province's short video and reads the coverages it fulfils; the board's
// workload takes a period.
// Screenshots: test/browser/screenshots/console-planning-share-*.png.
import t from 'tap';
import { existsSync, mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { sql } from 'kysely';
import { build as buildApi } from '@yiduan/api';
import { createTestDeps, seedDemo } from '@yiduan/testkit';
import { ensureBuilt, OPERATIONS_MANIFEST } from '../../services/console/src/index.js';
import { CHROMIUM, launchChromium, nav, serveConsole, signIn } from './console-kit.js';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

async function choose(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  await select.click();
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

t.setTimeout(480_000);
t.test(
  'campaign sharing, credit and the story editor’s coverage in the console',
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
        viewport: { width: 1500, height: 950 },
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
      await page.screenshot({ path: `${SHOTS}console-planning-share-${name}-failed.tmp.png` });
      throw err;
    };

    // 专题: each campaign's share; the list campaign names its tenants
    const chief = await open('henan-chief');
    await nav(chief, '/planning');
    await chief.getByRole('tab', { name: '专题' }).click();
    const river = chief.locator('.ant-table-tbody tr', { hasText: '黄河流域生态保护沿线行' });
    await river.waitFor().catch(fail(chief, 'campaigns'));
    const share = await river.locator('[data-testid=campaign-share]').innerText();
    t.match(share, /洛阳/, 'the list campaign shows its list');
    t.match(share, /汝阳县/);
    t.notMatch(share, /柘城/);
    // 传播效果 of the winter campaign: 汝阳's published story
    const winter = chief.locator('.ant-table-tbody tr.ant-table-row', { hasText: '岁末年初' });
    await winter.locator('.ant-table-row-expand-icon').click();
    const credit = chief.locator('[data-testid=planning-credit]').first();
    await credit.locator('.ant-table-tbody tr').first().waitFor().catch(fail(chief, 'credit'));
    t.ok(
      (await credit.locator('.ant-table-tbody tr').count()) >= 1,
      'the winter campaign is credited with a delivered story',
    );
    await chief.screenshot({ path: `${SHOTS}console-planning-share-campaigns.png`, fullPage: true });

    // a campaign shared with every county
    await chief.locator('[data-testid=campaign-new]').click();
    const form = chief.locator('.ant-modal', { hasText: '新建专题' });
    await form.locator('[data-testid=campaign-name]').fill('县级融媒联动周');
    await form.locator('[data-testid=campaign-reach]').getByText('按层级共享').click();
    await form.locator('[data-testid=campaign-reach-level]').getByText('全部县（区）级单位').click();
    await chief.screenshot({ path: `${SHOTS}console-planning-share-form.png` });
    await form.locator('.ant-modal-footer .ant-btn-primary').click();
    const made = chief.locator('.ant-table-tbody tr', { hasText: '县级融媒联动周' });
    await made.waitFor().catch(fail(chief, 'create'));
    t.equal(
      await made.locator('[data-testid=campaign-share]').innerText(),
      '全部县（区）级单位',
      'saved with its level',
    );
    // and by list, edited in place
    await made.getByRole('button', { name: /编\s*辑/ }).click();
    const edit = chief.locator('.ant-modal', { hasText: '编辑专题' });
    await edit.locator('[data-testid=campaign-reach]').getByText('指定下级单位').click();
    await choose(chief, edit.locator('[data-testid=campaign-share-list]'), '汝阳县');
    // close the picker's dropdown by clicking the dialog's title: Escape would close the dialog itself
    // whenever the dropdown had already closed (the edit then never saved)
    await edit.locator('.ant-modal-title').click();
    await edit.locator('.ant-modal-footer .ant-btn-primary').click();
    await chief
      .locator('.ant-table-tbody tr', { hasText: '县级融媒联动周' })
      .locator('[data-testid=campaign-share]', { hasText: '汝阳县' })
      .waitFor()
      .catch(fail(chief, 'edit'));
    t.pass('the share changed to a list');

    // the board's workload with a period
    await nav(chief, '/planning/board');
    await chief.getByRole('tab', { name: '工作量' }).click();
    const desks = chief.locator('[data-testid=workload-desk] .ant-table-tbody tr.ant-table-row');
    await desks.first().waitFor().catch(fail(chief, 'workload'));
    const period = chief.locator('[data-testid=workload-period]');
    await period.first().click();
    await period.first().fill('2020-01-01');
    await period.first().press('Enter');
    await period.last().fill('2020-01-31');
    await period.last().press('Enter');
    await chief.locator('[data-testid=workload-desk] .ant-empty').waitFor().catch(fail(chief, 'period'));
    t.pass('the workload of a period before any coverage is empty');

    // 关联任务 in the story editor: 汝阳's reporter's story on the province's short video
    const filed = await sql<{ story_id: string }>`
      SELECT story_id FROM assignments WHERE title LIKE '暖气进万家%' AND assignee_staff_id IS NOT NULL AND story_id IS NOT NULL`.execute(
      deps.tdb.owner,
    );
    const storyId = filed.rows[0]!.story_id;
    const reporter = await open('ruyang-reporter');
    await reporter.goto(`${base}/stories/${storyId}`);
    await reporter.getByRole('tab', { name: '关联任务' }).click();
    const items = reporter.locator('[data-testid=story-coverage-item]');
    await items.first().waitFor().catch(fail(reporter, 'coverage'));
    const shown = (await items.allInnerTexts()).join('\n');
    t.match(shown, /暖气进万家/, 'the story editor shows the coverage it fulfils');
    t.match(shown, /任务类型/, 'with its kind');
    t.match(shown, /截稿时间/, 'and its due time');
    await reporter.screenshot({ path: `${SHOTS}console-planning-share-story-coverage.png`, fullPage: true });
    t.same(problems, [], 'no browser error');
  },
);

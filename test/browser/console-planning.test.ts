// The console's 选题策划 in Chromium against an API that answers only this console build's
// operations (as in production), over the demo province: 汝阳县's reporter proposes a topic (报题);
// the editor approves it and assigns the reporter (派单); the reporter accepts and starts the story
// from the task (写稿), which opens the story editor with the topic's title; 商丘's editor accepts
// the province's desk assignment, which gives 商丘 a topic of its own; the province's editor adopts
// 汝阳's pitch and sees, on its own topic, 汝阳's published story and the other desks' progress; an
// administrator reads the desk without its buttons; a unit member has no planning desk.
// Screenshots: test/browser/screenshots/console-planning-flow-*.png.
import t from 'tap';
import { existsSync, mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { build as buildApi } from '@yiduan/api';
import { createTestDeps, seedDemo } from '@yiduan/testkit';
import { ensureBuilt, OPERATIONS_MANIFEST } from '../../services/console/src/index.js';
import { CHROMIUM, launchChromium, nav, serveConsole, signIn } from './console-kit.js';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

/** Picks an option of an antd Select by its text. */
async function choose(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  await select.click();
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

t.setTimeout(480_000);
t.test('the planning desk in the console', { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM}` }, async (t) => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureBuilt({ log: (m) => t.comment(m) });
  const deps = await createTestDeps(t, { GRAPHQL_PERSISTED_ONLY: 'true', GRAPHQL_OPERATIONS: OPERATIONS_MANIFEST });
  await seedDemo(deps.db);
  const base = await serveConsole(t, deps, await buildApi(deps));
  const browser = await launchChromium(t);
  const problems: string[] = [];
  const open = async (login: string): Promise<Page> => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => problems.push(`${login}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${login}: ${m.text()}`);
    });
    await page.goto(`${base}/stories`);
    await signIn(page, login);
    return page;
  };
  const fail = (page: Page, name: string) => async (err: unknown) => {
    await page.screenshot({ path: `${SHOTS}console-planning-flow-${name}-failed.tmp.png` });
    throw err;
  };
  const TITLE = '冬季送医下乡义诊进村';

  // 报题: the reporter proposes a topic to the desk
  const reporter = await open('ruyang-reporter');
  await nav(reporter, '/planning');
  await reporter.locator('[data-testid=planning-counts]').waitFor().catch(fail(reporter, 'counts'));
  t.equal(await reporter.locator('[data-testid=topic-new]').count(), 0, 'a reporter does not plan directly');
  await reporter.locator('[data-testid=topic-propose]').click();
  const form = reporter.locator('.ant-modal', { hasText: '报题' });
  await form.locator('[data-testid=topic-title]').fill(TITLE);
  await form.locator('[data-testid=topic-brief]').fill('跟随县医院专家到十八盘乡义诊，关注山区群众冬季就医。');
  await choose(reporter, form.locator('[data-testid=topic-campaign]'), '岁末年初');
  await form.getByRole('button', { name: '提交报题' }).click();
  const reporterRow = reporter.locator('.ant-table-tbody tr', { hasText: TITLE });
  await reporterRow.waitFor().catch(fail(reporter, 'propose'));
  t.equal(
    await reporterRow.locator('[data-testid=topic-status]').innerText(),
    '待审',
    'the proposal waits for the desk',
  );
  await reporter.screenshot({ path: `${SHOTS}console-planning-flow-topics.png`, fullPage: true });

  // the editor approves it and assigns the reporter
  const editor = await open('ruyang-editor');
  await nav(editor, '/planning');
  await editor.locator('.ant-table-tbody tr', { hasText: TITLE }).click();
  const drawer = editor.locator('.ant-drawer', { hasText: TITLE });
  await drawer.locator('[data-testid=topic-approve]').click();
  await editor.locator('[data-testid=reason-text]').fill('同意，注意拍摄山区道路');
  await editor.locator('[data-testid=reason-ok]').click();
  await drawer.locator('[data-testid=drawer-status]', { hasText: '已立项' }).waitFor().catch(fail(editor, 'approve'));
  await drawer.locator('[data-testid=topic-assign]').click();
  const assign = editor.locator('.ant-modal', { hasText: '派单：' });
  await choose(editor, assign.locator('[data-testid=assign-people]'), /^.*（记者）/);
  // close the picker's dropdown by clicking the dialog's title: Escape closes the dialog once the dropdown is shut
  await assign.locator('.ant-modal-title').click();
  await assign.locator('[data-testid=assign-instructions]').fill('周五前交稿，配图三张。');
  await assign.getByRole('button', { name: /派\s*单/ }).click();
  await drawer.locator('[data-testid=progress]', { hasText: '待接单' }).waitFor().catch(fail(editor, 'assign'));
  t.pass('派单: the reporter’s assignment waits for an answer');
  await editor.waitForTimeout(500); // the drawer and the message settle before the picture
  await editor.screenshot({ path: `${SHOTS}console-planning-flow-drawer.png` });
  await drawer.locator('.ant-drawer-close').click();

  // the reporter accepts and starts writing from the task
  await nav(reporter, '/planning/tasks');
  const task = reporter.locator('.ant-table-tbody tr', { hasText: TITLE });
  await task.locator('[data-testid=task-accept]').click();
  await task.locator('[data-testid=progress]', { hasText: '采写中' }).waitFor().catch(fail(reporter, 'accept'));
  await reporter.screenshot({ path: `${SHOTS}console-planning-flow-tasks.png`, fullPage: true });
  await task.locator('[data-testid=task-write]').click();
  await reporter.waitForURL(/\/stories\/[0-9a-f-]{36}$/).catch(fail(reporter, 'write'));
  await reporter.locator(`input[value="${TITLE}"]`).first().waitFor().catch(fail(reporter, 'editor'));
  t.pass('写稿 opens the story editor with the topic’s title');
  await nav(reporter, '/planning/tasks');
  await reporter
    .locator('.ant-table-tbody tr', { hasText: TITLE })
    .locator('[data-testid=progress]', { hasText: '已交稿' })
    .waitFor();
  t.match(
    await reporter.locator('.ant-table-tbody tr', { hasText: TITLE }).locator('[data-testid=filed-story]').innerText(),
    TITLE,
    'the draft is filed on the task',
  );

  // 商丘 accepts the province's desk assignment: a topic of its own
  const city = await open('shangqiu-editor');
  await nav(city, '/planning/inbox');
  const incoming = city.locator('.ant-table-tbody tr', { hasText: '冬季清洁取暖保供一线' });
  await incoming.locator('[data-testid=incoming-accept]').click();
  await incoming.locator('[data-testid=incoming-topic]').waitFor().catch(fail(city, 'incoming'));
  await city.screenshot({ path: `${SHOTS}console-planning-flow-inbox.png`, fullPage: true });
  await incoming.locator('[data-testid=incoming-topic]').click();
  await city
    .locator('.ant-drawer', { hasText: '冬季清洁取暖保供一线' })
    .locator('[data-testid=topic-assign]')
    .waitFor();
  t.pass('商丘’s desk may now assign its own people');
  await city.locator('.ant-drawer-close').click();

  // the province adopts 汝阳's pitch and follows its own topic down the tree
  const province = await open('henan-editor');
  await nav(province, '/planning/inbox');
  t.equal(
    await province.getByRole('tab', { name: '上级派单' }).count(),
    0,
    'the province has no ancestor to assign it work',
  );
  const pitch = province.locator('.ant-table-tbody tr', { hasText: '城关镇冬季供暖入户走访' });
  await pitch.locator('[data-testid=pitch-accept]').click();
  await province.locator('[data-testid=reason-text]').fill('纳入全省联动');
  await province.locator('[data-testid=reason-ok]').click();
  await province
    .locator('[data-testid=incoming-pitches], .ant-table-tbody')
    .locator('tr', { hasText: '城关镇冬季供暖入户走访' })
    .waitFor({ state: 'detached' })
    .catch(fail(province, 'pitch'));
  t.pass('采纳: it leaves the pending list');
  await nav(province, '/planning');
  await province.locator('[data-testid=topic-filter-subtree]').click();
  await province.locator('.ant-table-tbody tr', { hasText: TITLE }).waitFor().catch(fail(province, 'subtree'));
  t.pass('the province sees the county’s topics');
  await province.screenshot({ path: `${SHOTS}console-planning-flow-province.png`, fullPage: true });
  await province.locator('[data-testid=topic-filter-subtree]').click();
  await province.locator('.ant-table-tbody tr', { hasText: TITLE }).waitFor({ state: 'detached' });
  await province.locator('.ant-table-tbody tr', { hasText: '冬季清洁取暖保供一线' }).click();
  const own = province.locator('.ant-drawer', { hasText: '冬季清洁取暖保供一线' });
  const rows = own.locator('.ant-table-tbody tr.ant-table-row');
  await rows.first().waitFor();
  t.equal(
    await rows.filter({ hasText: '汝阳县' }).locator('[data-testid=progress]').innerText(),
    '已发布',
    '汝阳’s published story covers it',
  );
  t.equal(
    await rows.filter({ hasText: '商丘' }).locator('[data-testid=progress]').innerText(),
    '采写中',
    '商丘 just accepted',
  );
  t.equal(await rows.filter({ hasText: '洛阳' }).locator('[data-testid=progress]').innerText(), '采写中');
  await province.waitForTimeout(500); // the drawer settles before the picture
  await province.screenshot({ path: `${SHOTS}console-planning-flow-assignments.png` });
  await own.locator('.ant-drawer-close').click();
  await province.getByRole('tab', { name: '专题' }).click();
  await province.locator('[data-testid=campaign-title]', { hasText: '岁末年初' }).waitFor();
  await province.screenshot({ path: `${SHOTS}console-planning-flow-campaigns.png`, fullPage: true });

  // an administrator reads the desk; a unit member has none
  const admin = await open('ruyang-admin');
  await nav(admin, '/planning');
  await admin.locator('[data-testid=read-only]').waitFor();
  t.equal(
    await admin.locator('[data-testid=topic-new], [data-testid=topic-propose]').count(),
    0,
    'no planning buttons for an administrator',
  );
  const member = await open('ruyang-jiaoyu');
  t.equal(await member.locator('[data-nav="/planning"]').count(), 0, 'a unit member has no planning menu');
  await member.goto(`${base}/planning`);
  await member.locator('[data-testid=forbidden]').waitFor();
  t.pass('and a 403 result at its address');
  t.same(problems, [], 'no browser error');
});

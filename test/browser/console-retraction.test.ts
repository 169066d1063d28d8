// A story's whole life with ONE county's own staff, in Chromium against the API, the worker and the
// demo province: 汝阳县's editor writes (the editor's title follows the saved story, the address moves
// to it) and submits; the county's own people sign every step of the chain (the submitter is never
// offered 通过); the chief publishes; the city 洛阳 takes it up onto its face and pins it; the chief
// retracts it. The console then says 已撤稿 on the story page, in the story list, in 稿件去向 and on the
// city's 本门户转载 (no 置顶 / 另存 left). On the way: a reporter's menus hold no administration and
// no 撤稿, an editor sees no 撤稿, the push dialog names the section a story lands in, and the
// console's /favicon.ico answers. Screenshots: test/browser/screenshots/console-retraction-*.png.
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build as buildApi } from '@yiduan/api';
import { LocalDiskStorage } from '@yiduan/storage';
import { createDemoDeps } from '@yiduan/testkit';
import { ensureBuilt, OPERATIONS_MANIFEST } from '../../services/console/src/index.js';
import { CHROMIUM, launchChromium, nav, serveConsole, signIn } from './console-kit.js';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const PASSWORD = 'Demo2026!yiduan';
const ADMIN_SCREENS = ['/admin/units', '/admin/roles', '/admin/audit', '/admin/organisations', '/admin/domains'];

t.setTimeout(480_000);
t.test(
  'retraction, and only the buttons the viewer may use',
  { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM}` },
  async (t) => {
    mkdirSync(SHOTS, { recursive: true });
    const built = await ensureBuilt({ log: (m) => t.comment(m) });
    t.comment(built.built ? `console built in ${built.ms} ms` : 'console build is up to date');
    const deps = await createDemoDeps(t, 'newsroom', {
      GRAPHQL_PERSISTED_ONLY: 'true',
      GRAPHQL_OPERATIONS: OPERATIONS_MANIFEST,
    });
    const storage = new LocalDiskStorage(mkdtempSync(join(tmpdir(), 'yiduan-retraction-')));
    const { tenants } = deps;
    const base = await serveConsole(t, deps, await buildApi(deps, { storage }), { worker: true });

    const icon = await fetch(`${base}/favicon.ico`);
    t.equal(icon.status, 200, '/favicon.ico answers (no 404 in the browser console)');
    t.match(icon.headers.get('content-type'), /^image\//);

    const browser = await launchChromium(t);
    const problems: string[] = [];
    const open = async (login: string): Promise<Page> => {
      const context = await browser.newContext({
        viewport: { width: 1366, height: 900 },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`${login}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`${login}: ${err.message}`));
      await page.goto(`${base}/stories`);
      await signIn(page, login, PASSWORD);
      return page;
    };
    const menu = (page: Page) =>
      page.locator('[data-nav]').evaluateAll((els) => els.map((e) => e.getAttribute('data-nav')!));
    const status = (page: Page, text: string) =>
      page.locator('[data-testid=story-status]', { hasText: text }).waitFor();
    const shot = (page: Page, name: string) =>
      page.screenshot({ path: `${SHOTS}console-retraction-${name}.png`, fullPage: true });

    // the county's editor writes: after the first save the editor is titled with the story, at its own address
    const editor = await open('ruyang-editor');
    await nav(editor, '/stories/new');
    t.equal(await editor.locator('[data-testid=editor-title]').innerText(), '新建稿件');
    const title = `汝阳县杜鹃花节志愿者招募启动 ${Date.now() % 10000}`;
    await editor.locator('[data-testid=title]').fill(title);
    await editor.locator('[data-testid=block-0]').fill('今年的杜鹃花节将招募两百名志愿者，报名截止到本月底。');
    await editor.locator('[data-testid=section]').click();
    await editor.locator('.ant-select-item-option', { hasText: '本地' }).click();
    await editor.locator('[data-testid=save]').click();
    await editor.waitForURL(/\/stories\/[0-9a-f-]{36}$/);
    await editor.locator('[data-testid=editor-title]', { hasText: title }).waitFor();
    t.pass('after the first save the editor shows the story’s title');
    const storyId = editor.url().split('/').pop()!;
    await editor.reload();
    await editor.locator('[data-testid=editor-title]', { hasText: title }).waitFor();
    t.equal(await editor.locator('[data-testid=title]').inputValue(), title, 'a reload keeps the saved story');
    await shot(editor, 'saved');
    await editor.locator('[data-testid=submit]').click();
    await status(editor, '审校中');
    t.equal(await editor.locator('[data-testid=approve]').count(), 0, 'the submitter is not offered 通过');
    t.equal(await editor.locator('[data-testid=reject]').count(), 0, 'nor 退回');
    await shot(editor, 'submitted');

    // the county's own people sign every step: a second editor, the reviewer, the chief editor
    const sign = async (login: string, step: string) => {
      const page = await open(login);
      await page.goto(`${base}/stories/${storyId}`);
      await status(page, '审校中');
      await page.locator('[data-testid=approve]').click();
      await page.locator('.ant-message-success').first().waitFor();
      t.pass(`${login} signs ${step}`);
      return page;
    };
    const editor2 = await sign('ruyang-editor2', 'step 1');
    t.equal(await editor2.locator('[data-testid=approve]').count(), 0, 'who signed a step is not offered the next one');
    await sign('ruyang-reviewer', 'step 2');
    const chief = await sign('ruyang-chief', 'step 3');
    await status(chief, '已通过');
    await chief.locator('[data-testid=publish]').click();
    await status(chief, '已发布');
    t.equal(await chief.locator('[data-testid=retract]').count(), 1, 'the chief editor is offered 撤稿');

    // an editor may publish and correct, not retract; a reporter sees neither, nor any administration
    await editor.reload();
    await status(editor, '已发布');
    t.equal(await editor.locator('[data-testid=retract]').count(), 0, 'an editor sees no 撤稿');
    t.equal(await editor.locator('[data-testid=correct]').count(), 1, 'but 更正');
    const reporter = await open('ruyang-reporter');
    const reporterMenu = await menu(reporter);
    t.same(
      ADMIN_SCREENS.filter((p) => reporterMenu.includes(p)),
      [],
      'a reporter’s menu holds no administration screen',
    );
    t.notOk(reporterMenu.includes('/review'), 'nor the review queue');
    await shot(reporter, 'reporter-menu');
    await reporter.goto(`${base}/stories/${storyId}`);
    await status(reporter, '已发布');
    t.equal(await reporter.locator('[data-testid=retract]').count(), 0, 'a reporter sees no 撤稿');
    t.equal(await reporter.locator('[data-testid=save]').count(), 0, 'nor 保存 on a story they may not edit');
    await reporter.goto(`${base}/admin/units`);
    await reporter.locator('[data-testid=forbidden]').waitFor();
    t.pass('an administration screen opened by address says it is not for this role');
    await reporter.goto(`${base}/admin/review-chain`);
    await reporter.locator('[data-testid=read-only]').waitFor();
    t.equal(
      await reporter.getByRole('button', { name: '保存流程' }).count(),
      0,
      'the review chain is read-only for a reporter: no save',
    );
    await shot(reporter, 'review-chain-read-only');

    // the city takes it up onto its face (no section chosen: the same-named one) and pins it
    const city = await open('luoyang-editor');
    await nav(city, '/syndication/pool');
    await city.locator('input[placeholder="搜索标题"]').fill(title);
    await city.locator('input[placeholder="搜索标题"]').press('Enter');
    const poolRow = city.locator('tr', { has: city.locator('[data-testid=pool-title]', { hasText: title }) });
    await poolRow.locator('[data-testid=pull]').click();
    const confirm = city.locator('#pull-confirm');
    await confirm.click();
    // the dialog closes once the pull has committed (its 已转载 toast lasts 3 s: too short to wait for on a busy
    // machine); the button spins while the pull is in flight, so a click the opening dialog swallowed shows
    // as a still, idle button, and only then is it clicked again (it cannot pull twice)
    for (let i = 0; i < 2; i++) {
      const closed = await confirm.waitFor({ state: 'hidden', timeout: 10_000 }).then(
        () => true,
        () => false,
      );
      if (closed) break;
      const busy = ((await confirm.getAttribute('class')) ?? '').includes('ant-btn-loading');
      if (!busy) await confirm.click();
    }
    await confirm.waitFor({ state: 'hidden', timeout: 30_000 });
    await nav(city, '/syndication/placements');
    const placed = city.locator('tr', { hasText: title });
    await placed.locator('[data-testid=placement-status]', { hasText: '刊发中' }).waitFor();
    t.match(await placed.innerText(), /本地/, 'the taken-up story sits in the city’s same-named section');
    // the row is the placement (antd keys it by the placement's id): the origin's title may no longer be shown once retracted
    const placementId = await placed.getAttribute('data-row-key');
    t.match(placementId, /^[0-9a-f-]{36}$/);
    await placed.locator('[data-testid=pin]').click();
    await placed.locator('[data-testid=unpin]').waitFor();
    await shot(city, 'placements-before');

    // the push dialog says where a story lands
    const cityStory = await deps.tdb.owner
      .selectFrom('stories')
      .select('id')
      .where('tenant_id', '=', tenants.luoyang!.id)
      .where('status', '=', 'published')
      .where('retracted_at', 'is', null)
      .executeTakeFirstOrThrow();
    await city.goto(`${base}/stories/${cityStory.id}`);
    await city.locator('[data-testid=push]').click();
    t.match(
      await city.locator('[data-testid=push-section]').innerText(),
      /同名栏目（无则默认栏目）/,
      'the push dialog’s section defaults to the same-named section, else the default one',
    );
    t.match(await city.locator('[data-testid=push-section-note]').innerText(), /没有同名栏目的门户放入其默认栏目/);
    await shot(city, 'push-dialog');
    await city.locator('.ant-modal-footer button').first().click();
    await city.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });

    // the chief editor retracts
    await chief.locator('[data-testid=retract]').click();
    await chief.locator('[data-testid=reason]').fill('活动延期，报名信息有误');
    await chief.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await status(chief, '已撤稿');
    await chief.locator('[data-testid=retracted]').waitFor();
    t.equal(await chief.locator('[data-testid=retract]').count(), 0, 'no 撤稿 offered again');
    t.equal(
      (await chief.locator('[data-testid=correct]').count()) + (await chief.locator('[data-testid=push]').count()),
      0,
      'nor 更正 or 推送',
    );
    await shot(chief, 'story');

    // the story list, with its status filter
    await nav(chief, '/stories');
    await chief.locator('[data-testid=status-filter]').click();
    await chief.locator('.ant-select-item-option', { hasText: '已撤稿' }).click();
    const listed = chief.locator('tr', { has: chief.locator('[data-testid=story-link]', { hasText: title }) });
    await listed.waitFor();
    t.match(await listed.innerText(), /已撤稿/, 'the story list says 已撤稿 (filtered by 已撤稿)');
    await shot(chief, 'list');

    // where is my story: retracted, on every face it was placed
    await nav(chief, '/syndication/where');
    await chief.locator('[data-testid=where-story]').click();
    await chief.keyboard.type(title.slice(0, 8));
    await chief.locator('.ant-select-item-option', { hasText: title }).click();
    await chief.locator('[data-testid=where-status]', { hasText: '已撤稿' }).waitFor();
    const onCity = chief.locator('[data-testid=placements] tr', { hasText: '洛阳' });
    await onCity.waitFor();
    t.match(
      await onCity.locator('[data-testid=placement-status]').innerText(),
      /已撤稿/,
      '稿件去向: the city’s placement is 已撤稿, not 刊发中',
    );
    t.equal(
      await chief.locator('[data-testid=placements] [data-testid=placement-status]', { hasText: '刊发中' }).count(),
      0,
      'no face still shows it 刊发中',
    );
    await shot(chief, 'where');

    // the city's 本门户转载: retracted, nothing left to pin or copy
    await city.reload();
    await nav(city, '/syndication/placements');
    const gone = city.locator(`tr[data-row-key="${placementId}"]`);
    await gone.locator('[data-testid=placement-status]', { hasText: '已撤稿' }).waitFor();
    t.equal(await gone.getByRole('button').count(), 0, '本门户转载: no 取消置顶, 撤下 or 另存 for a retracted story');
    await shot(city, 'placements-after');

    t.same(problems, [], 'no console errors (CSP, uncaught, failed requests such as a missing favicon)');
  },
);

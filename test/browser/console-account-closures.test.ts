// 关停并转 in the console (Chromium, persisted operations only) and the stop-update notice on the
// county face: 汝阳县's administrator sees the demo closure (汝阳教育服务 merging into 汝阳教育, its
// notice out, its content moved in), proposes closing the zombie 城关镇发布 from the registry, and
// 洛阳's administrator approves it; the notice is read on 汝阳's face and an old address redirects.
// Screenshots: test/browser/screenshots/console-account-closures-*.png.
import t from 'tap';
import { existsSync } from 'node:fs';
import { freePort } from '@yiduan/db';
import { build as buildPortal } from '@yiduan/portal';
import { CHROMIUM, consoleSession, demoConsole, launchChromium, nav, SHOTS } from './console-kit.js';

t.setTimeout(480_000);
t.test(
  'a closure in the console and its notice on the face',
  { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM}` },
  async (t) => {
    const { deps, base } = await demoConsole(t);
    const port = await freePort();
    const portal = await buildPortal(deps);
    t.teardown(() => portal.close());
    await portal.listen({ port, host: '127.0.0.1' });
    const browser = await launchChromium(t);
    const { open, fail, problems } = consoleSession(browser, base, {
      shots: SHOTS,
      prefix: 'console-account-closures',
    });

    // the county: the demo closure mid-way, its steps
    const admin = await open('ruyang-admin');
    await nav(admin, '/accounts/closures');
    const rows = admin.locator('.ant-table-tbody');
    const demo = rows.locator('tr.ant-table-row', { hasText: '汝阳教育服务' });
    await demo.waitFor().catch(fail(admin, 'list'));
    t.equal(await demo.locator('[data-testid=closure-status]').innerText(), '已发布停更公告，待注销');
    t.match(await demo.innerText(), /3\/3 已发布，1 个跳转/, 'its content moved in, one old address redirected');
    t.match(await demo.innerText(), /「汝阳教育」微信公众号/, 'the successor');
    await demo.locator('.ant-table-row-expand-icon').click();
    await admin.locator('[data-testid=closure-detail]').waitFor();
    t.match(await admin.locator('[data-testid=closure-detail]').innerText(), /洛阳/, 'the city approved');
    await admin.screenshot({ path: `${SHOTS}console-account-closures-list.png`, fullPage: true });

    // a proposal from the registry: 申请关停/合并 on the zombie account
    await nav(admin, '/accounts');
    const zombie = admin.locator('.ant-table-tbody tr', { hasText: '城关镇发布' });
    await zombie.locator('[data-testid=gov-propose-closure]').click().catch(fail(admin, 'registry'));
    await admin.waitForURL('**/accounts/closures');
    const form = admin.locator('[data-testid=closure-form]');
    await form.waitFor();
    await form.locator('textarea').fill('超过三个月未更新，职能并入县融媒体中心“政务”栏目');
    await admin.screenshot({ path: `${SHOTS}console-account-closures-propose.png` });
    await admin.locator('.ant-modal-footer button.ant-btn-primary').click();
    const proposed = rows.locator('tr.ant-table-row', { hasText: '城关镇发布' });
    await proposed.waitFor().catch(fail(admin, 'proposed'));
    t.equal(await proposed.locator('[data-testid=closure-status]').innerText(), '待上级审批');
    t.equal(await proposed.locator('[data-testid=closure-draft]').count(), 0, 'no notice before approval');

    // the city approves
    const city = await open('luoyang-admin');
    await nav(city, '/accounts/closures');
    const pending = city.locator('.ant-table-tbody tr.ant-table-row', { hasText: '城关镇发布' });
    await pending.locator('[data-testid=closure-approve]').click().catch(fail(city, 'approve'));
    await city.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await city.waitForFunction(() =>
      [...document.querySelectorAll('.ant-table-tbody tr.ant-table-row')].some(
        (r) => r.textContent?.includes('城关镇发布') && r.textContent.includes('已批准'),
      ),
    );
    t.pass('approved by the parent');
    // the approve button scrolled the wide table sideways: back to its start for the picture
    await city.locator('.ant-table-content').evaluate((el) => el.scrollTo({ left: 0 }));
    await city.screenshot({ path: `${SHOTS}console-account-closures-city.png`, fullPage: true });

    // the county drafts the notice: it goes to the review chain
    await admin.reload();
    await admin.locator('[data-testid=current-role]').waitFor();
    const approved = rows.locator('tr.ant-table-row', { hasText: '城关镇发布' });
    await approved.locator('[data-testid=closure-draft]').click().catch(fail(admin, 'draft'));
    await approved
      .locator('[data-testid=closure-publish]')
      .waitFor({ state: 'attached' })
      .catch(() => undefined);
    t.pass('the notice is drafted and sent to review');

    // the demo notice on 汝阳's face, and an old address of the merged account redirecting
    const noticeId = (
      await deps.tdb.owner
        .selectFrom('gov_account_closures')
        .select('notice_story_id')
        .where('notice_published_at', 'is not', null)
        .executeTakeFirstOrThrow()
    ).notice_story_id!;
    const face = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    ).newPage();
    const res = await face.goto(`http://ruyang.localhost:${port}/a/${noticeId}`);
    t.equal(res?.status(), 200);
    t.match(await face.locator('h1').innerText(), /关于「汝阳教育服务」微信公众号停止更新的公告/);
    t.match(await face.locator('article').innerText(), /并入「汝阳教育」微信公众号/, 'naming the successor');
    await face.screenshot({ path: `${SHOTS}console-account-closures-face-notice.png`, fullPage: true });
    const moved = await face.goto(`http://ruyang.localhost:${port}/jiaoyu/2026/0826.html`);
    t.match(face.url(), /\/a\/[0-9a-f-]{36}$/, 'the old address redirects');
    t.equal(moved?.status(), 200);
    t.match(await face.locator('article').innerText(), /校车/, 'to the moved story');
    await face.screenshot({ path: `${SHOTS}console-account-closures-face-moved.png`, fullPage: true });

    t.same(problems, [], 'no page errors');
  },
);

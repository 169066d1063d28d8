// The editors' console in a real browser (Debian's Chromium via playwright-core), against the API,
// the worker and the demo province: a unit member drafts a story and sees terminology findings
// inline; three reviewers approve it (the queue updates live); the province pulls it up and pushes
// another story to every county; a county accepts the offer. Then every screen of the navigation
// is opened and photographed, and none may show a raw error. The API answers only the operations
// in this console build's manifest (persisted-queries-only, as in production). Screenshots:
// test/browser/screenshots/.
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
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
// a 96×64 PNG, enough for the image block
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAGAAAABACAIAAABqVuVZAAAAaUlEQVR42u3QMQ0AAAgDsAmZfwvYwwE3R5MqaKblEAWCBAkSJEiQIEEIEiRIkCBBggQhSJAgQYIECRKEIEGCBAkSJEiQIAQJEiRIkCBBghAkSJAgQYIECUKQIEGCBAkSJEgQggQJEvTPAkFFaUuX6pPxAAAAAElFTkSuQmCC',
  'base64',
);
/** What a screen must never show: raw error objects, stack traces, untranslated transport errors. */
const RAW_ERROR =
  /\[object Object\]|GraphQLError|TypeError|ReferenceError|extensions|Unexpected token|Failed to fetch|undefined|null\b|NaN/;

// about two minutes on an idle two-core machine with a built bundle; generous for a busy one
t.setTimeout(480_000);
t.test(
  'the console in Chromium',
  { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM}: run scripts/ensure-chromium.sh` },
  async (t) => {
    const started = Date.now();
    const lap = (what: string) => t.comment(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    mkdirSync(SHOTS, { recursive: true });
    const built = await ensureBuilt({ log: (m) => t.comment(m) });
    t.comment(built.built ? `console built in ${built.ms} ms` : 'console build is up to date');

    lap('build checked');
    // as production runs it: the API answers only the operations of this console build
    // without generated pictures (faster): the console's own upload is what is tested here
    const deps = await createDemoDeps(t, 'newsroom', {
      GRAPHQL_PERSISTED_ONLY: 'true',
      GRAPHQL_OPERATIONS: OPERATIONS_MANIFEST,
    });
    const storage = new LocalDiskStorage(mkdtempSync(join(tmpdir(), 'yiduan-console-')));
    const { tenants } = deps;
    lap('seeded');
    const api = await buildApi(deps, { storage });
    // an operation the console sends that its manifest lacks would be refused: none may be
    const unregistered: string[] = [];
    api.addHook('onSend', async (request, _reply, payload) => {
      if (typeof payload === 'string' && payload.includes('PERSISTED_QUERY_NOT_FOUND'))
        unregistered.push(String((request.body as { query?: unknown } | undefined)?.query).slice(0, 80));
      return payload;
    });
    const base = await serveConsole(t, deps, api, { worker: true });

    lap('services up');
    const health = await fetch(`${base}/health`);
    t.equal(health.status, 200, '/health answers');
    t.equal((await fetch(`${base}/health/ready`)).status, 200, '/health/ready answers (the readiness probe)');
    const csp = (await fetch(`${base}/`)).headers.get('content-security-policy') ?? '';
    t.match(csp, /script-src 'self'[^;]*/, 'scripts only from the console itself');
    t.notMatch(csp, /unsafe-eval|script-src[^;]*unsafe-inline/, 'no inline or evaluated scripts');
    t.match(csp, /style-src 'self' 'nonce-/, 'style elements only with the page nonce');

    const browser = await launchChromium(t);
    const problems: string[] = [];
    const open = async (login: string | null, viewport = { width: 1366, height: 900 }): Promise<Page> => {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy|Uncaught/.test(msg.text()))
          problems.push(`${login ?? 'anonymous'}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`${login ?? 'anonymous'}: ${err.message}`));
      await page.goto(`${base}/stories`);
      if (login) await signIn(page, login, PASSWORD);
      return page;
    };
    const noRawErrors = async (page: Page, what: string) => {
      const text = await page.locator('body').innerText();
      t.notMatch(text, RAW_ERROR, `${what}: no raw error on screen`);
    };

    // login: a wrong password is a Chinese message, not an error object
    const anon = await open(null);
    await anon.locator('#login').fill('ruyang-jiaoyu');
    await anon.locator('#password').fill('wrong-password');
    await anon.locator('button[type=submit]').click();
    t.match(
      await anon.locator('[data-testid=login-error]').innerText(),
      /账号或密码错误/,
      'wrong password: 账号或密码错误',
    );
    await anon.screenshot({ path: `${SHOTS}console-login.png` });
    await anon.context().close();

    lap('the first reviewer keeps');
    // the first reviewer keeps the queue open: the story must arrive there live
    const editor = await open('ruyang-editor');
    await nav(editor, '/review');
    await editor.locator('[data-testid=live] .ant-badge-status-processing').waitFor();

    // a unit member drafts; findings appear as they type; a block finding stops submit
    const unit = await open('ruyang-jiaoyu');
    t.match(
      await unit.locator('[data-testid=current-role]').innerText(),
      /记者（汝阳县教育局）/,
      'the unit member sees their role and unit',
    );
    await nav(unit, '/stories/new');
    const title = `汝阳县秋季学期做为重点抓好校园安全 ${Date.now() % 10000}`;
    await unit.locator('[data-testid=title]').fill(title);
    // 引题 (kicker): a field of the story's declared shape, checked like the title
    await unit.locator('[data-testid=kicker]').fill('开学季做为重点');
    await unit.locator('[data-testid=block-0]').fill('会上有人提到台湾总统的说法，需要纠正。');
    await unit.locator('[data-testid=findings-kicker] .finding-warn').waitFor();
    t.match(
      await unit.locator('[data-testid=findings-kicker]').innerText(),
      /做为[\s\S]*作为/,
      'a warning on the kicker too',
    );
    await unit.screenshot({ path: `${SHOTS}console-editor-kicker.png`, fullPage: true });
    await unit.locator('[data-testid=findings-title] .finding-warn').waitFor();
    t.match(
      await unit.locator('[data-testid=findings-title]').innerText(),
      /做为[\s\S]*作为/,
      'a warning on the title, with the suggested wording',
    );
    await unit.locator('[data-testid=findings-block-0] .finding-block').waitFor();
    t.match(
      await unit.locator('[data-testid=findings-block-0]').innerText(),
      /禁用[\s\S]*台湾总统[\s\S]*台湾地区领导人/,
      'a block finding inline under the paragraph',
    );
    t.ok(await unit.locator('[data-testid=submit]').isDisabled(), 'a block finding stops submit');
    await unit.screenshot({ path: `${SHOTS}console-editor-findings.png`, fullPage: true });
    await unit.locator('[data-testid=block-0]').fill('全县中小学开展校园安全大排查，家长和老师共同参与。');
    await unit.locator('[data-testid=blocking]').waitFor({ state: 'detached' });
    // a unit member (政务号) uploads pictures for the unit's story too
    await unit.locator('input[type=file]').setInputFiles({ name: 'xiaoyuan.png', mimeType: 'image/png', buffer: PNG });
    await unit.locator('[data-testid=image-block]').waitFor({ state: 'attached' });
    t.match(
      await unit.locator('.ant-message-success').first().innerText(),
      /图片已上传/,
      'the unit member’s upload is taken',
    );
    t.notOk(await unit.locator('[data-testid=submit]').isDisabled(), 'with only warnings left, submit is allowed');
    await unit.locator('[data-testid=submit]').click();
    await unit.locator('[data-testid=story-status]', { hasText: '审校中' }).waitFor();
    const storyId = unit.url().split('/').pop()!;
    t.match(storyId, /^[0-9a-f-]{36}$/, 'the new story has its address');
    await unit.screenshot({ path: `${SHOTS}console-editor-submitted.png`, fullPage: true });
    await noRawErrors(unit, 'editor');

    lap('three reviewers:');
    // three reviewers: the editor's open queue received the story without a reload
    const row = (page: Page) =>
      page.locator('tr', { has: page.locator('[data-testid=queue-title]', { hasText: title }) });
    await row(editor).waitFor({ timeout: 45_000 });
    t.pass('the story arrived in the open review queue live');
    await editor.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
    await editor.screenshot({ path: `${SHOTS}console-review-queue.png` });
    const approveIn = async (page: Page, who: string) => {
      await row(page).locator('[data-testid=queue-approve]').click();
      await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
      await row(page).waitFor({ state: 'detached' });
      t.pass(`${who} approved`);
    };
    await approveIn(editor, 'step 1 (editor)');
    const reviewer = await open('ruyang-reviewer');
    await nav(reviewer, '/review');
    await approveIn(reviewer, 'step 2 (reviewer)');
    const chief = await open('ruyang-chief');
    await nav(chief, '/review');
    await approveIn(chief, 'step 3 (chief editor)');
    await chief.goto(`${base}/stories/${storyId}`);
    await chief.locator('[data-testid=story-status]', { hasText: '已通过' }).waitFor();
    await chief.locator('[data-testid=publish]').click();
    await chief.locator('[data-testid=story-status]', { hasText: '已发布' }).waitFor();
    await chief.getByRole('tab', { name: '审校记录' }).click();
    t.equal(
      await chief.locator('.ant-timeline-item', { hasText: '通过' }).count(),
      3,
      'the story page lists three approvals',
    );
    await chief.screenshot({ path: `${SHOTS}console-review-events.png`, fullPage: true });
    await chief.getByRole('tab', { name: '门户预览' }).click();
    await chief.locator('[data-testid=article-preview]').waitFor();
    await chief.screenshot({ path: `${SHOTS}console-story-preview.png`, fullPage: true });

    lap('the province pulls it');
    // the province pulls it from its descendants' pool
    const province = await open('henan-editor');
    await nav(province, '/syndication/pool');
    await province.locator('input[placeholder="搜索标题"]').fill(title);
    await province.locator('input[placeholder="搜索标题"]').press('Enter');
    const poolRow = province.locator('tr', { has: province.locator('[data-testid=pool-title]', { hasText: title }) });
    await poolRow.locator('[data-testid=pull]').click();
    await province.locator('[data-testid=section-picker]').click();
    await province.locator('.ant-select-item-option', { hasText: '本地' }).click();
    await province.locator('#pull-confirm').click();
    await province.locator('.ant-message', { hasText: '已转载' }).waitFor();
    const pulled = await deps.tdb.owner
      .selectFrom('placements')
      .select(['mode', 'status'])
      .where('tenant_id', '=', tenants.henan!.id)
      .where('story_id', '=', storyId)
      .executeTakeFirst();
    t.same(pulled, { mode: 'pulled', status: 'active' }, 'the story is on the province face, pulled');
    await province.locator('.ant-radio-button-wrapper', { hasText: '已转载' }).click();
    await poolRow.waitFor();
    await province.screenshot({ path: `${SHOTS}console-pool.png` });

    // … and offers another of its stories to every county, watching the fan-out's progress
    const own = await deps.tdb.owner
      .selectFrom('stories as s')
      .innerJoin('story_revisions as r', (j) =>
        j.onRef('r.story_id', '=', 's.id').onRef('r.number', '=', 's.current_revision'),
      )
      .select(['s.id', 'r.title'])
      .where('s.tenant_id', '=', tenants.henan!.id)
      .where('s.status', '=', 'published')
      .where('s.retracted_at', 'is', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('placements as p')
              .select('p.id')
              .whereRef('p.story_id', '=', 's.id')
              .where('p.mode', 'in', ['pushed', 'offered']),
          ),
        ),
      )
      .orderBy('s.published_at', 'desc')
      .executeTakeFirstOrThrow();
    await province.goto(`${base}/stories/${own.id}`);
    await province.locator('[data-testid=push]').click();
    await province.locator('.ant-radio-wrapper', { hasText: '按层级' }).click();
    await province.locator('[data-testid=push-mandatory]').click(); // an offer, not a mandatory push
    const counties = Object.values(tenants).filter((x) => x.level === 'county').length;
    t.match(
      await province.locator('[data-testid=push-confirm]').innerText(),
      new RegExp(`推送到 ${counties} 个门户`),
      'the dialog counts the counties',
    );
    await province.screenshot({ path: `${SHOTS}console-push-dialog.png` });
    await province.locator('[data-testid=push-confirm]').click();
    await province.locator('[data-testid=job-status]', { hasText: '已完成' }).waitFor({ timeout: 20_000 });
    t.match(
      await province.locator('[data-testid=job-status]').innerText(),
      new RegExp(`${counties}/${counties}`),
      'the fan-out reached every county',
    );
    await province.waitForTimeout(400); // the bar's transition
    await province.screenshot({ path: `${SHOTS}console-push-progress.png` });
    await province.locator('.ant-modal-footer button').click();
    await province.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });

    lap('a county accepts');
    // a county accepts the offer into one of its sections
    const county = await open('ruyang-editor');
    await nav(county, '/syndication/inbox');
    const offer = county.locator('tr', { has: county.locator('[data-testid=inbox-title]', { hasText: own.title }) });
    await offer.waitFor();
    await county.screenshot({ path: `${SHOTS}console-inbox.png` });
    await offer.locator('[data-testid=accept]').click();
    await county.locator('[data-testid=section-picker]').click();
    await county.locator('.ant-select-item-option', { hasText: '本地' }).last().click();
    await county.locator('#accept-confirm').click();
    await offer.waitFor({ state: 'detached' });
    const accepted = await deps.tdb.owner
      .selectFrom('placements')
      .select(['mode', 'status'])
      .where('tenant_id', '=', tenants.ruyang!.id)
      .where('story_id', '=', own.id)
      .executeTakeFirst();
    t.same(accepted, { mode: 'offered', status: 'active' }, 'the county carries the offered story');
    // where is my story: the province sees every county's answer
    await nav(province, '/syndication/where');
    await province.locator('[data-testid=where-story]').click();
    await province.keyboard.type(own.title.slice(0, 6));
    await province.locator('.ant-select-item-option').first().click();
    await province.locator('[data-testid=placements] tr', { hasText: '汝阳' }).waitFor();
    await province.screenshot({ path: `${SHOTS}console-where.png` });

    lap('an operator organisation');
    // the province's dashboard draws its figures with ECharts, and exports them as CSV with progress
    await nav(province, '/data/dashboard');
    const canvas = province.locator('[data-testid=chart-trend] canvas').first();
    await canvas.waitFor();
    await province.waitForTimeout(1200); // the series' entry animation
    const painted = await canvas.evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    t.ok(painted > 5000, `the trend chart is drawn (${painted} painted pixels)`);
    t.ok((await province.locator('[data-testid=chart-children] canvas').count()) > 0, 'the cities chart is drawn');
    await province.screenshot({ path: `${SHOTS}console-dashboard.png`, fullPage: true });
    const [download] = await Promise.all([
      province.waitForEvent('download'),
      province.locator('[data-testid=export]').first().click(),
    ]);
    const csvPath = await download.path();
    t.match(readFileSync(csvPath, 'utf8'), /日期.*阅读量/, 'the dashboard exports its figures as CSV');

    // an operator organisation's editor works for two counties: the switcher, role always visible
    const ops = await open('zhongyuan-ops');
    t.match(await ops.locator('[data-testid=current-role]').innerText(), /编辑.*代运营/, 'role and 代运营 visible');
    await ops.locator('[data-testid=tenant-switcher]').click();
    await ops.screenshot({ path: `${SHOTS}console-tenant-switcher.png` });
    const other = ops
      .locator('.ant-select-item-option')
      .filter({ hasNotText: await ops.locator('[data-testid=tenant-switcher] .ant-select-selection-item').innerText() })
      .first();
    const otherName = (await other.innerText()).replace(/（.*/, '');
    await other.click();
    await ops.locator('[data-testid=tenant-switcher] .ant-select-selection-item', { hasText: otherName }).waitFor();
    t.pass(`switched to ${otherName}`);

    lap('every screen of the navigat');
    // every screen of the navigation, as the platform operator on the province
    const operator = await open('operator');
    const paths = await operator
      .locator('[data-nav]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-nav')!));
    const required = [
      '/stories',
      '/stories/new',
      '/review',
      '/syndication/pool',
      '/syndication/inbox',
      '/syndication/where',
      '/syndication/rules',
      '/audience/members',
      '/audience/comments',
      '/audience/messages',
      '/data/dashboard',
      '/data/rankings',
      '/data/dormant',
      '/admin/sections',
      '/admin/units',
      '/admin/review-chain',
      '/admin/terminology',
      '/admin/face',
      '/admin/domains',
      '/admin/roles',
      '/admin/organisations',
      '/admin/audit',
    ];
    t.same(
      required.filter((p) => !paths.includes(p)),
      [],
      `the navigation reaches every screen (${paths.length})`,
    );
    for (const path of paths) {
      await nav(operator, path);
      await operator.waitForLoadState('networkidle');
      await operator.locator('.ant-spin-spinning, .ant-skeleton-active').first().waitFor({ state: 'detached' });
      await noRawErrors(operator, path);
      t.equal(await operator.locator('.ant-alert-error').count(), 0, `${path}: opens without an error`);
      await operator.screenshot({ path: `${SHOTS}console${path.replace(/\//g, '-')}.png`, fullPage: true });
    }

    lap('a county editor writes');
    // a county editor writes with an image: upload through the console, shown in the block and the preview
    await nav(county, '/stories/new');
    await county.locator('[data-testid=title]').fill('汝阳县城关镇新建口袋公园开放');
    await county.locator('[data-testid=block-0]').fill('公园占地约两千平方米，设有健身步道和儿童游乐区。');
    await county
      .locator('input[type=file]')
      .setInputFiles({ name: 'gongyuan.png', mimeType: 'image/png', buffer: PNG });
    await county.locator('[data-testid=image-block]').waitFor({ state: 'attached' });
    await county.waitForFunction(() => document.querySelector<HTMLImageElement>('[data-testid=image-block]')?.complete);
    t.equal(
      await county.locator('[data-testid=image-block]').evaluate((img: HTMLImageElement) => img.naturalWidth),
      96,
      'the uploaded image shows in its block',
    );
    await county.locator('[data-testid=save]').click();
    await county.waitForURL(/\/stories\/[0-9a-f-]{36}$/);
    await county.getByRole('tab', { name: '门户预览' }).click();
    await county.locator('[data-testid=article-preview] img').waitFor();
    await county.screenshot({ path: `${SHOTS}console-editor-image.png`, fullPage: true });

    // a tablet
    const tablet = await open('ruyang-editor', { width: 820, height: 1180 });
    await tablet.locator('.ant-table-row').first().waitFor();
    await tablet.screenshot({ path: `${SHOTS}console-tablet.png` });

    lap('done');
    t.same(problems, [], 'no CSP violations or uncaught errors in any page');
    t.same(unregistered, [], 'persisted-queries-only: every operation the console sent was in its manifest');
  },
);

// The console's video library in Chromium: an editor uploads a generated clip (10 MB, two tus
// chunks of 8 MB); the second chunk fails in the network (502) and the page is reloaded; choosing
// the same file again resumes the same upload from the server's offset (no new upload is created);
// the worker transcodes it and the list turns 可用 live (videoChanged subscription) with the poster;
// the editor then sets the poster to the frame at 2 s and the list shows the new picture.
// Screenshots: test/browser/screenshots/console-videos-*.png.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build as buildApi } from '@yiduan/api';
import { VIDEO_CHANNEL } from '@yiduan/core';
import { LocalDiskStorage } from '@yiduan/storage';
import { createDemoDeps } from '@yiduan/testkit';
import { silentLogger, startVideoTranscoder } from '@yiduan/worker';
import { ensureBuilt } from '../../services/console/src/index.js';
import { PASSWORD, staffWith } from '../e2e/helpers.js';
import { NO_FFMPEG, tempDir } from '../e2e/video-kit.js';
import { CHROMIUM, launchChromium, nav, serveConsole, signIn } from './console-kit.js';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

t.setTimeout(300_000);
t.test(
  'the video library in Chromium',
  { skip: NO_FFMPEG || (existsSync(CHROMIUM) ? false : `no ${CHROMIUM}: run scripts/ensure-chromium.sh`) },
  async (t) => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureBuilt({ log: (m) => t.comment(m) });
    const dir = tempDir(t);
    const deps = await createDemoDeps(t, 'tree', {
      VIDEO_UPLOAD_DIR: join(dir, 'uploads'),
      VIDEO_WORK_DIR: join(dir, 'work'),
    });
    const storage = new LocalDiskStorage(join(dir, 'assets'));
    const ruyang = deps.tenants.ruyang!.id;
    await staffWith(deps.db, 'cv-editor', ruyang, ['editor']);
    const api = await buildApi(deps, { storage });
    const base = await serveConsole(t, deps, api);
    const transcoder = startVideoTranscoder({
      db: deps.db,
      storage,
      log: silentLogger,
      uploadDir: deps.config.video.uploadDir,
      workDir: deps.config.video.workDir,
      pollMs: 60_000,
      notify: (tenantId, videoId) => void deps.cache.publish(VIDEO_CHANNEL, JSON.stringify({ tenantId, videoId })),
    });
    t.teardown(() => transcoder.stop());

    // noisy lossless frames: 3 s but over 8 MB, so the upload takes two PATCHes
    const clip = join(dir, '县城新貌.mp4');
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'],
      ...['-i', 'testsrc2=size=320x240:rate=24:duration=3', '-vf', 'noise=alls=60:allf=t'],
      ...[
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-qp',
        '0',
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        clip,
      ],
    ]);

    const size = statSync(clip).size;
    const browser = await launchChromium(t);
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const seen = { posts: 0, patches: 0, heads: [] as string[] };
    page.on('request', (r) => {
      if (!r.url().includes('/videos/uploads')) return;
      if (r.method() === 'POST') seen.posts++;
      if (r.method() === 'PATCH') seen.patches++;
    });
    page.on('response', (r) => {
      if (r.url().includes('/videos/uploads/') && r.request().method() === 'HEAD')
        seen.heads.push(r.headers()['upload-offset'] ?? '');
    });
    await page.goto(`${base}/`);
    await signIn(page, 'cv-editor', PASSWORD);
    await nav(page, '/video-library');
    await page.locator('[data-testid=videos-page]').waitFor();

    // the second chunk never reaches the server: every later PATCH fails in the network (as from a
    // gateway whose upstream dropped; route.abort would not do: Chromium may already have sent the body)
    let patches = 0;
    await page.route('**/videos/uploads/*', (route) => {
      if (route.request().method() !== 'PATCH' || ++patches === 1) return route.continue();
      return route.fulfill({ status: 502, body: 'Bad Gateway' });
    });
    await page.locator('[data-testid=videos-page] input[type=file]').setInputFiles(clip);
    await page.locator('[data-testid=upload-progress]').waitFor();
    await page.waitForFunction(() => document.body.innerText.includes('正在上传：县城新貌.mp4'));
    for (let i = 0; i < 100 && patches < 2; i++) await page.waitForTimeout(100);
    t.ok(patches >= 2, 'the first chunk went through, the second never reached the server');
    await page.screenshot({ path: `${SHOTS}console-videos-interrupted.png` });

    // the reader reloads the page, the connection is back, the same file is chosen again (the reload
    // first: tus-js-client retries a failed chunk after a delay, and a retry let through before the
    // reload would finish the upload, leaving nothing to resume)
    await page.reload();
    await page.unroute('**/videos/uploads/*');
    seen.heads = [];
    await page.locator('[data-testid=videos-page]').waitFor();
    await page.locator('[data-testid=videos-page] input[type=file]').setInputFiles(clip);
    await page.waitForFunction(() => document.body.innerText.includes('继续上传：县城新貌.mp4'));
    t.pass('the console says it continues the upload');
    await page.waitForFunction(() => document.body.innerText.includes('上传完成，正在排队转码'), undefined, {
      timeout: 30_000,
    });
    t.equal(seen.posts, 1, 'one upload was created, not two');
    t.ok(
      seen.heads[0] === String(8 * 1024 * 1024),
      `resuming, a HEAD found the first chunk stored: ${seen.heads[0]} of ${size} bytes`,
    );

    // the worker transcodes; the list hears it live
    const row = page.locator('[data-testid=video-table] tbody tr').first();
    await row.locator('text=等待转码').waitFor();
    t.equal(await transcoder.drain(), 1, 'the worker transcodes the upload');
    await row.locator('text=可用').waitFor({ timeout: 20_000 });
    t.pass('the row turns 可用 without a reload (subscription)');
    await row.locator('img').waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid=video-table] tbody tr img') as HTMLImageElement | null;
      return !!img && img.complete && img.naturalWidth > 0;
    });
    t.pass('with its poster');
    await page.screenshot({ path: `${SHOTS}console-videos-ready.png` });

    // the editor's poster: the frame at 2 s
    const before = await row.locator('img').getAttribute('src');
    await row.locator('button', { hasText: '设置封面' }).click();
    await page.locator('.ant-modal input.ant-input-number-input').fill('2');
    await page.locator('[data-testid=poster-frame]').click();
    await page.waitForFunction(() => document.body.innerText.includes('封面已更换'), undefined, { timeout: 20_000 });
    await page.waitForFunction(
      (old) => {
        const img = document.querySelector('[data-testid=video-table] tbody tr img') as HTMLImageElement | null;
        return !!img && img.getAttribute('src') !== old && img.complete && img.naturalWidth > 0;
      },
      before,
      { timeout: 10_000 },
    );
    t.pass('the editor sets the frame at 2 s as the poster, and the list shows it');
  },
);

// Short video end to end (issue #17): a generated clip is uploaded with tus in chunks and the
// connection drops in the middle of a PATCH (a HEAD then resumes from the stored offset); the
// worker transcodes it (HLS in two renditions and a poster, checked with ffprobe and decoded to the
// end); an editor publishes a video story with it; Chromium opens the face, sees the poster first,
// then plays the video through hls.js (`currentTime` advances). The player's play / watch beacons
// reach the analytics writer and roll up: the dashboard query (videoAnalytics) returns the plays
// for the county and, rolled up, for the province; a sibling county may not read them.
// Retraction stops the renditions.
// Screenshots go to test/browser/screenshots/.
import t from 'tap';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build as buildApi } from '@yiduan/api';
import { freePort, withPlatform } from '@yiduan/db';
import { build as buildPortal } from '@yiduan/portal';
import { LocalDiskStorage } from '@yiduan/storage';
import { createDemoDeps, graphqlClient } from '@yiduan/testkit';
import { defaultRegistry, OutboxConsumer, silentLogger, startVideoTranscoder } from '@yiduan/worker';
import { AnalyticsWriter, dayOf, rollupPending, videoById } from '@yiduan/core';
import { sharedMemoryBuffer } from '@yiduan/cache';
import { PASSWORD, staffWith } from '../e2e/helpers.js';
import { decodes, ffprobe, makeClip, NO_FFMPEG, tempDir, tusClient } from '../e2e/video-kit.js';
import { build as buildConsole, ensureBuilt } from '../../services/console/src/index.js';
import { CHROMIUM, launchChromium, nav, signIn } from './console-kit.js';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

t.test(
  'a video goes from a broken upload to playing on a face',
  { skip: NO_FFMPEG || (existsSync(CHROMIUM) ? false : `no ${CHROMIUM}: run scripts/ensure-chromium.sh`) },
  async (t) => {
    mkdirSync(SHOTS, { recursive: true });
    const dir = tempDir(t);
    const port = await freePort();
    const deps = await createDemoDeps(t, 'tree', {
      ACCOUNT_HOST: `account.localhost:${port}`,
      VIDEO_UPLOAD_DIR: join(dir, 'uploads'),
      VIDEO_WORK_DIR: join(dir, 'work'),
    });
    const storage = new LocalDiskStorage(join(dir, 'assets'));
    const ruyang = deps.tenants.ruyang!.id;

    const api = await buildApi(deps, { storage });
    t.teardown(() => api.close());
    await api.listen({ port: 0, host: '127.0.0.1' });
    const apiBase = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`;

    // a desk: a writer who also publishes, and a reviewer for each step of the chain
    await staffWith(deps.db, 'v-writer', ruyang, ['reporter', 'editor', 'chief_editor']);
    await staffWith(deps.db, 'v-r1', ruyang, ['editor', 'reviewer']);
    await staffWith(deps.db, 'v-r2', ruyang, ['reviewer']);
    await staffWith(deps.db, 'v-r3', ruyang, ['chief_editor']);
    const tokens: Record<string, string> = {};
    for (const login of ['v-writer', 'v-r1', 'v-r2', 'v-r3']) {
      const r = await graphqlClient(api)<{ login: { token: string } }>(
        `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
        { l: login, p: PASSWORD },
      );
      tokens[login] = r.data!.login.token;
    }
    const gql = (login: string) => graphqlClient(api, { token: tokens[login]! });

    // ---- upload in chunks, cut off in the middle, resumed from the server's offset
    const clip = makeClip(join(dir, '乡村振兴.mp4'), { width: 320, height: 240, seconds: 3 });
    const data = readFileSync(clip);
    const tus = tusClient(apiBase, tokens['v-writer']!);
    const created = await tus.create(ruyang, data.length, { filename: '乡村振兴.mp4', title: '乡村振兴新画卷' });
    t.equal(created.status, 201, 'the upload is created');
    const location = String(created.headers.location);
    const half = Math.floor(data.length / 2);
    const first = await tus.patch(location, 0, data.subarray(0, Math.floor(half / 2)));
    t.equal(first.status, 204, 'the first chunk is stored');
    const firstOffset = Number(first.headers['upload-offset']);
    // the second PATCH sends half of its bytes, then the connection drops
    const cut = await tus.patch(location, firstOffset, data.subarray(firstOffset), half - firstOffset);
    t.equal(cut.status, 0, 'the second PATCH never got an answer');
    let offset = -1;
    for (let i = 0; i < 50 && offset < 0; i++) {
      const head = await tus.head(location);
      if (head.status === 200) offset = Number(head.headers['upload-offset']);
      else await new Promise((r) => setTimeout(r, 100));
    }
    t.ok(offset >= firstOffset && offset < data.length, `HEAD gives the stored offset (${offset} of ${data.length})`);
    const rest = await tus.patch(location, offset, data.subarray(offset));
    t.equal(rest.status, 200, 'the last PATCH completes the upload');
    const videoId = (JSON.parse(rest.body) as { videoId: string }).videoId;
    t.match(videoId, /^[0-9a-f-]{36}$/, 'and answers the new video');

    // ---- the worker transcodes it
    const percents: number[] = [];
    const transcoder = startVideoTranscoder({
      db: deps.db,
      storage,
      log: silentLogger,
      uploadDir: deps.config.video.uploadDir,
      workDir: deps.config.video.workDir,
      pollMs: 60_000,
      leaseMs: 2_000,
    });
    t.teardown(() => transcoder.stop());
    const watch = setInterval(() => {
      void withPlatform(deps.db, (trx) => videoById(trx, videoId)).then((v) => v && percents.push(v.progress));
    }, 100);
    t.equal(await transcoder.drain(), 1, 'the worker runs one job');
    clearInterval(watch);
    const video = (await withPlatform(deps.db, (trx) => videoById(trx, videoId)))!;
    t.equal(video.status, 'ready', 'the video is ready');
    t.equal(video.progress, 100);
    t.equal(video.duration_ms, 3000, 'its duration');
    t.same(
      video.renditions.map((r) => [r.name, r.width, r.height]),
      [
        ['360p', 480, 360],
        ['720p', 960, 720],
      ],
      'two renditions, landscape like the source',
    );
    t.ok(Number(video.bytes) > 0, 'its size');
    const root = join(dir, 'assets', ...video.hls_prefix!.split('/'));
    for (const name of ['360p', '720p']) {
      const probe = await ffprobe(join(root, `${name}.m3u8`));
      const v = probe.streams.find((s) => s.codec_type === 'video')!;
      t.equal(v.codec_name, 'h264', `${name}: H.264`);
      t.ok(
        probe.streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac'),
        `${name}: AAC sound`,
      );
      t.ok(Math.abs(Number(probe.format.duration) - 3) < 0.5, `${name}: 3 s long`);
      t.ok(await decodes(join(root, `${name}.m3u8`)), `${name}: decodes to the end without an error`);
    }
    const poster = await ffprobe(join(root, 'poster.jpg'));
    t.equal(poster.streams[0]?.codec_name, 'mjpeg', 'the poster is a JPEG');
    t.equal(poster.streams[0]?.width, 960, 'as wide as the largest rendition');
    t.ok(await decodes(join(root, 'master.m3u8')), 'the master playlist plays');

    // ---- an editor publishes a video story with it
    const c = await gql('v-writer')<{ createStory: { story: { id: string } } }>(
      `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`,
      {
        t: ruyang,
        i: {
          kind: 'VIDEO',
          content: {
            title: '乡村振兴新画卷',
            body: [
              { type: 'video', videoId, caption: '汝阳县乡村振兴短视频' },
              { type: 'paragraph', text: '一段三秒钟的测试视频。' },
            ],
          },
        },
      },
    );
    t.equal(c.errors, undefined, 'the story is written with the video block');
    const storyId = c.data!.createStory.story.id;
    const vars = { t: ruyang, s: storyId };
    await gql('v-writer')(`mutation($t: ID!, $s: ID!) { submitStory(tenantId: $t, id: $s) { story { id } } }`, vars);
    for (const r of ['v-r1', 'v-r2', 'v-r3'])
      await gql(r)(`mutation($t: ID!, $s: ID!) { approveStory(tenantId: $t, id: $s) { story { id } } }`, vars);
    const p = await gql('v-writer')<{ publishStory: { story: { status: string } } }>(
      `mutation($t: ID!, $s: ID!) { publishStory(tenantId: $t, id: $s) { story { status } } }`,
      vars,
    );
    t.equal(p.data?.publishStory.story.status, 'PUBLISHED', 'and publishes it');

    // ---- the face in Chromium: poster first, then it plays
    const portal = await buildPortal(deps, { storage });
    t.teardown(() => portal.close());
    await portal.listen({ port, host: '127.0.0.1' });
    const face = `http://ruyang.localhost:${port}`;
    const browser = await launchChromium(t);
    // a reader's browser: the beacon counts no headless user agent
    const page = await browser.newPage({
      viewport: { width: 1000, height: 900 },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
    });
    // the player stays silent under automation unless a test asks for its beacons
    await page.addInitScript(() => {
      (window as unknown as { __ydBeaconInTests: boolean }).__ydBeaconInTests = true;
    });
    const segments: string[] = [];
    page.on('request', (r) => {
      if (/\/v\/.*\.ts$/.test(r.url())) segments.push(r.url());
    });
    const beacons: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/_b')) beacons.push(r.status());
    });
    const res = await page.goto(`${face}/a/${storyId}`);
    t.equal(res?.status(), 200, 'the story page answers');
    const player = page.locator(`video[data-video="${videoId}"]`);
    await player.scrollIntoViewIfNeeded();
    t.equal(await player.getAttribute('poster'), `/v/${videoId}/poster.jpg`, 'the player shows the poster');
    await page.waitForFunction(() => {
      const v = document.querySelector('video[data-hls]') as HTMLVideoElement | null;
      return v?.getAttribute('data-ready') === '1' && (window as unknown as { Hls?: unknown }).Hls !== undefined;
    });
    const posterLoaded = await page.evaluate(async (src) => (await fetch(src)).status, `/v/${videoId}/poster.jpg`);
    t.equal(posterLoaded, 200, 'the poster is served by the face');
    t.equal(segments.length, 0, 'no segment is fetched before play (lazy, poster first)');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}video-poster.png` });
    await player.evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      void v.play();
    });
    await page.waitForFunction(
      () => ((document.querySelector('video[data-hls]') as HTMLVideoElement | null)?.currentTime ?? 0) > 1,
      undefined,
      { timeout: 20_000 },
    );
    const played = await player.evaluate((v: HTMLVideoElement) => ({
      t: v.currentTime,
      w: v.videoWidth,
      h: v.videoHeight,
      err: v.error?.code ?? null,
    }));
    t.ok(played.t > 1, `currentTime advances (${played.t.toFixed(2)} s)`);
    t.equal(played.err, null, 'without a media error');
    t.ok(played.w > 0 && played.w > played.h, `frames decode (${played.w}x${played.h}, landscape)`);
    t.ok(segments.length > 0, 'segments come from the face');
    await player.evaluate((v: HTMLVideoElement) => v.pause());
    await page.screenshot({ path: `${SHOTS}video-playing.png` });

    // ---- the plays reach the dashboards: the face's beacons → buffer → writer → roll-up → GraphQL
    const writer = new AnalyticsWriter({
      db: deps.db,
      buffer: sharedMemoryBuffer(),
      consumer: 'video-test',
      retentionDays: 400,
    });
    let written = 0;
    for (let i = 0; i < 50 && written < 2; i++) {
      written += await writer.drain();
      if (written < 2) await new Promise((r) => setTimeout(r, 100));
    }
    t.ok(written >= 2, `the player's play and watch events are written (${written})`);
    t.ok(
      beacons.length >= 2 && beacons.every((s) => s === 204),
      `the beacon accepted each of them (${beacons.join(', ')})`,
    );
    await rollupPending(deps.db, { retentionDays: 400 });
    const henan = deps.tenants.henan!.id;
    await staffWith(deps.db, 'v-prov', henan, ['editor']);
    await staffWith(deps.db, 'v-sibling', deps.tenants.yichuan!.id, ['chief_editor']);
    for (const login of ['v-prov', 'v-sibling']) {
      const r = await graphqlClient(api)<{ login: { token: string } }>(
        `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
        { l: login, p: PASSWORD },
      );
      tokens[login] = r.data!.login.token;
    }
    interface Stats {
      videoAnalytics: {
        videoId: string;
        title: string;
        plays: number;
        watchSeconds: number;
        averageCompletion: number;
        faces: { face: { id: string }; plays: number }[];
      }[];
    }
    const today = dayOf(Date.now());
    const stats = (login: string, tenantId: string, scope: 'OWN' | 'TREE') =>
      gql(login)<Stats>(
        `query($t: ID!, $f: Date!, $to: Date!, $s: AnalyticsScope) { videoAnalytics(tenantId: $t, from: $f, to: $to, scope: $s) {
          videoId title plays watchSeconds averageCompletion faces { face { id } plays } } }`,
        { t: tenantId, f: today, to: today, s: scope },
      );
    const county = await stats('v-writer', ruyang, 'OWN');
    t.equal(county.errors, undefined);
    const mine = county.data?.videoAnalytics.find((v) => v.videoId === videoId);
    t.equal(mine?.plays, 1, 'the county dashboard counts the play on its face');
    t.equal(mine?.title, '乡村振兴新画卷');
    t.ok((mine?.watchSeconds ?? 0) >= 0.5, `with the seconds watched (${mine?.watchSeconds} s)`);
    t.ok((mine?.averageCompletion ?? 0) > 0.2, `and how far it was watched (${mine?.averageCompletion})`);
    const province = await stats('v-prov', henan, 'TREE');
    const rolled = province.data?.videoAnalytics.find((v) => v.videoId === videoId);
    t.equal(rolled?.plays, 1, 'the province sees it rolled up');
    t.same(
      rolled?.faces.map((f) => f.face.id),
      [ruyang],
      'with the county face it was played on',
    );
    // the console's data dashboard (数据看板) of the province: the card 视频播放, rolled up by default
    await ensureBuilt({ log: (m) => t.comment(m) });
    const consoleApp = await buildConsole(deps, { apiUrl: apiBase, portalUrl: 'http://{host}:3000' });
    t.teardown(() => consoleApp.close());
    await consoleApp.listen({ port: 0, host: '127.0.0.1' });
    const consoleBase = `http://127.0.0.1:${(consoleApp.server.address() as { port: number }).port}`;
    const desk = await browser.newPage({
      viewport: { width: 1366, height: 1000 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    await desk.goto(`${consoleBase}/stories`);
    await signIn(desk, 'v-prov', PASSWORD);
    await nav(desk, '/data/dashboard');
    const card = desk.locator('[data-testid=video-stats]');
    await card.locator('text=乡村振兴新画卷').waitFor({ timeout: 20_000 });
    t.equal(
      await card.locator('[data-testid=video-plays]').first().innerText(),
      '1',
      'the province dashboard shows the play',
    );
    t.match(await card.innerText(), /平均完播率/, 'with watch time and completion columns in Chinese');
    await card.scrollIntoViewIfNeeded();
    await desk.screenshot({ path: `${SHOTS}console-video-stats.png` });
    await card.locator('text=本单位门户').click();
    await card.locator('text=所选时段内没有视频播放').waitFor();
    t.pass("the province's own face has no play of it: the play was on the county face");

    const sibling = await stats('v-sibling', ruyang, 'OWN');
    t.equal(
      sibling.errors?.[0]?.extensions?.code,
      'FORBIDDEN',
      "a sibling county cannot read the county's video figures",
    );

    // ---- retraction stops the renditions on the face
    const status = (path: string) => page.evaluate(async (p) => (await fetch(p, { cache: 'no-store' })).status, path);
    const master = `/v/${videoId}/master.m3u8`;
    t.equal(await status(master), 200, 'the face serves the master playlist while the story is live');
    const rt = await gql('v-writer')(
      `mutation($t: ID!, $s: ID!) { retractStory(tenantId: $t, id: $s, reason: "测试撤稿") { story { id } } }`,
      vars,
    );
    t.equal(rt.errors, undefined, 'the story is retracted');
    // the worker's cache invalidation (retraction drops the faces' cached pages and permissions)
    const consumer = new OutboxConsumer({
      db: deps.db,
      cache: deps.cache,
      registry: defaultRegistry(),
      log: silentLogger,
      maxAttempts: 3,
      backoff: () => 0,
    });
    for (let i = 0; i < 100; i++) if ((await consumer.runOnce()).processed === 0) break;
    t.equal(await status(master), 404, 'then the face no longer serves its renditions');
    t.equal(await status(`/v/${videoId}/360p_000.ts`), 404, 'nor its segments');
  },
);
